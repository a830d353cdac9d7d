"""The consent text is published with its Spanish (a version is never edited afterwards), and a patient who
reads Spanish signs the Spanish text; without a Spanish text they read the English one."""

import pytest
from django.utils import translation

from exoclinic.accounts.models import Role
from exoclinic.treatment import services
from exoclinic.treatment.models import ConsentText
from tests.factories import PASSWORD, PatientFactory, UserFactory
from tests.treatment.factories import plan_for

ENGLISH_BODY = "I understand the therapy is investigational; the clinic measures, it promises nothing."
SPANISH_BODY = "Entiendo que la terapia está en investigación; la clínica mide, no promete nada."


@pytest.fixture
def clinician(staff):
    return staff(Role.CLINICIAN)


@pytest.fixture
def spanish_patient(clinic):
    user = UserFactory()
    return PatientFactory(clinic=clinic, user=user, preferred_language="es"), user


def publish_form(**overrides):
    data = {
        "version": "2027-1",
        "title": "Consent to exosome therapy",
        "body": ENGLISH_BODY,
        "title_es": "Consentimiento para la terapia con exosomas",
        "body_es": SPANISH_BODY,
    }
    return {**data, **overrides}


def test_a_clinician_publishes_both_languages_and_a_spanish_patient_reads_the_spanish(
    client, clinician, spanish_patient
):
    patient, user = spanish_patient
    client.force_login(clinician)
    form = client.get("/staff/treatment/consent-texts/").content.decode()
    assert 'name="title_es"' in form and 'name="body_es"' in form
    response = client.post("/staff/treatment/consent-texts/", publish_form())
    assert response.status_code == 302
    text = ConsentText.objects.get(version="2027-1")
    assert (text.title_en, text.body_en) == ("Consent to exosome therapy", ENGLISH_BODY)
    assert (text.title_es, text.body_es) == ("Consentimiento para la terapia con exosomas", SPANISH_BODY)

    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    client.logout()
    assert client.login(email=user.email, password=PASSWORD)
    page = client.get(f"/portal/treatment/plans/{plan.pk}/consent/").content.decode()
    assert "Consentimiento para la terapia con exosomas" in page and SPANISH_BODY in page
    assert ENGLISH_BODY not in page


def test_without_a_spanish_text_the_spanish_patient_reads_the_english(client, clinician, spanish_patient):
    patient, user = spanish_patient
    services.consent_text_publish(
        actor=clinician, clinic=patient.clinic, version="v1", title="Consent", body=ENGLISH_BODY
    )
    assert ConsentText.objects.get().body_es is None
    plan = services.plan_approve(actor=clinician, plan=plan_for(patient, clinician=clinician))
    assert client.login(email=user.email, password=PASSWORD)
    page = client.get(f"/portal/treatment/plans/{plan.pk}/consent/").content.decode()
    assert ENGLISH_BODY in page


def test_a_spanish_title_without_its_text_is_refused_and_every_value_kept(client, clinician):
    client.force_login(clinician)
    response = client.post("/staff/treatment/consent-texts/", publish_form(body_es=""))
    assert response.status_code == 200
    assert not ConsentText.objects.exists()
    html = response.content.decode()
    assert "Consentimiento para la terapia con exosomas" in html and ENGLISH_BODY in html
    assert "body_es" in response.context["form"].errors


def test_a_clinician_whose_screen_is_in_spanish_still_publishes_the_english_as_english(clinician, clinic):
    with translation.override("es"):
        text = services.consent_text_publish(
            actor=clinician,
            clinic=clinic,
            version="v1",
            title="Consent",
            body=ENGLISH_BODY,
            title_es="Consentimiento",
            body_es=SPANISH_BODY,
        )
    text.refresh_from_db()
    assert (text.title_en, text.body_en, text.title_es) == ("Consent", ENGLISH_BODY, "Consentimiento")
    with translation.override("en"):
        assert text.body == ENGLISH_BODY
    with translation.override("es"):
        assert text.body == SPANISH_BODY


def test_a_signed_version_cannot_be_changed_in_either_language_in_the_admin(client, clinic, clinician):
    from exoclinic.treatment.models import Consent
    from tests.treatment.factories import approved_plan_with_consent

    patient = PatientFactory(clinic=clinic)
    approved_plan_with_consent(patient, clinician=clinician)
    text = Consent.objects.get().consent_text
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    page = client.get(f"/admin/treatment/consenttext/{text.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    for column in ("title_en", "title_es", "body_en", "body_es"):
        assert f'name="{column}"' not in html  # shown read-only, not as an input


def test_the_preparation_checklist_reads_in_the_patients_language_whoever_made_it(
    client, clinician, spanish_patient
):
    from exoclinic.treatment.models import ChecklistItem

    patient, user = spanish_patient
    with translation.override("en"):  # the clinician works in English
        plan = plan_for(patient, clinician=clinician, active_infection="unknown")
        services.plan_approve(actor=clinician, plan=plan)
    item = ChecklistItem.objects.get(plan=plan, rule="active_infection")
    assert (item.title_en, item.title_es) == ("Infection check", "Comprobación de infección")
    assert client.login(email=user.email, password=PASSWORD)
    page = client.get("/portal/treatment/").content.decode()
    assert "Comprobación de infección" in page and "Infection check" not in page
    client.cookies["django_language"] = "en"
    assert "Infection check" in client.get("/portal/treatment/").content.decode()


def test_checklist_items_made_in_english_only_get_their_spanish_when_the_rules_run_again(clinician, patient):
    from exoclinic.treatment.models import ChecklistItem

    plan = plan_for(patient, clinician=clinician, active_infection="unknown")
    ChecklistItem.objects.filter(plan=plan).update(title_es=None, instructions_es=None)  # an older database
    services.checklist_refresh(actor=clinician, plan=plan)
    assert (
        ChecklistItem.objects.get(plan=plan, rule="active_infection").title_es == "Comprobación de infección"
    )
