from django.contrib import admin

from .models import AftercareTemplate, CheckInTemplate, RestrictionTemplate


class RestrictionInline(admin.TabularInline):
    model = RestrictionTemplate
    extra = 0


class CheckInInline(admin.TabularInline):
    model = CheckInTemplate
    extra = 0


@admin.register(AftercareTemplate)
class AftercareTemplateAdmin(admin.ModelAdmin):
    """Changes apply to procedures recorded from now on; existing aftercare plans keep their windows."""

    list_display = ["name", "therapy", "clinic"]
    list_filter = ["clinic"]
    inlines = [RestrictionInline, CheckInInline]
