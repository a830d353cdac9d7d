"""Helpers shared by the booking pages: the acting patient, a week of slots grouped by local day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from django.utils import timezone

from exoclinic.core.models import Patient
from exoclinic.core.views import request_acting_patient

from .. import selectors
from ..availability import FoundSlot
from ..slots import Slot, in_zone


def acting_patient(request) -> Patient | None:
    """Whom the booking pages act for: the one rule of ``core.policy.acting_patient`` (None: no record)."""
    return request_acting_patient(request, required=False)


def week_start(request, tz) -> date:
    today = timezone.now().astimezone(tz).date()
    raw = request.GET.get("week", "")
    try:
        chosen = date.fromisoformat(raw) if raw else today
    except ValueError:
        chosen = today
    return max(chosen, today)


def slot_days(found: list[FoundSlot], tz) -> list[dict]:
    """Slots grouped by local day in the viewer's zone, with labels that name the zone and offset."""
    days: dict[date, list[dict]] = {}
    for slot in found:
        local = in_zone([Slot(slot.start, slot.end, slot.blocked_start, slot.blocked_end)], tz)[0]
        days.setdefault(local.start.date(), []).append(
            {
                "time": f"{local.start:%H:%M}",
                "label": local.label,
                "start": slot.start.isoformat(),
                "practitioner_id": slot.practitioner_id,
                "practitioner_name": slot.practitioner_name,
                "places_left": slot.places_left,
            }
        )
    return [{"day": day, "slots": slots} for day, slots in sorted(days.items())]


def week_slots(
    *, request, user, type_id, tz, patient=None, exclude_appointment_id=None, practitioner_id=None
) -> dict:
    first = week_start(request, tz)
    found = selectors.slots_search(
        user=user,
        type_id=type_id,
        start=first,
        end=first + timedelta(days=6),
        practitioner_id=practitioner_id,
        patient=patient,
        exclude_appointment_id=exclude_appointment_id,
    )
    today = timezone.now().astimezone(tz).date()
    return {
        "days": slot_days(found, tz),
        "week": first,
        "next_week": first + timedelta(days=7),
        "previous_week": first - timedelta(days=7) if first > today else None,
        "zone": str(tz),
    }


def parse_start(raw: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(raw)
    except (TypeError, ValueError):
        return None
    return value if value.tzinfo is not None else None
