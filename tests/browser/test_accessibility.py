"""Every page of every journey, as every role, at desktop and phone size: no serious or critical axe-core
violation, and a full-page screenshot of each under var/screenshots/.

The pages are found as a person finds them: from each role's start pages, every link on the page is
followed (same site, HTML answers only) until nothing new is reached, so a new page is picked up as soon as
something links to it. Each role visits one page per URL pattern and set of query parameters (the tenth
patient's chart is built by the same template as the first's). axe runs on a visited page unless a page
of the same pattern with the same structure (a11y.structure: elements, classes, roles and ARIA attributes,
text left out) was already checked, for this role or another, and this role's header and menus were too:
the four staff roles share most pages, and checking each copy again would triple the run time for the
same findings. EXOCLINIC_A11Y_FULL=1 checks every visited page. Pages that only a form submission shows
are checked too: a rejected application step, and the self-check's answer (the keyboard tests check the
booking confirmation and the symptom report's answer).

Left out, each for a reason: /admin/ (Django's own admin templates, not this project's pages), /api/v1/docs
(Swagger UI, a developer tool served by django-ninja), and non-HTML answers (PDF, CSV, iCalendar, JSON).
"""

from __future__ import annotations

import os
import time
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.urls import Resolver404, resolve
from playwright.sync_api import Error as PlaywrightError

from exoclinic.core.demo import DEMO_PASSWORD
from tests.browser.a11y import DESKTOP, check_at_both_sizes, report, structure

pytestmark = [pytest.mark.browser, pytest.mark.rendering]

TEST = "accessibility"
FULL = os.environ.get("EXOCLINIC_A11Y_FULL") == "1"  # every page of every role, same structure or not
MAX_PAGES_PER_ROLE = 90

# Who logs in (the demo seed's logins) and where each role starts; the rest is reached through links.
ROLES = {
    "anonymous": (
        None,
        [
            "/",
            "/emergency/",
            "/emergency/self-check/",
            "/apply/",
            "/book/",
            "/accounts/login/",
            "/no-such-page/",
        ],
    ),
    "patient": ("patient@example.org", ["/portal/", "/book/", "/portal/symptoms/"]),
    "caregiver": ("caregiver@example.org", ["/portal/"]),
    "coordinator": ("coordinator@example.org", ["/staff/"]),
    "clinician": ("clinician@example.org", ["/staff/"]),
    "lab": ("lab@example.org", ["/staff/"]),
    "clinic_admin": ("admin@example.org", ["/staff/"]),
}
SKIP_PREFIXES = ("/admin/", "/api/", "/fhir/", "/i18n/", "/healthz", "/readyz", "/static/", "/media/")


def _key(path: str, query: str) -> tuple[str, tuple[str, ...]] | None:
    """One page per URL pattern and set of query parameter names; None for what is not a page of ours."""
    if path.startswith(SKIP_PREFIXES) or "logout" in path:
        return None
    try:
        match = resolve(path)
    except Resolver404:
        return ("404", ())
    return (match.route, tuple(sorted({k for k, _ in parse_qsl(query)})))


def _walk(context, role: str, starts: list[str], checked: set) -> tuple[list, list[str], int, int]:
    """Visit every page the role reaches from its start pages; axe and screenshots on each page whose
    structure (see a11y.structure) was not already checked, for this role or another."""
    page = context.new_page()
    origin = None
    queue = list(starts)
    seen: set = set()
    violations, problems, visited, judged = [], [], 0, 0
    while queue and visited < MAX_PAGES_PER_ROLE:
        url = queue.pop(0)
        parts = urlsplit(url)
        key = _key(parts.path, parts.query)
        if key is None or key in seen:
            continue
        seen.add(key)
        try:
            answer = page.goto(url)
        except PlaywrightError as exc:  # a download (PDF, CSV, iCalendar) is not a page
            if "Download is starting" not in str(exc):
                problems.append(f"{role} {url}: {exc}")
            continue
        if answer is None or not answer.headers.get("content-type", "").startswith("text/html"):
            continue
        if answer.status >= 500:
            problems.append(f"{role} {url}: {answer.status}")
            continue
        if answer.status >= 400 and key != ("404", ()):
            continue  # a link the role may not follow: the refusal page is checked once, as anonymous
        origin = origin or urlsplit(page.url).netloc
        visited += 1
        chrome, content = structure(page)
        if FULL or (key, content) not in checked or (role, chrome) not in checked:
            checked.update({(key, content), (role, chrome)})
            judged += 1
            where = f"{role} {parts.path}" + (f"?{parts.query}" if parts.query else "")
            violations += check_at_both_sizes(page, TEST, where, where.replace(" ", "-"))
            page.set_viewport_size(DESKTOP)
        for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
            target = urlsplit(href)
            if target.scheme in ("http", "https") and target.netloc == origin:
                queue.append(target.path + (f"?{target.query}" if target.query else ""))
    page.close()
    return violations, problems, visited, judged


def _after_forms(context) -> list:
    """The pages a visitor reaches by submitting forms: a rejected first application step (its error
    summary) and the self-check's answer to an empty form."""
    page = context.new_page()
    page.goto("/apply/")
    page.get_by_role("link", name="Start the application").click()
    page.locator("form.form button[type=submit]").first.click()
    page.wait_for_load_state()
    found = check_at_both_sizes(page, TEST, "anonymous rejected application step", "anonymous-apply-errors")
    page.set_viewport_size(DESKTOP)
    page.goto("/emergency/self-check/")
    page.locator("form.checklist button[type=submit]").last.click()
    page.wait_for_load_state()
    found += check_at_both_sizes(page, TEST, "anonymous self-check answer", "anonymous-self-check-answer")
    page.close()
    return found


def test_every_journey_page_has_no_serious_or_critical_axe_violation_for_any_role(
    browser, live_server, login, transactional_db
):
    call_command("seed_demo", quiet=True)
    violations, problems, counts, checked = [], [], {}, set()
    started = time.monotonic()
    for role, (email, starts) in ROLES.items():
        context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, bypass_csp=True)
        context.set_default_timeout(15_000)
        if email:
            page = context.new_page()
            login(page, email, DEMO_PASSWORD)
            assert "/accounts/login" not in page.url, f"{role} could not log in"
            page.close()
        found, broken, visited, judged = _walk(context, role, starts, checked)
        if role == "anonymous":
            found += _after_forms(context)
        counts[role] = (visited, judged)
        violations += found
        problems += broken
        context.close()
    print(f"axe: (pages visited, pages checked) per role {counts} in {time.monotonic() - started:.0f} s")
    assert not problems, problems
    assert not violations, report(violations)
    assert all(visited >= 3 for visited, _ in counts.values()), counts  # the walk really reached pages
