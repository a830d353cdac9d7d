"""Therapies, treatment plans and consent, preparation checklists, procedures and adverse events."""

from __future__ import annotations

import datetime as dt
import math
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import ClinicOwned, Patient, TimeStamped

from . import routes


class TherapyKind(models.TextChoices):
    EXOSOME = "exosome", _("Exosome therapy")
    STEM_CELL = "stem_cell", _("Stem cell therapy")


class Route(models.TextChoices):
    """The coded routes of ``treatment.routes``; ``routes.near_spinal_cord`` says which are near the cord."""

    LOCAL_INJECTION = routes.LOCAL_INJECTION, _("Local injection")
    INTRATHECAL = routes.INTRATHECAL, _("Intrathecal")
    EPIDURAL = routes.EPIDURAL, _("Epidural")
    INTRASPINAL = routes.INTRASPINAL, _("Intraspinal")
    PERISPINAL = routes.PERISPINAL, _("Perispinal")
    PARASPINAL = routes.PARASPINAL, _("Paraspinal")
    INTRAVENOUS = routes.INTRAVENOUS, _("Intravenous")

    @property
    def near_spinal_cord(self) -> bool:
        return routes.near_spinal_cord(self.value)


class ConcurrentTherapy(models.TextChoices):
    PHYSIOTHERAPY = "physiotherapy", _("Physiotherapy")
    OCCUPATIONAL_THERAPY = "occupational_therapy", _("Occupational therapy")
    MEDICATIONS = "medications", _("Medications")
    OTHER = "other", _("Other")


class Therapy(ClinicOwned):
    """A therapy a clinic offers; its aftercare template lives in the aftercare app."""

    code = models.CharField(_("therapy"), max_length=20, choices=TherapyKind.choices)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    routes = models.JSONField(_("routes"), default=list, help_text=_("Route codes offered for this therapy."))
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["clinic", "name"]
        verbose_name_plural = "therapies"
        constraints = [models.UniqueConstraint(fields=["clinic", "code"], name="therapy_code_unique")]

    def __str__(self) -> str:
        return self.name

    def route_choices(self) -> list[tuple[str, str]]:
        return [(value, label) for value, label in Route.choices if value in self.routes]


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft, awaiting a physician's approval")
    APPROVED = "approved", _("Approved")
    CANCELLED = "cancelled", _("Cancelled")


class Tristate(models.TextChoices):
    NO = "no", _("No")
    YES = "yes", _("Yes")
    UNKNOWN = "unknown", _("Not known yet")


class TreatmentPlan(ClinicOwned):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="treatment_plans")
    therapy = models.ForeignKey(Therapy, on_delete=models.PROTECT, related_name="plans")
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    target_site = models.CharField(_("target site"), max_length=200)
    target_level = models.CharField(_("target level"), max_length=5, blank=True)
    planned_sessions = models.PositiveSmallIntegerField(
        _("planned sessions"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    session_interval_days = models.PositiveSmallIntegerField(
        _("days between sessions"), null=True, blank=True, validators=[MaxValueValidator(365)]
    )
    first_session_on = models.DateField(_("first session planned on"), null=True, blank=True)
    dose = models.CharField(_("dose per session"), max_length=200)
    concurrent_therapies = models.JSONField(_("concurrent therapies"), default=list, blank=True)
    concurrent_therapies_note = models.CharField(
        _("concurrent therapies, detail"), max_length=500, blank=True
    )
    rationale = models.TextField(_("physician's rationale"))
    alternatives_discussed = models.TextField(_("alternatives discussed"))
    anti_inflammatory_avoid_days = models.PositiveSmallIntegerField(
        _("days to avoid anti-inflammatory medication after each session"),
        validators=[MinValueValidator(1), MaxValueValidator(365)],
    )
    active_infection = models.CharField(
        _("active infection"), max_length=10, choices=Tristate.choices, default=Tristate.UNKNOWN
    )
    pregnancy = models.CharField(
        _("pregnancy"), max_length=10, choices=Tristate.choices, default=Tristate.UNKNOWN
    )
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(approved_by__isnull=False, approved_at__isnull=False),
                name="plan_approval_names_physician_and_time",
            ),
            models.CheckConstraint(condition=Q(planned_sessions__gte=1), name="plan_at_least_one_session"),
        ]
        indexes = [models.Index(fields=["patient", "status"])]

    def __str__(self) -> str:
        return f"{self.therapy} · {self.patient.full_name}"

    @property
    def is_approved(self) -> bool:
        return self.status == PlanStatus.APPROVED

    def concurrent_labels(self) -> list[str]:
        labels = dict(ConcurrentTherapy.choices)
        return [str(labels.get(code, code)) for code in self.concurrent_therapies]


class ConsentText(ClinicOwned):
    """A version of the consent document a patient signs. Texts are never edited once used: add a version."""

    version = models.CharField(_("version"), max_length=20)
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    is_current = models.BooleanField(_("current version"), default=True)

    class Meta:
        ordering = ["clinic", "-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "version"], name="consent_text_version_unique"),
            models.UniqueConstraint(
                fields=["clinic"], condition=Q(is_current=True), name="consent_text_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} v{self.version}"


class ConsentMethod(models.TextChoices):
    PORTAL = "portal", _("Accepted by the patient in the portal")
    IN_CLINIC = "in_clinic", _("Signed in the clinic before a witness")


class Consent(TimeStamped):
    plan = models.OneToOneField(TreatmentPlan, on_delete=models.PROTECT, related_name="consent")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    signer_name = models.CharField(_("signed by"), max_length=200)
    accepted_at = models.DateTimeField(_("accepted at"))
    witness_name = models.CharField(_("witness"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # Withdrawal keeps the signed record: the consent no longer allows a procedure, and the plan needs a new
    # plan (with its own consent) to go on.
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawal_reason = models.CharField(_("reason for withdrawal"), max_length=500, blank=True)

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_at is not None

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=~Q(method="in_clinic") | ~Q(witness_name=""), name="consent_in_clinic_has_witness"
            )
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} · {self.consent_text}"


class ConsentRenewal(TimeStamped):
    """The patient's consent to a newer version of the consent text, under a consent already signed.

    ``Consent`` stays one per plan (the signature that opened the treatment, and the record a withdrawal
    closes); each renewal adds a row here, so the history of what was agreed to, and when, is kept whole.
    The version in force is the newest renewal's text, else the consent's own
    (``selectors.consent_text_in_force``)."""

    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, related_name="renewals")
    consent_text = models.ForeignKey(ConsentText, on_delete=models.PROTECT, related_name="+")
    method = models.CharField(max_length=10, choices=ConsentMethod.choices)
    signer_name = models.CharField(_("signed by"), max_length=200)
    accepted_at = models.DateTimeField(_("accepted at"))
    witness_name = models.CharField(_("witness"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-accepted_at", "-id"]
        constraints = [
            # A double submit (or two tabs) renews once per version.
            models.UniqueConstraint(fields=["consent", "consent_text"], name="consent_renewal_once_per_text"),
            models.CheckConstraint(
                condition=~Q(method="in_clinic") | ~Q(witness_name=""),
                name="consent_renewal_in_clinic_witness",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.signer_name} · {self.consent_text}"


class PrecautionRule(models.TextChoices):
    ANTICOAGULANT = "anticoagulant", _("Anticoagulant medication")
    ANTI_INFLAMMATORY = "anti_inflammatory", _("Anti-inflammatory medication")
    ACTIVE_INFECTION = "active_infection", _("Active infection")
    PREGNANCY = "pregnancy", _("Pregnancy")


class ChecklistItem(TimeStamped):
    plan = models.ForeignKey(TreatmentPlan, on_delete=models.CASCADE, related_name="checklist")
    rule = models.CharField(max_length=20, choices=PrecautionRule.choices)
    medication = models.ForeignKey(
        "core.PatientMedication", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    key = models.CharField(max_length=60, help_text="rule plus the record it came from; one item each")
    title = models.CharField(max_length=200)
    instructions = models.TextField()
    due_on = models.DateField(null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmation_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="checklist_item_once_per_source"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(confirmed_by__isnull=False),
                name="checklist_confirmation_names_clinician",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None


class Procedure(ClinicOwned):
    """One treatment session as given: who, what lot, where, and how the patient was before and after."""

    plan = models.ForeignKey(TreatmentPlan, on_delete=models.PROTECT, related_name="procedures")
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="procedures")
    performed_at = models.DateTimeField(_("performed at"))
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    identity_check = models.CharField(
        _("identity confirmed by"), max_length=200, help_text=_("The two identifiers that were matched.")
    )
    appointment = models.ForeignKey(
        "scheduling.Appointment", null=True, blank=True, on_delete=models.PROTECT, related_name="procedures"
    )
    lot = models.ForeignKey("products.ProductLot", on_delete=models.PROTECT, related_name="procedures")
    unit = models.OneToOneField("products.ProductUnit", on_delete=models.PROTECT, related_name="procedure")
    lot_code = models.CharField(_("lot code"), max_length=40)
    dose = models.CharField(_("dose"), max_length=200)
    route = models.CharField(_("route"), max_length=20, choices=Route.choices)
    site = models.CharField(_("site"), max_length=200)
    level = models.CharField(_("level"), max_length=5, blank=True)
    vitals_before = models.JSONField(_("vital signs before"), default=dict)
    vitals_after = models.JSONField(_("vital signs after"), default=dict)
    immediate_reactions = models.TextField(_("immediate reactions"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    submission_key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-performed_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["submission_key"], name="procedure_submitted_once"),
        ]
        indexes = [models.Index(fields=["patient", "performed_at"]), models.Index(fields=["lot_code"])]

    def __str__(self) -> str:
        return f"{self.patient.full_name} · {self.performed_at:%Y-%m-%d} · {self.lot_code}"


class AdverseEventSource(models.TextChoices):
    STAFF = "staff", _("Recorded by staff")
    PATIENT = "patient", _("Reported by the patient")


class AdverseEventStatus(models.TextChoices):
    NEEDS_REVIEW = "needs_review", _("Reported by the patient, awaiting staff review")
    RECORDED = "recorded", _("Recorded")


class CtcaeGrade(models.IntegerChoices):
    MILD = 1, _("1 · Mild")
    MODERATE = 2, _("2 · Moderate: limits instrumental activities of daily living")
    SEVERE = 3, _("3 · Severe or medically significant: hospitalisation, limits self-care")
    LIFE_THREATENING = 4, _("4 · Life-threatening")
    DEATH = 5, _("5 · Death")


class Relatedness(models.TextChoices):
    UNRELATED = "unrelated", _("Unrelated")
    UNLIKELY = "unlikely", _("Unlikely")
    POSSIBLE = "possible", _("Possible")
    PROBABLE = "probable", _("Probable")
    DEFINITE = "definite", _("Definite")


class AdverseOutcome(models.TextChoices):
    UNKNOWN = "unknown", _("Not known yet")
    NOT_RECOVERED = "not_recovered", _("Not recovered")
    RECOVERING = "recovering", _("Recovering")
    RECOVERED = "recovered", _("Recovered")
    RECOVERED_WITH_SEQUELAE = "recovered_with_sequelae", _("Recovered with lasting effects")
    FATAL = "fatal", _("Fatal")


class SeriousnessCriterion(models.TextChoices):
    """ICH E2A: any one of these makes an adverse event serious."""

    DEATH = "death", _("Results in death")
    LIFE_THREATENING = "life_threatening", _("Is life-threatening (at risk of death at the time)")
    HOSPITALISATION = "hospitalisation", _("Requires inpatient hospitalisation or prolongs a stay")
    DISABILITY = "disability", _("Results in persistent or significant disability or incapacity")
    CONGENITAL_ANOMALY = "congenital_anomaly", _("Is a congenital anomaly or birth defect")
    IMPORTANT_MEDICAL_EVENT = (
        "important_medical_event",
        _("Other important medical event (medical judgement: may need intervention to prevent the above)"),
    )


CRITERION_FIELDS = {criterion: f"criterion_{criterion.value}" for criterion in SeriousnessCriterion}


def _any_criterion() -> Q:
    condition = Q()
    for name in CRITERION_FIELDS.values():
        condition |= Q(**{name: True})
    return condition


def _no_criterion() -> Q:
    return Q(**{name: False for name in CRITERION_FIELDS.values()})


class AdverseEvent(ClinicOwned):
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="adverse_events")
    procedure = models.ForeignKey(
        Procedure, null=True, blank=True, on_delete=models.PROTECT, related_name="adverse_events"
    )
    lot = models.ForeignKey(
        "products.ProductLot", null=True, blank=True, on_delete=models.PROTECT, related_name="adverse_events"
    )
    lot_code = models.CharField(_("lot"), max_length=40, blank=True)
    source = models.CharField(max_length=10, choices=AdverseEventSource.choices)
    status = models.CharField(max_length=15, choices=AdverseEventStatus.choices)
    source_record = models.CharField(max_length=80, blank=True, help_text="e.g. triage.symptomreport:12")
    description = models.TextField(_("what happened"))
    onset_at = models.DateTimeField(_("onset"))
    ctcae_grade = models.PositiveSmallIntegerField(
        _("CTCAE grade"), choices=CtcaeGrade.choices, null=True, blank=True
    )
    # Derived by the service from the ICH E2A criteria below (a constraint keeps them consistent).
    serious = models.BooleanField(_("serious"), default=False)
    criterion_death = models.BooleanField(_("results in death"), default=False)
    criterion_life_threatening = models.BooleanField(_("life-threatening"), default=False)
    criterion_hospitalisation = models.BooleanField(_("hospitalisation or its prolongation"), default=False)
    criterion_disability = models.BooleanField(_("persistent or significant disability"), default=False)
    criterion_congenital_anomaly = models.BooleanField(_("congenital anomaly"), default=False)
    criterion_important_medical_event = models.BooleanField(_("other important medical event"), default=False)
    # When the clinic first received the report (a patient's report: when it arrived, not staff review).
    received_at = models.DateTimeField(_("report received"), null=True, blank=True)
    relatedness = models.CharField(
        _("relatedness to the product"), max_length=10, choices=Relatedness.choices, blank=True
    )
    outcome = models.CharField(
        _("outcome"), max_length=25, choices=AdverseOutcome.choices, default=AdverseOutcome.UNKNOWN
    )
    serious_since = models.DateTimeField(null=True, blank=True)
    report_due_at = models.DateTimeField(_("regulator report due"), null=True, blank=True)
    regulator_reported_at = models.DateTimeField(_("reported to the regulator"), null=True, blank=True)
    regulator_reference = models.CharField(_("regulator reference"), max_length=100, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submission_key = models.UUIDField(default=uuid.uuid4, editable=False)

    class Meta:
        ordering = ["-onset_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["submission_key"], name="adverse_event_submitted_once"),
            models.CheckConstraint(
                condition=Q(ctcae_grade__isnull=True) | Q(ctcae_grade__gte=1, ctcae_grade__lte=5),
                name="adverse_event_grade_1_to_5",
            ),
            # Life-threatening (4) and fatal (5) events are serious by definition.
            models.CheckConstraint(
                condition=Q(ctcae_grade__isnull=True) | Q(ctcae_grade__lte=3) | Q(serious=True),
                name="adverse_event_grade_4_5_serious",
            ),
            models.CheckConstraint(
                condition=Q(serious=False) | Q(serious_since__isnull=False, report_due_at__isnull=False),
                name="adverse_event_serious_has_clock",
            ),
            # Serious exactly when at least one ICH E2A criterion is recorded.
            models.CheckConstraint(
                condition=(Q(serious=True) & _any_criterion()) | (Q(serious=False) & _no_criterion()),
                name="adverse_event_serious_iff_criterion",
            ),
            models.CheckConstraint(
                condition=~Q(status="recorded") | Q(ctcae_grade__isnull=False),
                name="adverse_event_recorded_has_grade",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "onset_at"]),
            models.Index(fields=["lot_code"]),
            models.Index(fields=["patient", "onset_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.patient.full_name} · {self.onset_at:%Y-%m-%d} · {self.description[:40]}"

    @property
    def seriousness_criteria(self) -> list[SeriousnessCriterion]:
        return [c for c, name in CRITERION_FIELDS.items() if getattr(self, name)]

    @property
    def clock_open(self) -> bool:
        return self.serious and self.regulator_reported_at is None

    def days_left(self, now: dt.datetime | None = None) -> int | None:
        """Whole days until the regulator report is due (negative when overdue); None without a clock."""
        if not self.clock_open or self.report_due_at is None:
            return None
        remaining = self.report_due_at - (now or timezone.now())
        return math.floor(remaining.total_seconds() / 86400)
