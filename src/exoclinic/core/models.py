"""Clinics, patients and the audit trail: the records every other app hangs from."""

from __future__ import annotations

import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .auditchain import GENESIS_HASH, canonical, row_hash
from .db import prepared_cursor


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not an IANA time zone (e.g. Europe/Madrid)."), params={"value": value}
        )


class TimeStamped(models.Model):
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Clinic(TimeStamped):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    emergency_phone = models.CharField(
        _("clinic emergency phone"), max_length=40, help_text=_("Answered at all hours by clinic staff.")
    )
    emergency_services_number = models.CharField(
        _("local emergency services number"), max_length=20, default="112", help_text=_("e.g. 112, 911, 999")
    )
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    languages = models.JSONField(default=list, blank=True, help_text=_('Language codes, e.g. ["en", "es"]'))

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)


class ClinicOwned(TimeStamped):
    """Base for every record that belongs to one clinic."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="+")

    class Meta:
        abstract = True


class Condition(models.TextChoices):
    SPINAL_CORD_INJURY = "sci", _("Spinal cord injury")
    OTHER = "other", _("Other condition")


class AisGrade(models.TextChoices):
    A = "A", _("A: complete")
    B = "B", _("B: sensory incomplete")
    C = "C", _("C: motor incomplete, less than half of key muscles below the level at grade 3 or more")
    D = "D", _("D: motor incomplete, at least half of key muscles below the level at grade 3 or more")
    E = "E", _("E: normal")
    UNKNOWN = "", _("Not known")


# Neurological levels C1 to S4-5, rostral to caudal, as ISNCSCI names them.
NEUROLOGICAL_LEVELS = (
    [f"C{i}" for i in range(1, 9)]
    + [f"T{i}" for i in range(1, 13)]
    + [f"L{i}" for i in range(1, 6)]
    + ["S1", "S2", "S3", "S4-5"]
)
LEVEL_CHOICES = [("", _("Not known"))] + [(lvl, lvl) for lvl in NEUROLOGICAL_LEVELS]


def level_index(level: str) -> int | None:
    """Position of a level from the head down (C1 = 0); None when unknown."""
    try:
        return NEUROLOGICAL_LEVELS.index(level)
    except ValueError:
        return None


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    OTHER = "other", _("Other")
    UNDISCLOSED = "", _("Prefer not to say")


class ContactMethod(models.TextChoices):
    EMAIL = "email", _("E-mail")
    PHONE = "phone", _("Phone")
    SMS = "sms", _("Text message")


class Patient(ClinicOwned):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="patient"
    )
    caregiver = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cared_for_patients",
        help_text=_("A person the patient named, who may act for them in the portal."),
    )
    record_number = models.CharField(_("record number"), max_length=20)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    date_of_birth = models.DateField(_("date of birth"))
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    # A new address the patient asked for: it counts only once they open the link sent to it.
    pending_email = models.EmailField(_("new e-mail, not yet confirmed"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address = models.TextField(_("address"), blank=True)
    preferred_contact_method = models.CharField(
        _("preferred contact method"),
        max_length=10,
        choices=ContactMethod.choices,
        default=ContactMethod.EMAIL,
    )
    preferred_language = models.CharField(
        _("preferred language"), max_length=10, choices=settings.LANGUAGES, default="en"
    )
    time_zone = models.CharField(_("time zone"), max_length=64, blank=True, validators=[validate_time_zone])
    emergency_contact_name = models.CharField(_("emergency contact name"), max_length=200, blank=True)
    emergency_contact_phone = models.CharField(_("emergency contact phone"), max_length=40, blank=True)
    emergency_contact_relationship = models.CharField(_("relationship"), max_length=100, blank=True)
    primary_condition = models.CharField(
        _("primary condition"), max_length=10, choices=Condition.choices, default=Condition.SPINAL_CORD_INJURY
    )
    condition_description = models.TextField(_("condition description"), blank=True)
    sci_date_of_injury = models.DateField(_("date of injury"), null=True, blank=True)
    sci_neurological_level = models.CharField(
        _("neurological level"), max_length=5, choices=LEVEL_CHOICES, blank=True
    )
    sci_ais_grade = models.CharField(_("AIS grade"), max_length=1, choices=AisGrade.choices, blank=True)
    sci_cause = models.CharField(_("cause of injury"), max_length=200, blank=True)
    baseline_systolic_mmhg = models.PositiveSmallIntegerField(
        _("usual systolic blood pressure (mmHg)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(60), MaxValueValidator(200)],
        help_text=_("Often 90-110 after a spinal cord injury; triage compares readings with it."),
    )
    baseline_heart_rate_bpm = models.PositiveSmallIntegerField(
        _("usual resting pulse (beats per minute)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(30), MaxValueValidator(120)],
        help_text=_("Often 50-60 with tetraplegia; triage compares a slow pulse with it."),
    )
    research_consent = models.BooleanField(_("consents to research use of their data"), default=False)
    research_consent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["last_name", "first_name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "record_number"], name="patient_record_number_unique"),
            models.CheckConstraint(
                condition=models.Q(research_consent=False) | models.Q(research_consent_at__isnull=False),
                name="patient_research_consent_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["clinic", "last_name", "first_name"]),
            # The staff list's order: a page is read off the index instead of sorting every patient.
            models.Index(fields=["last_name", "first_name", "id"], name="patient_name_order"),
            models.Index(fields=["clinic", "date_of_birth"]),
            models.Index(fields=["clinic", "email"]),
        ]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name} ({self.record_number})"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone or self.clinic.time_zone)

    @property
    def injury_at_or_above_t6(self) -> bool | None:
        idx = level_index(self.sci_neurological_level)
        if idx is None:
            return None
        return idx <= NEUROLOGICAL_LEVELS.index("T6")


class PatientMedication(TimeStamped):
    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="medications")
    name = models.CharField(_("medication"), max_length=200)
    dose = models.CharField(_("dose"), max_length=100, blank=True)
    is_anticoagulant = models.BooleanField(_("anticoagulant"), default=False)
    is_anti_inflammatory = models.BooleanField(_("anti-inflammatory"), default=False)
    is_immunosuppressant = models.BooleanField(_("immunosuppressant"), default=False)
    started_on = models.DateField(null=True, blank=True)
    stopped_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class OutboxKind(models.TextChoices):
    MAIL = "mail", _("e-mail")
    TASK = "task", _("background task")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("pending")
    SENDING = "sending", _("sending")
    DONE = "done", _("done")


class OutboxMessage(models.Model):
    """A side effect kept in the database until it has happened: every e-mail (written in the same
    transaction as the change that sends it) and every background task the queue refused. The periodic
    ``core.tasks.drain_outbox`` delivers what is due; a claim (pending -> sending) makes it happen once."""

    kind = models.CharField(max_length=10, choices=OutboxKind.choices)
    name = models.CharField(max_length=200, help_text=_("The task's dotted path, or the mail template."))
    payload = models.JSONField(default=dict)
    key = models.CharField(max_length=200, blank=True, help_text=_("The task id, when it has one."))
    status = models.CharField(max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_at", "id"]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.name} ({self.status})"


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Audit rows are append-only.")

    def delete(self):
        raise PermissionError("Audit rows are append-only.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise PermissionError("Audit rows are append-only.")

    def update_or_create(self, *args, **kwargs):
        raise PermissionError("Audit rows are append-only.")

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        if not objs:
            return objs
        with transaction.atomic(using=self.db, savepoint=False):
            _chain(objs, using=self.db)
            return super().bulk_create(objs, *args, **kwargs)


class AuditChainHead(models.Model):
    """The last link of the audit chain: one row, locked by every audit write, so the links are in order."""

    seq = models.BigIntegerField(default=0)
    last_hash = models.CharField(max_length=64)

    class Meta:
        verbose_name = "audit chain head"

    def __str__(self) -> str:
        return f"#{self.seq} {self.last_hash[:12]}"


HEAD_PK = 1


def _chain(events: list[AuditEvent], *, using: str) -> None:
    """Give each new row its place and hash. Runs inside the writer's transaction, holding the head lock
    (``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's IMMEDIATE transactions already serialise writers)."""
    head = _head_locked(using)
    if head is None:
        # A fresh or flushed database: start from the last sealed row, if any.
        last = AuditEvent.objects.using(using).exclude(seq=None).order_by("-seq").first()
        AuditChainHead.objects.using(using).get_or_create(
            pk=HEAD_PK,
            defaults={"seq": last.seq if last else 0, "last_hash": last.row_hash if last else GENESIS_HASH},
        )
        head = AuditChainHead.objects.using(using).select_for_update().get(pk=HEAD_PK)
    for event in events:
        if event.pk is not None:
            raise PermissionError("Audit rows are append-only.")
        head.seq += 1
        event.seq = head.seq
        event.row_hash = row_hash(event, head.last_hash)
        head.last_hash = event.row_hash
    # Plain SQL for the two head statements: they run on every audited write and request.
    connection = connections[using]
    with prepared_cursor(using) as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(AuditChainHead._meta.db_table)}"  # noqa: S608
            " SET seq = %s, last_hash = %s WHERE id = %s",
            [head.seq, head.last_hash, HEAD_PK],
        )


# The top-level "seq" of ``auditchain.canonical`` with seq 0: the keys are sorted, so "user_agent" follows it,
# and text inside the row's values has its quotes escaped, so the last match is the top-level one.
_SEQ_MARK = '"seq":0,"user_agent":'
_CHAINED_INSERT: dict[str, str] = {}


@functools.cache
def _unchained_fields() -> list:
    """The audit row's columns the writer fills in (all but the id, the place and the hash)."""
    return [
        f
        for f in AuditEvent._meta.local_concrete_fields
        if not f.primary_key and f.attname not in ("seq", "row_hash")
    ]


def _chained_insert_sql(connection) -> str:
    """PostgreSQL: take the head's next place and hash, and insert the row with them, in one statement;
    parameters: the canonical text before and after the place, the head's id, then the row's columns."""
    qn = connection.ops.quote_name
    columns = ", ".join(
        qn(f.column)
        for f in [*_unchained_fields(), *(AuditEvent._meta.get_field(n) for n in ("seq", "row_hash"))]
    )
    values = ", ".join(["%s"] * len(_unchained_fields()))
    return (
        f"WITH head AS (UPDATE {qn(AuditChainHead._meta.db_table)} SET seq = seq + 1,"  # noqa: S608
        " last_hash = encode(sha256(convert_to(last_hash || E'\\n' || %s || (seq + 1)::text || %s, 'UTF8')),"
        " 'hex') WHERE id = %s RETURNING seq, last_hash)"
        f" INSERT INTO {qn(AuditEvent._meta.db_table)} ({columns})"
        f" SELECT {values}, head.seq, head.last_hash FROM head"
        f" RETURNING {qn(AuditEvent._meta.pk.column)}, {qn('seq')}, {qn('row_hash')}"
    )


def _insert_chained_in_sql(event: AuditEvent, using: str) -> bool:
    """PostgreSQL: lock the chain head, take the next place, hash the row and insert it in one statement.

    The row's canonical text (``auditchain.canonical``) is built here with its place left out; the
    database fills in the place and computes sha256(previous hash + newline + text) exactly as
    ``auditchain.row_hash`` does (the text is ASCII), so ``audit_verify`` checks these rows like any other.
    One round trip instead of two while the head is locked, which every audited write waits for.
    False when the database has no chain head yet (nothing written): the caller then starts the chain."""
    if event.pk is not None:
        raise PermissionError("Audit rows are append-only.")
    event.seq = 0
    before, mark, after = canonical(event).decode("ascii").rpartition(_SEQ_MARK)
    if not mark:  # cannot happen with CHAIN_VERSION 1; fail loudly rather than write an unverifiable row
        raise AssertionError("The audit row's canonical text has no place for its sequence number.")
    prefix, suffix = before + '"seq":', ',"user_agent":' + after
    connection = connections[using]
    statement = _CHAINED_INSERT.get(using) or _CHAINED_INSERT.setdefault(
        using, _chained_insert_sql(connection)
    )
    params = [f.get_db_prep_save(f.pre_save(event, True), connection) for f in _unchained_fields()]
    with prepared_cursor(using) as cursor:
        cursor.execute(statement, [prefix, suffix, HEAD_PK, *params])
        row = cursor.fetchone()
    if row is None:
        event.seq = None
        return False
    event.pk, event.seq, event.row_hash = row
    event._state.adding = False
    event._state.db = using
    return True


def _head_locked(using: str) -> AuditChainHead | None:
    """The chain head, locked until the transaction ends (``FOR UPDATE`` where the database has it)."""
    connection = connections[using]
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with prepared_cursor(using) as cursor:
        cursor.execute(
            f"SELECT seq, last_hash FROM {connection.ops.quote_name(AuditChainHead._meta.db_table)}"  # noqa: S608
            f" WHERE id = %s{lock}",
            [HEAD_PK],
        )
        row = cursor.fetchone()
    return None if row is None else AuditChainHead(pk=HEAD_PK, seq=row[0], last_hash=row[1])


class AuditEvent(models.Model):
    """One row per change to a clinical record and per staff read of a patient's record. Never edited."""

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+", db_index=True
    )
    actor_email = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=80)
    record_type = models.CharField(max_length=80)
    record_id = models.CharField(max_length=64, blank=True)
    clinic = models.ForeignKey(Clinic, null=True, on_delete=models.PROTECT, related_name="+")
    patient = models.ForeignKey(Patient, null=True, on_delete=models.PROTECT, related_name="+")
    ip_address = models.GenericIPAddressField(null=True)
    user_agent = models.CharField(max_length=300, blank=True)
    detail = models.JSONField(default=dict, blank=True)
    # The row's place in the hash chain and sha256(previous row's hash + this row): see core/auditchain.py.
    seq = models.BigIntegerField(unique=True, editable=False)
    row_hash = models.CharField(max_length=64, editable=False)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_at", "-id"]
        indexes = [
            models.Index(fields=["patient", "-occurred_at"]),
            models.Index(fields=["record_type", "record_id"]),
        ]

    def __str__(self) -> str:
        when = f"{self.occurred_at:%Y-%m-%d %H:%M}"
        return f"{when} {self.actor_email} {self.action} {self.record_type}#{self.record_id}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise PermissionError("Audit rows are append-only.")
        using = kwargs.get("using") or router.db_for_write(type(self))
        # No savepoint inside the caller's transaction: a failed audit write fails the whole change.
        with transaction.atomic(using=using, savepoint=False):
            plain = not args and not kwargs.keys() - {"using"}
            if plain and connections[using].vendor == "postgresql" and _insert_chained_in_sql(self, using):
                return
            _chain([self], using=using)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Audit rows are append-only.")
