"""The one access policy. Every read and write of patient-owned records goes through these functions.

- A patient reaches their own record; a caregiver the records of the patients who named them.
- Staff reach the records of the clinics where they hold a membership, and only in the roles that
  may read that kind of record (lab staff see products, not patients' charts).
- A record one may not see answers NotFound, so its existence is not revealed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from .audit import audit_record
from .errors import NotFound, PermissionDenied
from .models import Clinic, Patient

# Staff roles that may open a patient's chart. Lab staff work on products and see patients only through
# the narrow selectors of the products app (e.g. recall lists).
PATIENT_READER_ROLES = frozenset({"coordinator", "clinician", "admin"})


def _role_values(roles: Iterable[str] | None) -> list[str] | None:
    return None if roles is None else [str(r) for r in roles]


def staff_clinics(user, roles: Iterable[str] | None = None) -> QuerySet[Clinic]:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Clinic.objects.none()
    memberships = {"memberships__user": user}
    role_list = _role_values(roles)
    if role_list is not None:
        memberships["memberships__role__in"] = role_list
    return Clinic.objects.filter(**memberships).distinct()


def staff_roles(user, clinic: Clinic | int) -> set[str]:
    from exoclinic.accounts.models import StaffMembership

    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    clinic_id = clinic.pk if isinstance(clinic, Clinic) else clinic
    return set(StaffMembership.objects.filter(user=user, clinic_id=clinic_id).values_list("role", flat=True))


def is_staff_of(user, clinic: Clinic | int, roles: Iterable[str] | None = None) -> bool:
    held = staff_roles(user, clinic)
    role_list = _role_values(roles)
    return bool(held) if role_list is None else bool(held & set(role_list))


def require_staff(user, clinic: Clinic | int, roles: Iterable[str] | None = None) -> None:
    held = staff_roles(user, clinic)
    if not held:
        raise NotFound()
    role_list = _role_values(roles)
    if role_list is not None and not held & set(role_list):
        raise PermissionDenied(_("Your role at this clinic does not allow this."))


def is_any_staff(user) -> bool:
    return staff_clinics(user).exists()


def member_clinics(user) -> QuerySet[Clinic]:
    """Clinics the user belongs to: as a patient, as a patient's named caregiver, or as staff in any role
    (what a clinic offers, such as its appointment types, is visible to its members)."""
    if not _active(user):
        return Clinic.objects.none()
    return Clinic.objects.filter(
        Q(patients__user=user) | Q(patients__caregiver=user) | Q(memberships__user=user)
    ).distinct()


def member_clinic_sql(clinic_column: str, user) -> tuple[str, list]:
    """``member_clinics`` as a parameterized SQL condition on ``clinic_column``, for the few reads written
    in plain SQL because they run on every request of a hot path (slot search, booking).

    ``clinic_column`` is chosen by the calling code (e.g. ``"t.clinic_id"``), never taken from input;
    tests check that the condition and ``member_clinics`` agree for every kind of user."""
    from exoclinic.accounts.models import StaffMembership

    if not _COLUMN.fullmatch(clinic_column):
        raise ValueError(f"Not a column name: {clinic_column!r}")
    if not _active(user):
        return "1 = 0", []
    patients, staff = Patient._meta.db_table, StaffMembership._meta.db_table
    # Only identifiers checked above and table names from the models are formatted in; values are parameters.
    sql = (
        f"(EXISTS (SELECT 1 FROM {patients} mp WHERE mp.clinic_id = {clinic_column}"  # noqa: S608
        " AND (mp.user_id = %s OR mp.caregiver_id = %s))"
        f" OR EXISTS (SELECT 1 FROM {staff} mm WHERE mm.clinic_id = {clinic_column} AND mm.user_id = %s))"
    )
    return sql, [user.pk, user.pk, user.pk]


_COLUMN = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?")


def _active(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def visible_patients(user, roles: Iterable[str] | None = PATIENT_READER_ROLES) -> QuerySet[Patient]:
    """Patients the user may see: own record, cared-for records, and (for staff in ``roles``) the clinic's.
    DISTINCT because callers may add filters that join (FHIR search); a caller that joins nothing can filter
    by ``visible_patients_q`` alone and let the database read an index in order."""
    return Patient.objects.filter(visible_patients_q(user, roles)).distinct()


def visible_patients_q(user, roles: Iterable[str] | None = PATIENT_READER_ROLES) -> Q:
    """The rule of ``visible_patients`` as a filter on Patient (the clinics are a subquery, so it joins
    nothing); matches nothing for an anonymous or inactive user."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return Q(pk__in=[])
    return Q(user=user) | Q(caregiver=user) | Q(clinic_id__in=staff_clinics(user, roles).values("pk"))


def acts_for(user, patient: Patient) -> bool:
    """True when the user is this patient or the caregiver the patient named (the portal's rule)."""
    pk = getattr(user, "pk", None)
    return pk is not None and pk in (patient.user_id, patient.caregiver_id)


def portal_patients(user) -> QuerySet[Patient]:
    """The records a person acts on in the portal: their own first, then the patients who named them caregiver
    (by id). Staff roles play no part here: staff reach charts through ``visible_patients``."""
    if not _active(user):
        return Patient.objects.none()
    own_first = Case(When(user=user, then=Value(0)), default=Value(1), output_field=IntegerField())
    return (
        Patient.objects.filter(Q(user=user) | Q(caregiver=user))
        .select_related("clinic")
        .annotate(_own_first=own_first)
        .order_by("_own_first", "pk")
    )


def acting_patient(*, user, choice=None) -> Patient | None:
    """The one rule for whom a portal page acts: the record ``choice`` names if the user may act for it
    (else NotFound, so no other record's existence shows); without a choice the user's own record, and for
    someone with no record of their own the first patient who named them caregiver. None when there is none.

    The same person who is a patient and a caregiver therefore gets their own record on every page until
    they choose the other patient explicitly (``core.views.request_acting_patient`` keeps the choice)."""
    patients = portal_patients(user)
    if choice not in (None, ""):
        try:
            pk = int(choice)
        except (TypeError, ValueError):
            raise NotFound() from None
        patient = patients.filter(pk=pk).first()
        if patient is None:
            raise NotFound()
        return patient
    return patients.first()


def scope_to_patients(
    user, queryset: QuerySet, field: str = "patient", roles=PATIENT_READER_ROLES
) -> QuerySet:
    """Filter any queryset of patient-owned records to those the user may see."""
    return queryset.filter(**{f"{field}__in": visible_patients(user, roles).values("pk")})


def scope_to_clinics(
    user, queryset: QuerySet, field: str = "clinic", roles: Iterable[str] | None = None
) -> QuerySet:
    """Filter records owned by a clinic (lots, rooms, appointment types) to the user's clinics."""
    return queryset.filter(**{f"{field}__in": staff_clinics(user, roles).values("pk")})


def reads_as_staff(user, patient: Patient) -> bool:
    """True when the user reaches this record as staff rather than as its patient or caregiver."""
    if acts_for(user, patient):
        return False
    return is_staff_of(user, patient.clinic_id)


def patient_get(*, user, patient_id, purpose: str = "view", roles=PATIENT_READER_ROLES) -> Patient:
    """The patient record if the user may see it, else NotFound. Staff reads go to the audit trail."""
    try:
        pk = int(patient_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    patient = visible_patients(user, roles).select_related("clinic").filter(pk=pk).first()
    if patient is None:
        raise NotFound()
    if reads_as_staff(user, patient):
        audit_record(actor=user, action="patient.view", target=patient, detail={"purpose": purpose})
    return patient


def may_edit_patient(user, patient: Patient) -> bool:
    """Patients and caregivers edit contact details; coordinators, clinicians and admins of the clinic too."""
    if acts_for(user, patient):
        return True
    return is_staff_of(user, patient.clinic_id, PATIENT_READER_ROLES)
