"""Who am I, and the patients I may see."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Field, Query, Router, Schema

from exoclinic.accounts.models import StaffMembership

from . import selectors, services
from .models import Patient
from .policy import patient_get, portal_patients
from .schemas import ErrorOut, MeOut, PatientContactIn, PatientOut
from .timeline import Timeline, patient_timeline, patient_timelines

router = Router(tags=["people"])


def _patient_out(patient: Patient, timeline: Timeline | None = None) -> dict:
    data = {field: getattr(patient, field) for field in PatientOut.model_fields if hasattr(patient, field)}
    current = (timeline or patient_timeline(patient)).current
    data["current_step"] = current.step.value if current else None
    return data


@router.get("/me", response=MeOut)
def me(request: HttpRequest):
    user = request.auth
    memberships = StaffMembership.objects.filter(user=user).select_related("clinic")
    return {
        "id": user.pk,
        "email": user.email,
        "full_name": user.full_name,
        "memberships": [
            {
                "clinic_id": m.clinic_id,
                "clinic": m.clinic.name,
                "role": m.role,
                "is_medical_director": m.is_medical_director,
            }
            for m in memberships
        ],
        "patient_ids": list(portal_patients(user).order_by("pk").values_list("pk", flat=True)),
    }


class PatientPage(Schema):
    limit: int = Field(
        selectors.PATIENT_PAGE_DEFAULT,
        ge=1,
        le=selectors.PATIENT_PAGE_MAX,
        description=f"Patients per page (1-{selectors.PATIENT_PAGE_MAX}).",
    )
    offset: int = Field(0, ge=0, le=10_000_000, description="How many patients, by name, to skip.")


@router.get(
    "/patients",
    response=list[PatientOut],
    description=(
        "The patients you may see, by last name, one page at a time (`limit`, `offset`). The total is in the "
        '`X-Total-Count` header and the next page\'s address in `Link` (`rel="next"`). Every record a staff '
        "member receives is written to the audit trail."
    ),
)
def patient_list(request: HttpRequest, response: HttpResponse, page: Query[PatientPage]):
    patients, total = selectors.patient_list(
        user=request.auth, purpose="api_list", limit=page.limit, offset=page.offset
    )
    timelines = patient_timelines(patients)  # each app's evidence in a few queries for the whole page
    response["X-Total-Count"] = str(total)
    if page.offset + len(patients) < total:
        following = request.GET.copy()
        following["limit"] = str(page.limit)
        following["offset"] = str(page.offset + page.limit)
        response["Link"] = f'<{request.path}?{following.urlencode()}>; rel="next"'
    return [_patient_out(p, timelines[p.pk]) for p in patients]


@router.get("/patients/{patient_id}", response={200: PatientOut, 404: ErrorOut})
def patient_detail(request: HttpRequest, patient_id: int):
    return _patient_out(patient_get(user=request.auth, patient_id=patient_id, purpose="api"))


@router.patch("/patients/{patient_id}", response={200: PatientOut, 400: ErrorOut, 404: ErrorOut})
def patient_update(request: HttpRequest, patient_id: int, payload: PatientContactIn):
    patient = patient_get(user=request.auth, patient_id=patient_id, purpose="api_update")
    data = payload.model_dump(exclude_unset=True)
    updated = services.patient_update(
        actor=request.auth, patient=patient, data={k: v or "" for k, v in data.items()}
    )
    return _patient_out(updated)
