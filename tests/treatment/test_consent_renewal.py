"""Re-consent: a new consent text version asks every patient whose treatment goes on to consent to it (portal
prompt, staff chart), and the procedure service refuses the next session until they have."""

import datetime as dt

import pytest
from django.utils import timezone

from exoclinic.accounts.models import Role
from exoclinic.core.errors import Conflict, InvalidTransition, NotFound
from exoclinic.core.models import AuditEvent
from exoclinic.treatment import selectors, services
from exoclinic.treatment.models import Consent, ConsentRenewal
from tests.factories import PatientFactory, UserFactory
from tests.products.factories import released_lot
from tests.treatment.factories import approved_plan_with_consent
from tests.treatment.helpers import record


@pytest.fixture
def signed(patient, staff):
    clinician = staff(Role.CLINICIAN)
    plan = approved_plan_with_consent(
        patient, clinician=clinician, at=timezone.now() - dt.timedelta(days=2), planned_sessions=2,
        session_interval_days=30,
    )  # fmt: skip
    return plan, clinician


def _publish(clinic, actor, version="2027-01"):
    return services.consent_text_publish(
        actor=actor,
        clinic=clinic,
        version=version,
        title="Consent to exosome therapy",
        body=f"Text {version}.",
    )


def renew(actor, consent, version):
    return services.consent_renew_in_portal(actor=actor, consent=consent, version=version, accepted=True)


def test_a_new_version_asks_the_patient_to_reconsent_and_holds_the_next_procedure(
    client, signed, patient, patient_user, clinic
):
    plan, clinician = signed
    consent = Consent.objects.get(plan=plan)
    assert not selectors.consent_renewal_due(consent)
    client.force_login(patient_user)
    assert 'data-testid="consent-renew-panel"' not in client.get("/portal/").content.decode()

    _publish(clinic, clinician)

    assert selectors.consent_renewal_due(consent)
    home = client.get("/portal/").content.decode()
    assert 'data-testid="consent-renew-panel"' in home
    treatment = client.get("/portal/treatment/").content.decode()
    assert 'data-testid="consent-renew-prompt"' in treatment
    with pytest.raises(InvalidTransition) as refused:
        record(plan, actor=clinician, lot=released_lot(clinic=clinic))
    assert refused.value.field == "consent" and "2027-01" in refused.value.message

    url = f"/portal/treatment/plans/{plan.pk}/consent/renew/"
    page = client.get(url).content.decode()
    assert "Text 2027-01." in page and "version 2026-1" in page
    assert client.post(url, {"version": "2027-01"}).status_code == 200  # box not ticked: nothing recorded
    assert not ConsentRenewal.objects.exists()
    response = client.post(url, {"version": "2027-01", "accepted": "on"})
    assert response.status_code == 302
    renewal = ConsentRenewal.objects.get()
    assert renewal.consent == consent and renewal.consent_text.version == "2027-01"
    assert renewal.recorded_by == patient_user and renewal.method == "portal"
    event = AuditEvent.objects.get(action="consent.renew")
    assert event.patient == patient and event.actor == patient_user
    assert event.detail["version"] == "2027-01" and event.detail["previous_version"] == "2026-1"
    assert not selectors.consent_renewal_due(consent)
    assert 'data-testid="consent-renew-panel"' not in client.get("/portal/").content.decode()
    assert record(plan, actor=clinician, lot=released_lot(clinic=clinic)).pk


def test_the_staff_chart_shows_the_version_agreed_and_the_pending_reconsent(client, signed, patient, clinic):
    plan, clinician = signed
    client.force_login(clinician)
    chart = client.get(f"/staff/patients/{patient.pk}/").content.decode()
    assert "consent text version 2026-1" in chart and 'data-testid="chart-reconsent-pending"' not in chart
    _publish(clinic, clinician)
    chart = client.get(f"/staff/patients/{patient.pk}/").content.decode()
    assert 'data-testid="chart-reconsent-pending"' in chart and "version 2027-01" in chart
    plan_page = client.get(f"/staff/treatment/plans/{plan.pk}/").content.decode()
    assert 'data-testid="consent-renewal-due"' in plan_page
    texts = client.get("/staff/treatment/consent-texts/").content.decode()
    assert 'data-testid="renewals-due"' in texts


def test_the_clinician_records_an_in_clinic_signature_of_the_new_version(client, signed, patient, clinic):
    plan, clinician = signed
    _publish(clinic, clinician)
    client.force_login(clinician)
    url = f"/staff/treatment/plans/{plan.pk}/"
    when = timezone.localtime(timezone.now(), plan.clinic.tz).strftime("%Y-%m-%dT%H:%M")
    missing = client.post(url, {"action": "renew", "signer_name": patient.full_name, "accepted_at": when})
    assert missing.status_code == 200 and not ConsentRenewal.objects.exists()
    response = client.post(
        url,
        {"action": "renew", "signer_name": patient.full_name, "witness_name": "Nurse B", "accepted_at": when},
    )
    assert response.status_code == 302
    renewal = ConsentRenewal.objects.get()
    assert renewal.method == "in_clinic" and renewal.witness_name == "Nurse B"
    page = client.get(url).content.decode()
    assert 'data-testid="consent-renewal"' in page and 'data-testid="consent-renewal-due"' not in page
    assert AuditEvent.objects.filter(action="consent.renew", actor=clinician, patient=patient).count() == 1


def test_the_caregiver_reconsents_for_the_patient_and_it_is_audited(client, signed, patient, clinic):
    plan, clinician = signed
    carer = UserFactory(full_name="Marta Ruiz")
    patient.caregiver = carer
    patient.save()
    _publish(clinic, clinician)
    client.force_login(carer)
    assert 'data-testid="consent-renew-panel"' in client.get("/portal/").content.decode()
    url = f"/portal/treatment/plans/{plan.pk}/consent/renew/?patient={patient.pk}"
    assert client.post(url, {"version": "2027-01", "accepted": "on"}).status_code == 302
    renewal = ConsentRenewal.objects.get()
    assert renewal.recorded_by == carer and renewal.signer_name == "Marta Ruiz"
    event = AuditEvent.objects.get(action="consent.renew")
    assert event.actor == carer and event.patient == patient and event.detail["for_patient"] is True


def test_another_patients_id_is_refused(client, signed, patient, clinic):
    plan, clinician = signed
    _publish(clinic, clinician)
    stranger = UserFactory()
    PatientFactory(clinic=clinic, user=stranger)
    client.force_login(stranger)
    url = f"/portal/treatment/plans/{plan.pk}/consent/renew/"
    assert client.get(url).status_code == 404
    assert client.post(url, {"version": "2027-01", "accepted": "on"}).status_code == 404
    assert client.get(f"{url}?patient={patient.pk}").status_code == 404
    assert 'data-testid="consent-renew-panel"' not in client.get("/portal/").content.decode()
    with pytest.raises(NotFound):
        services.consent_renew_in_portal(
            actor=stranger, consent=Consent.objects.get(plan=plan), version="2027-01", accepted=True
        )
    assert not ConsentRenewal.objects.exists()
    assert not AuditEvent.objects.filter(action="consent.renew").exists()


def test_a_double_submit_renews_once_and_a_text_changed_meanwhile_is_refused(
    signed, patient, patient_user, clinic
):
    plan, clinician = signed
    consent = Consent.objects.get(plan=plan)
    _publish(clinic, clinician)
    first = services.consent_renew_in_portal(
        actor=patient_user, consent=consent, version="2027-01", accepted=True
    )
    again = services.consent_renew_in_portal(
        actor=patient_user, consent=consent, version="2027-01", accepted=True
    )
    assert first.pk == again.pk and ConsentRenewal.objects.count() == 1
    assert AuditEvent.objects.filter(action="consent.renew").count() == 1

    _publish(clinic, clinician, version="2027-02")
    assert selectors.consent_renewal_due(consent)
    with pytest.raises(Conflict) as stale:
        services.consent_renew_in_portal(
            actor=patient_user, consent=consent, version="2027-01", accepted=True
        )
    assert stale.value.field == "consent_text" and "2027-02" in stale.value.message
    renew(patient_user, consent, "2027-02")
    assert selectors.consent_text_in_force(consent).version == "2027-02"
    signed = {t.version: t.signed for t in selectors.consent_texts_of(clinic=clinic)}
    assert signed == {"2026-1": 1, "2027-01": 1, "2027-02": 1}
    assert not selectors.consent_renewal_due(consent)


def test_a_finished_treatment_or_a_withdrawn_consent_is_not_asked_again(
    client, signed, patient, patient_user, clinic, staff
):
    plan, clinician = signed
    for _ in range(2):
        record(plan, actor=clinician, lot=released_lot(clinic=clinic))
    other_user = UserFactory()
    other = PatientFactory(clinic=clinic, user=other_user)
    withdrawn = approved_plan_with_consent(other, clinician=clinician)
    services.consent_withdraw(actor=other_user, consent=withdrawn.consent)
    _publish(clinic, clinician)

    assert not selectors.consent_renewal_due(Consent.objects.get(plan=plan))
    assert not selectors.consent_renewal_due(Consent.objects.get(plan=withdrawn))
    assert selectors.renewals_due_count(clinic=clinic) == 0
    client.force_login(other_user)
    assert 'data-testid="consent-renew-panel"' not in client.get("/portal/").content.decode()
    with pytest.raises(InvalidTransition):
        services.consent_renew_in_portal(
            actor=other_user, consent=Consent.objects.get(plan=withdrawn), version="2027-01", accepted=True
        )


def test_a_consent_signed_on_the_current_text_has_nothing_to_renew(signed, patient_user, clinic):
    plan, clinician = signed
    _publish(clinic, clinician)
    new_plan = approved_plan_with_consent(plan.patient, clinician=clinician)
    consent = Consent.objects.get(plan=new_plan)
    assert consent.consent_text.version == "2027-01"
    assert not selectors.consent_renewal_due(consent)
    with pytest.raises(InvalidTransition):
        services.consent_renew_in_portal(
            actor=patient_user, consent=consent, version="2027-01", accepted=True
        )


def test_the_refusal_is_in_the_readers_language(signed, clinic):
    """Needs the Spanish catalogue merged from the re-consent strings (notes/consent.es.json): until then the
    message is still English and the test is skipped, saying so."""
    from django.utils import translation

    plan, clinician = signed
    _publish(clinic, clinician)
    with translation.override("es"), pytest.raises(InvalidTransition) as refused:
        services.procedure_preconditions(plan)
    if refused.value.message.startswith("The consent text changed"):
        pytest.skip("Spanish catalogue not merged yet: the re-consent refusal has no translation")
    assert refused.value.message == (
        "El texto del consentimiento ha cambiado a la versión 2027-01: el paciente debe dar su "
        "consentimiento a esta versión antes del próximo procedimiento."
    )
