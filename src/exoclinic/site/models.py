"""Public content, edited by staff in the admin as Markdown and rendered safely."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import TimeStamped


class ConditionPage(TimeStamped):
    slug = models.SlugField(unique=True)
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    body = models.TextField(_("body (Markdown)"))
    order = models.PositiveIntegerField(default=100)
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "title"]

    def __str__(self) -> str:
        return self.title


class TherapyPage(TimeStamped):
    slug = models.SlugField(unique=True)
    name = models.CharField(_("name"), max_length=200)
    summary = models.CharField(_("summary"), max_length=400)
    how_it_works = models.TextField(_("how it works (Markdown)"))
    what_to_expect = models.TextField(_("what to expect (Markdown)"))
    preparation = models.TextField(_("preparation (Markdown)"))
    aftercare = models.TextField(_("aftercare (Markdown)"))
    evidence_note = models.TextField(
        _("evidence note (Markdown)"),
        help_text=_("Say plainly that the therapy is investigational and what is and is not known."),
    )
    order = models.PositiveIntegerField(default=100)
    published = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(evidence_note=""), name="therapy_page_has_evidence_note"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def sections(self) -> list[tuple[str, str, str]]:
        return [
            ("how-it-works", str(_("How it works")), self.how_it_works),
            ("what-to-expect", str(_("What to expect")), self.what_to_expect),
            ("preparation", str(_("Preparation")), self.preparation),
            ("aftercare", str(_("Aftercare")), self.aftercare),
        ]
