from django.contrib import admin

from .models import TreatmentApplication


@admin.register(TreatmentApplication)
class TreatmentApplicationAdmin(admin.ModelAdmin):
    """Read-only overview; reviews happen in the staff workspace, where every step is audited."""

    list_display = ("reference", "clinic", "status", "submitted_at", "flag_level")
    list_filter = ("clinic", "status", "flag_level")
    search_fields = ("reference",)

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
