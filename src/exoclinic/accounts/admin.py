from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db import transaction
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from exoclinic.core.admin_scope import ClinicScopedAdmin, SuperuserOnlyAdmin
from exoclinic.core.audit import audit_record

from .models import ApiToken, StaffMembership, User
from .services import api_token_revoke, membership_delete, membership_save
from .signals import user_record


class MembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0


@admin.register(User)
class UserAdmin(SuperuserOnlyAdmin, BaseUserAdmin):
    """Accounts are installation-wide (an account may be staff at one clinic and a patient at another):
    the operator manages them. Clinic admins manage their clinic's memberships below."""

    ordering = ["email"]
    list_display = ["email", "full_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "full_name"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    fieldsets = [
        (None, {"fields": ["email", "password", "full_name"]}),
        ("Access", {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]})
    ]
    readonly_fields = ["last_login", "date_joined"]
    inlines = [MembershipInline]
    filter_horizontal = ["groups"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(ClinicScopedAdmin):
    """Clinic admins add, change and remove memberships of their own clinics only; every change is audited."""

    list_display = ["user", "clinic", "role", "is_medical_director", "title"]
    list_filter = ["clinic", "role", "is_medical_director"]
    search_fields = ["user__email", "user__full_name"]

    def save_model(self, request, obj, form, change):
        membership_save(actor=request.user, membership=obj, changed_fields=list(form.changed_data))

    def delete_model(self, request, obj):
        membership_delete(actor=request.user, membership=obj)

    def delete_queryset(self, request, queryset):
        for membership in queryset.select_related("user", "clinic"):
            membership_delete(actor=request.user, membership=membership)


@admin.register(ApiToken)
class ApiTokenAdmin(SuperuserOnlyAdmin):
    """Tokens are issued with `manage.py issue_token`; here they can only be reviewed and revoked."""

    list_display = [
        "prefix",
        "user",
        "name",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["revoked_at", "read_only"]
    search_fields = ["user__email", "prefix"]
    readonly_fields = [
        "user",
        "name",
        "prefix",
        "key_hash",
        "read_only",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    @admin.action(description="Revoke the selected tokens")
    def revoke(self, request, queryset):
        count = 0
        for token in queryset.filter(revoked_at__isnull=True).select_related("user"):
            count += api_token_revoke(user=token.user, prefix=token.prefix, actor=request.user)
        self.message_user(request, f"Revoked {count} token(s).")


class AuditedTOTPDeviceAdmin(SuperuserOnlyAdmin, TOTPDeviceAdmin):
    """django-otp's device admin, with every added or removed second factor in the audit trail. Second-factor
    devices are installation-wide (a person may work at several clinics): only the operator sees them."""

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            action = "mfa.change" if change else "mfa.enrol"
            audit_record(actor=request.user, action=action, **user_record(obj.user), detail={"via": "admin"})

    def delete_model(self, request, obj):
        with transaction.atomic():
            audit_record(
                actor=request.user, action="mfa.remove", **user_record(obj.user), detail={"via": "admin"}
            )
            super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        with transaction.atomic():
            for device in queryset.select_related("user"):
                audit_record(
                    actor=request.user,
                    action="mfa.remove",
                    **user_record(device.user),
                    detail={"via": "admin"},
                )
            super().delete_queryset(request, queryset)


class RecoveryCodesAdmin(SuperuserOnlyAdmin, StaticDeviceAdmin):
    """django-otp's recovery-code devices, for the operator only."""


admin.site.unregister(TOTPDevice)
admin.site.register(TOTPDevice, AuditedTOTPDeviceAdmin)
admin.site.unregister(StaticDevice)
admin.site.register(StaticDevice, RecoveryCodesAdmin)


def _operator_only(app_label: str) -> None:
    """Third-party admins of installation-wide records (django-axes' login attempts name people of every
    clinic): re-registered so only the operator (a superuser) sees them."""
    for model, model_admin in list(admin.site._registry.items()):
        if model._meta.app_label != app_label or isinstance(model_admin, SuperuserOnlyAdmin):
            continue
        scoped = type(
            f"OperatorOnly{type(model_admin).__name__}", (SuperuserOnlyAdmin, type(model_admin)), {}
        )
        admin.site.unregister(model)
        admin.site.register(model, scoped)


_operator_only("axes")
