"""Booking: appointment types, rooms, availability, appointments (holds included), waitlist, reminders.

The no-overlap rule lives in the database. An appointment (or a hold) blocks ``[blocked_start, blocked_end)``,
its own time widened by the type's buffers. Every appointment belongs to a *session*: its type, practitioner,
room and start (``session_key``, set on every save). A type with a capacity above 1 (group physiotherapy)
has sessions that several patients share, each in a place of their own (``seat``, 1 to the capacity).
While active:
- a patient's blocked interval may not overlap another of theirs;
- a practitioner's or a room's blocked interval may not overlap one of *another session*;
- two appointments of one session may not hold the same place (a unique index on both databases).
A session of a capacity-1 type has one place, so for those the rule is plain "no overlap".
- PostgreSQL: three exclusion constraints (btree_gist, ``tstzrange`` over the blocked interval, ``WHERE``
  the status is active; ``session_key WITH <>`` for practitioner and room);
- SQLite: the services check and insert inside one ``transaction.atomic()``; the project opens every
  SQLite transaction with ``BEGIN IMMEDIATE``, so writers are serialized and the check cannot go stale.
That a place number stays within the type's capacity is the services' rule (the database cannot read the
type's capacity from an appointment row); they pick the lowest free place inside the same transaction.
"""

from __future__ import annotations

import datetime
import uuid
from datetime import timedelta

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeBoundary, RangeOperators
from django.core.validators import MinValueValidator
from django.db import models, router
from django.db.models import Func, Q
from django.utils.translation import gettext_lazy as _

from exoclinic.core.db import insert_new
from exoclinic.core.models import ClinicOwned, Patient, TimeStamped
from exoclinic.core.timeline import Step


class TsTzRange(Func):
    function = "TSTZRANGE"
    output_field = DateTimeRangeField()


class PostgresExclusionConstraint(ExclusionConstraint):
    """An exclusion constraint that exists on PostgreSQL and is a no-op elsewhere.

    On SQLite the services' serialized check-and-insert holds the same rule (see the module docstring).
    """

    @staticmethod
    def _is_postgres(connection) -> bool:
        return connection.vendor == "postgresql"

    def constraint_sql(self, model, schema_editor):
        return (
            super().constraint_sql(model, schema_editor)
            if self._is_postgres(schema_editor.connection)
            else None
        )

    def create_sql(self, model, schema_editor):
        return (
            super().create_sql(model, schema_editor) if self._is_postgres(schema_editor.connection) else None
        )

    def remove_sql(self, model, schema_editor):
        return (
            super().remove_sql(model, schema_editor) if self._is_postgres(schema_editor.connection) else None
        )

    def validate(self, model, instance, exclude=None, using="default"):
        from django.db import connections

        if self._is_postgres(connections[using]):
            super().validate(model, instance, exclude=exclude, using=using)


class AppointmentKind(models.TextChoices):
    CONSULTATION = "consultation", _("Consultation in person")
    REMOTE_CONSULTATION = "remote_consultation", _("Remote consultation (video)")
    TREATMENT = "treatment", _("Treatment session")
    FOLLOW_UP = "follow_up", _("Follow-up assessment")
    PHYSIOTHERAPY = "physiotherapy", _("Physiotherapy")


CONSULTATION_KINDS = (AppointmentKind.CONSULTATION, AppointmentKind.REMOTE_CONSULTATION)


class AppointmentType(ClinicOwned):
    clinic = models.ForeignKey("core.Clinic", on_delete=models.PROTECT, related_name="appointment_types")
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=AppointmentKind.choices)
    description = models.TextField(_("description"), blank=True)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"))
    buffer_before_minutes = models.PositiveIntegerField(_("buffer before (minutes)"), default=0)
    buffer_after_minutes = models.PositiveIntegerField(_("buffer after (minutes)"), default=0)
    step_minutes = models.PositiveIntegerField(
        _("slot step (minutes)"), null=True, blank=True, help_text=_("Empty: slots follow each other.")
    )
    min_notice_hours = models.PositiveIntegerField(_("minimum notice (hours)"), default=24)
    horizon_days = models.PositiveIntegerField(_("booking horizon (days)"), default=90)
    cancellation_cutoff_hours = models.PositiveIntegerField(
        _("cancellation cutoff (hours)"),
        default=24,
        help_text=_("Patients may cancel or reschedule until this many hours before the start."),
    )
    patient_bookable = models.BooleanField(_("patients may book it themselves"), default=True)
    staff_confirms = models.BooleanField(
        _("staff confirm patients' bookings"),
        default=False,
        help_text=_("A patient's booking stays 'requested' until staff confirm it."),
    )
    requires_step = models.CharField(
        _("timeline step it needs"),
        max_length=20,
        choices=[(s.value, s.value) for s in Step],
        default=Step.CONSULTATION.value,
        help_text=_("Booking is refused until the patient's treatment timeline has reached this step."),
    )
    practitioner_title = models.CharField(
        _("practitioner title"),
        max_length=60,
        blank=True,
        help_text=_("Clinicians whose staff title contains this word (e.g. physician, physiotherapist)."),
    )
    room_kind = models.CharField(
        _("room needed"), max_length=40, blank=True, help_text=_("Kind of room, e.g. procedure; empty: none.")
    )
    capacity = models.PositiveSmallIntegerField(
        _("places per session"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_(
            "1: one patient at a time. More: a group session (e.g. group physiotherapy) that several "
            "patients share, with the same practitioner, room and time."
        ),
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["clinic", "name"]
        constraints = [
            models.UniqueConstraint(fields=["clinic", "name"], name="appointment_type_unique_name"),
            models.CheckConstraint(
                condition=Q(duration_minutes__gt=0), name="appointment_type_duration_positive"
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="appointment_type_capacity_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def buffer_before(self) -> timedelta:
        return timedelta(minutes=self.buffer_before_minutes)

    @property
    def buffer_after(self) -> timedelta:
        return timedelta(minutes=self.buffer_after_minutes)

    @property
    def cancellation_cutoff(self) -> timedelta:
        return timedelta(hours=self.cancellation_cutoff_hours)

    @property
    def is_remote(self) -> bool:
        return self.kind == AppointmentKind.REMOTE_CONSULTATION

    @property
    def is_group(self) -> bool:
        return self.capacity > 1


class Room(ClinicOwned):
    clinic = models.ForeignKey("core.Clinic", on_delete=models.PROTECT, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=40, help_text=_("e.g. procedure, consultation"))
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["clinic", "name"]
        constraints = [models.UniqueConstraint(fields=["clinic", "name"], name="room_unique_name")]

    def __str__(self) -> str:
        return self.name


WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
# 00:00 as an end means midnight (the end of the day).
_ENDS_AFTER_START = Q(end__gt=models.F("start")) | Q(end=datetime.time(0))
_ONE_OWNER = Q(practitioner__isnull=False, room__isnull=True) | Q(
    practitioner__isnull=True, room__isnull=False
)


class WeeklyHours(ClinicOwned):
    """Open hours of a practitioner or a room on one weekday, local wall-clock time of the clinic."""

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.CASCADE, related_name="weekly_hours"
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=WEEKDAYS,
    )
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"), help_text=_("00:00 means midnight."))

    class Meta:
        ordering = ["weekday", "start"]
        verbose_name_plural = _("weekly hours")
        constraints = [
            models.CheckConstraint(condition=_ONE_OWNER, name="weekly_hours_one_owner"),
            models.CheckConstraint(condition=Q(weekday__lte=6), name="weekly_hours_weekday"),
            models.CheckConstraint(condition=_ENDS_AFTER_START, name="weekly_hours_end_after_start"),
        ]


class ExceptionKind(models.TextChoices):
    CLOSED = "closed", _("Closed (leave, holiday)")
    EXTRA = "extra", _("Extra hours")


class AvailabilityException(ClinicOwned):
    """A change for one local date; no times means the whole day."""

    practitioner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    room = models.ForeignKey(Room, null=True, blank=True, on_delete=models.CASCADE, related_name="exceptions")
    day = models.DateField(_("date"))
    kind = models.CharField(_("kind"), max_length=10, choices=ExceptionKind.choices)
    start = models.TimeField(_("from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["day", "start"]
        constraints = [
            models.CheckConstraint(condition=_ONE_OWNER, name="availability_exception_one_owner"),
            models.CheckConstraint(
                condition=Q(start__isnull=True, end__isnull=True) | Q(start__isnull=False, end__isnull=False),
                name="availability_exception_both_times",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | _ENDS_AFTER_START,
                name="availability_exception_end_after_start",
            ),
        ]


class AppointmentStatus(models.TextChoices):
    HELD = "held", _("Held")
    REQUESTED = "requested", _("Requested")
    CONFIRMED = "confirmed", _("Confirmed")
    CHECKED_IN = "checked_in", _("Checked in")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    NO_SHOW = "no_show", _("No-show")
    EXPIRED = "expired", _("Hold expired")


# Statuses that occupy time: the no-overlap constraints apply to these.
ACTIVE_STATUSES = (
    AppointmentStatus.HELD,
    AppointmentStatus.REQUESTED,
    AppointmentStatus.CONFIRMED,
    AppointmentStatus.CHECKED_IN,
    AppointmentStatus.COMPLETED,
)
# Statuses of a booking the patient still expects to attend.
UPCOMING_STATUSES = (AppointmentStatus.REQUESTED, AppointmentStatus.CONFIRMED)
# Statuses of a visit that took place or is taking place: the one rule for what an exam, a procedure or any
# other clinical record may be linked to (a request, a hold, a cancelled or missed visit did not happen).
VISIT_STATUSES = (AppointmentStatus.CONFIRMED, AppointmentStatus.CHECKED_IN, AppointmentStatus.COMPLETED)


def visit_took_place(appointment: Appointment) -> bool:
    return appointment.status in VISIT_STATUSES


_ACTIVE = Q(status__in=[s.value for s in ACTIVE_STATUSES])


def _no_overlap(field: str, *, other_session: bool) -> PostgresExclusionConstraint:
    expressions = [
        (TsTzRange("blocked_start", "blocked_end", RangeBoundary()), RangeOperators.OVERLAPS),
        (field, RangeOperators.EQUAL),
    ]
    if other_session:
        # Overlap is allowed only within one session; its places are kept apart by a unique index.
        expressions.append(("session_key", RangeOperators.NOT_EQUAL))
    return PostgresExclusionConstraint(
        name=f"appointment_no_overlap_{field}", expressions=expressions, condition=_ACTIVE
    )


def session_key_for(
    *, type_id: int, practitioner_id: int, room_id: int | None, start: datetime.datetime
) -> str:
    """The session an appointment belongs to: its type, practitioner, room and start (UTC)."""
    utc = start.astimezone(datetime.UTC)
    return f"{type_id}:{practitioner_id}:{room_id or '-'}:{utc:%Y%m%dT%H%M%SZ}"


class Appointment(ClinicOwned):
    """A booking or a hold. ``start``/``end`` is the visit; ``blocked_*`` adds the buffers."""

    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    patient = models.ForeignKey(Patient, on_delete=models.PROTECT, related_name="appointments")
    appointment_type = models.ForeignKey(
        AppointmentType, on_delete=models.PROTECT, related_name="appointments"
    )
    practitioner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.PROTECT, related_name="appointments"
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    blocked_start = models.DateTimeField()
    blocked_end = models.DateTimeField()
    status = models.CharField(_("status"), max_length=20, choices=AppointmentStatus.choices)
    hold_expires_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Booking questions.
    mobility_needs = models.TextField(_("mobility or transfer needs"), blank=True)
    caregiver_attending = models.BooleanField(_("a caregiver will come"), default=False)
    interpreter_language = models.CharField(_("interpreter needed for language"), max_length=60, blank=True)
    notes = models.TextField(_("notes for the clinic"), blank=True)
    video_link = models.URLField(_("video link"), blank=True)
    # Calendar file: the same UID for the life of the appointment, SEQUENCE raised on every change.
    sequence = models.PositiveIntegerField(default=0)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_reason = models.CharField(_("reason"), max_length=300, blank=True)
    late_cancellation = models.BooleanField(_("cancelled after the cutoff"), default=False)
    reschedule_count = models.PositiveIntegerField(default=0)
    waitlist_entry = models.ForeignKey(
        "WaitlistEntry", null=True, blank=True, on_delete=models.SET_NULL, related_name="offers"
    )
    # The session (type, practitioner, room, start) and the patient's place in it; see the module docstring.
    session_key = models.CharField(max_length=100, editable=False)
    seat = models.PositiveSmallIntegerField(_("place"), default=1)

    class Meta:
        ordering = ["start", "id"]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="appointment_idempotency_key_unique"),
            models.UniqueConstraint(
                fields=["session_key", "seat"], condition=_ACTIVE, name="appointment_one_patient_per_place"
            ),
            models.CheckConstraint(condition=Q(seat__gte=1), name="appointment_seat_positive"),
            models.CheckConstraint(
                condition=Q(end__gt=models.F("start")), name="appointment_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(blocked_start__lte=models.F("start"), blocked_end__gte=models.F("end")),
                name="appointment_blocked_covers_visit",
            ),
            models.CheckConstraint(
                condition=~Q(status=AppointmentStatus.HELD) | Q(hold_expires_at__isnull=False),
                name="appointment_hold_expires",
            ),
            _no_overlap("practitioner", other_session=True),
            _no_overlap("room", other_session=True),
            _no_overlap("patient", other_session=False),
        ]
        indexes = [
            models.Index(fields=["practitioner", "blocked_start"]),
            models.Index(fields=["room", "blocked_start"]),
            models.Index(fields=["patient", "start"]),
            models.Index(fields=["clinic", "start"]),
            # For SQLite's busy-time read (availability.py): what ends after the window starts, which years
            # of past appointments do not. PostgreSQL answers it from the no-overlap GiST indexes instead.
            models.Index(fields=["practitioner", "blocked_end"], name="appointment_practitioner_end"),
            models.Index(fields=["room", "blocked_end"], name="appointment_room_end"),
            models.Index(fields=["patient", "blocked_end"], name="appointment_patient_end"),
        ]

    def __str__(self) -> str:
        return f"{self.appointment_type} {self.start:%Y-%m-%d %H:%M} UTC ({self.get_status_display()})"

    def save(self, *args, **kwargs):
        self.session_key = session_key_for(
            type_id=self.appointment_type_id,
            practitioner_id=self.practitioner_id,
            room_id=self.room_id,
            start=self.start,
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "session_key" not in update_fields:
            kwargs["update_fields"] = [*update_fields, "session_key"]
        if self._state.adding and self.pk is None and not args and kwargs.keys() <= {"force_insert", "using"}:
            # A new booking (``objects.create`` or ``save``): one prepared INSERT on PostgreSQL (core/db.py).
            insert_new(self, using=kwargs.get("using") or router.db_for_write(Appointment, instance=self))
            return
        super().save(*args, **kwargs)

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting")
    OFFERED = "offered", _("Offered a slot")
    BOOKED = "booked", _("Booked")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WaitlistEntry(ClinicOwned):
    """A patient waiting for a type between two local dates; offered the first slot that frees."""

    patient = models.ForeignKey(Patient, on_delete=models.CASCADE, related_name="waitlist_entries")
    appointment_type = models.ForeignKey(AppointmentType, on_delete=models.CASCADE, related_name="+")
    earliest = models.DateField(_("from"))
    latest = models.DateField(_("until"))
    status = models.CharField(max_length=20, choices=WaitlistStatus.choices, default=WaitlistStatus.WAITING)
    offers_made = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latest__gte=models.F("earliest")), name="waitlist_range_ordered"
            ),
            models.UniqueConstraint(
                fields=["patient", "appointment_type"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_one_open_entry_per_type",
            ),
        ]


class ReminderDelivery(TimeStamped):
    """One reminder sent: the unique key makes a second delivery of the same reminder impossible."""

    appointment = models.ForeignKey(Appointment, on_delete=models.CASCADE, related_name="reminders")
    offset_minutes = models.PositiveIntegerField()
    appointment_start = models.DateTimeField(help_text=_("The start the reminder announced."))
    sent_at = models.DateTimeField()
    channel = models.CharField(max_length=20, default="email")
    recipient = models.CharField(max_length=254)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["appointment", "offset_minutes", "appointment_start"], name="reminder_sent_once"
            )
        ]
