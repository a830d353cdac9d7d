"""Reads on patients and the audit trail, always through the access policy."""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from .audit import audit_patient_reads, audit_record
from .errors import InvalidInput
from .models import AuditEvent, Clinic, Patient
from .policy import (
    PATIENT_READER_ROLES,
    acts_for,
    patient_get,
    require_staff,
    staff_clinics,
    visible_patients_q,
)

_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y")


def parse_date(text: str, *, field: str) -> dt.date:
    text = text.strip()
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise InvalidInput(_("Enter a date as YYYY-MM-DD (or DD/MM/YYYY)."), field=field)


def patient_search(
    *, user, name: str = "", date_of_birth: str = "", email: str = "", limit: int = 50
) -> list[Patient]:
    """Patients of the staff member's clinics matching every given criterion; the search is audited."""
    clinics = staff_clinics(user, PATIENT_READER_ROLES)
    qs = Patient.objects.filter(clinic__in=clinics).select_related("clinic")
    criteria = {}
    for term in re.split(r"\s+", name.strip()):
        if term:
            qs = qs.filter(
                Q(first_name__icontains=term) | Q(last_name__icontains=term) | Q(record_number__iexact=term)
            )
            criteria["name"] = name.strip()
    if date_of_birth.strip():
        qs = qs.filter(date_of_birth=parse_date(date_of_birth, field="date_of_birth"))
        criteria["date_of_birth"] = date_of_birth.strip()
    if email.strip():
        qs = qs.filter(email__icontains=email.strip())
        criteria["email"] = email.strip()
    if not criteria:
        return []
    results = list(qs.order_by("last_name", "first_name", "id")[:limit])
    audit_record(
        actor=user,
        action="patient.search",
        record_type="core.patient",
        clinic=results[0].clinic if len({p.clinic_id for p in results}) == 1 else None,
        detail={"criteria": criteria, "results": [p.pk for p in results]},
    )
    return results


PATIENT_PAGE_DEFAULT = 100
PATIENT_PAGE_MAX = 500


def patient_list(
    *, user, purpose: str = "list", limit: int = PATIENT_PAGE_DEFAULT, offset: int = 0
) -> tuple[list[Patient], int]:
    """One page of the patients the user may see, by name, and how many there are in all.

    The page is bounded (``PATIENT_PAGE_MAX``) so the work, and the audit, of one request does not grow with
    the clinic: each record staff receive is audited one by one, so a patient's access log shows every list
    their record was sent in."""
    limit = max(1, min(int(limit), PATIENT_PAGE_MAX))
    offset = max(0, int(offset))
    # No DISTINCT: the filter is on one table (the clinics are a subquery), so a row cannot repeat, and the
    # database can walk the name index and stop at the end of the page instead of sorting every patient.
    qs = Patient.objects.filter(visible_patients_q(user))
    total = qs.count()
    patients = list(
        qs.select_related("clinic").order_by("last_name", "first_name", "id")[offset : offset + limit]
    )
    staff_read = [p for p in patients if not acts_for(user, p)]
    if staff_read:
        with transaction.atomic():
            audit_patient_reads(actor=user, patients=staff_read, purpose=purpose)
    return patients, total


def patient_access_log(*, user, patient_id, limit: int = 500) -> tuple[Patient, list[AuditEvent]]:
    """Every audit row about one patient, newest first. Clinic admins only; reading it is itself audited."""
    patient = patient_get(user=user, patient_id=patient_id, purpose="access_log")
    require_staff(user, patient.clinic, roles=["admin"])
    events = list(
        AuditEvent.objects.filter(patient=patient)
        .select_related("actor")
        .order_by("-occurred_at", "-id")[:limit]
    )
    audit_record(actor=user, action="audit.view", target=patient, record_type="core.auditevent")
    return patient, events


def public_clinic() -> Clinic | None:
    from django.conf import settings

    slug = settings.EXOCLINIC.get("PUBLIC_CLINIC")
    qs = Clinic.objects.order_by("id")
    return (qs.filter(slug=slug).first() if slug else None) or qs.first()
