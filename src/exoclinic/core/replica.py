"""Which database a read-only report reads: the replica when one is configured, else the primary.

``DATABASE_REPLICA_URL`` adds a ``replica`` alias (settings.py). Only reads that tolerate being a few
seconds behind and never lead to a write may go there: the cohort summary and the research export
(outcomes/cohort.py), bulk exports. Never booking, triage, or anything read and then written: those stay
on ``default`` by not asking. Inside a transaction on the primary the read stays there too, so a request
that has just written reads its own write.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"


def report_database() -> str:
    """The alias for a read-only report query: ``.using(report_database())``."""
    if REPLICA in settings.DATABASES and not connections[DEFAULT_DB_ALIAS].in_atomic_block:
        return REPLICA
    return DEFAULT_DB_ALIAS
