from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from exoclinic.core.admin_scope import ClinicScopedAdmin

from .models import ConsentText, Therapy


@admin.register(Therapy)
class TherapyAdmin(ClinicScopedAdmin, TranslationAdmin):
    list_display = ["name", "code", "clinic", "is_active"]
    list_filter = ["clinic", "is_active"]


@admin.register(ConsentText)
class ConsentTextAdmin(ClinicScopedAdmin, TranslationAdmin):
    """Add a new version rather than edit one that patients have signed."""

    list_display = ["title", "version", "clinic", "is_current", "created_at"]
    list_filter = ["clinic", "is_current"]

    def get_readonly_fields(self, request, obj=None):
        from .models import Consent, ConsentRenewal

        used = Consent.objects.filter(consent_text=obj).exists() or (
            ConsentRenewal.objects.filter(consent_text=obj).exists()
        )
        if obj is not None and used:
            return ["clinic", "version", "title_en", "title_es", "body_en", "body_es"]
        return []
