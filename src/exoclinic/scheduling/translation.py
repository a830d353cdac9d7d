"""Appointment type names and descriptions in every language (django-modeltranslation)."""

from modeltranslation.translator import TranslationOptions, register

from .models import AppointmentType


@register(AppointmentType)
class AppointmentTypeTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}
    # The name is unique per clinic in each language; a missing translation is NULL, so two types without a
    # Spanish name do not collide.
    empty_values = {"name": None}
