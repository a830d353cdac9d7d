"""Public pages stored in the database read in the visitor's language, with English when no Spanish exists;
staff write both languages in the admin; the demo carries Spanish and seeding twice changes nothing."""

import pytest
from django.core.management import call_command

from exoclinic.accounts.models import Role
from exoclinic.site.models import ConditionPage, TherapyPage
from tests.factories import ClinicFactory, StaffFactory

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}


def therapy_page(**spanish):
    fields = (
        "name",
        "summary",
        "how_it_works",
        "what_to_expect",
        "preparation",
        "aftercare",
        "evidence_note",
    )
    english = {f"{f}_en": f"English {f.replace('_', ' ')}" for f in fields}
    return TherapyPage.objects.create(slug="exo", **english, **{f"{k}_es": v for k, v in spanish.items()})


@pytest.mark.django_db
def test_a_spanish_visitor_reads_the_therapy_page_in_spanish(client):
    therapy_page(name="Terapia con exosomas", how_it_works="Los exosomas son partículas.")
    html = client.get("/therapies/exo/", **SPANISH).content.decode()
    assert "Terapia con exosomas" in html and "Los exosomas son partículas." in html
    assert "English name" not in html and "English how it works" not in html
    english = client.get("/therapies/exo/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "English name" in english and "Terapia con exosomas" not in english


@pytest.mark.django_db
def test_a_section_without_spanish_falls_back_to_the_english(client):
    therapy_page(name="Terapia con exosomas")
    html = client.get("/therapies/exo/", **SPANISH).content.decode()
    assert "Terapia con exosomas" in html
    assert "English how it works" in html and "English evidence note" in html  # no Spanish yet: English


@pytest.mark.django_db
def test_the_language_chosen_in_the_footer_switches_the_condition_page(client):
    ConditionPage.objects.create(
        slug="sci",
        title_en="Spinal cord injury",
        summary_en="Damage to the spinal cord.",
        body_en="English body",
        title_es="Lesión medular",
        summary_es="Daño en la médula espinal.",
        body_es="Texto en español",
    )
    client.post("/i18n/setlang/", {"language": "es", "next": "/conditions/sci/"})
    html = client.get("/conditions/sci/").content.decode()
    assert "Lesión medular" in html and "Texto en español" in html and "English body" not in html
    listing = client.get("/conditions/").content.decode()
    assert "Lesión medular" in listing and "Daño en la médula espinal." in listing


@pytest.mark.django_db
def test_a_clinic_admin_writes_both_languages_of_a_page_in_the_admin(client):
    admin_user = StaffFactory(role=Role.ADMIN, clinic=ClinicFactory(), is_staff=True)
    client.force_login(admin_user)
    form = client.get("/admin/site/conditionpage/add/").content.decode()
    assert 'name="title_en"' in form and 'name="title_es"' in form and 'name="body_es"' in form
    response = client.post(
        "/admin/site/conditionpage/add/",
        {
            "slug": "ms",
            "title_en": "Multiple sclerosis",
            "title_es": "Esclerosis múltiple",
            "summary_en": "A disease of the nervous system.",
            "summary_es": "",
            "body_en": "English body",
            "body_es": "Texto en español",
            "order": 5,
            "published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    page = ConditionPage.objects.get(slug="ms")
    assert (page.title_en, page.title_es, page.body_es) == (
        "Multiple sclerosis",
        "Esclerosis múltiple",
        "Texto en español",
    )
    html = client.get("/conditions/ms/", **SPANISH).content.decode()
    assert "Esclerosis múltiple" in html and "A disease of the nervous system." in html  # summary: English


@pytest.mark.django_db
def test_the_english_is_required_in_the_admin_the_spanish_is_not(client):
    admin_user = StaffFactory(role=Role.ADMIN, clinic=ClinicFactory(), is_staff=True)
    client.force_login(admin_user)
    response = client.post(
        "/admin/site/conditionpage/add/",
        {"slug": "x", "title_es": "Solo español", "summary_es": "s", "body_es": "b", "order": 1},
    )
    assert response.status_code == 200  # the form comes back, nothing saved
    assert not ConditionPage.objects.filter(slug="x").exists()
    assert "title_en" in response.context["adminform"].form.errors


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)


def test_the_demo_pages_carry_spanish_and_a_second_seeding_changes_nothing(client, demo):
    page = TherapyPage.objects.get(slug="exosome-therapy")
    assert page.name_es == "Terapia con exosomas" and "en investigación" in page.evidence_note_es
    html = client.get("/therapies/exosome-therapy/", **SPANISH).content.decode()
    assert "Esta terapia está en investigación." in html
    assert "This therapy is investigational" not in html and "Most people return" not in html
    condition = client.get("/conditions/spinal-cord-injury/", **SPANISH).content.decode()
    assert "disreflexia autonómica" in condition and "autonomic dysreflexia" not in condition
    before = list(TherapyPage.objects.order_by("pk").values()) + list(
        ConditionPage.objects.order_by("pk").values()
    )
    call_command("seed_demo", quiet=True)
    after = list(TherapyPage.objects.order_by("pk").values()) + list(
        ConditionPage.objects.order_by("pk").values()
    )
    assert after == before


def test_seeding_an_older_database_adds_the_spanish_but_never_over_a_text_staff_changed(demo):
    # As a database migrated from before the Spanish columns: English only; staff had rewritten one summary.
    TherapyPage.objects.update(name_es=None, summary_es=None, how_it_works_es=None)
    TherapyPage.objects.filter(slug="stem-cell-therapy").update(summary_en="Our own summary")
    call_command("seed_demo", quiet=True)
    exo = TherapyPage.objects.get(slug="exosome-therapy")
    stem = TherapyPage.objects.get(slug="stem-cell-therapy")
    assert exo.name_es == "Terapia con exosomas" and exo.how_it_works_es.startswith("Los exosomas")
    assert stem.name_es == "Terapia con células madre"
    assert stem.summary_es is None  # a Spanish of the shipped summary would not say what staff wrote
