"""ISNCSCI over JSON: a stateless classifier, and the exams of a patient under the access policy."""

from __future__ import annotations

import json

from django.http import HttpRequest
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from ninja import Router, Status

from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.policy import patient_get
from exoclinic.scheduling.selectors import appointment_get

from . import selectors, services
from .classification import classify_or_refuse
from .models import IsncsciExam
from .schemas import (
    EXAM_CORRECTION_JSON_SCHEMA,
    EXAM_CREATE_JSON_SCHEMA,
    EXAM_JSON_SCHEMA,
    ExamErrorOut,
    ExamOut,
    ResultOut,
    json_body,
)

router = Router(tags=["isncsci"])
_ERRORS = {400: ExamErrorOut, 403: ExamErrorOut, 404: ExamErrorOut, 409: ExamErrorOut}


def _json(request: HttpRequest) -> dict:
    # Parsed here rather than by a schema, so a bad exam is reported by the classifier's own field paths.
    try:
        body = json.loads(request.body or b"null")
    except (ValueError, UnicodeDecodeError):
        raise InvalidInput(_("The body is not valid JSON.")) from None
    return body


def _object(body) -> dict:
    if not isinstance(body, dict):
        raise InvalidInput(_("The body must be a JSON object."))
    return body


def _datetime(value, field: str, *, required: bool):
    if value is None and not required:
        return None
    parsed = parse_datetime(value) if isinstance(value, str) else None
    if parsed is None:
        raise InvalidInput(
            _("%(field)s: enter a date and time in ISO 8601 (2026-05-04T10:30).") % {"field": field},
            field=field,
        )
    return parsed


def _text(body: dict, field: str) -> str | None:
    value = body.get(field)
    if value is not None and not isinstance(value, str):
        raise InvalidInput(_("%(field)s: expected text.") % {"field": field}, field=field)
    return value


def _appointment(request: HttpRequest, body: dict, patient):
    """The visit named by ``appointment_id`` (null for none), read through the booking app's policy."""
    value = body.get("appointment_id")
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise InvalidInput(_("appointment_id: expected a whole number or null."), field="appointment_id")
    try:
        appointment = appointment_get(user=request.auth, appointment_id=value, purpose="isncsci_exam")
    except NotFound:
        raise InvalidInput(
            _("appointment_id: not one of the patient's visits."), field="appointment_id"
        ) from None
    if appointment.patient_id != patient.pk:
        raise InvalidInput(_("appointment_id: not one of the patient's visits."), field="appointment_id")
    return appointment


def _out(record: IsncsciExam) -> dict:
    data = {name: getattr(record, name) for name in ExamOut.model_fields if hasattr(record, name)}
    data["examiner"] = record.examiner.full_name or record.examiner.email
    return data


@router.post(
    "/isncsci/classify",
    response={200: ResultOut, 400: ExamErrorOut},
    openapi_extra=json_body(EXAM_JSON_SCHEMA),
    summary="Classify an ISNCSCI exam (stateless)",
    url_name="isncsci_classify",
)
def classify(request: HttpRequest):
    """The classification and totals of an exam in the interchange format; nothing is stored."""
    return classify_or_refuse(_json(request))


@router.get("/patients/{patient_id}/isncsci-exams", response={200: list[ExamOut], 404: ExamErrorOut})
def exam_list(request: HttpRequest, patient_id: int):
    _, exams = selectors.isncsci_exams_of_patient(user=request.auth, patient_id=patient_id)
    return [_out(e) for e in exams]


@router.post(
    "/patients/{patient_id}/isncsci-exams",
    response={201: ExamOut, **_ERRORS},
    openapi_extra=json_body(EXAM_CREATE_JSON_SCHEMA),
)
def exam_create(request: HttpRequest, patient_id: int):
    patient = patient_get(user=request.auth, patient_id=patient_id, purpose="isncsci_exam_record")
    body = _object(_json(request))
    if "exam" not in body:
        raise InvalidInput(_("exam: missing"), field="exam")
    record = services.isncsci_exam_record(
        actor=request.auth,
        patient=patient,
        examined_at=_datetime(body.get("examined_at"), "examined_at", required=True),
        exam=body["exam"],
        comments=_text(body, "comments") or "",
        submission_key=_text(body, "submission_key"),
        appointment=_appointment(request, body, patient),
    )
    return Status(201, _out(record))


@router.get("/isncsci-exams/{exam_id}", response={200: ExamOut, 404: ExamErrorOut})
def exam_detail(request: HttpRequest, exam_id: int):
    return _out(selectors.isncsci_exam_get(user=request.auth, exam_id=exam_id, purpose="api"))


@router.post(
    "/isncsci-exams/{exam_id}/corrections",
    response={200: ExamOut, **_ERRORS},
    openapi_extra=json_body(EXAM_CORRECTION_JSON_SCHEMA),
)
def exam_correct(request: HttpRequest, exam_id: int):
    record = selectors.isncsci_exam_get(user=request.auth, exam_id=exam_id, purpose="correct")
    body = _object(_json(request))
    if "exam" not in body:
        raise InvalidInput(_("exam: missing"), field="exam")
    expected = body.get("expected_version")
    if expected is not None and (not isinstance(expected, int) or isinstance(expected, bool)):
        raise InvalidInput(_("expected_version: expected a whole number."), field="expected_version")
    record = services.isncsci_exam_correct(
        actor=request.auth,
        exam_record=record,
        exam=body["exam"],
        reason=_text(body, "reason") or "",
        comments=_text(body, "comments"),
        examined_at=_datetime(body.get("examined_at"), "examined_at", required=False),
        expected_version=expected,
        **({"appointment": _appointment(request, body, record.patient)} if "appointment_id" in body else {}),
    )
    return _out(record)
