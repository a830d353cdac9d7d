"""Every page of every journey and every PDF, rendered in Spanish, has no English sentence left.

The pages are those of the URL configuration (the access matrix's route walk, tests/security/routes.py),
filled with the world's own records, requested with GET as each role: anonymous, a patient, a caregiver and
each staff role. Each page that answers 200 (HTML or PDF) is rendered with the language cookie set to Spanish;
when a sentence of it looks English it is rendered again in English, and every sentence of three or more
words that is identical in both and English (tests/i18n/text.py) is a leftover. The report names the page or
PDF, the role, the sentence and where it comes from (tests/i18n/sources.py), one test per source category, so
each owner sees their own list. Text a person typed is shown as written and is not a leftover.

The admin, the JSON API and FHIR are left out: machine-readable, or Django's own admin (translated by Django).
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import dataclass

import pytest
from django.test import Client
from django.test.utils import override_settings

from tests.pdf import pdf_text
from tests.security.routes import fillings, url_routes

from .sources import source_of, stored_texts
from .text import english_left, html_sentences, looks_english, pdf_sentences

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "patient", "caregiver", "coordinator", "clinician", "lab", "clinic_admin")
SKIPPED_PREFIXES = ("/admin/", "/api/", "/fhir/", "/i18n/", "/healthz", "/readyz", "/accounts/logout")
# Records of the demo clinic's patients (the role's own, or another's its staff may see), or of no patient;
# a page a role may not open answers 404 or 403 and is skipped for that role.
OWN_RECORDS = ("own", "other-patient", "any", "value")
FILLINGS_PER_ROUTE = 2  # a route's page is the same template for any value: two values are enough
CATEGORIES = ("template", "python", "service message", "database content", "unknown")


@dataclass(frozen=True)
class Leftover:
    kind: str  # "page" or "PDF"
    url: str
    role: str
    sentence: str
    category: str
    where: str

    def __str__(self) -> str:
        where = f" [{self.where}]" if self.where else ""
        return f"{self.kind} {self.url} ({self.role}): {self.sentence!r}{where}"


@dataclass
class Walk:
    leftovers: list[Leftover]
    pages: set[str]
    pdfs: set[str]
    renders: int


def _urls(world) -> list[str]:
    out = []
    for route in url_routes():
        if route.template.startswith(SKIPPED_PREFIXES):
            continue
        own = [
            url
            for url, combo in fillings(route, world)
            if all(t.label in OWN_RECORDS for t in combo.values())
        ]
        out.extend(url for url in own[:FILLINGS_PER_ROUTE] if url not in out)
    return out


def _client(user, language: str) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    client.cookies["django_language"] = language  # the footer's language choice
    return client


def _sentences(response) -> tuple[str, list[str]] | None:
    kind = response.get("Content-Type", "")
    if response.status_code != 200 or getattr(response, "streaming", False):
        return None
    if kind.startswith("text/html"):
        return "page", html_sentences(response.content.decode("utf-8", "replace"))
    if kind.startswith("application/pdf"):
        return "PDF", pdf_sentences(pdf_text(response.content))
    return None


@pytest.fixture(scope="module")
def walk(world, django_db_blocker, tmp_path_factory) -> Walk:
    from huey.contrib.djhuey import HUEY

    # The per-test settings of tests/conftest.py, for a fixture that runs before them.
    quiet = override_settings(
        EXOCLINIC_STAFF_MFA_REQUIRED=False,
        AXES_ENABLED=False,
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        STATIC_PAGES_DIR=tmp_path_factory.mktemp("static-pages"),
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
    )
    immediate, HUEY.immediate = HUEY.immediate, True
    try:
        with django_db_blocker.unblock(), quiet:
            return _walk(world)
    finally:
        HUEY.immediate = immediate


def _walk(world) -> Walk:
    stored = stored_texts()
    urls = _urls(world)
    leftovers: list[Leftover] = []
    pages: set[str] = set()
    pdfs: set[str] = set()
    renders = 0
    for role in ROLES:
        user = world.users[role]
        spanish, english = _client(user, "es"), _client(user, "en")
        for url in urls:
            rendered = _sentences(spanish.get(url))
            renders += 1
            if rendered is None:
                continue
            kind, es = rendered
            (pdfs if kind == "PDF" else pages).add(url)
            if not any(looks_english(s) for s in es):
                continue
            again = _sentences(english.get(url))
            renders += 1
            if again is None:
                continue
            for sentence in english_left(es, again[1]):
                source = source_of(sentence, stored)
                leftovers.append(Leftover(kind, url, role, sentence, source.category, source.where))
    return Walk(leftovers, pages, pdfs, renders)


def _report(leftovers: list[Leftover]) -> str:
    """One line per page or PDF and sentence, with the roles that see it and where it comes from."""
    by_sentence: dict[tuple, list[str]] = defaultdict(list)
    for item in leftovers:
        by_sentence[(item.kind, item.url, item.sentence, item.where)].append(item.role)
    lines = [
        f"{kind} {url} ({', '.join(roles)}): {sentence!r}" + (f" [{where}]" if where else "")
        for (kind, url, sentence, where), roles in by_sentence.items()
    ]
    return f"{len(lines)} English sentences left in Spanish:\n" + "\n".join(lines)


def test_the_walk_renders_the_journeys_pages_and_every_pdf(walk):
    # The check below is only as good as what it renders: the portal, staff and public pages and the PDFs.
    for page in ("/", "/portal/", "/staff/", "/book/", "/emergency/"):
        assert page in walk.pages
    assert len(walk.pages) > 60
    assert any("record" in url for url in walk.pdfs), walk.pdfs  # the patient's own record
    assert any("progress" in url for url in walk.pdfs), walk.pdfs  # the progress reports
    assert any("worksheet" in url for url in walk.pdfs), walk.pdfs  # the ISNCSCI worksheet


@pytest.mark.parametrize("category", CATEGORIES)
def test_no_english_sentence_is_left_in_spanish(walk, category):
    left = [item for item in walk.leftovers if item.category == category]
    if left and os.environ.get("SPANISH_RENDER_LOG"):  # the whole list, for the one who fixes it
        with open(os.environ["SPANISH_RENDER_LOG"], "a", encoding="utf-8") as log:
            log.write(f"== {category}\n{_report(left)}\n")
    assert not left, _report(left)


@pytest.mark.parametrize("category", ["entered text", "record as given"])
def test_text_stored_as_written_is_shown_as_written(walk, category):
    """Reported (a note typed in English reads in English; a symptom report's advice stays as the patient was
    given it), never a failure; each names the stored field it is found in."""
    kept = [item for item in walk.leftovers if item.category == category]
    if kept and os.environ.get("SPANISH_RENDER_LOG"):
        with open(os.environ["SPANISH_RENDER_LOG"], "a", encoding="utf-8") as log:
            log.write(f"== {category} (not a failure)\n{_report(kept)}\n")
    assert all(item.where for item in kept)
