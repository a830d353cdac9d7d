"""Where each FHIR resource kind comes from: one ``Source`` per table a kind is built from.

A source gives the scoped queryset (through the owning app's selector, or ``core.policy`` where the app has no
list selector), the fields search parameters act on, and the mapper. Lists read a page with one query per
source plus bulk lookups, never a query per row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from exoclinic.core.policy import scope_to_patients, visible_patients

from .fhir import care, documents, observations, people
from .fhir.common import CS_DIARY, CS_INSTRUMENT, CS_VITALS, LOINC, SID_RECORD_NUMBER, MapContext

Row = object


@dataclass(frozen=True)
class Source:
    kind: str
    prefix: str  # the FHIR id is prefix + primary key ("" for plain numeric ids)
    rows: Callable[[object], QuerySet]  # user -> scoped queryset
    mapper: Callable[[Row, MapContext], dict]
    patient_field: str = "patient"
    pk_field: str = "pk"
    date_field: str | None = None
    date_is_date: bool = False
    updated_field: str = "updated_at"
    order: tuple[str, ...] = ("pk",)
    patient_of: Callable[[Row], int] = lambda row: row.patient_id
    codes: dict = field(default_factory=dict)  # (system, code) -> Q (True: every row)
    categories: dict = field(default_factory=dict)  # category code -> Q
    statuses: dict = field(default_factory=dict)  # FHIR status -> Q, or a function giving the Q now
    identifiers: Callable[[str | None, str], Q] | None = None
    staff_only: bool | None = None  # True: only for staff readers; False: only for patients/caregivers


EVERY = Q()


# ---- querysets -----------------------------------------------------------------------------------------


def _patients(user) -> QuerySet:
    return visible_patients(user).select_related("clinic")


def _conditions(user) -> QuerySet:
    return _patients(user).filter(
        Q(primary_condition="sci") | ~Q(sci_neurological_level="") | ~Q(sci_ais_grade="")
    )


def _assessments(user) -> QuerySet:
    from exoclinic.outcomes.models import Assessment

    return scope_to_patients(user, Assessment.objects.all())


def _diary(user) -> QuerySet:
    from exoclinic.outcomes.models import DiaryEntry

    return scope_to_patients(user, DiaryEntry.objects.all())


def _procedures(user) -> QuerySet:
    from exoclinic.treatment.selectors import procedures_visible

    return procedures_visible(user=user).select_related(
        "unit__lot__collection__source", "unit__lot__product_type", "unit__lot__released_by"
    )


def _adverse_events(user) -> QuerySet:
    from exoclinic.treatment.selectors import adverse_events_visible

    return adverse_events_visible(user=user)


def _appointments(user) -> QuerySet:
    from exoclinic.scheduling.selectors import appointments_visible

    return appointments_visible(user=user).select_related("appointment_type", "practitioner")


def _consents(user) -> QuerySet:
    from exoclinic.treatment.models import Consent
    from exoclinic.treatment.selectors import plans_visible

    return Consent.objects.filter(plan__in=plans_visible(user=user).values("pk")).select_related(
        "plan", "consent_text"
    )


def _research_consents(user) -> QuerySet:
    return _patients(user).filter(research_consent=True)


def _care_plans(user) -> QuerySet:
    from exoclinic.aftercare.selectors import plans_visible

    return plans_visible(user=user).annotate(fhir_ends_at=Max("restrictions__ends_at"))


def _applications(user) -> QuerySet:
    from exoclinic.intake.models import TreatmentApplication

    return scope_to_patients(user, TreatmentApplication.objects.filter(patient__isnull=False))


def _exams(user) -> QuerySet:
    from exoclinic.exams.models import IsncsciExam

    return scope_to_patients(user, IsncsciExam.objects.all())


def _own_patients(user) -> QuerySet:
    from exoclinic.portal.selectors import portal_patients

    return portal_patients(user=user)


def _procedures_with(field_name: str):
    def rows(user) -> QuerySet:
        return _procedures(user).exclude(**{field_name: {}})

    return rows


def _by_patient(row) -> int:
    return row.pk


def _by_plan(row) -> int:
    return row.plan.patient_id


# ---- code tables ---------------------------------------------------------------------------------------


def _instrument_codes() -> dict:
    from exoclinic.outcomes.instruments import INSTRUMENTS

    codes = {(CS_INSTRUMENT, code): Q(instrument=code) for code in INSTRUMENTS}
    for code, (loinc, _display) in observations.INSTRUMENT_LOINC.items():
        codes[(LOINC, loinc)] = Q(instrument=code)
    return codes


APPOINTMENT_STATUSES: dict = {}
for _ours, _fhir in care.APPOINTMENT_STATUS.items():
    APPOINTMENT_STATUSES[_fhir] = APPOINTMENT_STATUSES.get(_fhir, Q()) | Q(status=_ours)


def _identifier_patient(system: str | None, value: str) -> Q:
    q = Q(record_number=value)
    if system:
        prefix = SID_RECORD_NUMBER + "/"
        if not system.startswith(prefix):
            return Q(pk__in=[])
        q &= Q(clinic__slug=system[len(prefix) :])
    return q


def _identifier_unit(system: str | None, value: str) -> Q:
    from .fhir.common import SID_LOT, SID_UNIT

    lot, _, sequence = value.rpartition("/")
    unit_q = Q(lot_code=lot, unit__sequence=int(sequence)) if lot and sequence.isdigit() else Q(pk__in=[])
    if system == SID_LOT:
        return Q(lot_code=value)
    if system == SID_UNIT:
        return unit_q
    return Q(lot_code=value) | unit_q


def _sources() -> dict[str, list[Source]]:
    final = {"final": EVERY}
    active = {"active": EVERY}
    return {
        "Patient": [
            Source(
                "Patient",
                "",
                _patients,
                people.patient_resource,
                patient_field="pk",
                patient_of=_by_patient,
                identifiers=_identifier_patient,
                order=("pk",),
            ),
        ],
        "Condition": [
            Source(
                "Condition",
                "",
                _conditions,
                people.condition_resource,
                patient_field="pk",
                patient_of=_by_patient,
                date_field="sci_date_of_injury",
                date_is_date=True,
                codes={
                    ("https://exoclinic.org/fhir/CodeSystem/condition", "sci"): Q(primary_condition="sci"),
                    ("https://exoclinic.org/fhir/CodeSystem/condition", "other"): Q(
                        primary_condition="other"
                    ),
                },
                statuses=active,
            ),
        ],
        "Observation": [
            Source(
                "Observation",
                "a-",
                _assessments,
                observations.assessment_observation,
                date_field="taken_on",
                date_is_date=True,
                order=("taken_on", "pk"),
                codes=_instrument_codes(),
                categories={
                    "exam": Q(instrument__in=observations.EXAM_INSTRUMENTS),
                    "survey": ~Q(instrument__in=observations.EXAM_INSTRUMENTS),
                },
                statuses=final,
            ),
            Source(
                "Observation",
                "d-",
                _diary,
                observations.diary_observation,
                date_field="week_start",
                date_is_date=True,
                order=("week_start", "pk"),
                codes={(CS_DIARY, "weekly-diary"): EVERY},
                categories={"survey": EVERY},
                statuses=final,
            ),
            Source(
                "Observation",
                "vitals-before-",
                _procedures_with("vitals_before"),
                lambda row, ctx: observations.vitals_observation(row, "before", ctx),
                date_field="performed_at",
                order=("performed_at", "pk"),
                codes={(LOINC, observations.VITALS_PANEL[0]): EVERY, (CS_VITALS, "procedure-before"): EVERY},
                categories={"vital-signs": EVERY},
                statuses=final,
            ),
            Source(
                "Observation",
                "vitals-after-",
                _procedures_with("vitals_after"),
                lambda row, ctx: observations.vitals_observation(row, "after", ctx),
                date_field="performed_at",
                order=("performed_at", "pk"),
                codes={(LOINC, observations.VITALS_PANEL[0]): EVERY, (CS_VITALS, "procedure-after"): EVERY},
                categories={"vital-signs": EVERY},
                statuses=final,
            ),
            Source(
                "Observation",
                "baseline-systolic-",
                lambda user: _patients(user).filter(baseline_systolic_mmhg__isnull=False),
                observations.baseline_observation,
                patient_field="pk",
                patient_of=_by_patient,
                date_field="updated_at",
                codes={(CS_VITALS, "baseline-systolic"): EVERY},
                categories={"vital-signs": EVERY},
                statuses=final,
            ),
        ],
        "Procedure": [
            Source(
                "Procedure",
                "",
                _procedures,
                care.procedure_resource,
                date_field="performed_at",
                order=("performed_at", "pk"),
                statuses={"completed": EVERY},
            ),
        ],
        "BiologicallyDerivedProduct": [
            Source(
                "BiologicallyDerivedProduct",
                "",
                _procedures,
                care.biologically_derived_product_resource,
                pk_field="unit_id",
                updated_field="unit__updated_at",
                order=("performed_at", "pk"),
                identifiers=_identifier_unit,
            ),
        ],
        "AdverseEvent": [
            Source(
                "AdverseEvent",
                "",
                _adverse_events,
                care.adverse_event_resource,
                date_field="onset_at",
                order=("onset_at", "pk"),
                codes={
                    ("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness", "serious"): Q(
                        serious=True
                    ),
                    ("http://terminology.hl7.org/CodeSystem/adverse-event-seriousness", "non-serious"): Q(
                        serious=False
                    ),
                },
            ),
        ],
        "Appointment": [
            Source(
                "Appointment",
                "",
                _appointments,
                care.appointment_resource,
                date_field="start",
                order=("start", "pk"),
                statuses=APPOINTMENT_STATUSES,
            ),
        ],
        "Consent": [
            Source(
                "Consent",
                "",
                _consents,
                care.consent_resource,
                patient_field="plan__patient",
                patient_of=_by_plan,
                date_field="accepted_at",
                order=("accepted_at", "pk"),
                statuses=active,
            ),
            Source(
                "Consent",
                "research-",
                _research_consents,
                care.research_consent_resource,
                patient_field="pk",
                patient_of=_by_patient,
                date_field="research_consent_at",
                statuses=active,
            ),
        ],
        "CarePlan": [
            Source(
                "CarePlan",
                "",
                _care_plans,
                care.care_plan_resource,
                date_field="starts_at",
                order=("starts_at", "pk"),
                statuses={
                    "active": lambda: Q(fhir_ends_at__gt=timezone.now()),
                    "completed": lambda: ~Q(fhir_ends_at__gt=timezone.now()),
                },
            ),
        ],
        "QuestionnaireResponse": [
            Source(
                "QuestionnaireResponse",
                "",
                _applications,
                documents.questionnaire_response_resource,
                date_field="submitted_at",
                order=("pk",),
                statuses={
                    "in-progress": Q(status="draft"),
                    "stopped": Q(status="withdrawn"),
                    "completed": ~Q(status__in=["draft", "withdrawn"]),
                },
            ),
        ],
        "DocumentReference": [
            Source(
                "DocumentReference",
                "progress-",
                _patients,
                documents.progress_report_document,
                patient_field="pk",
                patient_of=_by_patient,
                statuses={"current": EVERY},
                codes={("https://exoclinic.org/fhir/CodeSystem/document", "progress-report"): EVERY},
            ),
            Source(
                "DocumentReference",
                "record-summary-",
                _own_patients,
                documents.record_summary_document,
                patient_field="pk",
                patient_of=_by_patient,
                statuses={"current": EVERY},
                staff_only=False,
                codes={("https://exoclinic.org/fhir/CodeSystem/document", "record-summary"): EVERY},
            ),
            Source(
                "DocumentReference",
                "isncsci-",
                _exams,
                documents.exam_document,
                date_field="examined_at",
                order=("examined_at", "pk"),
                statuses={"current": EVERY},
                codes={("https://exoclinic.org/fhir/CodeSystem/document", "isncsci-worksheet"): EVERY},
            ),
        ],
    }


SOURCES = _sources()
KINDS = tuple(SOURCES)
