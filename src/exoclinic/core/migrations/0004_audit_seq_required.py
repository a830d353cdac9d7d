from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_hash_chain")]

    operations = [
        migrations.AlterField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(editable=False, unique=True),
        ),
    ]
