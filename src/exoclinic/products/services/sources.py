"""Sources (cell bank or donor), their screening tests and eligibility, and collections."""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from exoclinic.core.audit import audit_record
from exoclinic.core.errors import Conflict, InvalidInput

from ..models import Collection, Eligibility, Source, SourceKind, SourceTest
from ._common import require_lab


def source_register(*, actor, clinic, kind: str, identifier: str, description: str = "") -> Source:
    require_lab(actor, clinic)
    if kind not in SourceKind.values:
        raise InvalidInput(_("Choose cell bank or donor."), field="kind")
    identifier = identifier.strip()
    if not identifier:
        raise InvalidInput(_("Enter the cell bank's or donor's code."), field="identifier")
    try:
        with transaction.atomic():
            source = Source.objects.create(
                clinic=clinic, kind=kind, identifier=identifier, description=description
            )
            audit_record(
                actor=actor, action="source.register", target=source, detail={"identifier": identifier}
            )
    except IntegrityError:
        raise Conflict(
            _("A source %(id)s is already registered.") % {"id": identifier}, field="identifier"
        ) from None
    return source


def source_test_add(
    *, actor, source: Source, name: str, result: str, acceptable: bool, tested_on: dt.date
) -> SourceTest:
    require_lab(actor, source.clinic_id)
    if not name.strip() or not result.strip():
        raise InvalidInput(
            _("Enter the test and its result."), field="name" if not name.strip() else "result"
        )
    with transaction.atomic():
        test = SourceTest.objects.create(
            source=source,
            name=name.strip(),
            result=result.strip(),
            acceptable=acceptable,
            tested_on=tested_on,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action="source.test",
            target=test,
            clinic=source.clinic,
            detail={
                "source": source.identifier,
                "test": test.name,
                "result": test.result,
                "acceptable": acceptable,
            },
        )
    return test


def source_eligibility_decide(
    *, actor, source: Source, eligibility: str, note: str, at: dt.datetime
) -> Source:
    """Eligible only when at least one screening test is recorded and every test is acceptable."""
    require_lab(actor, source.clinic_id)
    if eligibility not in (Eligibility.ELIGIBLE, Eligibility.INELIGIBLE):
        raise InvalidInput(_("Choose eligible or not eligible."), field="eligibility")
    if eligibility == Eligibility.ELIGIBLE:
        tests = list(source.tests.all())
        if not tests:
            raise InvalidInput(
                _("Record the screening tests before declaring the source eligible."), field="eligibility"
            )
        bad = [t.name for t in tests if not t.acceptable]
        if bad:
            raise InvalidInput(
                _("Not acceptable: %(tests)s.") % {"tests": ", ".join(bad)}, field="eligibility"
            )
    with transaction.atomic():
        source.eligibility, source.eligibility_note = eligibility, note.strip()
        source.eligibility_decided_by, source.eligibility_decided_at = actor, at
        source.save()
        audit_record(
            actor=actor, action="source.eligibility", target=source, detail={"eligibility": eligibility}
        )
    return source


def collection_register(
    *, actor, source: Source, reference: str, collected_at: dt.datetime, description: str = ""
) -> Collection:
    require_lab(actor, source.clinic_id)
    reference = reference.strip()
    if not reference:
        raise InvalidInput(_("Enter the collection reference."), field="reference")
    if source.eligibility == Eligibility.INELIGIBLE:
        raise InvalidInput(
            _("The source %(id)s is not eligible.") % {"id": source.identifier}, field="source"
        )
    try:
        with transaction.atomic():
            collection = Collection.objects.create(
                clinic_id=source.clinic_id,
                source=source,
                reference=reference,
                collected_at=collected_at,
                description=description,
                recorded_by=actor,
            )
            audit_record(
                actor=actor,
                action="collection.register",
                target=collection,
                detail={"reference": reference, "source": source.identifier},
            )
    except IntegrityError:
        raise Conflict(
            _("A collection %(ref)s is already registered.") % {"ref": reference}, field="reference"
        ) from None
    return collection
