"""What the product services share: who may do what."""

from __future__ import annotations

from exoclinic.core.policy import require_staff

# Lab and pharmacy staff (and the clinic admin) keep the product records.
LAB_ROLES = ("lab", "admin")
# Who may give a unit to a patient: the clinician at the procedure, or lab/pharmacy dispensing for them.
ADMINISTER_ROLES = ("clinician", "lab", "admin")
# Who may read a recall list and track notifications.
RECALL_READER_ROLES = ("lab", "clinician", "coordinator", "admin")


def require_lab(actor, clinic) -> None:
    require_staff(actor, clinic, LAB_ROLES)
