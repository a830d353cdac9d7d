from django.contrib import admin

from exoclinic.core.admin_scope import ClinicScopedAdmin, ClinicScopedInline

from .models import AftercareTemplate, CheckInTemplate, RestrictionTemplate


class RestrictionInline(ClinicScopedInline, admin.TabularInline):
    model = RestrictionTemplate
    extra = 0


class CheckInInline(ClinicScopedInline, admin.TabularInline):
    model = CheckInTemplate
    extra = 0


@admin.register(AftercareTemplate)
class AftercareTemplateAdmin(ClinicScopedAdmin):
    """Changes apply to procedures recorded from now on; existing aftercare plans keep their windows."""

    list_display = ["name", "therapy", "clinic"]
    list_filter = ["clinic"]
    inlines = [RestrictionInline, CheckInInline]
