"""Treatment applications: the answers, drafts and their links, uploads, and the clinic's review."""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import LazyObject
from django.utils.translation import gettext_lazy as _

from exoclinic.core.models import AisGrade, Clinic, ClinicOwned, Condition, ContactMethod, Patient, Sex


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("More information requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OPEN_STATUSES = (ApplicationStatus.SUBMITTED, ApplicationStatus.IN_REVIEW, ApplicationStatus.INFO_REQUESTED)
CLOSED_STATUSES = (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN)


class Answer(models.TextChoices):
    """A yes/no health question. "Not sure" is an answer, and the reviewer is asked to confirm it."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNSURE = "unsure", _("Not sure")


class Goal(models.TextChoices):
    WALKING = "walking", _("Standing or walking")
    ARMS_HANDS = "arms_hands", _("Use of arms and hands")
    BLADDER_BOWEL = "bladder_bowel", _("Bladder and bowel control")
    SENSATION = "sensation", _("Sensation")
    PAIN = "pain", _("Less pain")
    SPASTICITY = "spasticity", _("Less stiffness and fewer spasms")
    SLEEP_ENERGY = "sleep_energy", _("Sleep, energy and strength")
    INDEPENDENCE = "independence", _("Independence in daily activities")
    BREATHING = "breathing", _("Breathing")
    SEXUAL_FUNCTION = "sexual_function", _("Sexual function")


class UploadKind(models.TextChoices):
    MEDICAL_REPORT = "medical_report", _("Medical report")
    IMAGING_REPORT = "imaging_report", _("Imaging report (MRI, CT, X-ray)")
    OTHER = "other", _("Other document")


class Decision(models.TextChoices):
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")


class _PrivateStorage(LazyObject):
    """Files under settings.PRIVATE_MEDIA_ROOT, read when first used so tests can point it elsewhere."""

    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = _PrivateStorage()


def _private_storage():
    return private_storage


class TreatmentApplication(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="applications")
    reference = models.CharField(_("reference number"), max_length=20, unique=True, null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=ApplicationStatus.choices, default=ApplicationStatus.DRAFT
    )
    submit_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)
    steps_done = models.JSONField(default=list, blank=True)
    draft_expires_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    # About the patient and the person filling in the form
    for_self = models.BooleanField(_("I am the patient"), default=True)
    filler_name = models.CharField(_("your name"), max_length=200, blank=True)
    filler_relationship = models.CharField(_("your relationship to the patient"), max_length=100, blank=True)
    filler_email = models.EmailField(_("your e-mail"), blank=True)
    filler_phone = models.CharField(_("your phone"), max_length=40, blank=True)
    first_name = models.CharField(_("patient's first name"), max_length=100, blank=True)
    last_name = models.CharField(_("patient's last name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("patient's date of birth"), null=True, blank=True)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    email = models.EmailField(_("patient's e-mail"), blank=True)
    phone = models.CharField(_("patient's phone"), max_length=40, blank=True)
    preferred_contact_method = models.CharField(
        _("preferred contact method"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.EMAIL,
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True)

    # Condition
    condition = models.CharField(
        _("condition"), max_length=10, choices=Condition.choices, default=Condition.SPINAL_CORD_INJURY
    )
    condition_description = models.TextField(_("describe the condition"), blank=True)
    date_of_injury = models.DateField(_("date of injury"), null=True, blank=True)
    neurological_level = models.CharField(_("level of injury"), max_length=5, blank=True)
    ais_grade = models.CharField(_("AIS grade"), max_length=1, choices=AisGrade.choices, blank=True)
    injury_cause = models.CharField(_("cause of injury"), max_length=200, blank=True)
    surgeries = models.TextField(_("surgeries"), blank=True)

    # Current function: the six self-rated indicators, {code: 0..10}
    self_ratings = models.JSONField(default=dict, blank=True)

    # Health, medications and past treatments
    active_infection = models.CharField(
        _("active infection"), max_length=6, choices=Answer.choices, blank=True
    )
    pregnant = models.CharField(_("pregnant"), max_length=6, choices=Answer.choices, blank=True)
    active_cancer = models.CharField(_("active cancer"), max_length=6, choices=Answer.choices, blank=True)
    bleeding_disorder = models.CharField(
        _("bleeding disorder"), max_length=6, choices=Answer.choices, blank=True
    )
    medications = models.TextField(_("medications"), blank=True)
    takes_anticoagulants = models.CharField(
        _("anticoagulants (blood thinners)"), max_length=6, choices=Answer.choices, blank=True
    )
    takes_anti_inflammatories = models.CharField(
        _("anti-inflammatory drugs"), max_length=6, choices=Answer.choices, blank=True
    )
    takes_immunosuppressants = models.CharField(
        _("immunosuppressants"), max_length=6, choices=Answer.choices, blank=True
    )
    allergies = models.TextField(_("allergies"), blank=True)
    past_treatments = models.TextField(_("past treatments"), blank=True)
    earlier_cell_treatment = models.CharField(
        _("earlier stem cell or exosome treatment"), max_length=6, choices=Answer.choices, blank=True
    )
    last_cell_treatment_on = models.DateField(_("date of the last one"), null=True, blank=True)
    current_therapies = models.TextField(_("current therapies"), blank=True)

    # Goals: codes in rank order, most important first
    goals = models.JSONField(default=list, blank=True)
    goals_own_words = models.TextField(_("your goals in your own words"), blank=True)
    expectations = models.TextField(_("what you expect from treatment"), blank=True)

    # Consents, each with the moment it was given
    consent_contact = models.BooleanField(_("consent to be contacted"), default=False)
    consent_contact_at = models.DateTimeField(null=True, blank=True)
    privacy_acknowledged = models.BooleanField(_("privacy notice acknowledged"), default=False)
    privacy_acknowledged_at = models.DateTimeField(null=True, blank=True)
    research_consent = models.BooleanField(_("consent to research use of data"), default=False)
    research_consent_at = models.DateTimeField(null=True, blank=True)

    # Eligibility flags computed at submit: [{code, severity, reason, field, params}], most severe first
    flags = models.JSONField(default=list, blank=True)
    flag_level = models.CharField(max_length=20, blank=True)  # the most severe, for the queue filter
    flag_codes = models.CharField(max_length=1000, blank=True)  # ",severity,code,", for the queue filter

    # Review
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_changed_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.TextField(blank=True)
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.SET_NULL, related_name="applications"
    )

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status=ApplicationStatus.DRAFT)
                | (Q(submitted_at__isnull=False) & Q(reference__isnull=False)),
                name="application_submitted_has_reference",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=[ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED])
                | (Q(decided_at__isnull=False) & ~Q(decision_reason="")),
                name="application_decision_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status=ApplicationStatus.ACCEPTED) | Q(patient__isnull=False),
                name="application_accepted_has_patient",
            ),
            models.CheckConstraint(
                condition=Q(consent_contact=False) | Q(consent_contact_at__isnull=False),
                name="application_contact_consent_has_time",
            ),
            models.CheckConstraint(
                condition=Q(privacy_acknowledged=False) | Q(privacy_acknowledged_at__isnull=False),
                name="application_privacy_has_time",
            ),
            models.CheckConstraint(
                condition=Q(research_consent=False) | Q(research_consent_at__isnull=False),
                name="application_research_consent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "status", "submitted_at"]),
            models.Index(fields=["email"]),
            models.Index(fields=["filler_email"]),
        ]

    def __str__(self) -> str:
        return self.reference or f"draft #{self.pk}"

    @property
    def patient_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def contact_email(self) -> str:
        """Where the applicant's e-mails go: the person filling in the form."""
        return (self.email if self.for_self else self.filler_email) or self.email or self.filler_email

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def goal_labels(self) -> list[str]:
        labels = dict(Goal.choices)
        return [str(labels.get(code, code)) for code in self.goals]


class ApplicationLink(models.Model):
    """A link that lets the applicant back in without an account. Only a hash of the token is kept."""

    application = models.ForeignKey(TreatmentApplication, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"link to {self.application} until {self.expires_at:%Y-%m-%d}"


class ApplicationUpload(models.Model):
    application = models.ForeignKey(TreatmentApplication, on_delete=models.CASCADE, related_name="uploads")
    kind = models.CharField(_("kind of document"), max_length=20, choices=UploadKind.choices)
    file = models.FileField(storage=_private_storage, upload_to="intake/%Y/%m/")
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(content_type__in=["application/pdf", "image/jpeg", "image/png"]),
                name="application_upload_allowed_type",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name


class ApplicationNote(models.Model):
    """An internal note by the clinic's staff; never shown to the applicant."""

    application = models.ForeignKey(TreatmentApplication, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on {self.application}"


class MessageDirection(models.TextChoices):
    TO_APPLICANT = "to_applicant", _("From the clinic")
    FROM_APPLICANT = "from_applicant", _("From the applicant")


class ApplicationMessage(models.Model):
    application = models.ForeignKey(TreatmentApplication, on_delete=models.CASCADE, related_name="messages")
    direction = models.CharField(max_length=20, choices=MessageDirection.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=MessageDirection.values), name="application_message_direction"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_direction_display()}: {self.body[:40]}"
