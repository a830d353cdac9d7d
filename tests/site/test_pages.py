import pytest
from django.core.management import call_command
from django.urls import reverse

from exoclinic.accounts.models import User
from exoclinic.core.models import Clinic, Patient
from exoclinic.site.markdown import render_markdown
from exoclinic.site.models import TherapyPage


@pytest.fixture
def demo(db):
    call_command("seed_demo", quiet=True)
    return Clinic.objects.get(slug="alder-madrid")


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/emergency/",
        "/apply/",
        "/book/",
        "/therapies/",
        "/conditions/",
        "/therapies/exosome-therapy/",
        "/therapies/stem-cell-therapy/",
        "/conditions/spinal-cord-injury/",
        "/accounts/login/",
    ],
)
def test_every_public_page_shows_the_emergency_banner(client, demo, url):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'href="tel:+34910555010"' in html  # the clinic's emergency line
    assert 'href="/emergency/"' in html


def test_therapy_page_has_its_sections_and_the_investigational_note(client, demo):
    html = client.get("/therapies/exosome-therapy/").content.decode()
    for heading in ("How it works", "What to expect", "Preparation", "Aftercare", "What the evidence says"):
        assert heading in html
    assert "investigational" in html
    assert "48 hours" in html and "4 weeks" in html


def test_emergency_page_lists_the_red_flags_and_call_links(client, demo):
    html = client.get("/emergency/").content.decode()
    for phrase in (
        "Autonomic dysreflexia",
        "sit upright",
        "meningitis",
        "Severe allergic reaction",
        "Blood clot",
        "loss of bladder or bowel control",
    ):
        assert phrase in html
    assert 'href="tel:112"' in html


def test_stub_pages_give_the_clinic_contact_details(client, demo):
    for url in ("/apply/", "/book/"):
        html = client.get(url).content.decode()
        assert "care@alder-clinic.example.org" in html and "tel:+34910555000" in html


def test_markdown_from_staff_cannot_inject_script():
    html = render_markdown(
        "Hello <script>alert(1)</script> [x](javascript:alert(1)) <img src=x onerror=alert(1)>"
    )
    assert "<script>" not in html and "onerror=" not in html.replace("&lt;img src=x onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in html
    assert "&lt;script&gt;" in html


def test_a_therapy_page_with_injected_html_renders_it_as_text(client, demo):
    TherapyPage.objects.filter(slug="exosome-therapy").update(
        how_it_works="<script>alert('x')</script>**bold**"
    )
    html = client.get("/therapies/exosome-therapy/").content.decode()
    assert "<script>alert" not in html and "<strong>bold</strong>" in html


def test_unpublished_and_unknown_pages_answer_404(client, demo):
    TherapyPage.objects.filter(slug="stem-cell-therapy").update(published=False)
    assert client.get("/therapies/stem-cell-therapy/").status_code == 404
    assert client.get("/therapies/nothing/").status_code == 404


def test_seed_demo_is_safe_to_run_twice_and_creates_every_role(demo, capsys):
    counts = (User.objects.count(), Patient.objects.count(), TherapyPage.objects.count())
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert (User.objects.count(), Patient.objects.count(), TherapyPage.objects.count()) == counts
    for email in (
        "patient@example.org",
        "coordinator@example.org",
        "clinician@example.org",
        "lab@example.org",
        "admin@example.org",
    ):
        assert email in out
    assert all(User.objects.filter(email=f"patient{n}@example.org").exists() for n in range(2, 11))
    levels = set(Patient.objects.filter(clinic=demo).values_list("sci_neurological_level", flat=True))
    grades = set(Patient.objects.filter(clinic=demo).values_list("sci_ais_grade", flat=True))
    assert len(levels) >= 8 and grades == {"A", "B", "C", "D"}


def test_demo_logins_work_with_the_printed_password(client, demo):
    from exoclinic.core.demo import DEMO_PASSWORD

    assert client.login(username="Patient@Example.org", password=DEMO_PASSWORD)
    assert client.get(reverse("after-login")).url == reverse("portal:home")
    assert client.login(username="coordinator@example.org", password=DEMO_PASSWORD)
    assert client.get(reverse("after-login")).url == reverse("staff:home")


def test_seeding_the_demo_sends_no_mail(transactional_db, mailoutbox):
    call_command("seed_demo", quiet=True)
    assert mailoutbox == []


def test_each_therapy_page_cites_the_fda_notice_that_covers_its_product(client, demo):
    exosome = client.get("/therapies/exosome-therapy/").content.decode()
    stem_cell = client.get("/therapies/stem-cell-therapy/").content.decode()
    exosome, stem_cell = " ".join(exosome.split()), " ".join(stem_cell.split())
    assert "public safety notification on exosome products (6 December 2019)" in exosome
    assert "regenerative medicine therapies (3 June 2021)" in stem_cell
    assert "stem cells among them" in stem_cell
    # The December 2019 notice is named on the stem-cell page only to say it is about exosomes.
    assert "December 2019 notification is about exosome products, not stem cells" in stem_cell
    assert "no stem cell product for spinal cord injury" not in stem_cell
