"""Booking API: types, free slots, book (201, or 409 with the next free slots), reschedule, cancel, list."""

from __future__ import annotations

import datetime as dt
import json

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from exoclinic.core.db import model_rows
from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.models import Patient
from exoclinic.core.policy import visible_patients
from exoclinic.core.read_audit import audit_staff_reads
from exoclinic.core.schemas import ErrorOut

from . import selectors, services
from .models import Appointment
from .schemas import (
    AppointmentIn,
    AppointmentOut,
    AppointmentTypeOut,
    CancelIn,
    ConflictOut,
    RescheduleIn,
    SlotOut,
)

router = Router(tags=["booking"])


def _appointment_out(a: Appointment) -> dict:
    return {
        "id": a.pk,
        "uid": str(a.uid),
        "patient": a.patient_id,
        "appointment_type": a.appointment_type_id,
        "appointment_type_name": a.appointment_type.name,
        "practitioner": {"id": a.practitioner_id, "name": a.practitioner.get_full_name()},
        "room": a.room_id,
        "start": a.start,
        "end": a.end,
        "status": a.status,
        "hold_expires_at": a.hold_expires_at,
        "video_link": a.video_link,
        "mobility_needs": a.mobility_needs,
        "caregiver_attending": a.caregiver_attending,
        "interpreter_language": a.interpreter_language,
        "sequence": a.sequence,
        "place": a.seat,
        "late_cancellation": a.late_cancellation,
        "idempotency_key": a.idempotency_key,
    }


def _booking_patient(user, patient_id: int | None) -> Patient:
    """The patient named (staff booking for a patient) or the user's own record.

    Who may book for whom is the service's check (NotFound otherwise), audited with the booking."""
    if patient_id is not None:
        # One answer for an absent record and another clinic's: their existence is not revealed.
        pk = selectors.db_id(patient_id, field="patient", message=_("Not found."))
        patient = visible_patients(user).select_related("clinic").filter(pk=pk).first()
        if patient is None:
            raise NotFound(_("Not found."), field="patient")
        return patient
    # At most one row (a login has one record). Plain SQL: on every booking, and the ORM query with its
    # clinic cost several times more to build than to run; the booking needs no field of the clinic.
    rows = model_rows(Patient, "SELECT * FROM core_patient WHERE user_id = %s", [user.pk])
    own = rows[0] if rows else None
    if own is None:
        raise InvalidInput(_("Name the patient to book for."), field="patient")
    return own


@router.get("/appointment-types", response=list[AppointmentTypeOut])
def appointment_types(request: HttpRequest):
    return list(selectors.appointment_types_for(user=request.auth))


class SlotQuery(Schema):
    appointment_type: int
    start: dt.date
    end: dt.date
    practitioner: int | None = None


@router.get("/slots", response={200: list[SlotOut], 400: ErrorOut, 404: ErrorOut})
def slots(request: HttpRequest, query: Query[SlotQuery]):
    """Free slots of a type between two dates (the clinic's local dates, both included)."""
    found = selectors.slots_search(
        user=request.auth,
        type_id=query.appointment_type,
        start=query.start,
        end=query.end,
        practitioner_id=query.practitioner,
        as_own_patient=True,
    )
    # Hundreds of slots: serialized directly (the schema above documents the shape) rather than validated
    # one by one, which costs more than finding them. The same bytes as ``json.dumps`` of the list, built
    # from parts that repeat: a slot's end is often the next one's start, every practitioner shares the
    # grid, and each practitioner's object is encoded once.
    iso: dict[dt.datetime, str] = {}
    who: dict[int, str] = {}
    parts = []
    for s in found:
        start = iso.get(s.start) or iso.setdefault(s.start, _utc_iso(s.start))
        end = iso.get(s.end) or iso.setdefault(s.end, _utc_iso(s.end))
        person = who.get(s.practitioner_id) or who.setdefault(
            s.practitioner_id, json.dumps({"id": s.practitioner_id, "name": s.practitioner_name})
        )
        places = s.places_left
        parts.append(
            f'{{"start": "{start}", "end": "{end}", "practitioner": {person}, "places_left": {places}}}'
        )
    return HttpResponse(f"[{', '.join(parts)}]", content_type="application/json")


def _utc_iso(moment: dt.datetime) -> str:
    # The slot engine's instants are in UTC; an ISO timestamp needs no JSON escaping.
    return moment.isoformat().replace("+00:00", "Z")


@router.post(
    "/appointments",
    response={201: AppointmentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut},
)
def appointment_create(request: HttpRequest, payload: AppointmentIn):
    """Book a slot. A retry with the same ``idempotency_key`` answers with the same appointment."""
    patient = _booking_patient(request.auth, payload.patient)
    appointment_type = selectors.appointment_type_get(user=request.auth, type_id=payload.appointment_type)
    appointment, _ = services.appointment_book(
        actor=request.auth,
        patient=patient,
        appointment_type=appointment_type,
        start=payload.start,
        practitioner_id=payload.practitioner,
        idempotency_key=payload.idempotency_key,
        answers=services.BookingAnswers(
            mobility_needs=payload.mobility_needs,
            caregiver_attending=payload.caregiver_attending,
            interpreter_language=payload.interpreter_language,
            notes=payload.notes,
        ),
    )
    return Status(201, _appointment_out(appointment))


class AppointmentQuery(Schema):
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    status: str | None = None


@router.get("/appointments", response=list[AppointmentOut])
def appointment_list(request: HttpRequest, query: Query[AppointmentQuery]):
    rows = selectors.appointments_visible(
        user=request.auth, start=query.start, end=query.end, status=query.status
    )
    rows = list(rows[:500])
    audit_staff_reads(user=request.auth, rows=rows, purpose="api_appointments")
    return [_appointment_out(a) for a in rows]


@router.get("/appointments/{appointment_id}", response={200: AppointmentOut, 404: ErrorOut})
def appointment_detail(request: HttpRequest, appointment_id: int):
    return _appointment_out(
        selectors.appointment_get(user=request.auth, appointment_id=appointment_id, purpose="api")
    )


@router.post(
    "/appointments/{appointment_id}/reschedule",
    response={200: AppointmentOut, 400: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ConflictOut},
)
def appointment_reschedule(request: HttpRequest, appointment_id: int, payload: RescheduleIn):
    appointment = selectors.appointment_get(user=request.auth, appointment_id=appointment_id, purpose="api")
    moved = services.appointment_reschedule(
        actor=request.auth, appointment=appointment, start=payload.start, practitioner_id=payload.practitioner
    )
    return _appointment_out(moved)


@router.post(
    "/appointments/{appointment_id}/cancel",
    response={200: AppointmentOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
)
def appointment_cancel(request: HttpRequest, appointment_id: int, payload: CancelIn):
    appointment = selectors.appointment_get(user=request.auth, appointment_id=appointment_id, purpose="api")
    return _appointment_out(
        services.appointment_cancel(actor=request.auth, appointment=appointment, reason=payload.reason)
    )
