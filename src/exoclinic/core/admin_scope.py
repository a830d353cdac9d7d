"""The Django admin for clinic admins: their clinics' rows only, and every patient shown is an audited read.

The installation's operator is a superuser (created only by ``createsuperuser``) and sees everything. A clinic
admin is staff with the ADMIN role at one or more clinics and ``is_staff`` (to log in to ``/admin/``): each
``ClinicScopedAdmin`` filters its queryset to those clinics (``clinic_path``), limits the clinics, patients
and users offered in forms to them, and records one ``patient.view`` row per patient a page shows
(``patient_path``). A model admin that is not clinic-scoped is for superusers only (``SuperuserOnlyAdmin``),
and a test checks every registered model admin is one of the two (or names its own rule).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from .audit import audit_patient_reads
from .models import Clinic, Patient

ADMIN_ROLE = "admin"


def admin_clinic_ids(user) -> list[int] | None:
    """The clinics whose rows ``user`` manages in /admin/ (None: all of them, for a superuser)."""
    if not (user.is_active and user.is_staff):
        return []
    if user.is_superuser:
        return None
    from exoclinic.accounts.models import StaffMembership

    return list(
        StaffMembership.objects.filter(user=user, role=ADMIN_ROLE).values_list("clinic_id", flat=True)
    )


def _value_at(obj, path: str):
    for part in path.split("__"):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


class ClinicScopedAdmin(admin.ModelAdmin):
    clinic_path = "clinic"  # ORM path from the model to its Clinic ("pk" for Clinic itself)
    patient_path: str | None = None  # ORM path to the Patient a row shows, for the read audit

    def _ids(self, request) -> list[int] | None:
        if not hasattr(request, "_admin_clinic_ids"):
            request._admin_clinic_ids = admin_clinic_ids(request.user)
        return request._admin_clinic_ids

    def _allowed(self, request, obj=None) -> bool:
        ids = self._ids(request)
        if ids is None:
            return True
        if not ids:
            return False
        return obj is None or self.get_queryset(request).filter(pk=obj.pk).exists()

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request, obj)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        ids = self._ids(request)
        if ids is None:
            return qs
        return qs.filter(**{f"{self.clinic_path}__in": ids})

    def _scoped_choices(self, model, ids):
        from django.contrib.auth import get_user_model

        if issubclass(model, Clinic):
            return Clinic.objects.filter(pk__in=ids)
        if issubclass(model, Patient):
            return Patient.objects.filter(clinic_id__in=ids)
        if model is get_user_model():
            return model.objects.filter(
                Q(memberships__clinic_id__in=ids) | Q(patient__clinic_id__in=ids)
            ).distinct()
        return None

    def get_list_filter(self, request):
        filters = super().get_list_filter(request)
        if self._ids(request) is None:
            return filters
        # A filter by clinic, patient or user offers only the rows in scope, not every clinic's names.
        scoped = []
        for entry in filters:
            if isinstance(entry, str) and "__" not in entry:
                field = self.model._meta.get_field(entry)
                if field.is_relation:
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = self._ids(request)
        if ids is not None:
            choices = self._scoped_choices(db_field.related_model, ids)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        ids = self._ids(request)
        if ids is not None:
            choices = self._scoped_choices(db_field.related_model, ids)
            if choices is not None:
                kwargs["queryset"] = choices
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    # The read audit: one row per patient a list or a record shows.
    def _audit(self, request, patients, purpose: str) -> None:
        shown = {p.pk: p for p in patients if p is not None}
        if shown:
            audit_patient_reads(actor=request.user, patients=list(shown.values()), purpose=purpose)

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        changelist = getattr(response, "context_data", {}).get("cl") if self.patient_path else None
        if changelist is not None:
            ids = [row.pk for row in changelist.result_list]
            patient_ids = (
                self.model._default_manager.filter(pk__in=ids)
                .exclude(**{f"{self.patient_path}__isnull": True})
                .values_list(self.patient_path, flat=True)
            )
            self._audit(
                request, Patient.objects.filter(pk__in=set(patient_ids)), f"admin:{self.opts.label_lower}"
            )
        return response

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and self.patient_path:
            self._audit(request, [_value_at(obj, self.patient_path)], f"admin:{self.opts.label_lower}")
        return obj


class SuperuserOnlyAdmin(admin.ModelAdmin):
    """Installation-wide records: only the operator (a superuser) reaches them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


class ClinicAdminsContentAdmin(admin.ModelAdmin):
    """Public content shared by the installation (no patient data): any clinic admin edits it."""

    def _allowed(self, request) -> bool:
        ids = admin_clinic_ids(request.user)
        return ids is None or bool(ids)

    def has_module_permission(self, request):
        return self._allowed(request)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)


class ClinicScopedInline:
    """Mixin for inlines of a ``ClinicScopedAdmin``: the parent row is in scope already."""

    def _allowed(self, request) -> bool:
        ids = admin_clinic_ids(request.user)
        return ids is None or bool(ids)

    def has_view_permission(self, request, obj=None):
        return self._allowed(request)

    def has_add_permission(self, request, obj=None):
        return self._allowed(request)

    def has_change_permission(self, request, obj=None):
        return self._allowed(request)

    def has_delete_permission(self, request, obj=None):
        return self._allowed(request)
