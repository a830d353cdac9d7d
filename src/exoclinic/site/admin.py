from django.contrib import admin

from .models import ConditionPage, TherapyPage


@admin.register(ConditionPage)
class ConditionPageAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "order", "published"]
    prepopulated_fields = {"slug": ["title"]}


@admin.register(TherapyPage)
class TherapyPageAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "order", "published"]
    prepopulated_fields = {"slug": ["name"]}
