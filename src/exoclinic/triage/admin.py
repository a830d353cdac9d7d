"""Configuration in the Django admin: triage rule-set versions (medical director) and the on-call rota.

Rule sets are never edited: the add form starts from the active version, and saving stores a new version
with its change note (``services.ruleset_publish``). An old version can be made active again.
"""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.db.models import Q
from django.utils.html import format_html

from exoclinic.accounts.models import Role, StaffMembership, User
from exoclinic.core.admin_scope import ClinicScopedAdmin
from exoclinic.core.errors import DomainError
from exoclinic.core.models import Clinic

from . import services
from .models import OnCallShift, SymptomReport, TriageAlert, TriageRuleSet
from .ruleset import DEFAULT_RULESET, RuleSetError, validate_ruleset


class RuleSetAddForm(forms.ModelForm):
    data = forms.JSONField(
        label="Rules (JSON)",
        widget=forms.Textarea(attrs={"rows": 30, "cols": 100, "style": "font-family: monospace"}),
        help_text="Every key must be present; docs/triage.md explains each parameter and rule. "
        "Values marked unconfirmed there are clinic policy.",
    )
    activate = forms.BooleanField(label="Make this the active version now", required=False, initial=True)

    class Meta:
        model = TriageRuleSet
        fields = ["version", "change_note", "data"]

    def clean(self):
        cleaned = super().clean()
        data, version = cleaned.get("data"), cleaned.get("version")
        if isinstance(data, dict) and version:
            data = {**data, "version": version}
            try:
                validate_ruleset(data)
            except RuleSetError as exc:
                self.add_error("version" if exc.field == "version" else "data", exc.message)
            cleaned["data"] = data
        return cleaned


@admin.register(TriageRuleSet)
class TriageRuleSetAdmin(admin.ModelAdmin):
    list_display = ["version", "is_active", "created_at", "author", "change_note"]
    ordering = ["-created_at"]
    actions = ["make_active"]
    readonly_fields = ["version", "is_active", "created_at", "author", "change_note", "pretty_data"]

    def has_module_permission(self, request):
        return services.may_edit_rules(request.user)

    def has_view_permission(self, request, obj=None):
        return services.may_edit_rules(request.user)

    def has_add_permission(self, request):
        return services.may_edit_rules(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a version, once stored, explains past decisions: it is never edited

    def has_delete_permission(self, request, obj=None):
        return False

    def has_activate_permission(self, request):
        return services.may_edit_rules(request.user)

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = RuleSetAddForm
        return super().get_form(request, obj, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["version", "change_note", "data", "activate"]
        return self.readonly_fields

    def get_changeform_initial_data(self, request):
        active = TriageRuleSet.objects.filter(is_active=True).first()
        data = active.data if active else DEFAULT_RULESET.to_dict()
        return {"data": data, "version": ""}

    @admin.display(description="Rules")
    def pretty_data(self, obj):
        return format_html("<pre>{}</pre>", json.dumps(obj.data, indent=2, ensure_ascii=False))

    def save_model(self, request, obj, form, change):
        ruleset = services.ruleset_publish(
            actor=request.user,
            data=form.cleaned_data["data"],
            change_note=form.cleaned_data["change_note"],
            activate=form.cleaned_data.get("activate", False),
        )
        obj.pk = ruleset.pk  # the admin redirects to the stored version

    def save_related(self, request, form, formsets, change):
        pass

    def log_addition(self, request, obj, message):
        pass  # the service writes the audit row

    @admin.action(description="Make the selected version the active one", permissions=["activate"])
    def make_active(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, "Select exactly one version.", messages.ERROR)
            return
        try:
            ruleset = services.ruleset_activate(actor=request.user, ruleset=queryset.get())
        except DomainError as exc:
            self.message_user(request, exc.message, messages.ERROR)
        else:
            self.message_user(request, f"Version {ruleset.version} is now active.")


def _rota_clinic_ids(user):
    if user.is_superuser:
        return None
    return StaffMembership.objects.filter(
        Q(user=user) & (Q(role__in=[Role.ADMIN, Role.COORDINATOR]) | Q(is_medical_director=True))
    ).values_list("clinic_id", flat=True)


@admin.register(OnCallShift)
class OnCallShiftAdmin(admin.ModelAdmin):
    """The rota: clinic admins, coordinators and the medical director edit their own clinic's shifts."""

    list_display = ["clinic", "starts_at", "ends_at", "position", "user"]
    list_filter = [("clinic", admin.RelatedOnlyFieldListFilter)]  # never other clinics' names
    date_hierarchy = "starts_at"
    ordering = ["clinic", "starts_at", "position"]

    def _allowed(self, request) -> bool:
        user = request.user
        if not (user.is_authenticated and user.is_active):  # the admin login page asks as AnonymousUser
            return False
        ids = _rota_clinic_ids(user)
        return ids is None or ids.exists()

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

    def get_queryset(self, request):
        ids = _rota_clinic_ids(request.user)
        qs = super().get_queryset(request).select_related("clinic", "user")
        return qs if ids is None else qs.filter(clinic_id__in=ids)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        ids = _rota_clinic_ids(request.user)
        if ids is not None and db_field.name == "clinic":
            kwargs["queryset"] = Clinic.objects.filter(pk__in=ids)
        if ids is not None and db_field.name == "user":
            kwargs["queryset"] = User.objects.filter(memberships__clinic_id__in=ids).distinct()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class _ReadOnly(ClinicScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SymptomReport)
class SymptomReportAdmin(_ReadOnly):
    patient_path = "patient"
    list_display = ["submitted_at", "clinic", "patient", "level", "ruleset"]
    list_filter = ["clinic", "level"]


@admin.register(TriageAlert)
class TriageAlertAdmin(_ReadOnly):
    patient_path = "report__patient"
    list_display = ["raised_at", "clinic", "level", "acknowledged_at", "acknowledged_by", "escalation_step"]
    list_filter = ["clinic", "level"]
