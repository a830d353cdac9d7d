"""Exam pages: the worksheet (enter, classify, save, correct), a patient's exams, detail, PDF, portal list."""

from __future__ import annotations

import datetime as dt
import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core import selectors as core_selectors
from exoclinic.core.errors import Conflict, InvalidInput, NotFound
from exoclinic.core.policy import PATIENT_READER_ROLES, is_staff_of, patient_get, staff_clinics
from exoclinic.core.views import domain_errors_as_http, request_acting_patient
from exoclinic.portal.selectors import portal_patients
from exoclinic.scheduling.models import VISIT_STATUSES
from exoclinic.scheduling.selectors import appointment_get, appointments_for_patient
from exoclinic.staff.views import staff_required
from isncsci import MOTOR_VALUES, NON_KEY_MUSCLE_LEVELS, SENSORY_VALUES, classify

from . import selectors, services
from .classification import exam_problems, readable_problems
from .models import IsncsciExam
from .pdf import worksheet_pdf
from .services import EXAMINER_ROLES
from .worksheet import (
    DAP,
    NON_KEY,
    OBSERVATIONS,
    VAC,
    exam_from_values,
    field_id,
    field_label,
    level_rows,
    values_from_exam,
    values_from_post,
    worksheet_columns,
)

_SUMMARY_LIMIT = 12  # error links listed at the top; the rest are counted


def _local_input(value: dt.datetime, tz) -> str:
    return timezone.localtime(value, tz).strftime("%Y-%m-%dT%H:%M")


def _parse_local(text: str, tz) -> dt.datetime:
    text = (text or "").strip()
    for fmt in ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"):
        try:
            return timezone.make_aware(dt.datetime.strptime(text, fmt), tz)
        except ValueError:
            continue
    raise InvalidInput(_("Enter the date and time of the exam (YYYY-MM-DD HH:MM)."), field="examined_at")


def _visit_choices(user, patient) -> list[dict]:
    """The patient's visits that have started (or start today), newest first, for the Visit field."""
    tz = patient.tz
    today_end = timezone.localtime(timezone.now(), tz).replace(hour=23, minute=59)
    rows = appointments_for_patient(user=user, patient_id=patient.pk, statuses=VISIT_STATUSES)
    return [
        {
            "id": str(a.pk),
            "label": f"{timezone.localtime(a.start, tz):%Y-%m-%d %H:%M} · {a.appointment_type.name}"
            f" ({a.get_status_display()})",
            "today": timezone.localtime(a.start, tz).date() == today_end.date(),
        }
        for a in rows
        if a.start <= today_end
    ]


def _appointment_from(user, patient, text: str):
    if not text:
        return None
    try:
        appointment = appointment_get(user=user, appointment_id=text, purpose="isncsci_exam")
    except NotFound:
        raise InvalidInput(_("Choose one of the patient's visits."), field="appointment") from None
    if appointment.patient_id != patient.pk:
        raise InvalidInput(_("Choose one of the patient's visits."), field="appointment")
    return appointment


def _recent_submission_keys(patient) -> list[str]:
    since = timezone.now() - dt.timedelta(days=2)
    rows = IsncsciExam.objects.filter(patient=patient, created_at__gte=since, submission_key__isnull=False)
    return list(rows.values_list("submission_key", flat=True))


def _may_examine(user, patient) -> bool:
    return is_staff_of(user, patient.clinic_id, EXAMINER_ROLES)


def _worksheet(request, *, patient, values, errors, result, blanks, fields, record=None, status=200):
    ordered = sorted(errors.items(), key=lambda kv: _error_order(kv[0]))
    return render(
        request,
        "exams/worksheet.html",
        {
            "patient": patient,
            "record": record,
            "columns": worksheet_columns(values, errors),
            "levels": level_rows(),
            "values": values,
            "errors": errors,
            "error_links": [
                {"id": field_id(path), "message": message} for path, message in ordered[:_SUMMARY_LIMIT]
            ],
            "more_errors": max(0, len(ordered) - _SUMMARY_LIMIT),
            "result": result,
            "blanks": len(blanks),
            "fields": fields,
            "visits": _visit_choices(request.user, patient),
            # New exams keep an unsaved copy in the tab (sessionStorage); keys already saved are dropped.
            "draft_key": "" if record else f"isncsci-draft-{patient.pk}",
            "saved_keys": [] if record else _recent_submission_keys(patient),
            "motor_values": MOTOR_VALUES,
            "sensory_values": SENSORY_VALUES,
            "observations": OBSERVATIONS,
            "non_key_levels": NON_KEY_MUSCLE_LEVELS,
            "sides": [
                {
                    "side": s,
                    "name": f"{s}.{NON_KEY}",
                    "id": field_id(f"{s}.{NON_KEY}"),
                    "value": values.get(f"{s}.{NON_KEY}", ""),
                }
                for s in ("right", "left")
            ],
            "vac": {
                "name": VAC,
                "id": field_id(VAC),
                "label": field_label(VAC),
                "value": values.get(VAC, ""),
            },
            "dap": {
                "name": DAP,
                "id": field_id(DAP),
                "label": field_label(DAP),
                "value": values.get(DAP, ""),
            },
        },
        status=status,
    )


_PATH_ORDER: dict[str, int] = {}


def _error_order(path: str) -> int:
    if not _PATH_ORDER:
        from .worksheet import all_value_paths

        order = ["examined_at", *all_value_paths(), f"right.{NON_KEY}", f"left.{NON_KEY}", VAC, DAP]
        _PATH_ORDER.update({p: i for i, p in enumerate(order)})
        extra = ("appointment", "comments", "reason", "version")
        _PATH_ORDER.update({name: len(order) + i for i, name in enumerate(extra)})
    return _PATH_ORDER.get(path, -1)


def _blank_errors(blanks: list[str]) -> dict[str, str]:
    return {
        path: _("%(field)s: enter a value, or NT if not tested.") % {"field": field_label(path)}
        for path in blanks
    }


def _handle_worksheet(request, *, patient, record=None):
    """GET shows the worksheet; POST "classify" previews; POST "save" records (or corrects) the exam."""
    correcting = record is not None
    if request.method != "POST":
        if correcting:
            values = values_from_exam(record.exam)
            fields = {
                "examined_at": _local_input(record.examined_at, patient.tz),
                "comments": record.comments,
                "reason": "",
                "expected_version": record.version,
                "appointment": str(record.appointment_id or ""),
            }
            result = record.result
        else:
            values = values_from_post({})
            fields = {
                "examined_at": _local_input(timezone.now(), patient.tz),
                "comments": "",
                "submission_key": uuid.uuid4().hex,
                "appointment": next(
                    (v["id"] for v in _visit_choices(request.user, patient) if v["today"]), ""
                ),
            }
            result = None
        return _worksheet(
            request,
            patient=patient,
            values=values,
            errors={},
            result=result,
            blanks=[],
            fields=fields,
            record=record,
        )

    values = values_from_post(request.POST)
    fields = {
        name: request.POST.get(name, "")
        for name in ("examined_at", "comments", "submission_key", "reason", "expected_version", "appointment")
    }
    saving = request.POST.get("action") == "save"
    preview, blanks = exam_from_values(values, blank_as="NT")
    errors = readable_problems([p for p in exam_problems(preview)])
    result = None if errors else classify(preview)
    if not saving:
        return _worksheet(
            request,
            patient=patient,
            values=values,
            errors=errors,
            result=result,
            blanks=blanks,
            fields=fields,
            record=record,
        )

    errors.update(_blank_errors(blanks))
    try:
        examined_at = _parse_local(fields["examined_at"], patient.tz)
    except InvalidInput as exc:
        errors["examined_at"] = exc.message
        examined_at = None
    try:
        appointment = _appointment_from(request.user, patient, fields["appointment"])
    except InvalidInput as exc:
        errors["appointment"] = exc.message
    if correcting and not fields["reason"].strip():
        errors["reason"] = _("Say why the exam is corrected.")
    if errors:
        return _worksheet(
            request,
            patient=patient,
            values=values,
            errors=errors,
            result=result,
            blanks=blanks,
            fields=fields,
            record=record,
            status=400,
        )
    exam, _blanks = exam_from_values(values)
    try:
        if correcting:
            expected = fields["expected_version"]
            saved = services.isncsci_exam_correct(
                actor=request.user,
                exam_record=record,
                exam=exam,
                reason=fields["reason"],
                comments=fields["comments"],
                examined_at=examined_at,
                expected_version=int(expected) if expected.isdigit() else None,
                appointment=appointment,
            )
        else:
            saved = services.isncsci_exam_record(
                actor=request.user,
                patient=patient,
                examined_at=examined_at,
                exam=exam,
                comments=fields["comments"],
                submission_key=fields["submission_key"],
                appointment=appointment,
            )
    except (InvalidInput, Conflict) as exc:
        problems = exc.extra.get("errors")
        if problems:
            errors.update(readable_problems(problems))
        else:
            errors[exc.field or "exam"] = exc.message
        return _worksheet(
            request,
            patient=patient,
            values=values,
            errors=errors,
            result=result,
            blanks=blanks,
            fields=fields,
            record=record,
            status=400,
        )
    if correcting:
        messages.success(
            request, _("The exam was corrected and classified again (version %(v)s).") % {"v": saved.version}
        )
    else:
        messages.success(request, _("The exam was saved and classified."))
    return redirect("exams:detail", exam_id=saved.pk)


# ---- staff pages ---------------------------------------------------------------------------------------


@staff_required
def index(request):
    """Find a patient to examine, and the latest exams in the staff member's clinics."""
    name = request.GET.get("name", "").strip()
    can_read = staff_clinics(request.user, PATIENT_READER_ROLES).exists()
    if not can_read:
        raise Http404
    results = core_selectors.patient_search(user=request.user, name=name) if name else []
    recent = selectors.isncsci_exams_recent(user=request.user)
    return render(request, "exams/index.html", {"name": name, "results": results, "recent": recent})


@staff_required
@domain_errors_as_http
def patient_exams(request, patient_id: int):
    patient, exams = selectors.isncsci_exams_of_patient(user=request.user, patient_id=patient_id)
    return render(
        request,
        "exams/patient_exams.html",
        {"patient": patient, "exams": exams, "may_examine": _may_examine(request.user, patient)},
    )


@staff_required
@domain_errors_as_http
def exam_new(request, patient_id: int):
    patient = patient_get(user=request.user, patient_id=patient_id, purpose="isncsci_exam_new")
    if not _may_examine(request.user, patient):
        raise Http404
    return _handle_worksheet(request, patient=patient)


@staff_required
@domain_errors_as_http
def exam_detail(request, exam_id: int):
    record = selectors.isncsci_exam_get(user=request.user, exam_id=exam_id)
    return render(
        request,
        "exams/detail.html",
        {
            "record": record,
            "patient": record.patient,
            "columns": worksheet_columns(values_from_exam(record.exam), {}),
            "levels": level_rows(),
            "versions": selectors.isncsci_exam_versions(exam_record=record),
            "may_examine": _may_examine(request.user, record.patient),
            "non_key": {s: record.exam[s].get(NON_KEY) or "—" for s in ("right", "left")},
        },
    )


@staff_required
@domain_errors_as_http
def exam_correct(request, exam_id: int):
    record = selectors.isncsci_exam_get(user=request.user, exam_id=exam_id, purpose="correct")
    if not _may_examine(request.user, record.patient):
        raise Http404
    return _handle_worksheet(request, patient=record.patient, record=record)


def _pdf_response(record) -> HttpResponse:
    response = HttpResponse(worksheet_pdf(record), content_type="application/pdf")
    stamp = timezone.localtime(record.examined_at, record.patient.tz).strftime("%Y-%m-%d")
    name = f"isncsci-{record.patient.record_number}-{stamp}.pdf"
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@staff_required
@domain_errors_as_http
def exam_pdf(request, exam_id: int):
    return _pdf_response(selectors.isncsci_exam_get(user=request.user, exam_id=exam_id, purpose="pdf"))


# ---- portal --------------------------------------------------------------------------------------------


@login_required
@domain_errors_as_http
def portal_exams(request):
    """The acting patient's exams (their own, or ?patient= one who named them caregiver)."""
    patient = request_acting_patient(request, required=False)
    if patient is None:
        return render(request, "exams/portal_exams.html", {"patient": None, "exams": []})
    patient, exams = selectors.isncsci_exams_of_patient(user=request.user, patient_id=patient.pk)
    return render(request, "exams/portal_exams.html", {"patient": patient, "exams": exams})


@login_required
@domain_errors_as_http
def portal_exam_pdf(request, exam_id: int):
    record = selectors.isncsci_exam_get(user=request.user, exam_id=exam_id, purpose="pdf")
    if not portal_patients(user=request.user).filter(pk=record.patient_id).exists():
        raise Http404
    return _pdf_response(record)
