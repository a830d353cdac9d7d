"""What the hash chain costs per audit write: time per audit_record() and the share spent chaining.

    EXOCLINIC_DATA_DIR=/tmp/audit-bench python bench/audit_write_cost.py [N]
    DATABASE_URL=postgres://... python bench/audit_write_cost.py [N]

Writes N rows, each in its own transaction like a service would, then verifies the chain. Uses the
configured database: point it at a scratch one (the rows stay).
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "exoclinic.settings")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from exoclinic.core import models as core_models  # noqa: E402
from exoclinic.core.audit import audit_record  # noqa: E402
from exoclinic.core.auditverify import audit_chain_verify  # noqa: E402


def main(n: int) -> None:
    call_command("migrate", verbosity=0)
    chain_seconds = 0.0
    original = core_models._chain

    def timed_chain(events, *, using):
        nonlocal chain_seconds
        start = time.perf_counter()
        original(events, using=using)
        chain_seconds += time.perf_counter() - start

    core_models._chain = timed_chain
    start = time.perf_counter()
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=None, action="bench.write", record_type="bench", record_id=i, detail={"i": i})
    total = time.perf_counter() - start
    core_models._chain = original
    start = time.perf_counter()
    report = audit_chain_verify()
    verify = time.perf_counter() - start
    print(
        f"{connection.vendor}: {n} writes, {total / n * 1000:.2f} ms per audit write, of which "
        f"{chain_seconds / n * 1000:.2f} ms chaining (lock head, hash, update head); "
        f"audit_verify over {report.rows_checked} rows: {verify:.2f} s, ok={report.ok}"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 2000)
