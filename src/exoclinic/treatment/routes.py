"""Routes of administration as a coded list with a "near the spinal cord" property (pure Python).

Triage's post-puncture and infection rules ask ``near_spinal_cord(route)``, never compare strings
(issue 19). ``models.Route`` offers the same codes as choices; a test keeps the two and the triage engine's
``ProcedureRoute`` in step.
"""

from __future__ import annotations

LOCAL_INJECTION = "local_injection"
INTRATHECAL = "intrathecal"
EPIDURAL = "epidural"
INTRASPINAL = "intraspinal"
PERISPINAL = "perispinal"
PARASPINAL = "paraspinal"
INTRAVENOUS = "intravenous"

ROUTES: tuple[str, ...] = (
    LOCAL_INJECTION,
    INTRATHECAL,
    EPIDURAL,
    INTRASPINAL,
    PERISPINAL,
    PARASPINAL,
    INTRAVENOUS,
)
NEAR_SPINAL_CORD: frozenset[str] = frozenset({INTRATHECAL, EPIDURAL, INTRASPINAL, PERISPINAL, PARASPINAL})


def near_spinal_cord(route: str) -> bool:
    """True for a route into or beside the spinal canal (an injection there can cause a post-puncture
    headache or an infection around the cord). Raises ``ValueError`` for a code not in ``ROUTES``."""
    if route not in ROUTES:
        raise ValueError(f"unknown route {route!r}")
    return route in NEAR_SPINAL_CORD
