from django import template
from django.utils.safestring import mark_safe

from exoclinic.site.markdown import render_markdown

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str) -> str:
    return mark_safe(render_markdown(text))  # noqa: S308 - the renderer escapes raw HTML


@register.filter
def tel(number: str) -> str:
    """A phone number as a tel: URI (digits and a leading +)."""
    number = (number or "").strip()
    digits = "".join(ch for ch in number if ch.isdigit())
    return ("+" if number.startswith("+") else "") + digits
