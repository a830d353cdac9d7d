"""QuestionnaireResponse (the treatment application) and DocumentReference (the PDFs the clinic makes)."""

from __future__ import annotations

from django.urls import reverse

from .common import (
    CS_DOCUMENT,
    Q_APPLICATION,
    SID_APPLICATION,
    MapContext,
    clean,
    concept,
    date_text,
    instant,
    meta,
    ref,
)

QR_STATUS = {"draft": "in-progress", "withdrawn": "stopped"}
APPLICATION_FIELDS = (  # (linkId, question) in the order of the form
    ("condition", "Condition"),
    ("condition_description", "Describe the condition"),
    ("date_of_injury", "Date of injury"),
    ("neurological_level", "Level of injury"),
    ("ais_grade", "AIS grade"),
    ("injury_cause", "Cause of injury"),
    ("surgeries", "Surgeries"),
    ("active_infection", "Active infection"),
    ("pregnant", "Pregnant"),
    ("active_cancer", "Active cancer"),
    ("bleeding_disorder", "Bleeding disorder"),
    ("medications", "Medications"),
    ("takes_anticoagulants", "Takes anticoagulants"),
    ("takes_anti_inflammatories", "Takes anti-inflammatory medication"),
    ("takes_immunosuppressants", "Takes immunosuppressants"),
    ("allergies", "Allergies"),
    ("past_treatments", "Past treatments"),
    ("earlier_cell_treatment", "Earlier cell treatment"),
    ("current_therapies", "Current therapies"),
    ("goals_own_words", "Goals in the patient's own words"),
    ("expectations", "What the patient expects from treatment"),
)


def _answer(value) -> list[dict]:
    if value in (None, "", [], {}):
        return []
    if hasattr(value, "isoformat"):
        return [{"valueDate": value.isoformat()}]
    if isinstance(value, bool):
        return [{"valueBoolean": value}]
    if isinstance(value, int):
        return [{"valueInteger": value}]
    return [{"valueString": str(value)}]


def questionnaire_response_resource(application, ctx: MapContext) -> dict:
    items = []
    for link_id, question in APPLICATION_FIELDS:
        answer = _answer(getattr(application, link_id, None))
        if answer:
            items.append({"linkId": link_id, "text": question, "answer": answer})
    if application.goals:
        items.append(
            {
                "linkId": "goals",
                "text": "Goals",
                "answer": [{"valueString": str(g)} for g in application.goals],
            }
        )
    ratings = application.self_ratings or {}
    if ratings:
        items.append(
            {
                "linkId": "self_ratings",
                "text": "Self-ratings of the six indicators (0-10)",
                "item": [
                    {"linkId": f"self_ratings.{k}", "text": k.replace("_", " "), "answer": _answer(v)}
                    for k, v in ratings.items()
                    if _answer(v)
                ],
            }
        )
    return clean(
        {
            "resourceType": "QuestionnaireResponse",
            "id": str(application.pk),
            "meta": meta(application.updated_at),
            "identifier": {"system": SID_APPLICATION, "value": application.reference}
            if application.reference
            else None,
            "questionnaire": Q_APPLICATION,
            "status": QR_STATUS.get(application.status, "completed"),
            "subject": ref("Patient", application.patient_id),
            "authored": instant(application.submitted_at or application.created_at),
            "source": ref("Patient", application.patient_id) if application.for_self else None,
            "item": items,
        }
    )


def _document(*, doc_id, patient_id, updated_at, code, title, url, when) -> dict:
    return clean(
        {
            "resourceType": "DocumentReference",
            "id": doc_id,
            "meta": meta(updated_at),
            "status": "current",
            "type": concept(CS_DOCUMENT, code, title),
            "subject": ref("Patient", patient_id),
            "date": instant(when),
            "description": title,
            "content": [{"attachment": {"contentType": "application/pdf", "url": url, "title": title}}],
        }
    )


def progress_document_id(patient) -> str:
    return f"progress-{patient.pk}"


def progress_report_document(patient, ctx: MapContext) -> dict:
    url = (
        reverse("outcomes:staff-report", args=[patient.pk])
        if ctx.as_staff
        else reverse("outcomes:portal-report") + f"?patient={patient.pk}"
    )
    return _document(
        doc_id=progress_document_id(patient),
        patient_id=patient.pk,
        updated_at=patient.updated_at,
        code="progress-report",
        title="Progress report (PDF, made when opened)",
        url=url,
        when=ctx.now,
    )


def record_summary_document_id(patient) -> str:
    return f"record-summary-{patient.pk}"


def record_summary_document(patient, ctx: MapContext) -> dict:
    url = reverse("interop:my-record-pdf") + f"?patient={patient.pk}"
    return _document(
        doc_id=record_summary_document_id(patient),
        patient_id=patient.pk,
        updated_at=patient.updated_at,
        code="record-summary",
        title="Record summary for the patient (PDF, made when opened)",
        url=url,
        when=ctx.now,
    )


def exam_document_id(exam) -> str:
    return f"isncsci-{exam.pk}"


def exam_document(exam, ctx: MapContext) -> dict:
    url = (
        reverse("exams:pdf", args=[exam.pk]) if ctx.as_staff else reverse("exams:portal-pdf", args=[exam.pk])
    )
    return _document(
        doc_id=exam_document_id(exam),
        patient_id=exam.patient_id,
        updated_at=exam.updated_at,
        code="isncsci-worksheet",
        title=f"ISNCSCI worksheet {date_text(exam.examined_at.date())}",
        url=url,
        when=exam.examined_at,
    )
