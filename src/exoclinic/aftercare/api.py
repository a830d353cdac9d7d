"""The patient's aftercare: restrictions with their end times, check-ins, warnings."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router

from exoclinic.core.policy import patient_get
from exoclinic.core.schemas import ErrorOut

from .models import CheckIn, Restriction
from .schemas import AftercareOut
from .selectors import aftercare_for_patient

router = Router(tags=["aftercare"])


@router.get("/aftercare/patients/{patient_id}", response={200: AftercareOut, 404: ErrorOut})
def patient_aftercare(request: HttpRequest, patient_id: int):
    patient = patient_get(user=request.auth, patient_id=patient_id, purpose="api_aftercare")
    now = timezone.now()
    view = aftercare_for_patient(patient, now=now)
    restrictions = Restriction.objects.filter(plan__patient=patient).order_by("ends_at", "id")
    return {
        "patient_id": patient.pk,
        "time_zone": str(patient.tz),
        "restrictions": [
            {
                "kind": r.kind,
                "title": r.title,
                "advice": r.advice,
                "starts_at": r.starts_at,
                "ends_at": r.ends_at,
                "in_force": r.in_force(now),
            }
            for r in restrictions
        ],
        "check_ins": [
            {
                "id": c.pk,
                "title": c.title,
                "due_at": c.due_at,
                "completed_at": c.completed_at,
                "feeling": c.feeling,
            }
            for c in CheckIn.objects.filter(plan__patient=patient).order_by("due_at", "id")
        ],
        "medication_warnings": [w.medication.name for w in view.warnings],
    }
