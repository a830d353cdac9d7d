from django.contrib import admin

from .admin_scope import ClinicScopedAdmin, SuperuserOnlyAdmin
from .models import AuditEvent, Clinic, OutboxMessage


@admin.register(Clinic)
class ClinicAdmin(ClinicScopedAdmin):
    """A clinic admin edits their own clinic (emergency numbers, hours); the operator adds clinics."""

    clinic_path = "pk"
    list_display = ["name", "slug", "time_zone", "emergency_phone", "emergency_services_number"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


@admin.register(AuditEvent)
class AuditEventAdmin(ClinicScopedAdmin):
    """Read-only: the audit trail is append-only and nobody edits or deletes it from the app."""

    list_display = [
        "occurred_at",
        "actor_email",
        "action",
        "record_type",
        "record_id",
        "clinic",
        "ip_address",
    ]
    list_filter = ["action", "clinic"]
    search_fields = ["actor_email", "record_id", "action"]
    date_hierarchy = "occurred_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def get_queryset(self, request):
        # The operator sees the whole trail; a clinic admin their clinics' rows.
        return super().get_queryset(request).select_related("clinic")


@admin.register(OutboxMessage)
class OutboxMessageAdmin(SuperuserOnlyAdmin):
    """What is waiting to be sent or run (a mail server or queue that was down): for the operator."""

    list_display = ["created_at", "kind", "name", "status", "attempts", "due_at", "done_at"]
    list_filter = ["kind", "status"]
    readonly_fields = [
        "kind",
        "name",
        "payload",
        "key",
        "status",
        "due_at",
        "attempts",
        "last_error",
        "done_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
