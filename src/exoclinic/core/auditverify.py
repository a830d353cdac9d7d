"""Walking the audit chain: the first row whose link is broken, and why."""

from __future__ import annotations

from dataclasses import dataclass

from .auditchain import GENESIS_HASH, row_hash
from .models import HEAD_PK, AuditChainHead, AuditEvent


@dataclass(frozen=True)
class ChainBreak:
    row_id: int | None
    seq: int | None
    reason: str


@dataclass(frozen=True)
class ChainReport:
    rows_checked: int
    head_seq: int
    head_hash: str
    broken: ChainBreak | None

    @property
    def ok(self) -> bool:
        return self.broken is None


def audit_chain_verify(*, chunk_size: int = 2000) -> ChainReport:
    """Recompute every link in seq order; stop at the first that does not hold."""
    previous = GENESIS_HASH
    expected_seq = 1
    checked = 0
    unsealed = AuditEvent.objects.filter(seq__isnull=True).order_by("id").first()
    if unsealed is not None:
        return ChainReport(0, 0, previous, ChainBreak(unsealed.pk, None, "row has no place in the chain"))
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=chunk_size):
        if event.seq != expected_seq:
            return ChainReport(
                checked,
                expected_seq - 1,
                previous,
                ChainBreak(
                    event.pk,
                    event.seq,
                    f"rows {expected_seq} to {event.seq - 1} of the chain are missing (deleted)",
                ),
            )
        if row_hash(event, previous) != event.row_hash:
            return ChainReport(
                checked,
                expected_seq - 1,
                previous,
                ChainBreak(
                    event.pk, event.seq, "the row's contents do not match its hash (changed after writing)"
                ),
            )
        previous = event.row_hash
        expected_seq += 1
        checked += 1
    last_seq = expected_seq - 1
    head = AuditChainHead.objects.filter(pk=HEAD_PK).first()
    if head is not None and (head.seq != last_seq or head.last_hash != previous):
        return ChainReport(
            checked,
            last_seq,
            previous,
            ChainBreak(
                None,
                head.seq,
                f"the chain ends at row {last_seq} but its head records row {head.seq}: "
                "the last rows were deleted or the head was changed",
            ),
        )
    return ChainReport(checked, last_seq, previous, None)
