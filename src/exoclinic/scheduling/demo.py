"""Demo booking data: the clinic's appointment types, weekly hours, a procedure room, a few appointments.

Idempotent: natural keys for configuration, fixed idempotency keys for appointments. Appointments are
written directly (no e-mails or reminder tasks while seeding), at free slots found by the slot search.
"""

from __future__ import annotations

import datetime as dt

from exoclinic.core.languages import fill_missing

from .availability import next_free_slots
from .models import (
    Appointment,
    AppointmentKind,
    AppointmentStatus,
    AppointmentType,
    AvailabilityException,
    ExceptionKind,
    Room,
    WeeklyHours,
)

TYPES = [
    # name, kind, minutes, buffer before, after, title, room kind, step, staff confirm
    (
        "Consultation in person",
        AppointmentKind.CONSULTATION,
        60,
        0,
        15,
        "physician",
        "",
        "consultation",
        False,
    ),
    (
        "Remote consultation",
        AppointmentKind.REMOTE_CONSULTATION,
        45,
        0,
        15,
        "physician",
        "",
        "consultation",
        False,
    ),
    ("Treatment session", AppointmentKind.TREATMENT, 90, 15, 30, "physician", "procedure", "treatment", True),
    ("Follow-up assessment", AppointmentKind.FOLLOW_UP, 60, 0, 15, "physician", "", "aftercare", False),
    ("Physiotherapy", AppointmentKind.PHYSIOTHERAPY, 45, 0, 15, "physiotherapist", "", "consultation", False),
]

DESCRIPTIONS = {
    "Consultation in person": "Meet a physician at the clinic; baseline assessment of every indicator.",
    "Remote consultation": "A video consultation with a physician; you receive the link by e-mail.",
    "Treatment session": "The procedure, in the procedure room; bookable once your plan is approved.",
    "Follow-up assessment": "Scheduled assessment after treatment, compared with your baseline.",
    "Physiotherapy": "A session with the clinic's physiotherapist.",
    "Group physiotherapy": "Exercises in the gym with the physiotherapist, in a small group.",
}

# The Spanish a patient reads while booking (name, description), by English name.
SPANISH = {
    "Consultation in person": (
        "Consulta presencial",
        "Visita con un médico en la clínica; evaluación basal de todos los indicadores.",
    ),
    "Remote consultation": (
        "Consulta por videollamada",
        "Consulta con un médico por videollamada; recibirá el enlace por correo electrónico.",
    ),
    "Treatment session": (
        "Sesión de tratamiento",
        "El procedimiento, en la sala de procedimientos; puede reservarla cuando su plan esté aprobado.",
    ),
    "Follow-up assessment": (
        "Evaluación de seguimiento",
        "Evaluación programada después del tratamiento, comparada con sus valores basales.",
    ),
    "Physiotherapy": ("Fisioterapia", "Una sesión con el fisioterapeuta de la clínica."),
    "Group physiotherapy": (
        "Fisioterapia en grupo",
        "Ejercicios en el gimnasio con el fisioterapeuta, en un grupo reducido.",
    ),
}


def _spanish(appointment_type) -> None:
    """The Spanish name and description, unless staff have written their own (also on older databases)."""
    name, description = SPANISH[appointment_type.name_en]
    filled = fill_missing(appointment_type, {"name_es": name, "description_es": description})
    if filled:
        appointment_type.save(update_fields=[*filled, "updated_at"])


def _hours(clinic, blocks, *, practitioner=None, room=None):
    for weekdays, start, end in blocks:
        for weekday in weekdays:
            WeeklyHours.objects.get_or_create(
                clinic=clinic,
                practitioner=practitioner,
                room=room,
                weekday=weekday,
                start=dt.time.fromisoformat(start),
                defaults={"end": dt.time.fromisoformat(end)},
            )


def seed(ctx) -> None:
    clinic = ctx.clinic
    types = {}
    for name, kind, minutes, before, after, title, room_kind, step, confirm in TYPES:
        types[name], _ = AppointmentType.objects.get_or_create(
            clinic=clinic,
            name=name,
            defaults={
                "kind": kind,
                "description": DESCRIPTIONS[name],
                "duration_minutes": minutes,
                "buffer_before_minutes": before,
                "buffer_after_minutes": after,
                "min_notice_hours": 24,
                "horizon_days": 90,
                "cancellation_cutoff_hours": 24,
                "practitioner_title": title,
                "room_kind": room_kind,
                "requires_step": step,
                "staff_confirms": confirm,
            },
        )
        _spanish(types[name])
    AppointmentType.objects.get_or_create(
        clinic=ctx.other_clinic,
        name="Consultation in person",
        defaults={
            "kind": AppointmentKind.CONSULTATION,
            "duration_minutes": 60,
            "practitioner_title": "physician",
        },
    )
    # A group session: four places, on the hour, in the gym.
    types["Group physiotherapy"], _ = AppointmentType.objects.get_or_create(
        clinic=clinic,
        name="Group physiotherapy",
        defaults={
            "kind": AppointmentKind.PHYSIOTHERAPY,
            "description": DESCRIPTIONS["Group physiotherapy"],
            "duration_minutes": 60,
            "step_minutes": 60,
            "capacity": 4,
            "min_notice_hours": 24,
            "horizon_days": 90,
            "cancellation_cutoff_hours": 24,
            "practitioner_title": "physiotherapist",
            "room_kind": "gym",
            "requires_step": "consultation",
        },
    )
    _spanish(types["Group physiotherapy"])
    gym, _ = Room.objects.get_or_create(clinic=clinic, name="Gym", defaults={"kind": "gym"})
    _hours(clinic, [(range(0, 5), "09:00", "14:00")], room=gym)
    room, _ = Room.objects.get_or_create(clinic=clinic, name="Procedure room", defaults={"kind": "procedure"})
    weekdays = range(0, 5)
    _hours(
        clinic,
        [(weekdays, "09:00", "13:00"), (weekdays, "15:00", "18:00")],
        practitioner=ctx.users["clinician"],
    )
    _hours(clinic, [(range(0, 4), "10:00", "14:00")], practitioner=ctx.users["physician2"])
    _hours(clinic, [(weekdays, "08:30", "14:30")], practitioner=ctx.users["physio"])
    _hours(clinic, [(weekdays, "09:00", "14:00")], room=room)
    _hours(ctx.other_clinic, [(weekdays, "09:00", "13:00")], practitioner=ctx.users["other_clinician"])
    # A day of leave two weeks ahead for the second physician.
    leave = (ctx.now + dt.timedelta(days=14)).astimezone(clinic.tz).date()
    AvailabilityException.objects.get_or_create(
        clinic=clinic,
        practitioner=ctx.users["physician2"],
        day=leave,
        kind=ExceptionKind.CLOSED,
        defaults={"note": "Annual leave"},
    )
    _appointments(ctx, types)


def _appointments(ctx, types) -> None:
    patients = ctx.patients
    coordinator = ctx.users["coordinator"]
    consultation = types["Consultation in person"]
    # Completed consultations, each after the patient's acceptance and before any plan (treatment's demo
    # writes Luis's and Sofía's plans 9 to 5 days ago): Ana (patient 1) moves on to plan and consent.
    done = [
        (patients[0], "demo-ana-consultation", 30),
        (patients[1], "demo-luis-consultation-done", 20),
        (patients[2], "demo-sofia-consultation-done", 19),
        (patients[3], "demo-javier-consultation-done", 18),
    ]
    for patient, key, days_ago in done:
        done_start = (ctx.now - dt.timedelta(days=days_ago)).replace(minute=0, second=0, microsecond=0)
        Appointment.objects.get_or_create(
            idempotency_key=key,
            defaults={
                "clinic": ctx.clinic,
                "patient": patient,
                "appointment_type": consultation,
                "practitioner": ctx.users["clinician"],
                "start": done_start,
                "end": done_start + consultation.duration,
                "blocked_start": done_start,
                "blocked_end": done_start + consultation.duration + consultation.buffer_after,
                "status": AppointmentStatus.COMPLETED,
                "booked_by": coordinator,
                "confirmed_at": done_start - dt.timedelta(days=7),
                "checked_in_at": done_start,
                "completed_at": done_start + consultation.duration,
            },
        )
    upcoming = [
        (patients[1], "Consultation in person", "demo-luis-consultation", "Power wheelchair; needs a hoist"),
        (patients[2], "Remote consultation", "demo-sofia-remote", ""),
        (patients[3], "Physiotherapy", "demo-javier-physio", "Walks with crutches"),
    ]
    after = ctx.now + dt.timedelta(days=2)
    for patient, type_name, key, mobility in upcoming:
        if Appointment.objects.filter(idempotency_key=key).exists():
            continue
        kind = types[type_name]
        found = next_free_slots(
            appointment_type=kind, after=after, now=ctx.now, patient_id=patient.pk, count=1
        )
        if not found:
            continue
        slot = found[0]
        appointment = _confirmed(ctx, patient, kind, slot, key, mobility_needs=mobility)
        if kind.is_remote:
            appointment.video_link = f"https://video.example.org/exoclinic/{appointment.uid}"
            appointment.save(update_fields=["video_link"])
        after = slot.end
    _group_session(ctx, types["Group physiotherapy"], [patients[3], patients[0]])


def _confirmed(ctx, patient, kind, slot, key: str, **extra) -> Appointment:
    """A confirmed booking of a free slot, written directly: the demo sends no e-mail and queues no task."""
    return Appointment.objects.create(
        clinic=ctx.clinic,
        patient=patient,
        appointment_type=kind,
        practitioner_id=slot.practitioner_id,
        room_id=slot.room_id,
        start=slot.start,
        end=slot.end,
        blocked_start=slot.blocked_start,
        blocked_end=slot.blocked_end,
        status=AppointmentStatus.CONFIRMED,
        idempotency_key=key,
        booked_by=ctx.users["coordinator"],
        confirmed_at=ctx.now,
        **extra,
    )


def _group_session(ctx, group, members) -> None:
    """Two patients in one group physiotherapy session next week: two of its four places taken."""
    if Appointment.objects.filter(idempotency_key="demo-group-1").exists():
        return
    after = ctx.now + dt.timedelta(days=5)
    free = [
        next_free_slots(appointment_type=group, after=after, now=ctx.now, patient_id=m.pk, count=20)
        for m in members
    ]
    free_for_all = set.intersection(*({(s.start, s.practitioner_id) for s in own} for own in free))
    slot = next((s for s in free[0] if (s.start, s.practitioner_id) in free_for_all), None)
    if slot is None:
        return
    for seat, patient in enumerate(members, start=1):
        _confirmed(ctx, patient, group, slot, f"demo-group-{seat}", seat=seat)
