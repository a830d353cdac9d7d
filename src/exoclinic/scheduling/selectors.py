"""Reads of the booking app, through the one access policy.

Public for other apps (timeline, outcomes): ``appointments_for_patient``, ``appointment_get``,
``completed_appointments`` and ``upcoming_appointments``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.accounts.models import User
from exoclinic.core.audit import audit_record
from exoclinic.core.db import model_rows
from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.models import Clinic, Patient
from exoclinic.core.policy import (
    member_clinic_sql,
    member_clinics,
    patient_get,
    portal_patients,
    reads_as_staff,
    require_staff,
    scope_to_patients,
)

from . import conf
from .availability import FoundSlot, find_free_slots, practitioners_for, rooms_for, type_zone
from .models import (
    UPCOMING_STATUSES,
    Appointment,
    AppointmentStatus,
    AppointmentType,
    Room,
    WaitlistEntry,
    WaitlistStatus,
)
from .rules import BOOKING_STAFF_ROLES, timeline_reached

_RELATED = ("appointment_type", "practitioner", "room", "patient", "clinic")


def appointment_types_for(*, user, patient: Patient | None = None) -> QuerySet[AppointmentType]:
    """Types offered to a patient (their clinic, bookable by patients) or, for staff, their clinics' types."""
    types = AppointmentType.objects.filter(is_active=True).select_related("clinic")
    if patient is not None:
        return types.filter(clinic_id=patient.clinic_id, patient_bookable=True)
    return types.filter(clinic_id__in=member_clinics(user).values("pk"))


MAX_DB_ID = 2**63 - 1  # a BIGINT: larger (or negative) ids exist nowhere, and SQLite cannot bind them


def db_id(value, *, field: str, message: str) -> int:
    """A primary key from the request, or NotFound (never an OverflowError from the database driver)."""
    try:
        pk = int(value)
    except (TypeError, ValueError):
        raise NotFound(message, field=field) from None
    if not 0 < pk <= MAX_DB_ID:
        raise NotFound(message, field=field)
    return pk


def appointment_type_get(*, user, type_id) -> AppointmentType:
    """An offered type of a clinic where the user is a patient (or caregiver) or staff; else NotFound.

    ``own_patient_id`` on the result is the user's own patient record at that clinic, or None."""
    pk = db_id(type_id, field="appointment_type", message=_("No such appointment type."))
    # One query: the type, if the user is a member of its clinic (``core.policy.member_clinic_sql``).
    # Plain SQL (portable): it runs on every slot search and booking, and the ORM's EXISTS/subquery
    # version cost several times more to build than to run.
    member, member_params = member_clinic_sql("t.clinic_id", user)
    rows = model_rows(
        AppointmentType,
        "SELECT t.*, (SELECT p.id FROM core_patient p"  # noqa: S608
        " WHERE p.user_id = %s AND p.clinic_id = t.clinic_id ORDER BY p.id LIMIT 1)"
        " AS own_patient_id,"
        " (SELECT c.time_zone FROM core_clinic c WHERE c.id = t.clinic_id) AS clinic_time_zone"
        f" FROM scheduling_appointmenttype t WHERE t.id = %s AND t.is_active AND {member}",
        [getattr(user, "pk", None), pk, *member_params],
    )
    found = rows[0] if rows else None
    if found is None:
        raise NotFound(_("No such appointment type."), field="appointment_type")
    return found


@dataclass
class TypeChoice:
    appointment_type: AppointmentType
    available: bool


def type_choices_for_patient(patient: Patient) -> list[TypeChoice]:
    """What the patient may book now, and what waits for an earlier step of their timeline."""
    return [
        TypeChoice(t, timeline_reached(patient, t.requires_step))
        for t in AppointmentType.objects.filter(
            clinic_id=patient.clinic_id, is_active=True, patient_bookable=True
        )
    ]


def local_day_bounds(clinic: Clinic | ZoneInfo, first: date, last: date) -> tuple[datetime, datetime]:
    """UTC instants of the clinic's local midnight before ``first`` and after ``last``."""
    tz = clinic if isinstance(clinic, ZoneInfo) else clinic.tz
    return (
        datetime.combine(first, time(0), tz),
        datetime.combine(last + timedelta(days=1), time(0), tz),
    )


def slots_search(
    *,
    user,
    type_id,
    start: date,
    end: date,
    practitioner_id: int | None = None,
    patient: Patient | None = None,
    as_own_patient: bool = False,
    exclude_appointment_id: int | None = None,
    now: datetime | None = None,
) -> list[FoundSlot]:
    """Free slots of a type between two local dates of the clinic (both included).

    The patient's own busy time is avoided too: ``patient``, or (``as_own_patient``) the user's record."""
    appointment_type = appointment_type_get(user=user, type_id=type_id)
    if practitioner_id is not None:
        practitioner_id = db_id(practitioner_id, field="practitioner", message=_("No such practitioner."))
    if end < start:
        raise InvalidInput(_("The end date is before the start date."), field="end")
    if (end - start).days + 1 > conf.get("MAX_SEARCH_DAYS"):
        raise InvalidInput(
            _("Search at most %(days)s days at a time.") % {"days": conf.get("MAX_SEARCH_DAYS")}, field="end"
        )
    low, high = local_day_bounds(type_zone(appointment_type), start, end)
    return find_free_slots(
        appointment_type=appointment_type,
        start=low,
        end=high,
        now=now or timezone.now(),
        practitioner_id=practitioner_id,
        patient_id=patient.pk if patient else (appointment_type.own_patient_id if as_own_patient else None),
        exclude_appointment_id=exclude_appointment_id,
    )


def practitioners_of(appointment_type: AppointmentType) -> list[User]:
    return practitioners_for(appointment_type)


def appointment_get(*, user, appointment_id, purpose: str = "view") -> Appointment:
    """One appointment the user may see (own, cared-for, or their clinic's); else NotFound.

    A staff read goes to the audit trail."""
    try:
        pk = int(appointment_id)
    except (TypeError, ValueError):
        raise NotFound() from None
    appointment = (
        scope_to_patients(user, Appointment.objects.select_related(*_RELATED, "patient__user"))
        .filter(pk=pk)
        .first()
    )
    if appointment is None:
        raise NotFound()
    if reads_as_staff(user, appointment.patient):
        audit_record(actor=user, action="appointment.view", target=appointment, detail={"purpose": purpose})
    return appointment


def appointments_for_patient(
    *, user, patient_id, include_past: bool = True, statuses=None
) -> list[Appointment]:
    """A patient's appointments, newest first; NotFound for a patient the user may not see."""
    patient = patient_get(user=user, patient_id=patient_id, purpose="appointments")
    rows = Appointment.objects.filter(patient=patient).exclude(status=AppointmentStatus.EXPIRED)
    if statuses is not None:
        rows = rows.filter(status__in=statuses)
    if not include_past:
        rows = rows.filter(end__gte=timezone.now())
    return list(rows.select_related(*_RELATED).order_by("-start", "-pk"))


def upcoming_appointments(*, user, patient_id) -> list[Appointment]:
    rows = appointments_for_patient(
        user=user, patient_id=patient_id, include_past=False, statuses=UPCOMING_STATUSES
    )
    return sorted(rows, key=lambda a: a.start)


def completed_appointments(*, user, patient_id, kinds=None) -> list[Appointment]:
    """Completed visits (e.g. kinds=["follow_up"]), oldest first: what the outcomes schedule can anchor on."""
    rows = appointments_for_patient(user=user, patient_id=patient_id, statuses=[AppointmentStatus.COMPLETED])
    if kinds is not None:
        rows = [a for a in rows if a.appointment_type.kind in kinds]
    return sorted(rows, key=lambda a: a.start)


def appointments_visible(
    *, user, start: datetime | None = None, end: datetime | None = None, status: str | None = None
) -> QuerySet[Appointment]:
    """Every appointment the user may see (API list): own and cared-for; staff: their clinics'."""
    rows = scope_to_patients(user, Appointment.objects.select_related(*_RELATED)).exclude(
        status=AppointmentStatus.EXPIRED
    )
    if start is not None:
        rows = rows.filter(end__gt=start)
    if end is not None:
        rows = rows.filter(start__lt=end)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("start", "pk")


def portal_appointments(*, user) -> list[Appointment]:
    """The portal's list: the user's own and cared-for patients' appointments (not others' even if staff)."""
    return list(
        Appointment.objects.filter(patient__in=portal_patients(user).values("pk"))
        .exclude(status=AppointmentStatus.EXPIRED)
        .select_related(*_RELATED)
        .order_by("-start", "-pk")
    )


def waitlist_for_patient(*, user, patient_id) -> list[WaitlistEntry]:
    patient = patient_get(user=user, patient_id=patient_id, purpose="waitlist")
    return list(
        WaitlistEntry.objects.filter(
            patient=patient, status__in=[WaitlistStatus.WAITING, WaitlistStatus.OFFERED]
        ).select_related("appointment_type")
    )


def pending_offers(*, user) -> list[Appointment]:
    """Live waitlist offers (holds) for the user's own and cared-for patients."""
    return list(
        Appointment.objects.filter(
            patient__in=portal_patients(user).values("pk"),
            status=AppointmentStatus.HELD,
            waitlist_entry__isnull=False,
            hold_expires_at__gt=timezone.now(),
        ).select_related(*_RELATED)
    )


@dataclass
class CalendarColumn:
    key: int
    name: str
    appointments: list[Appointment]


def calendar(
    *, user, clinic: Clinic, first_day: date, days: int, by: str = "practitioner"
) -> list[tuple[date, list[CalendarColumn]]]:
    """Staff calendar: for each local day, one column per practitioner (or room) with its appointments."""
    require_staff(user, clinic, BOOKING_STAFF_ROLES)
    low, high = local_day_bounds(clinic, first_day, first_day + timedelta(days=days - 1))
    rows = list(
        Appointment.objects.filter(clinic=clinic, start__lt=high, end__gt=low)
        .exclude(status=AppointmentStatus.EXPIRED)
        .select_related(*_RELATED)
        .order_by("start", "pk")
    )
    if by == "room":
        owners = [(r.pk, r.name) for r in Room.objects.filter(clinic=clinic, is_active=True)]
        key = "room_id"
    else:
        ids = {a.practitioner_id for a in rows}
        types = AppointmentType.objects.filter(clinic=clinic, is_active=True)
        ids |= {p.pk for t in types for p in practitioners_for(t)}
        owners = [(u.pk, u.get_full_name()) for u in User.objects.filter(pk__in=ids).order_by("full_name")]
        key = "practitioner_id"
    tz = clinic.tz
    out = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        columns = [
            CalendarColumn(
                pk,
                name,
                [a for a in rows if getattr(a, key) == pk and a.start.astimezone(tz).date() == day],
            )
            for pk, name in owners
        ]
        out.append((day, columns))
    return out


def rooms_of_type(appointment_type: AppointmentType) -> list[Room]:
    return rooms_for(appointment_type)
