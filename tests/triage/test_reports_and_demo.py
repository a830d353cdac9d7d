"""The monthly time-to-acknowledge report, the demo data, and the admin for rule-set versions."""

from __future__ import annotations

import datetime as dt

import pytest

from exoclinic.accounts.models import Role
from exoclinic.core.demo import seed as seed_core
from exoclinic.triage import demo, selectors, services
from exoclinic.triage.models import OnCallShift, SymptomReport, TriageAlert, TriageRuleSet
from exoclinic.triage.ruleset import DEFAULT_RULESET
from tests.triage.factories import AD_HEADACHE, S, answers


def _alert(patient, at, yes=AD_HEADACHE):
    report = services.symptom_report_submit(actor=patient.user, patient=patient, answers=answers(yes), now=at)
    return TriageAlert.objects.get(report=report)


def test_report_groups_by_month_in_the_clinic_time_zone_with_median_and_90th_percentile(
    patient, staff, clinic
):
    coordinator = staff(Role.COORDINATOR)
    # 31 Oct 23:30 UTC is already 1 November in Madrid (UTC+1 in winter).
    november = dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC)
    for delay in (2, 4, 6, 8, 10, 12, 14, 16, 18, 40):
        alert = _alert(patient, november)
        services.alert_acknowledge(actor=coordinator, alert=alert, now=november + dt.timedelta(minutes=delay))
    _alert(patient, november, {S.LEG_SWOLLEN_WARM_DISCOLOURED: "yes"})  # urgent, never acknowledged
    _alert(patient, dt.datetime(2026, 10, 15, 9, 0, tzinfo=dt.UTC))
    rows = selectors.acknowledgement_report(user=coordinator, clinic=clinic)
    summary = [(r.month, r.level, r.raised, r.acknowledged, r.median, r.p90) for r in rows]
    assert summary == [
        ("2026-10", "emergency", 1, 0, None, None),
        ("2026-11", "emergency", 10, 10, 11.0, 18.0),
        ("2026-11", "urgent", 1, 0, None, None),
    ]


def test_the_report_is_for_staff_of_the_clinic_only(staff, other_clinic, clinic):
    from exoclinic.core.errors import NotFound

    with pytest.raises(NotFound):
        selectors.acknowledgement_report(user=staff(Role.CLINICIAN, at=other_clinic), clinic=clinic)


def test_demo_seed_is_idempotent_with_active_default_rota_and_one_acknowledged_alert(db):
    now = dt.datetime(2026, 11, 20, 10, 0, tzinfo=dt.UTC)
    for _ in range(2):
        ctx = seed_core(now)
        demo.seed(ctx)
    assert TriageRuleSet.objects.get(is_active=True).version == DEFAULT_RULESET.version
    chain = services.escalation_chain(ctx.clinic, at=now)
    assert chain == [ctx.users["coordinator"].pk, ctx.users["clinician"].pk]
    assert ctx.users["clinician"].email == "clinician@example.org"
    alert = TriageAlert.objects.get()
    assert alert.is_acknowledged and alert.acknowledged_by == ctx.users["coordinator"]
    assert SymptomReport.objects.count() == 1 and OnCallShift.objects.filter(clinic=ctx.clinic).count() == 122


def test_the_medical_director_adds_a_version_in_the_admin_and_a_clinician_cannot(client, staff):
    director = staff(Role.CLINICIAN, is_medical_director=True)
    director.is_staff = True
    director.save()
    services.ruleset_ensure_active()
    client.force_login(director)
    page = client.get("/admin/triage/triageruleset/add/")
    assert page.status_code == 200 and "expected_effect_days" in page.content.decode()
    import json

    data = DEFAULT_RULESET.to_dict()
    data["parameters"]["expected_effect_days"] = 2
    response = client.post(
        "/admin/triage/triageruleset/add/",
        {"version": "2026.5", "change_note": "Two days.", "data": json.dumps(data), "activate": "on"},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    active = TriageRuleSet.objects.get(is_active=True)
    assert (active.version, active.author, active.data["parameters"]["expected_effect_days"]) == (
        "2026.5",
        director,
        2,
    )
    bad = {**data, "rules": {**data["rules"], "seizure": {"enabled": True, "level": "routine"}}}
    response = client.post(
        "/admin/triage/triageruleset/add/", {"version": "2026.6", "change_note": "x", "data": json.dumps(bad)}
    )
    assert response.status_code == 200 and "rules.seizure.level" in response.content.decode()
    clinician = staff(Role.CLINICIAN)
    clinician.is_staff = True
    clinician.save()
    client.force_login(clinician)
    assert client.get("/admin/triage/triageruleset/add/").status_code == 403


def test_a_coordinator_edits_only_their_own_clinics_rota_in_the_admin(client, staff, clinic, other_clinic):
    from tests.triage.factories import OnCallShiftFactory

    coordinator = staff(Role.COORDINATOR)
    coordinator.is_staff = True
    coordinator.save()
    mine = OnCallShiftFactory(clinic=clinic, user=coordinator)
    theirs = OnCallShiftFactory(clinic=other_clinic, user=staff(Role.CLINICIAN, at=other_clinic))
    client.force_login(coordinator)
    listing = client.get("/admin/triage/oncallshift/")
    assert listing.status_code == 200
    assert list(listing.context["cl"].queryset) == [mine]
    assert client.get(f"/admin/triage/oncallshift/{theirs.pk}/change/").status_code in (302, 404)
