"""The one rule for reads: every response that shows patient data to staff writes one ``patient.view`` row
per patient shown, in bulk, in the same request (``core.audit.audit_patient_reads``).

``audit_staff_reads(user=..., rows=..., purpose=...)`` takes what a page, list, export or API answer shows
(patients, or records with a ``patient``/``patient_id``) and audits the patients of clinics where the reader
is staff; a patient or caregiver reading their own records writes nothing. Two queries for any length.
"""

from __future__ import annotations

from collections.abc import Iterable

from .audit import audit_patient_reads
from .models import Patient
from .policy import acts_for


def _patient_id(row, path: str):
    if isinstance(row, Patient):
        return row.pk
    if "__" not in path and hasattr(row, f"{path}_id"):
        return getattr(row, f"{path}_id")
    for part in path.split("__"):
        row = getattr(row, part, None)
        if row is None:
            return None
    return row.pk if isinstance(row, Patient) else row


def audit_staff_reads(*, user, rows: Iterable, purpose: str, patient_path: str = "patient") -> int:
    """Audit the patients ``rows`` show to ``user`` as staff; returns how many rows were written."""
    if not getattr(user, "is_authenticated", False):
        return 0
    ids = {pid for pid in (_patient_id(row, patient_path) for row in rows) if pid is not None}
    if not ids:
        return 0
    from exoclinic.accounts.models import StaffMembership

    clinics = StaffMembership.objects.filter(user=user).values_list("clinic_id", flat=True)
    shown = [
        p
        for p in Patient.objects.filter(pk__in=ids, clinic_id__in=clinics).only(
            "id", "clinic_id", "user_id", "caregiver_id"
        )
        if not acts_for(user, p)
    ]
    if shown:
        audit_patient_reads(actor=user, patients=shown, purpose=purpose)
    return len(shown)
