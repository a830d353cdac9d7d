"""The demo clinic: clinics, one user per role, practitioners and ten patients with spinal cord injuries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from exoclinic.accounts.models import Role, StaffMembership, User

from .models import Clinic, Patient

DEMO_PASSWORD = "exoclinic-demo-2026"


@dataclass
class DemoContext:
    clinic: Clinic
    other_clinic: Clinic
    users: dict[str, User]
    patients: list[Patient]
    password: str
    now: dt.datetime
    logins: list[tuple[str, str]] = field(default_factory=list)


def _user(email: str, full_name: str, password: str, **extra) -> User:
    user, created = User.objects.get_or_create(email=email, defaults={"full_name": full_name, **extra})
    if created:
        user.set_password(password)
        user.save(update_fields=["password"])
    return user


# (first, last, sex, born, level, AIS, years since injury, cause)
_PATIENTS = [
    ("Ana", "García", "female", "1988-04-12", "C5", "B", 3.0, "Diving accident"),
    ("Luis", "Martín", "male", "1979-09-30", "T4", "A", 6.5, "Motorcycle accident"),
    ("Sofía", "López", "female", "1995-01-22", "C6", "C", 0.6, "Fall from height"),
    ("Javier", "Sánchez", "male", "1969-11-05", "T10", "D", 2.0, "Spinal surgery complication"),
    ("Lucía", "Romero", "female", "2001-07-18", "C4", "A", 1.2, "Car accident"),
    ("Carlos", "Navarro", "male", "1984-03-09", "L1", "C", 8.0, "Sports injury"),
    # Injured before the exams demo's baseline exam, 150 days ago (an exam before injury is refused).
    ("Elena", "Torres", "female", "1975-12-01", "T6", "B", 0.5, "Fall"),
    ("Pablo", "Ruiz", "male", "1990-06-14", "C7", "D", 4.5, "Car accident"),
    ("Marta", "Díaz", "female", "1982-02-27", "T12", "A", 10.0, "Gunshot wound"),
    ("Diego", "Moreno", "male", "1998-10-03", "C8", "C", 1.8, "Diving accident"),
]


def seed(now: dt.datetime | None = None) -> DemoContext:
    now = now or timezone.now()
    clinic, _ = Clinic.objects.get_or_create(
        slug="alder-madrid",
        defaults={
            "name": "Alder Regenerative Clinic",
            "time_zone": "Europe/Madrid",
            "emergency_phone": "+34 910 555 010",
            "emergency_services_number": "112",
            "phone": "+34 910 555 000",
            "email": "care@alder-clinic.example.org",
            "address": "Calle de Ejemplo 12, 28001 Madrid, Spain",
            "languages": ["en", "es"],
        },
    )
    other, _ = Clinic.objects.get_or_create(
        slug="birch-lisbon",
        defaults={
            "name": "Birch Clinic Lisbon",
            "time_zone": "Europe/Lisbon",
            "emergency_phone": "+351 210 555 010",
            "emergency_services_number": "112",
            "email": "care@birch-clinic.example.org",
            "address": "Rua Exemplo 7, 1100-001 Lisboa, Portugal",
            "languages": ["en", "pt"],
        },
    )
    pw = DEMO_PASSWORD
    users = {
        "coordinator": _user("coordinator@example.org", "Carmen Coordinator", pw),
        "clinician": _user("clinician@example.org", "Dr. Clara Clinician", pw),
        "lab": _user("lab@example.org", "Leo Lab", pw),
        # A clinic admin is clinic-scoped staff, never a superuser (the operator runs createsuperuser).
        "admin": _user("admin@example.org", "Adela Admin", pw, is_staff=True),
        "physio": _user("physio@example.org", "Pedro Physio", pw),
        "physician2": _user("physician2@example.org", "Dr. Hugo Herrera", pw),
        "other_clinician": _user("other.clinician@example.org", "Dr. Olga Other", pw),
        "caregiver": _user("caregiver@example.org", "Gema Caregiver", pw),
    }
    # Databases seeded before the clinic admin stopped being a superuser.
    User.objects.filter(pk=users["admin"].pk, is_superuser=True).update(is_superuser=False)
    memberships = [
        (users["coordinator"], clinic, Role.COORDINATOR, False, "Patient coordinator"),
        (users["clinician"], clinic, Role.CLINICIAN, True, "Physician, medical director"),
        (users["physician2"], clinic, Role.CLINICIAN, False, "Physician"),
        (users["physio"], clinic, Role.CLINICIAN, False, "Physiotherapist"),
        (users["lab"], clinic, Role.LAB, False, "Lab and pharmacy"),
        (users["admin"], clinic, Role.ADMIN, False, "Clinic admin"),
        (users["other_clinician"], other, Role.CLINICIAN, False, "Physician"),
    ]
    for user, where, role, director, title in memberships:
        StaffMembership.objects.get_or_create(
            user=user, clinic=where, role=role, defaults={"is_medical_director": director, "title": title}
        )
    patients = []
    for number, (first, last, sex, born, level, ais, years, cause) in enumerate(_PATIENTS, start=1):
        email = "patient@example.org" if number == 1 else f"patient{number}@example.org"
        account = _user(email, f"{first} {last}", pw)
        injured = (now - dt.timedelta(days=round(years * 365.25))).date()
        patient, _ = Patient.objects.get_or_create(
            clinic=clinic,
            record_number=f"ALDER-{number:05d}",
            defaults={
                "user": account,
                "first_name": first,
                "last_name": last,
                "sex": sex,
                "date_of_birth": dt.date.fromisoformat(born),
                "email": email,
                "phone": f"+34 600 000 {number:03d}",
                "preferred_language": "es" if number % 3 == 0 else "en",
                "sci_date_of_injury": injured,
                "sci_neurological_level": level,
                "sci_ais_grade": ais,
                "sci_cause": cause,
                "emergency_contact_name": "Family contact",
                "emergency_contact_phone": f"+34 600 100 {number:03d}",
                "emergency_contact_relationship": "Family",
                "caregiver": users["caregiver"] if number == 2 else None,
                "research_consent": number % 2 == 1,
                "research_consent_at": now if number % 2 == 1 else None,
            },
        )
        patients.append(patient)
    # A patient of the other clinic, to show that staff see only their own clinic's records.
    other_account = _user("other.patient@example.org", "Olivia Other", pw)
    Patient.objects.get_or_create(
        clinic=other,
        record_number="BIRCH-00001",
        defaults={
            "user": other_account,
            "first_name": "Olivia",
            "last_name": "Other",
            "date_of_birth": dt.date(1986, 5, 5),
            "email": "other.patient@example.org",
            "sci_neurological_level": "T8",
            "sci_ais_grade": "C",
            "sci_date_of_injury": (now - dt.timedelta(days=900)).date(),
        },
    )
    logins = [
        ("patient@example.org", "patient (Ana García, C5 AIS B)"),
        ("patient2@example.org … patient10@example.org", "more patients"),
        ("caregiver@example.org", "caregiver of patient2"),
        ("coordinator@example.org", "coordinator"),
        ("clinician@example.org", "clinician, medical director"),
        ("physio@example.org", "clinician (physiotherapist)"),
        ("lab@example.org", "lab / pharmacy"),
        ("admin@example.org", "clinic admin (/admin/ for its own clinic; not a superuser)"),
        ("other.clinician@example.org", "clinician of the other clinic"),
    ]
    return DemoContext(clinic, other, users, patients, pw, now, logins)
