from django.contrib import admin

from exoclinic.core.admin_scope import ClinicScopedAdmin

from .models import TreatmentApplication


@admin.register(TreatmentApplication)
class TreatmentApplicationAdmin(ClinicScopedAdmin):
    """Read-only overview; reviews happen in the staff workspace, where every step is audited."""

    patient_path = "patient"
    list_display = ("reference", "clinic", "status", "submitted_at", "flag_level")
    list_filter = ("clinic", "status", "flag_level")
    search_fields = ("reference",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
