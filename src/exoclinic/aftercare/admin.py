from django.contrib import admin
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from exoclinic.core.admin_scope import ClinicScopedAdmin, ClinicScopedInline

from .models import AftercareTemplate, CheckInTemplate, RestrictionTemplate


class RestrictionInline(ClinicScopedInline, TranslationTabularInline):
    model = RestrictionTemplate
    extra = 0


class CheckInInline(ClinicScopedInline, TranslationTabularInline):
    model = CheckInTemplate
    extra = 0


@admin.register(AftercareTemplate)
class AftercareTemplateAdmin(ClinicScopedAdmin, TranslationAdmin):
    """Changes apply to procedures recorded from now on; existing aftercare plans keep their windows."""

    list_display = ["name", "therapy", "clinic"]
    list_filter = ["clinic"]
    inlines = [RestrictionInline, CheckInInline]
