"""Demo aftercare: every demo therapy has its default template. The aftercare plan in force comes with the
demo procedure (treatment/demo.py), as it does in real use."""

from __future__ import annotations

from exoclinic.treatment.models import Therapy

from .services import aftercare_template_ensure_default


def seed(ctx) -> None:
    for therapy in Therapy.objects.filter(clinic__in=[ctx.clinic, ctx.other_clinic]):
        aftercare_template_ensure_default(actor=None, therapy=therapy)
