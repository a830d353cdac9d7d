"""axe-core checks and full-page screenshots for the browser tests.

axe-core is fetched by ``scripts/ensure-axe`` (``make browser-deps``) into var/axe/; screenshots go to
var/screenshots/<test>/<name>-<size>.png (var/ is git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "var" / "axe" / "axe.min.js"
SCREENSHOTS = ROOT / "var" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 360, "height": 740}
SIZES = {"desktop": DESKTOP, "phone": PHONE}
BLOCKING = ("serious", "critical")

# Every WCAG 2.0-2.2 A/AA rule and axe's best practices; only "serious" and "critical" fail a test.
_RUN = {"resultTypes": ["violations"]}


@dataclass(frozen=True)
class Violation:
    where: str  # "patient /portal/ phone"
    rule: str
    impact: str
    help: str
    targets: tuple[str, ...]

    def __str__(self) -> str:
        shown = ", ".join(self.targets[:4]) + (
            f" (+{len(self.targets) - 4})" if len(self.targets) > 4 else ""
        )
        return f"{self.where}: {self.impact} {self.rule} ({self.help}) at {shown}"


def _axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}: run `make browser-deps` (scripts/ensure-axe).")
    return AXE.read_text()


def axe_check(page, where: str) -> list[Violation]:
    """Run axe on the page as it is now; the serious and critical violations it finds.

    The page's context needs ``bypass_csp=True``: the site's Content-Security-Policy refuses inline
    scripts, which is how axe is injected."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_axe_source())
    result = page.evaluate("options => axe.run(document, options)", _RUN)
    out = []
    for v in result["violations"]:
        if v["impact"] not in BLOCKING:
            continue
        targets = tuple(" ".join(map(str, n["target"])) for n in v["nodes"])
        out.append(Violation(where, v["id"], v["impact"], v["help"], targets))
    return out


def _slug(text: str) -> str:
    return re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-")[:80] or "home"


def screenshot(page, test: str, name: str, size: str) -> Path:
    """Save a full-page screenshot at var/screenshots/<test>/<name>-<size>.png."""
    folder = SCREENSHOTS / _slug(test)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{_slug(name)}-{size}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def check_at_both_sizes(page, test: str, where: str, name: str, *, shots: bool = True) -> list[Violation]:
    """axe at desktop and phone size on the page as loaded (resized, not reloaded), with screenshots."""
    found: list[Violation] = []
    for size, viewport in SIZES.items():
        page.set_viewport_size(viewport)
        found += axe_check(page, f"{where} {size}")
        if shots:
            screenshot(page, test, name, size)
    return found


# A page's structure without its text: each element's tag, class, role, type and ARIA attribute names, with
# repeated siblings counted once (ten table rows are one). Two pages with the same structure give axe the
# same elements to judge, so a walk checks each structure once; the text and colours come from the same CSS.
_STRUCTURE = """
() => {
  const KEPT = ['role', 'type', 'for', 'hidden', 'tabindex', 'alt', 'title'];
  const shape = el => {
    const attrs = [...el.attributes].map(a => a.name)
      .filter(n => n.startsWith('aria-') || KEPT.includes(n))
      .sort().join(',');
    const kids = [...new Set([...el.children].map(shape))].join('');
    return `<${el.tagName}.${el.className}[${attrs}]${kids}>`;
  };
  const main = document.querySelector('main');
  const outside = document.body.cloneNode(true);
  const inside = main ? main.cloneNode(true) : document.createElement('main');
  outside.querySelector('main')?.replaceChildren();
  inside.querySelectorAll('[data-testid=acting-for]').forEach(e => e.remove());
  return [shape(outside), shape(inside)];
}
"""


def structure(page) -> tuple[str, str]:
    """(the page's chrome around <main>, the content of <main>) as structure strings."""
    chrome, content = page.evaluate(_STRUCTURE)
    return chrome, content


def report(violations: list[Violation]) -> str:
    return f"{len(violations)} serious or critical axe violations:\n" + "\n".join(map(str, violations))
