from django import template

from exoclinic.triage.forms import SelfCheckForm

register = template.Library()


@register.simple_tag
def self_check_form() -> SelfCheckForm:
    """A fresh self-check form, so ``triage/_self_check.html`` can be included on any page."""
    return SelfCheckForm()
