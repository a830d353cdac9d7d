"""Exosome products: sources, collections, lots and their units, QC, storage, custody and recall.

The tracking model follows 21 CFR 1271 as a design model (clinical facts, section 6): every unit carries a
distinct code without patient data, linked to its lot, collection and source; records name who and when and
are never edited (a repeated QC test adds a result, a moved unit adds a custody event).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from exoclinic.core.models import Clinic, ClinicOwned, Patient, TimeStamped

from .qc import LimitKind, QcSpec

# --- sources and collections ------------------------------------------------------------------------------


class SourceKind(models.TextChoices):
    CELL_BANK = "cell_bank", _("Cell bank")
    DONOR = "donor", _("Donor")


class Eligibility(models.TextChoices):
    PENDING = "pending", _("Pending")
    ELIGIBLE = "eligible", _("Eligible")
    INELIGIBLE = "ineligible", _("Not eligible")


class Source(ClinicOwned):
    """Where the cells come from. ``identifier`` is the bank's or donor's code, never a name."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="product_sources")
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    identifier = models.CharField(
        _("identifier"), max_length=60, help_text=_("The cell bank's or donor's code. No names.")
    )
    description = models.CharField(_("description"), max_length=200, blank=True)
    eligibility = models.CharField(
        _("eligibility"), max_length=20, choices=Eligibility.choices, default=Eligibility.PENDING
    )
    eligibility_note = models.TextField(_("eligibility note"), blank=True)
    eligibility_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    eligibility_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["identifier"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "identifier"], name="product_source_identifier_unique"),
            models.CheckConstraint(
                condition=Q(eligibility="pending") | Q(eligibility_decided_at__isnull=False),
                name="product_source_decision_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.identifier}"


class SourceTest(TimeStamped):
    """A screening test of a source (e.g. infectious disease markers), as reported by the testing lab."""

    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="tests")
    name = models.CharField(_("test"), max_length=120)
    result = models.CharField(_("result"), max_length=120)
    acceptable = models.BooleanField(_("acceptable"))
    tested_on = models.DateField(_("tested on"))
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["tested_on", "id"]

    def __str__(self) -> str:
        return f"{self.name}: {self.result}"


class Collection(ClinicOwned):
    """One harvest of conditioned medium (or cells) from a source; lots are made from it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="product_collections")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="collections")
    reference = models.CharField(_("reference"), max_length=60)
    collected_at = models.DateTimeField(_("collected at"))
    description = models.CharField(_("description"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-collected_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["clinic", "reference"], name="product_collection_reference_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.reference


# --- product types and QC specifications ------------------------------------------------------------------


class ProductType(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="product_types")
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    shelf_life_days = models.PositiveIntegerField(
        _("shelf life (days)"),
        null=True,
        blank=True,
        help_text=_("Clinic policy; used to suggest an expiry date. Leave empty to enter it per lot."),
    )

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="product_type_name_unique")]

    def __str__(self) -> str:
        return self.name


class QcSpecification(TimeStamped):
    """One release test for a product type, edited by the clinic admin. Pass or fail is computed from it."""

    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="qc_specifications")
    code = models.SlugField(_("code"), max_length=40, help_text=_("Stable key, e.g. endotoxin."))
    name = models.CharField(_("test"), max_length=120)
    method = models.CharField(_("method"), max_length=120)
    unit = models.CharField(_("unit"), max_length=40, blank=True)
    kind = models.CharField(
        _("limit kind"),
        max_length=20,
        choices=[(k.value, k.name.replace("_", " ").lower()) for k in LimitKind],
    )
    limit = models.DecimalField(_("limit"), max_digits=30, decimal_places=6, null=True, blank=True)
    low = models.DecimalField(_("low"), max_digits=30, decimal_places=6, null=True, blank=True)
    high = models.DecimalField(_("high"), max_digits=30, decimal_places=6, null=True, blank=True)
    percent = models.DecimalField(
        _("percent of label claim"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("For 'within percent': compared with the lot's particle concentration on the label."),
    )
    accepted = models.CharField(
        _("accepted answers"),
        max_length=200,
        blank=True,
        help_text=_("For text tests: answers that pass, separated by commas (e.g. negative, no growth)."),
    )
    required = models.BooleanField(_("required for release"), default=True)
    active = models.BooleanField(_("active"), default=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["product_type", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product_type", "code"], name="qc_spec_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.product_type})"

    @property
    def accepted_answers(self) -> tuple[str, ...]:
        return tuple(a.strip() for a in self.accepted.split(",") if a.strip())

    @staticmethod
    def _plain(value: Decimal | None) -> Decimal | None:
        """0.500000 -> 0.5 and 200.000000 -> 200, as the limit was written."""
        if value is None:
            return None
        value = Decimal(str(value))
        return value.quantize(Decimal(1)) if value == value.to_integral() else value.normalize()

    def as_spec(self, *, target=None) -> QcSpec:
        """The pure specification ``qc.evaluate`` judges against; ``target`` is the lot's label claim."""
        return QcSpec(
            code=self.code,
            name=self.name,
            method=self.method,
            unit=self.unit,
            kind=LimitKind(self.kind),
            limit=self._plain(self.limit),
            low=self._plain(self.low),
            high=self._plain(self.high),
            target=None if target is None else Decimal(str(target)).normalize(),  # 1E+11, not 100000000000
            percent=self._plain(self.percent),
            accepted=self.accepted_answers,
            required=self.required,
        )


# --- lots and units ---------------------------------------------------------------------------------------


class LotStatus(models.TextChoices):
    QUARANTINE = "quarantine", _("Quarantine")
    RELEASED = "released", _("Released")
    REJECTED = "rejected", _("Rejected")
    EXPIRED = "expired", _("Expired")
    RECALLED = "recalled", _("Recalled")


class LotCodeSequence(models.Model):
    """The last sequence number given for a code prefix and year, so codes are never reused."""

    prefix = models.CharField(max_length=5)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["prefix", "year"], name="lot_code_sequence_unique")]

    def __str__(self) -> str:
        return f"{self.prefix}-{self.year}: {self.last}"


class ProductLot(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="product_lots")
    code = models.CharField(
        _("lot code"), max_length=24, unique=True, help_text=_("Distinct code with a check character.")
    )
    product_type = models.ForeignKey(ProductType, on_delete=models.PROTECT, related_name="lots")
    collection = models.ForeignKey(Collection, on_delete=models.PROTECT, related_name="lots")
    status = models.CharField(
        _("status"), max_length=20, choices=LotStatus.choices, default=LotStatus.QUARANTINE
    )
    manufactured_on = models.DateField(_("manufactured on"))
    expires_on = models.DateField(_("expires on"))
    volume_ml = models.DecimalField(_("volume per unit (mL)"), max_digits=8, decimal_places=3)
    particles_per_ml = models.DecimalField(
        _("particle concentration (particles/mL)"),
        max_digits=30,
        decimal_places=0,
        help_text=_("The label claim, e.g. 1E11."),
    )
    protein_ug_per_ml = models.DecimalField(
        _("protein (µg/mL)"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    released_at = models.DateTimeField(null=True, blank=True)
    status_note = models.TextField(blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_on__gte=models.F("manufactured_on")), name="product_lot_expiry_after_make"
            ),
            models.CheckConstraint(condition=Q(volume_ml__gt=0), name="product_lot_volume_positive"),
            models.CheckConstraint(
                condition=~Q(status="released") | Q(released_by__isnull=False, released_at__isnull=False),
                name="product_lot_release_is_signed",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "status"])]

    def __str__(self) -> str:
        return self.code

    @property
    def particles_display(self) -> str:
        return f"{self.particles_per_ml:.2E}"

    @property
    def particles_per_protein(self):
        """Particle-to-protein ratio (particles per µg), a purity measure (MISEV)."""
        if not self.protein_ug_per_ml:
            return None
        return self.particles_per_ml / self.protein_ug_per_ml


class UnitStatus(models.TextChoices):
    AVAILABLE = "available", _("Available")
    HELD = "held", _("Held (temperature excursion)")
    DISPENSED = "dispensed", _("Dispensed")
    ADMINISTERED = "administered", _("Administered")
    DISCARDED = "discarded", _("Discarded")


class StorageUnit(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="storage_units")
    name = models.CharField(_("name"), max_length=120)
    location = models.CharField(_("location"), max_length=200, blank=True)
    min_celsius = models.DecimalField(_("lowest allowed (°C)"), max_digits=6, decimal_places=2)
    max_celsius = models.DecimalField(_("highest allowed (°C)"), max_digits=6, decimal_places=2)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="storage_unit_name_unique"),
            models.CheckConstraint(
                condition=Q(min_celsius__lt=models.F("max_celsius")), name="storage_unit_limits_ordered"
            ),
        ]

    def __str__(self) -> str:
        return self.name


class ProductUnit(TimeStamped):
    """One vial (one dose) of a lot; its code is the lot code and a sequence: ``MAD-2026-000124-Y/003``."""

    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="units")
    sequence = models.PositiveIntegerField()
    status = models.CharField(
        _("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.AVAILABLE
    )
    storage_unit = models.ForeignKey(
        StorageUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="product_units"
    )

    class Meta:
        ordering = ["lot", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["lot", "sequence"], name="product_unit_sequence_unique"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="product_unit_sequence_positive"),
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def code(self) -> str:
        return f"{self.lot.code}/{self.sequence:03d}"


# --- QC results -------------------------------------------------------------------------------------------


class QcResult(TimeStamped):
    """A measured value. ``passed`` is computed by ``qc.evaluate`` when stored, never typed. A repeated test
    adds a new result; the latest one for a specification is the lot's current result."""

    lot = models.ForeignKey(ProductLot, on_delete=models.PROTECT, related_name="qc_results")
    specification = models.ForeignKey(QcSpecification, on_delete=models.PROTECT, related_name="results")
    value = models.CharField(_("result"), max_length=60)
    passed = models.BooleanField()
    inconclusive = models.BooleanField(default=False)
    reason = models.CharField(max_length=300)
    analyst = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    tested_at = models.DateTimeField(_("tested at"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["specification__order", "specification_id", "-tested_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True) | ~Q(reviewer=models.F("analyst")),
                name="qc_result_reviewer_is_not_analyst",
            ),
            models.CheckConstraint(
                condition=Q(reviewer__isnull=True, reviewed_at__isnull=True)
                | Q(reviewer__isnull=False, reviewed_at__isnull=False),
                name="qc_result_review_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.specification.name}: {self.value}"


# --- storage readings and excursions ----------------------------------------------------------------------


class ReadingSource(models.TextChoices):
    ENTERED = "entered", _("Entered")
    IMPORTED = "imported", _("Imported (CSV)")


class TemperatureReading(models.Model):
    storage_unit = models.ForeignKey(StorageUnit, on_delete=models.PROTECT, related_name="readings")
    measured_at = models.DateTimeField(_("measured at"))
    celsius = models.DecimalField(_("temperature (°C)"), max_digits=6, decimal_places=2)
    within_limits = models.BooleanField()
    source = models.CharField(max_length=10, choices=ReadingSource.choices, default=ReadingSource.ENTERED)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-measured_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["storage_unit", "measured_at"], name="temperature_reading_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.storage_unit} {self.celsius} °C at {self.measured_at:%Y-%m-%d %H:%M}"


class TemperatureExcursion(TimeStamped):
    """A reading outside the storage unit's limits. The units stored there are held until a corrective
    action is recorded (1271.260 as a design model)."""

    storage_unit = models.ForeignKey(StorageUnit, on_delete=models.PROTECT, related_name="excursions")
    first_reading = models.ForeignKey(TemperatureReading, on_delete=models.PROTECT, related_name="+")
    held_units = models.ManyToManyField(ProductUnit, blank=True, related_name="excursions")
    corrective_action = models.TextField(_("corrective action"), blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(resolved_at__isnull=True)
                | (Q(resolved_by__isnull=False) & ~Q(corrective_action="")),
                name="excursion_resolution_has_action",
            ),
            models.UniqueConstraint(
                fields=["storage_unit"],
                condition=Q(resolved_at__isnull=True),
                name="excursion_one_open_per_unit",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.storage_unit}: {self.first_reading.celsius} °C"

    @property
    def is_open(self) -> bool:
        return self.resolved_at is None


# --- custody ----------------------------------------------------------------------------------------------


class CustodyKind(models.TextChoices):
    RECEIVED = "received", _("Received")
    STORED = "stored", _("Stored")
    MOVED = "moved", _("Moved")
    THAWED = "thawed", _("Thawed")
    HELD = "held", pgettext_lazy("a product unit kept from use", "Held")
    HOLD_LIFTED = "hold_lifted", _("Hold lifted")
    DISPENSED = "dispensed", _("Dispensed")
    ADMINISTERED = "administered", _("Administered")
    DISCARDED = "discarded", _("Discarded")


class CustodyEvent(models.Model):
    """One hand-over or change of condition of a unit (chain of custody); ADMINISTERED names the patient
    (chain of identity)."""

    unit = models.ForeignKey(ProductUnit, on_delete=models.PROTECT, related_name="custody_events")
    kind = models.CharField(max_length=20, choices=CustodyKind.choices)
    occurred_at = models.DateTimeField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    storage_unit = models.ForeignKey(
        StorageUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    patient = models.ForeignKey(
        Patient, null=True, blank=True, on_delete=models.PROTECT, related_name="product_custody_events"
    )
    note = models.CharField(max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["occurred_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="administered") | Q(patient__isnull=False),
                name="custody_administered_names_patient",
            ),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(kind="administered"), name="custody_unit_administered_once"
            ),
        ]
        indexes = [models.Index(fields=["kind", "patient"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.kind} {self.occurred_at:%Y-%m-%d %H:%M}"


# --- recall -----------------------------------------------------------------------------------------------


class RecallClass(models.TextChoices):
    I = "I", _("Class I: may cause serious harm or death")  # noqa: E741
    II = "II", _("Class II: may cause temporary or reversible harm")
    III = "III", _("Class III: unlikely to cause harm")


class Recall(TimeStamped):
    lot = models.OneToOneField(ProductLot, on_delete=models.PROTECT, related_name="recall")
    recall_class = models.CharField(_("recall class"), max_length=3, choices=RecallClass.choices)
    reason = models.TextField(_("reason"))
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    previous_status = models.CharField(max_length=20, choices=LotStatus.choices)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"Recall {self.recall_class} of {self.lot}"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Not yet notified")
    NOTIFIED = "notified", _("Notified")
    UNREACHABLE = "unreachable", _("Could not be reached")


class NotificationMethod(models.TextChoices):
    """How staff reached a recipient of a recalled lot (``RecallNotification.method``)."""

    PHONE = "phone", _("Phone call")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("Text message")
    VISIT = "visit", _("In person")
    LETTER = "letter", _("Letter")


class RecallNotification(TimeStamped):
    """Tracks telling one recipient of a recalled lot."""

    recall = models.ForeignKey(Recall, on_delete=models.PROTECT, related_name="notifications")
    patient = models.ForeignKey(
        Patient, on_delete=models.PROTECT, related_name="product_recall_notifications"
    )
    status = models.CharField(
        max_length=20, choices=NotificationStatus.choices, default=NotificationStatus.PENDING
    )
    method = models.CharField(max_length=20, blank=True)
    note = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notified_at = models.DateTimeField(null=True, blank=True)
    # The notice the patient gets at once: a portal message (and an e-mail when there is an address).
    notice_sent_at = models.DateTimeField(_("notice sent"), null=True, blank=True)
    notice_email = models.EmailField(_("notice e-mailed to"), blank=True)
    notice_read_at = models.DateTimeField(_("notice read"), null=True, blank=True)

    class Meta:
        ordering = ["patient__last_name", "patient__first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["recall", "patient"], name="recall_notification_unique"),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(notified_at__isnull=False),
                name="recall_notification_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recall}: {self.patient} {self.status}"


from .deviation_models import ProductDeviation  # noqa: E402, F401  (kept in its own module, same app)
