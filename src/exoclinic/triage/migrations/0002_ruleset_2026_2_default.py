"""Store rule set 2026.2 (issues 15 and 19) and make it the active one where the built-in 2026.1 is active.

2026.1 stays stored (its reports replay with it). A version the medical director published stays active:
they switch to 2026.2 in the admin. A fresh database gets 2026.2 from ``ruleset_ensure_active``.
"""

from django.db import migrations

CHANGE_NOTE = (
    "Built-in version 2026.2: clinical-facts section 4 as properties (headache at or above T6, severity never "
    "lowers a red flag, post-puncture headache past 72 hours or day 5, skin and injection-site rules, a note "
    "in the patient's own words), vital signs far out of range, own resting pulse, spinal routes by property."
)


def forwards(apps, schema_editor):
    from exoclinic.triage.ruleset import RULESET_2026_2

    TriageRuleSet = apps.get_model("triage", "TriageRuleSet")
    active = TriageRuleSet.objects.filter(is_active=True).first()
    if active is None:
        return  # fresh database: ruleset_ensure_active() creates the default version when first needed
    row, _created = TriageRuleSet.objects.get_or_create(
        version=RULESET_2026_2.version,
        defaults={"data": RULESET_2026_2.to_dict(), "change_note": CHANGE_NOTE, "is_active": False},
    )
    if active.version == "2026.1":
        TriageRuleSet.objects.filter(pk=active.pk).update(is_active=False)
        TriageRuleSet.objects.filter(pk=row.pk).update(is_active=True)


class Migration(migrations.Migration):
    dependencies = [("triage", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
