"""The hash chain over the audit trail: a pure function of a row's fields and the previous row's hash.

Kept free of models so the data migration that seals existing rows and ``audit_verify`` compute the same
value as the write path. Changing the serialisation breaks every stored hash: version it instead.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
from datetime import UTC, datetime
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

GENESIS_HASH = "0" * 64
CHAIN_VERSION = 1
# The fields covered by the hash, in this order; ``seq`` is the row's place in the chain.
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_email",
    "action",
    "record_type",
    "record_id",
    "clinic_id",
    "patient_id",
    "ip_address",
    "user_agent",
    "detail",
)


def normalise_detail(detail: Any) -> Any:
    """The detail as the database gives it back: what JSONField stores (tuples become lists, keys strings)."""
    return json.loads(json.dumps(detail or {}, cls=DjangoJSONEncoder))


def _ip(value: str | None) -> str | None:
    if not value:
        return None
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return str(value)


def _when(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(row: Any) -> bytes:
    """One byte string per row: the hashed fields as sorted-key JSON, ASCII only."""
    values = {
        "v": CHAIN_VERSION,
        "seq": row.seq,
        "occurred_at": _when(row.occurred_at),
        "actor_id": row.actor_id,
        "actor_email": row.actor_email or "",
        "action": row.action,
        "record_type": row.record_type or "",
        "record_id": row.record_id or "",
        "clinic_id": row.clinic_id,
        "patient_id": row.patient_id,
        "ip_address": _ip(row.ip_address),
        "user_agent": row.user_agent or "",
        "detail": normalise_detail(row.detail),
    }
    return json.dumps(values, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def row_hash(row: Any, previous_hash: str) -> str:
    return hashlib.sha256(previous_hash.encode() + b"\n" + canonical(row)).hexdigest()
