"""The preparation rules: which precautions a patient's medications and conditions call for.

Pure: plain data in, item specifications out. The physician confirms each item; the rules only make sure
none is forgotten. An unknown answer (infection, pregnancy) never removes an item: it asks for a check.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class MedicationFacts:
    id: int
    name: str
    is_anticoagulant: bool
    is_anti_inflammatory: bool
    stopped_on: dt.date | None = None


@dataclass(frozen=True)
class ItemSpec:
    rule: str
    key: str
    title: str
    instructions: str
    medication_id: int | None = None


def precaution_items(
    *,
    medications: Iterable[MedicationFacts],
    active_infection: str,
    pregnancy: str,
    sex: str,
    anti_inflammatory_avoid_days: int,
    today: dt.date,
) -> list[ItemSpec]:
    items: list[ItemSpec] = []
    for med in medications:
        if med.stopped_on is not None and med.stopped_on < today:
            continue
        if med.is_anticoagulant:
            items.append(
                ItemSpec(
                    "anticoagulant",
                    f"anticoagulant:{med.id}",
                    _("Blood thinner: %(name)s") % {"name": med.name},
                    _(
                        "You take %(name)s, which thins the blood. Your physician tells you whether to pause "
                        "it before the injection and when to restart. Do not stop it on your own."
                    )
                    % {"name": med.name},
                    med.id,
                )
            )
        if med.is_anti_inflammatory:
            items.append(
                ItemSpec(
                    "anti_inflammatory",
                    f"anti_inflammatory:{med.id}",
                    _("Anti-inflammatory medicine: %(name)s") % {"name": med.name},
                    _(
                        "Anti-inflammatory medicines are avoided after the treatment (%(days)s days in your "
                        "plan). Your physician tells you what to do about %(name)s. Do not change your "
                        "medicines on your own."
                    )
                    % {"name": med.name, "days": anti_inflammatory_avoid_days},
                    med.id,
                )
            )
    if active_infection == "yes":
        items.append(
            ItemSpec(
                "active_infection",
                "active_infection",
                _("Active infection"),
                _(
                    "An active infection is treated before the procedure. "
                    "The physician confirms it has cleared."
                ),
            )
        )
    elif active_infection == "unknown":
        items.append(
            ItemSpec(
                "active_infection",
                "active_infection",
                _("Infection check"),
                _(
                    "Tell the clinic if you have a fever or any sign of infection before the procedure. "
                    "The physician checks for infection before treating."
                ),
            )
        )
    if pregnancy == "yes":
        items.append(
            ItemSpec(
                "pregnancy",
                "pregnancy",
                _("Pregnancy"),
                _("You are pregnant: the physician reviews the plan with you before any procedure."),
            )
        )
    elif pregnancy == "unknown" and sex != "male":
        items.append(
            ItemSpec(
                "pregnancy",
                "pregnancy",
                _("Pregnancy status"),
                _("The physician confirms whether you could be pregnant before the procedure."),
            )
        )
    return items
