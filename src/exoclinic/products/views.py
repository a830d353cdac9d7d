"""Lab pages under /staff/products/: lots, QC and release, units and custody, storage, sources, recall.

Each POST carries an ``action`` and calls one service; a refusal comes back on the same page, next to the
field it names, with every value kept.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.errors import DomainError, NotFound
from exoclinic.core.policy import is_staff_of, staff_clinics
from exoclinic.core.views import domain_errors_as_http
from exoclinic.staff.views import staff_required

from . import forms, selectors, services
from .models import LotStatus, Recall
from .services._common import LAB_ROLES

STATUS_ORDER = [s for s, _label in LotStatus.choices]


def _refused(form, exc: DomainError) -> None:
    """Put a service's refusal next to the field it names (or at the top of the form)."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _lab_clinic(user):
    clinic = staff_clinics(user, LAB_ROLES).first()
    if clinic is None:
        raise NotFound()
    return clinic


def _bind(request, action: str, form_class, **kwargs):
    """Bound to the POST when it is this form's action, else a blank form."""
    if request.method == "POST" and request.POST.get("action") == action:
        return form_class(request.POST, request.FILES or None, **kwargs)
    return form_class(**kwargs)


# --- lots -------------------------------------------------------------------------------------------------


@staff_required
@domain_errors_as_http
def lot_list(request):
    status = request.GET.get("status", "")
    status = status if status in STATUS_ORDER else ""
    query = request.GET.get("q", "")
    lots = selectors.lot_list(user=request.user, status=status or None, query=query)
    return render(
        request,
        "products/lot_list.html",
        {
            "lots": lots[:200],
            "status": status,
            "query": query,
            "statuses": LotStatus.choices,
            "may_register": staff_clinics(request.user, LAB_ROLES).exists(),
        },
    )


@staff_required
@domain_errors_as_http
def lot_register(request):
    clinic = _lab_clinic(request.user)
    with timezone.override(clinic.tz):
        form = forms.LotRegisterForm(request.POST or None, clinic=clinic)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                lot = services.lot_register(
                    actor=request.user,
                    clinic=clinic,
                    product_type=data["product_type"],
                    collection=data["collection"],
                    manufactured_on=data["manufactured_on"],
                    expires_on=data["expires_on"],
                    volume_ml=data["volume_ml"],
                    particles_per_ml=data["particles_per_ml"],
                    protein_ug_per_ml=data["protein_ug_per_ml"],
                    unit_count=data["unit_count"],
                    storage_unit=data["storage_unit"],
                    at=timezone.now(),
                    submission_key=data["submission_key"],
                )
            except DomainError as exc:
                _refused(form, exc)
            else:
                messages.success(request, _("Lot %(code)s registered in quarantine.") % {"code": lot.code})
                return redirect("products:lot", lot_id=lot.pk)
        return render(request, "products/lot_register.html", {"form": form})


def _lot_action(request, lot, qc_form, release_form, reject_form, unit_form):
    """Runs the POSTed action; returns a redirect on success, None when a form shows a refusal."""
    action, user, now = request.POST.get("action"), request.user, timezone.now()
    try:
        if action == "qc" and qc_form.is_valid():
            data = qc_form.cleaned_data
            result = services.qc_result_record(
                actor=user,
                lot=lot,
                specification=data["specification"],
                value=data["value"],
                tested_at=data["tested_at"],
                submission_key=data["submission_key"],
            )
            (messages.success if result.passed else messages.warning)(request, result.reason)
        elif action == "release" and release_form.is_valid():
            services.lot_release(actor=user, lot=lot, password=release_form.cleaned_data["password"], at=now)
            messages.success(request, _("Lot %(code)s released.") % {"code": lot.code})
        elif action == "review":
            result = lot.qc_results.filter(pk=request.POST.get("result") or 0).first()
            if result is None:
                raise NotFound()
            services.qc_result_review(actor=user, result=result, at=now)
            messages.success(request, _("Result reviewed."))
        elif action == "reject" and reject_form.is_valid():
            services.lot_reject(actor=user, lot=lot, reason=reject_form.cleaned_data["reason"], at=now)
            messages.success(request, _("Lot %(code)s rejected.") % {"code": lot.code})
        elif action == "unit" and unit_form.is_valid():
            data = unit_form.cleaned_data
            if data["step"] == "move":
                if data["storage_unit"] is None:
                    unit_form.add_error("storage_unit", _("Choose where the unit goes."))
                    return None
                services.unit_move(
                    actor=user,
                    unit=data["unit"],
                    storage_unit=data["storage_unit"],
                    at=now,
                    note=data["note"],
                )
            elif data["step"] == "thaw":
                services.unit_thaw(actor=user, unit=data["unit"], at=now, note=data["note"])
            else:
                services.unit_discard(actor=user, unit=data["unit"], at=now, reason=data["note"])
            messages.success(request, _("Recorded for unit %(code)s.") % {"code": data["unit"].code})
        else:
            return None
    except NotFound:
        raise
    except DomainError as exc:
        if action == "review":
            messages.error(request, exc.message)
            return redirect("products:lot", lot_id=lot.pk)
        form = {"qc": qc_form, "release": release_form, "reject": reject_form, "unit": unit_form}[action]
        _refused(form, exc)
        if action == "unit" and exc.field == "reason":
            unit_form.add_error("note", exc.message)
        return None
    return redirect("products:lot", lot_id=lot.pk)


@staff_required
@domain_errors_as_http
def lot_detail(request, lot_id: int):
    lot = selectors.lot_get(user=request.user, lot_id=lot_id)
    may_edit = is_staff_of(request.user, lot.clinic_id, LAB_ROLES)
    with timezone.override(lot.clinic.tz):
        qc_form = _bind(request, "qc", forms.QcResultForm, lot=lot)
        release_form = _bind(request, "release", forms.ReleaseForm)
        reject_form = _bind(request, "reject", forms.ReasonForm)
        unit_form = _bind(request, "unit", forms.UnitActionForm, lot=lot)
        if request.method == "POST":
            done = _lot_action(request, lot, qc_form, release_form, reject_form, unit_form)
            if done is not None:
                return done
            lot = selectors.lot_get(user=request.user, lot_id=lot_id)
        release = services.lot_release_status(lot, on=timezone.now())
        rows = [
            {
                "spec": spec,
                "describe": spec.as_spec(target=lot.particles_per_ml).describe(),
                "result": release.current.get(spec.pk),
            }
            for spec in release.specifications
        ]
        return render(
            request,
            "products/lot_detail.html",
            {
                "lot": lot,
                "may_edit": may_edit,
                "release": release,
                "rows": rows,
                "history": lot.qc_results.select_related("specification", "analyst", "reviewer"),
                "units": selectors.lot_units_with_path(lot),
                "qc_form": qc_form,
                "release_form": release_form,
                "reject_form": reject_form,
                "unit_form": unit_form,
                "recall": Recall.objects.filter(lot=lot).first(),
                "status_posted": request.POST.get("action", "") if request.method == "POST" else "",
            },
        )


# --- recall -----------------------------------------------------------------------------------------------


@staff_required
@domain_errors_as_http
def lot_recall(request, lot_id: int):
    lot = selectors.lot_get(user=request.user, lot_id=lot_id, roles=selectors.RECALL_READER_ROLES)
    may_recall = is_staff_of(request.user, lot.clinic_id, LAB_ROLES)
    with timezone.override(lot.clinic.tz):
        recall_form = _bind(request, "recall", forms.RecallForm)
        notify_form = _bind(request, "notify", forms.NotificationForm)
        failed_notification = None
        if request.method == "POST":
            action = request.POST.get("action")
            try:
                if action == "recall" and recall_form.is_valid():
                    services.recall_start(
                        actor=request.user,
                        lot=lot,
                        recall_class=recall_form.cleaned_data["recall_class"],
                        reason=recall_form.cleaned_data["reason"],
                        at=timezone.now(),
                    )
                    messages.success(
                        request, _("Recall started: lot %(code)s is recalled.") % {"code": lot.code}
                    )
                    return redirect("products:recall", lot_id=lot.pk)
                if action == "notify":
                    failed_notification = request.POST.get("notification")
                    if notify_form.is_valid():
                        notification = selectors.recall_notification_get(
                            user=request.user, notification_id=failed_notification
                        )
                        services.recall_notification_update(
                            actor=request.user,
                            notification=notification,
                            at=timezone.now(),
                            **notify_form.cleaned_data,
                        )
                        messages.success(
                            request,
                            _("Notification of %(name)s recorded.")
                            % {"name": notification.patient.full_name},
                        )
                        return redirect("products:recall", lot_id=lot.pk)
            except DomainError as exc:
                _refused(recall_form if action == "recall" else notify_form, exc)
        recipients = selectors.lot_recipients(user=request.user, lot_id=lot.pk)
        told = list({r.patient_id: r for r in recipients if r.notice_sent_at}.values())  # once per patient
        summary = {
            "told": len(told),
            "read": sum(1 for r in told if r.notice_read_at),
            "unread": sum(1 for r in told if not r.notice_read_at),
            "to_call": sum(1 for r in told if not r.notice_read_at and r.notification_status != "notified"),
        }
        return render(
            request,
            "products/recall.html",
            {
                "lot": lot,
                "recall": Recall.objects.filter(lot=lot).select_related("started_by").first(),
                "recipients": recipients,
                "may_recall": may_recall,
                "recall_form": recall_form,
                "notify_form": notify_form,
                "failed_notification": failed_notification,
                "recall_summary": summary if told else None,
            },
        )


def _csv_cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text  # no formulas in spreadsheets


@staff_required
@domain_errors_as_http
def lot_recall_csv(request, lot_id: int):
    lot = selectors.lot_get(user=request.user, lot_id=lot_id, roles=selectors.RECALL_READER_ROLES)
    recipients = selectors.lot_recipients(user=request.user, lot_id=lot.pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recall-{lot.code}.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            "lot",
            "unit",
            "administered_at",
            "record_number",
            "name",
            "date_of_birth",
            "phone",
            "email",
            "address",
            "preferred_contact",
            "notification_status",
            "notified_at",
        ]
    )
    tz = lot.clinic.tz
    for r in recipients:
        writer.writerow(
            [
                _csv_cell(v)
                for v in (
                    lot.code,
                    r.unit_code,
                    r.administered_at.astimezone(tz).isoformat(),
                    r.record_number,
                    r.name,
                    r.date_of_birth.isoformat(),
                    r.phone,
                    r.email,
                    r.address,
                    r.preferred_contact_method,
                    r.notification_status,
                    r.notified_at.astimezone(tz).isoformat() if r.notified_at else "",
                )
            ]
        )
    return response


@staff_required
@domain_errors_as_http
def recall_list(request):
    return render(request, "products/recall_list.html", {"recalls": selectors.recall_list(user=request.user)})


# --- storage ----------------------------------------------------------------------------------------------


@staff_required
@domain_errors_as_http
def storage_list(request):
    _lab_clinic(request.user)
    return render(
        request,
        "products/storage_list.html",
        {"storage_units": selectors.storage_unit_list(user=request.user)},
    )


@staff_required
@domain_errors_as_http
def storage_detail(request, storage_unit_id: int):
    storage = selectors.storage_unit_get(user=request.user, storage_unit_id=storage_unit_id)
    with timezone.override(storage.clinic.tz):
        reading_form = _bind(request, "reading", forms.ReadingForm)
        import_form = _bind(request, "import", forms.ReadingsImportForm)
        resolve_form = _bind(request, "resolve", forms.CorrectiveActionForm)
        import_errors: list[str] = []
        if request.method == "POST":
            action, now = request.POST.get("action"), timezone.now()
            try:
                if action == "reading" and reading_form.is_valid():
                    reading = services.temperature_reading_record(
                        actor=request.user, storage_unit=storage, **reading_form.cleaned_data
                    )
                    if reading.within_limits:
                        messages.success(request, _("Reading recorded."))
                    else:
                        messages.error(
                            request, _("Reading outside the limits: the units stored here are held.")
                        )
                    return redirect("products:storage", storage_unit_id=storage.pk)
                if action == "import" and import_form.is_valid():
                    upload = import_form.cleaned_data["file"]
                    readings = services.temperature_readings_import(
                        actor=request.user, storage_unit=storage, data=upload.read()
                    )
                    messages.success(request, _("%(n)d readings imported.") % {"n": len(readings)})
                    return redirect("products:storage", storage_unit_id=storage.pk)
                if action == "resolve" and resolve_form.is_valid():
                    excursion = selectors.excursion_get(
                        user=request.user, excursion_id=request.POST.get("excursion")
                    )
                    services.excursion_resolve(
                        actor=request.user,
                        excursion=excursion,
                        corrective_action=resolve_form.cleaned_data["corrective_action"],
                        at=now,
                    )
                    messages.success(request, _("Corrective action recorded; the hold is lifted."))
                    return redirect("products:storage", storage_unit_id=storage.pk)
            except services.ReadingsImportError as exc:
                import_errors = exc.errors
                import_form.add_error(
                    "file", _("Nothing was imported: correct the lines listed and try again.")
                )
            except DomainError as exc:
                _refused(
                    {"reading": reading_form, "import": import_form, "resolve": resolve_form}[action], exc
                )
        return render(
            request,
            "products/storage_detail.html",
            {
                "storage": storage,
                "readings": storage.readings.select_related("recorded_by")[:100],
                "excursions": storage.excursions.select_related(
                    "first_reading", "resolved_by"
                ).prefetch_related("held_units__lot"),
                "units": storage.product_units.select_related("lot").exclude(
                    status__in=["administered", "discarded"]
                ),
                "reading_form": reading_form,
                "import_form": import_form,
                "import_errors": import_errors,
                "resolve_form": resolve_form,
            },
        )


# --- sources and collections ------------------------------------------------------------------------------


@staff_required
@domain_errors_as_http
def source_list(request):
    clinic = _lab_clinic(request.user)
    form = forms.SourceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            source = services.source_register(actor=request.user, clinic=clinic, **form.cleaned_data)
        except DomainError as exc:
            _refused(form, exc)
        else:
            return redirect("products:source", source_id=source.pk)
    return render(
        request,
        "products/source_list.html",
        {"sources": selectors.source_list(user=request.user), "form": form},
    )


@staff_required
@domain_errors_as_http
def source_detail(request, source_id: int):
    source = selectors.source_get(user=request.user, source_id=source_id)
    with timezone.override(source.clinic.tz):
        test_form = _bind(request, "test", forms.SourceTestForm)
        eligibility_form = _bind(request, "eligibility", forms.EligibilityForm)
        collection_form = _bind(request, "collection", forms.CollectionForm)
        if request.method == "POST":
            action, now = request.POST.get("action"), timezone.now()
            form = {"test": test_form, "eligibility": eligibility_form, "collection": collection_form}.get(
                action
            )
            if form is not None and form.is_valid():
                try:
                    if action == "test":
                        services.source_test_add(actor=request.user, source=source, **form.cleaned_data)
                    elif action == "eligibility":
                        services.source_eligibility_decide(
                            actor=request.user, source=source, at=now, **form.cleaned_data
                        )
                    else:
                        services.collection_register(actor=request.user, source=source, **form.cleaned_data)
                except DomainError as exc:
                    _refused(form, exc)
                else:
                    messages.success(request, _("Recorded."))
                    return redirect("products:source", source_id=source.pk)
        return render(
            request,
            "products/source_detail.html",
            {
                "source": source,
                "tests": source.tests.select_related("recorded_by"),
                "collections": source.collections.all(),
                "test_form": test_form,
                "eligibility_form": eligibility_form,
                "collection_form": collection_form,
            },
        )
