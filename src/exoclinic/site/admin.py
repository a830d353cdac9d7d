from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from exoclinic.core.admin_scope import ClinicAdminsContentAdmin

from .models import ConditionPage, TherapyPage


@admin.register(ConditionPage)
class ConditionPageAdmin(ClinicAdminsContentAdmin, TranslationAdmin):
    list_display = ["title", "slug", "order", "published"]
    prepopulated_fields = {"slug": ["title_en"]}


@admin.register(TherapyPage)
class TherapyPageAdmin(ClinicAdminsContentAdmin, TranslationAdmin):
    list_display = ["name", "slug", "order", "published"]
    prepopulated_fields = {"slug": ["name_en"]}
