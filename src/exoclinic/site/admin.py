from django.contrib import admin

from exoclinic.core.admin_scope import ClinicAdminsContentAdmin

from .models import ConditionPage, TherapyPage


@admin.register(ConditionPage)
class ConditionPageAdmin(ClinicAdminsContentAdmin):
    list_display = ["title", "slug", "order", "published"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(TherapyPage)
class TherapyPageAdmin(ClinicAdminsContentAdmin):
    list_display = ["name", "slug", "order", "published"]
    prepopulated_fields = {"slug": ["name"]}
