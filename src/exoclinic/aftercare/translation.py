"""Aftercare restrictions and check-ins in every language (django-modeltranslation).

The templates are what staff edit; a plan copies every language of them when a procedure starts it."""

from modeltranslation.translator import TranslationOptions, register

from .models import AftercareTemplate, CheckIn, CheckInTemplate, Restriction, RestrictionTemplate


@register(AftercareTemplate)
class AftercareTemplateTranslation(TranslationOptions):
    fields = ("name",)
    required_languages = ("en",)


@register(RestrictionTemplate)
class RestrictionTemplateTranslation(TranslationOptions):
    fields = ("title", "advice")
    required_languages = {"en": ("title",)}


@register(CheckInTemplate)
class CheckInTemplateTranslation(TranslationOptions):
    fields = ("title",)
    required_languages = ("en",)


@register(Restriction)
class RestrictionTranslation(TranslationOptions):
    fields = ("title", "advice")


@register(CheckIn)
class CheckInTranslation(TranslationOptions):
    fields = ("title",)
