from django.contrib import admin

from .models import AuditEvent, Clinic


@admin.register(Clinic)
class ClinicAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "time_zone", "emergency_phone", "emergency_services_number"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "slug"]


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
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
        # Superusers of the installation see the trail; clinic staff read a patient's log in /staff/.
        return super().get_queryset(request).select_related("clinic")
