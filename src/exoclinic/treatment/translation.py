"""Therapy names and consent texts in every language (django-modeltranslation: one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ChecklistItem, ConsentText, Therapy


@register(Therapy)
class TherapyTranslation(TranslationOptions):
    fields = ("name", "description")
    required_languages = {"en": ("name",)}


@register(ConsentText)
class ConsentTextTranslation(TranslationOptions):
    fields = ("title", "body")
    required_languages = ("en",)


@register(ChecklistItem)
class ChecklistItemTranslation(TranslationOptions):
    """Written by the precaution rules in every language when the checklist is made."""

    fields = ("title", "instructions")
