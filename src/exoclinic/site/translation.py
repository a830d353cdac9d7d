"""The public pages in every language (django-modeltranslation: one column per language)."""

from modeltranslation.translator import TranslationOptions, register

from .models import ConditionPage, TherapyPage


@register(ConditionPage)
class ConditionPageTranslation(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = ("en",)


@register(TherapyPage)
class TherapyPageTranslation(TranslationOptions):
    fields = (
        "name",
        "summary",
        "how_it_works",
        "what_to_expect",
        "preparation",
        "aftercare",
        "evidence_note",
    )
    required_languages = ("en",)
