"""Chain the audit trail: every row gets its place (seq) and a hash over its fields and the previous hash.

Existing rows are sealed in id order (their writing order); 0004 then makes seq required (a separate
migration, so PostgreSQL does not alter a table with pending trigger events in the same transaction).
"""

from django.db import migrations, models

from exoclinic.core.auditchain import GENESIS_HASH, row_hash


def seal_existing_rows(apps, schema_editor):
    AuditEvent = apps.get_model("core", "AuditEvent")
    AuditChainHead = apps.get_model("core", "AuditChainHead")
    db = schema_editor.connection.alias
    previous = GENESIS_HASH
    seq = 0
    # Historical models have no append-only guard, so the migration may fill the new columns.
    for event in AuditEvent.objects.using(db).order_by("id").iterator(chunk_size=2000):
        seq += 1
        event.seq = seq
        previous = row_hash(event, previous)
        AuditEvent.objects.using(db).filter(pk=event.pk).update(seq=seq, row_hash=previous)
    AuditChainHead.objects.using(db).update_or_create(pk=1, defaults={"seq": seq, "last_hash": previous})


class Migration(migrations.Migration):
    dependencies = [("core", "0002_patient_baseline_systolic")]

    operations = [
        migrations.CreateModel(
            name="AuditChainHead",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(default=0)),
                ("last_hash", models.CharField(max_length=64)),
            ],
            options={"verbose_name": "audit chain head"},
        ),
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, null=True, unique=True),
        ),
        migrations.AddField(
            model_name="auditevent",
            name="row_hash",
            field=models.CharField(default="", editable=False, max_length=64),
            preserve_default=False,
        ),
        migrations.RunPython(seal_existing_rows, migrations.RunPython.noop),
    ]
