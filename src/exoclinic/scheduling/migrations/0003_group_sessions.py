"""Group sessions: a type's capacity, each appointment's session and place in it.

Existing appointments each get their own session (computed from their type, practitioner, room and start)
and place 1; the practitioner and room exclusion constraints are rebuilt to allow overlap only within one
session.
"""

import datetime

import django.contrib.postgres.fields.ranges
import django.core.validators
from django.db import migrations, models

import exoclinic.scheduling.models

ACTIVE = models.Q(("status__in", ["held", "requested", "confirmed", "checked_in", "completed"]))


def _exclusion(field, *, other_session):
    expressions = [
        (
            exoclinic.scheduling.models.TsTzRange(
                "blocked_start", "blocked_end", django.contrib.postgres.fields.ranges.RangeBoundary()
            ),
            "&&",
        ),
        (field, "="),
    ]
    if other_session:
        expressions.append(("session_key", "<>"))
    return exoclinic.scheduling.models.PostgresExclusionConstraint(
        condition=ACTIVE, expressions=expressions, name=f"appointment_no_overlap_{field}"
    )


def fill_session_keys(apps, schema_editor):
    Appointment = apps.get_model("scheduling", "Appointment")
    for row in Appointment.objects.only("pk", "appointment_type_id", "practitioner_id", "room_id", "start"):
        utc = row.start.astimezone(datetime.UTC)
        key = f"{row.appointment_type_id}:{row.practitioner_id}:{row.room_id or '-'}:{utc:%Y%m%dT%H%M%SZ}"
        Appointment.objects.filter(pk=row.pk).update(session_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0002_hours_end_after_start"),
    ]

    operations = [
        migrations.AddField(
            model_name="appointmenttype",
            name="capacity",
            field=models.PositiveSmallIntegerField(
                default=1,
                validators=[django.core.validators.MinValueValidator(1)],
                help_text=(
                    "1: one patient at a time. More: a group session (e.g. group physiotherapy) that several "
                    "patients share, with the same practitioner, room and time."
                ),
                verbose_name="places per session",
            ),
        ),
        migrations.AddConstraint(
            model_name="appointmenttype",
            constraint=models.CheckConstraint(
                condition=models.Q(("capacity__gte", 1)), name="appointment_type_capacity_positive"
            ),
        ),
        migrations.AddField(
            model_name="appointment",
            name="session_key",
            field=models.CharField(default="", editable=False, max_length=100),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="appointment",
            name="seat",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="place"),
        ),
        migrations.RunPython(fill_session_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(model_name="appointment", name="appointment_no_overlap_practitioner"),
        migrations.RemoveConstraint(model_name="appointment", name="appointment_no_overlap_room"),
        migrations.AddConstraint(
            model_name="appointment", constraint=_exclusion("practitioner", other_session=True)
        ),
        migrations.AddConstraint(model_name="appointment", constraint=_exclusion("room", other_session=True)),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.UniqueConstraint(
                condition=ACTIVE, fields=("session_key", "seat"), name="appointment_one_patient_per_place"
            ),
        ),
        migrations.AddConstraint(
            model_name="appointment",
            constraint=models.CheckConstraint(
                condition=models.Q(("seat__gte", 1)), name="appointment_seat_positive"
            ),
        ),
    ]
