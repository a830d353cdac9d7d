import datetime as dt
import uuid

import pytest
from django.core import mail
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.models import AuditEvent
from exoclinic.products.models import LotStatus
from exoclinic.treatment import services
from exoclinic.treatment.models import Consent, Procedure, TreatmentPlan
from tests.factories import PASSWORD
from tests.products.factories import ProductLotFactory, make_units, released_lot
from tests.treatment.factories import ConsentTextFactory, approved_plan_with_consent, plan_for
from tests.treatment.helpers import VITALS, record


@pytest.fixture
def clinician(staff):
    return staff(Role.CLINICIAN)


def login(client, user):
    assert client.login(email=user.email, password=PASSWORD)


def procedure_post(patient, lot_code, key=None, **overrides):
    data = {
        "submission_key": str(key or uuid.uuid4()),
        "identity_full_name": patient.full_name,
        "identity_date_of_birth": patient.date_of_birth.isoformat(),
        "lot_code": lot_code,
        "performed_at": timezone.now().astimezone(patient.clinic.tz).strftime("%Y-%m-%dT%H:%M"),
        "dose": "1 mL",
        "route": "local_injection",
        "site": "Paraspinal",
        "level": "T4",
    }
    for when in ("before", "after"):
        for name, value in VITALS.items():
            data[f"{when}_{name}"] = value
    data.update(overrides)
    return data


def test_clinician_writes_a_plan_and_a_rejected_form_keeps_every_value(client, clinician, patient):
    login(client, clinician)
    services.therapy_catalogue_ensure(actor=clinician, clinic=patient.clinic)
    url = f"/staff/treatment/patients/{patient.pk}/plans/new/"
    page = client.get(url)
    assert page.status_code == 200
    therapy = page.context["form"].fields["therapy"].choices[0][0]
    data = {
        "therapy": therapy,
        "route": "local_injection",
        "target_site": "Paraspinal T4",
        "planned_sessions": 3,
        "dose": "1 mL",
        "rationale": "Goals: sitting balance",
        "alternatives_discussed": "Stem cell therapy",
        "active_infection": "no",
        "pregnancy": "no",
    }
    refused = client.post(url, data)
    assert refused.status_code == 200 and not TreatmentPlan.objects.exists()
    assert "Say how many days apart" in refused.content.decode()
    assert 'value="Paraspinal T4"' in refused.content.decode()
    saved = client.post(url, {**data, "session_interval_days": 30})
    plan = TreatmentPlan.objects.get()
    assert saved.status_code == 302 and saved.url == f"/staff/treatment/plans/{plan.pk}/"
    approve = client.post(saved.url, {"action": "approve"})
    assert approve.status_code == 302
    plan.refresh_from_db()
    assert plan.approved_by == clinician


def test_clinician_records_an_in_clinic_signature_with_a_witness(client, clinician, patient):
    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    ConsentTextFactory(clinic=patient.clinic)
    login(client, clinician)
    url = f"/staff/treatment/plans/{plan.pk}/"
    when = timezone.now().astimezone(patient.clinic.tz).strftime("%Y-%m-%dT%H:%M")
    refused = client.post(
        url, {"action": "consent", "signer_name": "Ana", "witness_name": "", "accepted_at": when}
    )
    assert refused.status_code == 200 and not Consent.objects.exists()
    client.post(
        url, {"action": "consent", "signer_name": "Ana", "witness_name": "Nurse Eva", "accepted_at": when}
    )
    consent = Consent.objects.get()
    assert consent.witness_name == "Nurse Eva"
    assert abs(consent.accepted_at - timezone.now()) < dt.timedelta(minutes=2)  # read in the clinic's zone


def test_procedure_page_refuses_an_unreleased_lot_and_records_with_a_released_one(client, clinician, patient):
    plan = approved_plan_with_consent(patient, clinician=clinician)
    login(client, clinician)
    url = f"/staff/treatment/plans/{plan.pk}/procedure/"
    quarantined = ProductLotFactory(clinic=patient.clinic, status=LotStatus.QUARANTINE)
    make_units(quarantined, 1)
    refused = client.post(url, procedure_post(patient, quarantined.code))
    assert refused.status_code == 200 and "quarantine" in refused.content.decode()
    assert refused.context["form"]["lot_code"].errors
    assert not Procedure.objects.exists()
    lot = released_lot(clinic=patient.clinic)
    key = uuid.uuid4()
    done = client.post(url, procedure_post(patient, lot.code, key))
    again = client.post(url, procedure_post(patient, lot.code, key))
    procedure = Procedure.objects.get()
    assert done.url == again.url == f"/staff/treatment/procedures/{procedure.pk}/"
    detail = client.get(done.url).content.decode()
    assert lot.code in detail and "No cardiovascular exercise" in detail


def test_lab_staff_do_not_see_treatment_records(client, staff, patient, clinician):
    plan = plan_for(patient, clinician=clinician)
    lab = staff(Role.LAB)
    login(client, lab)
    assert client.get(f"/staff/treatment/patients/{patient.pk}/").status_code == 404
    assert client.get(f"/staff/treatment/plans/{plan.pk}/").status_code == 404


def test_staff_of_another_clinic_get_404(client, staff, patient, other_clinic, clinician):
    plan = plan_for(patient, clinician=clinician)
    login(client, staff(Role.CLINICIAN, at=other_clinic))
    assert client.get(f"/staff/treatment/plans/{plan.pk}/").status_code == 404


def test_opening_a_plan_is_audited_as_a_patient_read(client, clinician, patient):
    plan = plan_for(patient, clinician=clinician)
    login(client, clinician)
    client.get(f"/staff/treatment/plans/{plan.pk}/")
    assert AuditEvent.objects.filter(
        action="patient.view", patient=patient, detail__purpose="treatment_plan"
    ).exists()


def test_adverse_event_export_for_one_lot_is_a_csv(client, clinician, patient):
    plan = approved_plan_with_consent(patient, clinician=clinician)
    lot = released_lot(clinic=patient.clinic)
    record(plan, actor=clinician, lot=lot, at=timezone.now() - dt.timedelta(days=2))
    services.adverse_event_record(
        actor=clinician,
        patient=patient,
        ctcae_grade=3,
        seriousness_criteria=["hospitalisation"],
        relatedness="possible",
        outcome="recovering",
        onset_at=timezone.now() - dt.timedelta(days=1),
        description="=HYPERLINK fever 38.5",
    )
    login(client, clinician)
    response = client.get("/staff/treatment/adverse-events/export.csv", {"lot": lot.code})
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert len(lines) == 2 and lot.code in lines[1] and ",yes," in lines[1]
    assert "'=HYPERLINK" in lines[1]
    empty = client.get("/staff/treatment/adverse-events/export.csv", {"lot": "OTHER-LOT"})
    assert len(empty.content.decode().strip().splitlines()) == 1
    home = client.get("/staff/").content.decode()
    assert "Serious events: regulator report due" in home
    assert "14 days left" in home or "15 days left" in home


def test_patient_signs_consent_in_the_portal_and_sees_the_checklist(client, patient, patient_user, clinician):
    plan = services.plan_approve(
        actor=clinician, plan=plan_for(patient, clinician=clinician, active_infection="unknown")
    )
    ConsentTextFactory(clinic=patient.clinic, version="v3")
    login(client, patient_user)
    page = client.get("/portal/treatment/").content.decode()
    assert "Infection check" in page and "Read and sign the consent" in page
    url = f"/portal/treatment/plans/{plan.pk}/consent/"
    assert "version v3" in client.get(url).content.decode()
    client.post(url, {"version": "v3", "accepted": "on", "patient": patient.pk})
    assert Consent.objects.get().signer_name == patient_user.get_full_name()


def test_report_a_side_effect_leads_to_the_triage_symptom_check(client, patient, patient_user):
    login(client, patient_user)
    response = client.get("/portal/treatment/side-effects/new/")
    assert response.status_code == 302 and response.url == f"/portal/symptoms/?patient={patient.pk}"


def test_patient_sees_restrictions_with_end_dates_and_the_medication_warning(
    client, patient, patient_user, clinician, django_capture_on_commit_callbacks
):
    from exoclinic.core import services as core_services

    plan = approved_plan_with_consent(patient, clinician=clinician)
    record(
        plan,
        actor=clinician,
        lot=released_lot(clinic=patient.clinic),
        at=timezone.now() - dt.timedelta(hours=3),
    )
    with django_capture_on_commit_callbacks(execute=True):
        core_services.patient_medication_add(
            actor=patient_user, patient=patient, name="Ibuprofen", is_anti_inflammatory=True
        )
    login(client, patient_user)
    page = client.get("/portal/aftercare/").content.decode()
    assert "No strenuous or stressful activity" in page and "No cardiovascular exercise" in page
    assert "Ibuprofen is an anti-inflammatory medicine" in page
    home = client.get("/portal/").content.decode()
    assert "Aftercare in force" in home
    assert len(mail.outbox) == 2
    client.logout()
    login(client, clinician)
    assert "Anti-inflammatory drug added during aftercare" in client.get("/staff/").content.decode()


def test_a_draft_plan_is_changed_and_an_approved_one_is_not(client, clinician, patient):
    plan = plan_for(patient, clinician=clinician)
    login(client, clinician)
    url = f"/staff/treatment/plans/{plan.pk}/edit/"
    form = client.get(url).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, "")}
    data["concurrent_therapies"] = ["physiotherapy", "medications"]
    data["first_session_on"] = "2031-01-20"
    data["dose"] = "2 mL"
    assert client.post(url, data).status_code == 302
    plan.refresh_from_db()
    assert plan.dose == "2 mL" and plan.concurrent_therapies == ["physiotherapy", "medications"]
    services.plan_approve(actor=clinician, plan=plan)
    refused = client.post(url, {**data, "dose": "3 mL"})
    assert refused.status_code == 200 and "Only a draft plan can be changed" in refused.content.decode()
    plan.refresh_from_db()
    assert plan.dose == "2 mL"
