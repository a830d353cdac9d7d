"""Cohort outcomes for the medical director: change from baseline to a follow-up point, across patients.

Patients lost to follow-up are counted as missing, never dropped: every measure reports how many patients
had a baseline, how many were measured at the point, how many are missing although the point has passed,
and how many have not reached it yet. Intervals come from ``outcomes.stats``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _

from exoclinic.core.errors import InvalidInput
from exoclinic.core.models import Patient
from exoclinic.core.replica import report_database

from . import conf, integrations
from .change import ChangeCategory, ChangeDirection, evaluate_change, months_since_injury
from .instruments import Indicator, ThresholdKind, get_measure, mas_grade_rule
from .models import Assessment, FollowUpPoint
from .stats import (
    AisConversionTable,
    MeanEstimate,
    ProportionEstimate,
    ais_conversion_table,
    mean_with_ci,
    wilson_interval,
)

COHORT_MEASURES = (
    "scim3.total",
    "isncsci.total_motor",
    "isncsci.uems",
    "isncsci.lems",
    "mas.max",
    "penn.frequency",
    "nbd.total",
    "isncsci.lt_total",
    "isncsci.pp_total",
    "pain.average",
    "sleep.quality",
    "sleep.psqi_global",
    "fss.mean",
    "grip.right_kg",
    "grip.left_kg",
)
LEVEL_GROUPS = {"cervical": "C", "thoracic": "T", "lumbosacral": "LS"}
REACHED = {ChangeCategory.SUBSTANTIAL, ChangeCategory.BEYOND_THRESHOLD}


def level_group(level: str) -> str | None:
    level = (level or "").replace("*", "").split(",")[0].strip().upper()
    if not level:
        return None
    if level.startswith("C"):
        return "cervical"
    if level.startswith("T"):
        return "thoracic"
    if level[0] in "LS":
        return "lumbosacral"
    return None


@dataclass(frozen=True)
class CohortFilters:
    point: int = 12
    therapy: str = ""
    lot: str = ""
    ais: str = ""
    level_group: str = ""
    injury_months_min: int | None = None
    injury_months_max: int | None = None

    def validate(self) -> CohortFilters:
        if self.point not in conf.follow_up_months():
            raise InvalidInput(
                _("Choose a follow-up point from %(points)s months.")
                % {"points": ", ".join(map(str, conf.follow_up_months()))},
                field="point",
            )
        if self.ais and self.ais not in "ABCDE":
            raise InvalidInput(_("AIS grade is one of A, B, C, D or E."), field="ais")
        if self.level_group and self.level_group not in LEVEL_GROUPS:
            raise InvalidInput(_("Level group is cervical, thoracic or lumbosacral."), field="level_group")
        for name in ("injury_months_min", "injury_months_max"):
            value = getattr(self, name)
            if value is not None and value < 0:
                raise InvalidInput(_("Months since injury cannot be negative."), field=name)
        if (self.therapy or self.lot) and not integrations.treatment_available():
            raise InvalidInput(
                _("Therapy and lot filters need the treatment records, not available yet."), field="therapy"
            )
        return self


@dataclass
class MeasureSummary:
    code: str
    name: str
    indicator: Indicator
    unit: str
    with_baseline: int
    measured: int
    missing: int  # the point has passed and there is no measurement: lost to follow-up
    not_yet_due: int
    mean_change: MeanEstimate
    reaching: ProportionEstimate | None  # None when the measure has no established threshold
    threshold_text: str
    source: str | None


@dataclass
class CohortSummary:
    filters: CohortFilters
    patients: int
    reached_point: int
    measures: list[MeasureSummary]
    ais_table: AisConversionTable
    notes: list[str] = field(default_factory=list)


def _rule_for(code: str):
    if code == "pain.average":
        return conf.get("PAIN_RULE")
    if code == "mas.max":
        return mas_grade_rule(int(conf.get("MAS_GRADE_THRESHOLD")))
    return None


def _clean_grade(value) -> str | None:
    text = str(value or "").replace("*", "").strip().upper()
    return text if text in ("A", "B", "C", "D", "E") else None


def _population(clinics, filters: CohortFilters):
    rows = list(
        Patient.objects.using(report_database())
        .filter(clinic__in=clinics, follow_up_schedule__isnull=False)
        .values_list(
            "pk",
            "sci_ais_grade",
            "sci_neurological_level",
            "sci_date_of_injury",
            "follow_up_schedule__first_procedure_on",
        )
    )
    facts = (
        integrations.cohort_treatment_facts([r[0] for r in rows]) if (filters.therapy or filters.lot) else {}
    )
    kept = {}
    for pk, ais, level, injured, first in rows:
        if filters.therapy and filters.therapy not in facts.get(pk, {}).get("therapies", set()):
            continue
        if filters.lot and filters.lot not in facts.get(pk, {}).get("lot_codes", set()):
            continue
        months = months_since_injury(injured, first) if injured and first and injured <= first else None
        if filters.injury_months_min is not None and (months is None or months < filters.injury_months_min):
            continue
        if filters.injury_months_max is not None and (months is None or months > filters.injury_months_max):
            continue
        kept[pk] = {"ais": ais, "level": level, "first": first}
    return kept


def cohort_summary(*, clinics, filters: CohortFilters, today: dt.date | None = None) -> CohortSummary:
    """The summary over the patients of ``clinics`` (the caller checked the medical director's access)."""
    filters = filters.validate()
    today = today or timezone.now().date()
    population = _population(clinics, filters)
    instruments = sorted({code.split(".")[0] for code in COHORT_MEASURES})
    baseline: dict[str, dict[int, dict]] = {code: {} for code in instruments}
    follow_up: dict[str, dict[int, dict]] = {code: {} for code in instruments}
    rows = (
        Assessment.objects.using(report_database())
        .filter(
            patient__clinic__in=clinics, instrument__in=instruments, follow_up_months__in=[0, filters.point]
        )
        .order_by("taken_on", "id")
        # JSON as text, decoded here: skips the ORM's per-row converters (a third of the time at 10,000)
        .annotate(values_text=Cast("values", output_field=TextField()))
        .values_list("patient_id", "instrument", "follow_up_months", "values_text")
    )
    loads = json.loads
    for patient_id, instrument, months, text in rows.iterator(chunk_size=10000):
        if patient_id in population:
            (baseline if months == 0 else follow_up)[instrument][patient_id] = loads(text)

    # Baseline AIS and level: the baseline exam when there is one, else the patient record.
    exams = baseline.get("isncsci", {})
    for pk, info in population.items():
        exam = exams.get(pk)
        info["ais"] = _clean_grade(exam.get("ais")) if exam else _clean_grade(info["ais"])
        info["level"] = (exam.get("nli") if exam else None) or info["level"]
        info["complete"] = (info["ais"] == "A") if exam else None
    population = {
        pk: info
        for pk, info in population.items()
        if (not filters.ais or info["ais"] == filters.ais)
        and (not filters.level_group or level_group(info["level"] or "") == filters.level_group)
    }

    due_rows = (
        FollowUpPoint.objects.using(report_database())
        .filter(schedule__patient__clinic__in=clinics, months=filters.point)
        .values_list("schedule__patient_id", "due_on", "window_days")
    )
    passed = {
        pk
        for pk, due_on, window in due_rows
        if pk in population and due_on + dt.timedelta(days=window) < today
    }

    summaries = []
    for code in COHORT_MEASURES:
        measure = get_measure(code)
        instrument, key = code.split(".", 1)
        changes, reached, with_baseline, missing, not_yet = [], 0, 0, 0, 0
        threshold_text, source = "", None
        rule = _rule_for(code)
        judged: dict[tuple, object] = {}
        ends = follow_up[instrument]
        for pk, start_values in baseline[instrument].items():
            info = population.get(pk)
            start = start_values.get(key)
            if info is None or start is None:
                continue
            with_baseline += 1
            end_values = ends.get(pk)
            end = end_values.get(key) if end_values else None
            if end is None:
                if pk in passed:
                    missing += 1
                else:
                    not_yet += 1
                continue
            complete = info["complete"]
            memo_key = (start, end, complete)
            result = judged.get(memo_key)
            if result is None:  # values repeat across patients: judge each distinct pair once
                result = judged[memo_key] = evaluate_change(
                    measure, start, end, rule=rule, injury_complete=complete
                )
            if result.change is None:
                missing += 1
                continue
            changes.append(float(result.change))
            if result.category in REACHED and result.direction == ChangeDirection.IMPROVED:
                reached += 1
            if result.threshold is not None and not threshold_text:
                threshold_text, source = f"{result.threshold:g} {measure.unit}s", result.source
        if with_baseline == 0:
            continue
        has_meaningful = bool(measure.rules) and measure.rules[0].kind == ThresholdKind.MEANINGFUL_CHANGE
        summaries.append(
            MeasureSummary(
                code=code,
                name=_(measure.name),
                indicator=_indicator_of(code),
                unit=measure.unit,
                with_baseline=with_baseline,
                measured=len(changes),
                missing=missing,
                not_yet_due=not_yet,
                mean_change=mean_with_ci(changes),
                reaching=wilson_interval(reached, len(changes)) if has_meaningful else None,
                threshold_text=threshold_text,
                source=source,
            )
        )
    pairs = []
    follow_up_exams = follow_up.get("isncsci", {})
    for pk, info in population.items():
        exam = follow_up_exams.get(pk)
        if pk not in passed and exam is None:
            continue  # the point is still ahead: not yet a follow-up, not lost either
        pairs.append((info["ais"], _clean_grade(exam.get("ais")) if exam else None))
    notes = [
        _(
            "Missing: the follow-up point has passed without a measurement (lost to follow-up). Not yet due: "
            "the point is still ahead. Neither is dropped: both are listed next to each measure."
        ),
        _(
            "The share reaching meaningful change is of the patients measured; Wilson 95%% interval. Noise "
            "floors (ISNCSCI, grip) are not meaningful-change thresholds, so no share is given for them."
        )
        % {},
        _(
            "These figures describe change; they do not show its cause. Natural recovery in the first year "
            "after injury and concurrent therapies can explain gains."
        ),
    ]
    return CohortSummary(
        filters=filters,
        patients=len(population),
        reached_point=len(passed),
        measures=summaries,
        ais_table=ais_conversion_table(pairs),
        notes=notes,
    )


def _indicator_of(code: str) -> Indicator:
    from .instruments import get_instrument

    instrument = get_instrument(code.split(".")[0])
    return instrument.indicator_of(get_measure(code))


# ---- research export -----------------------------------------------------------------------------------


def research_id(patient_id: int) -> str:
    """A stable pseudonym: keyed HMAC-SHA256 of the patient id (RESEARCH_ID_SECRET), 16 hex characters."""
    digest = hmac.new(conf.research_secret(), str(patient_id).encode(), hashlib.sha256).hexdigest()
    return f"R-{digest[:16]}"


EXPORT_COLUMNS = (
    (
        "research_id",
        "Pseudonymous patient id: keyed HMAC-SHA256 of the record id. Not reversible without the key.",
    ),
    ("sex", "female, male, other or empty (not disclosed)."),
    ("age_at_first_procedure", "Whole years at the first procedure."),
    ("level_group", "cervical, thoracic or lumbosacral, from the recorded neurological level."),
    (
        "baseline_ais",
        "AIS grade A-E at baseline (baseline ISNCSCI exam, else the recorded grade); empty if unknown.",
    ),
    ("months_injury_to_first_procedure", "Whole calendar months from injury to the first procedure."),
    ("therapies", "Therapies given, separated by ';' (from the treatment records; empty if not recorded)."),
    ("lot_codes", "Product lot codes given, separated by ';'."),
    (
        "instrument",
        "Instrument code (scim3, isncsci, mas, penn, sciset, nbd, nbss, nbss_sf, pain, sleep, fss, grip); "
        "see docs/instruments.md.",
    ),
    ("measure", "Measure code <instrument>.<key>, e.g. scim3.total."),
    ("follow_up_months", "0 baseline, N the N-month follow-up point, empty outside every point's window."),
    ("days_from_first_procedure", "Days from the first procedure to the assessment (negative: before it)."),
    ("value", "The measure's value: a number, an AIS grade, a level, or ND (not determinable)."),
    ("unit", "Unit of the value."),
)


def _schedule_or_none(patient):
    from .models import FollowUpSchedule

    try:
        return patient.follow_up_schedule
    except FollowUpSchedule.DoesNotExist:
        return None


def research_rows(*, clinics):
    """Long-format rows (one per patient, assessment and measure) for patients with research consent only."""
    database = report_database()
    patients = (
        Patient.objects.using(database)
        .filter(clinic__in=clinics, research_consent=True)
        .select_related("follow_up_schedule")
        .order_by("pk")
    )
    patients = list(patients)
    facts = integrations.cohort_treatment_facts([p.pk for p in patients])
    assessments = defaultdict(list)
    rows_of = Assessment.objects.using(database).filter(patient__in=[p.pk for p in patients])
    for row in rows_of.order_by("taken_on", "id"):
        assessments[row.patient_id].append(row)
    for patient in patients:
        schedule = _schedule_or_none(patient)
        first = schedule.first_procedure_on if schedule else None
        fact = facts.get(patient.pk, {})
        rows = assessments.get(patient.pk, [])
        baseline_exam = [a for a in rows if a.instrument == "isncsci" and a.follow_up_months == 0]
        ais = (_clean_grade(baseline_exam[-1].values.get("ais")) if baseline_exam else None) or _clean_grade(
            patient.sci_ais_grade
        )
        injured = patient.sci_date_of_injury
        age = None
        if first:
            born = patient.date_of_birth
            age = first.year - born.year - ((first.month, first.day) < (born.month, born.day))
        common = [
            research_id(patient.pk),
            patient.sex,
            "" if age is None else age,
            level_group(patient.sci_neurological_level) or "",
            ais or "",
            months_since_injury(injured, first) if injured and first and injured <= first else "",
            ";".join(sorted(fact.get("therapies", ()))),
            ";".join(sorted(fact.get("lot_codes", ()))),
        ]
        for assessment in rows:
            definition = assessment.definition
            for measure in definition.measures:
                value = assessment.values.get(measure.key)
                if value is None:
                    continue
                yield [
                    *common,
                    assessment.instrument,
                    measure.code,
                    "" if assessment.follow_up_months is None else assessment.follow_up_months,
                    "" if first is None else (assessment.taken_on - first).days,
                    value,
                    measure.unit,
                ]
