"""Demo aftercare: every demo therapy has its default template. The aftercare plan in force comes with the
demo procedure (treatment/demo.py), as it does in real use."""

from __future__ import annotations

from exoclinic.treatment.models import Therapy

from .models import CheckIn, Restriction
from .services import aftercare_template_ensure_default, aftercare_texts_translate_defaults


def seed(ctx) -> None:
    clinics = [ctx.clinic, ctx.other_clinic]
    for therapy in Therapy.objects.filter(clinic__in=clinics):
        template = aftercare_template_ensure_default(actor=None, therapy=therapy)
        aftercare_texts_translate_defaults(
            rows=[template, *template.restrictions.all(), *template.check_ins.all()]
        )
    # A database seeded before the texts had a Spanish column: the plans already started get it too.
    aftercare_texts_translate_defaults(
        rows=[
            *Restriction.objects.filter(plan__clinic__in=clinics),
            *CheckIn.objects.filter(plan__clinic__in=clinics),
        ]
    )
