"""Therapy names and consent texts in every language (django-modeltranslation: one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ConsentText, Therapy


@register(Therapy)
class TherapyTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}


@register(ConsentText)
class ConsentTextTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("en",)
