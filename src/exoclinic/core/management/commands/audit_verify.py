from django.core.management.base import BaseCommand, CommandError

from exoclinic.core.auditverify import audit_chain_verify


class Command(BaseCommand):
    help = (
        "Check the audit trail's hash chain; report the first broken link and exit 1. Note the printed "
        "head hash somewhere outside the database to detect a rewritten chain later."
    )

    def handle(self, *args, **options):
        report = audit_chain_verify()
        if report.broken is not None:
            b = report.broken
            where = (
                f"row id={b.row_id} (seq {b.seq})" if b.row_id is not None else f"chain head (seq {b.seq})"
            )
            self.stderr.write(f"Audit chain broken at {where}: {b.reason}.")
            self.stderr.write(f"{report.rows_checked} row(s) before it are intact.")
            raise CommandError("audit chain verification failed", returncode=1)
        self.stdout.write(
            f"Audit chain intact: {report.rows_checked} row(s), head seq {report.head_seq}, "
            f"head hash {report.head_hash}."
        )
