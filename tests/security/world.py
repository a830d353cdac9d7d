"""The world the access matrix runs in: the demo clinic (seed_demo) plus a second clinic with its own
patient, staff and records, and one user per role.

Ids are found by model, never by route: ``ids_for(model)`` gives an object of the first patient, one of
another patient of the same clinic, one of the second clinic, a missing id and 2**63.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test.utils import override_settings
from django.utils import timezone

from exoclinic.accounts.models import Role, StaffMembership, User
from exoclinic.core.models import Clinic, Patient

HUGE_ID = 2**63

# Roles the matrix requests as; "superuser" is only checked for server errors (it may see everything).
ROLES = (
    "anonymous",
    "patient",
    "other_patient",
    "caregiver",
    "unlinked_caregiver",
    "coordinator",
    "clinician",
    "lab",
    "clinic_admin",
    "other_clinic_staff",
    "superuser",
)


@dataclass
class World:
    clinic: Clinic
    other_clinic: Clinic
    users: dict[str, User | None]
    patient: Patient  # the "patient" role's own record
    other_patient: Patient  # the "other_patient" role's record; the linked caregiver acts for this one
    far_patient: Patient  # a patient of the second clinic
    markers: dict[int, tuple[str, ...]] = field(default_factory=dict)  # patient id -> identifying strings


def _seed_second_clinic(other: Clinic, now: dt.datetime) -> tuple[Patient, dict[str, User]]:
    """Records of every kind at the second clinic, through the same factories and services as the tests."""
    from tests.factories import PatientFactory, StaffFactory, UserFactory
    from tests.intake.factories import submitted
    from tests.outcomes.factories import AssessmentFactory, DiaryEntryFactory
    from tests.products.factories import StorageUnitFactory, released_lot
    from tests.scheduling.factories import AppointmentFactory
    from tests.treatment.factories import approved_plan_with_consent
    from tests.triage.factories import answers

    staff = {
        "clinician": StaffFactory(
            email="far.clinician@example.org", role=Role.CLINICIAN, clinic=other, is_medical_director=True
        ),
        "coordinator": StaffFactory(email="far.coordinator@example.org", role=Role.COORDINATOR, clinic=other),
        "lab": StaffFactory(email="far.lab@example.org", role=Role.LAB, clinic=other),
    }
    far = PatientFactory(
        clinic=other,
        user=UserFactory(email="far.patient@example.org", full_name="Fiona Farclinic"),
        first_name="Fiona",
        last_name="Farclinic",
        email="far.patient@example.org",
        record_number="FAR-77001",
    )
    AppointmentFactory(patient=far, practitioner=staff["clinician"], start=now + dt.timedelta(days=3))
    submitted(other)
    storage = StorageUnitFactory(clinic=other)
    released_lot(clinic=other, storage_unit=storage)
    approved_plan_with_consent(far, clinician=staff["clinician"])
    AssessmentFactory(patient=far)
    DiaryEntryFactory(patient=far)
    from exoclinic.triage.services import symptom_report_submit

    symptom_report_submit(actor=far.user, patient=far, answers=answers({"fever": "yes"}))
    return far, staff


def build_world() -> World:
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    ):
        call_command("seed_demo", quiet=True)
        clinic = Clinic.objects.get(slug="alder-madrid")
        other = Clinic.objects.get(slug="birch-lisbon")
        far, far_staff = _seed_second_clinic(other, timezone.now())
        clinic_admin = User.objects.create_user(email="clinic.admin@example.org", password="x" * 12)
        StaffMembership.objects.create(user=clinic_admin, clinic=clinic, role=Role.ADMIN)
        unlinked = User.objects.create_user(email="unlinked.caregiver@example.org", password="x" * 12)
    patient = Patient.objects.get(user__email="patient@example.org")
    other_patient = Patient.objects.get(user__email="patient2@example.org")
    users = {
        "anonymous": None,
        "patient": patient.user,
        "other_patient": other_patient.user,
        "caregiver": other_patient.caregiver,
        "unlinked_caregiver": unlinked,
        "coordinator": User.objects.get(email="coordinator@example.org"),
        "clinician": User.objects.get(email="clinician@example.org"),
        "lab": User.objects.get(email="lab@example.org"),
        "clinic_admin": clinic_admin,
        "other_clinic_staff": far_staff["clinician"],
        "superuser": User.objects.get(email="admin@example.org"),
    }
    world = World(clinic, other, users, patient, other_patient, far)
    for p in Patient.objects.all():
        world.markers[p.pk] = _markers(p)
    return world


def _markers(patient: Patient) -> tuple[str, ...]:
    """Strings that identify a patient on a page or in JSON: record number, e-mail, full name."""
    names = [patient.record_number, patient.email, f"{patient.first_name} {patient.last_name}"]
    names.append(f"{patient.last_name}, {patient.first_name}")
    out = []
    for name in names:
        if name and len(name) >= 6:
            out.append(name)
            escaped = name.encode("ascii", "backslashreplace").decode().replace("\\x", "\\u00")
            if escaped != name:
                out.append(escaped)  # JSON's \u00ed form of non-ASCII letters
    return tuple(out)


# ---- which objects an id in a path may name ---------------------------------------------------------


def owner_path(model: type[models.Model], target: type[models.Model], depth: int = 3) -> str | None:
    """The shortest ORM path from ``model`` to ``target`` along foreign keys (e.g. ``plan__patient``)."""
    if model is target:
        return "pk"
    frontier = [(model, "")]
    for _ in range(depth):
        nxt = []
        for current, prefix in frontier:
            for f in current._meta.get_fields():
                if isinstance(f, models.ForeignKey | models.OneToOneField) and f.concrete:
                    path = f"{prefix}{f.name}"
                    if f.related_model is target:
                        return path
                    nxt.append((f.related_model, path + "__"))
        frontier = nxt
    return None


@dataclass(frozen=True)
class Target:
    """One value for a path parameter and whose record it names (for the write check)."""

    label: str
    value: object
    patient_id: int | None = None
    clinic_id: int | None = None


def _owners(obj, by_patient: str | None, by_clinic: str | None) -> tuple[int | None, int | None]:
    model = type(obj)
    patient_id = clinic_id = None
    if by_patient:
        patient_id = model._default_manager.filter(pk=obj.pk).values_list(by_patient, flat=True).first()
        clinic_id = Patient.objects.filter(pk=patient_id).values_list("clinic_id", flat=True).first()
    elif by_clinic:
        clinic_id = model._default_manager.filter(pk=obj.pk).values_list(by_clinic, flat=True).first()
    return patient_id, clinic_id


def ids_for(model: type[models.Model], world: World) -> list[Target]:
    """Values for a path parameter that names ``model``: own, another patient's, the second clinic's, a
    missing id and one too big for a 64-bit integer."""
    qs = model._default_manager.order_by("pk")
    by_patient = owner_path(model, Patient)
    by_clinic = owner_path(model, Clinic)
    picks: list[tuple[str, models.Model | None]] = []
    if by_patient:
        clinic_path = "clinic" if by_patient == "pk" else f"{by_patient}__clinic"
        picks.append(("own", qs.filter(**{by_patient: world.patient.pk}).first()))
        picks.append(
            (
                "other-patient",
                qs.filter(**{by_patient: world.other_patient.pk}).first()
                or qs.exclude(**{by_patient: world.patient.pk})
                .filter(**{clinic_path: world.clinic.pk})
                .first(),
            )
        )
        picks.append(("far", qs.filter(**{by_patient: world.far_patient.pk}).first()))
    elif by_clinic:
        picks.append(("own", qs.filter(**{by_clinic: world.clinic.pk}).first()))
        picks.append(("far", qs.filter(**{by_clinic: world.other_clinic.pk}).first()))
    else:
        picks.append(("any", qs.first()))
    out = [
        Target(label, obj.pk, *_owners(obj, by_patient, by_clinic)) for label, obj in picks if obj is not None
    ]
    last = qs.last()
    out.append(Target("missing", (last.pk if last and isinstance(last.pk, int) else 0) + 10_000))
    out.append(Target("huge", HUGE_ID))
    return out


def domain_models() -> list[type[models.Model]]:
    return [m for m in apps.get_models() if m.__module__.startswith("exoclinic.")]
