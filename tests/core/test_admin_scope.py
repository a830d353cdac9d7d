"""/admin/ for a clinic admin: their clinic's rows only, memberships within their clinic (audited), every
patient shown an audited read; the superuser is the operator's, never the demo clinic admin."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.core.management import call_command

from exoclinic.accounts.models import Role, StaffMembership, User
from exoclinic.core.admin_scope import ClinicAdminsContentAdmin, ClinicScopedAdmin, SuperuserOnlyAdmin
from exoclinic.core.audit import audit_record
from exoclinic.core.models import AuditEvent
from tests.factories import ClinicFactory, PatientFactory, StaffFactory

pytestmark = pytest.mark.django_db

MARK = "Zebedee"  # every row of the other clinic carries this name


@pytest.fixture
def two_clinics(clinic):
    from exoclinic.triage.models import SymptomReport, TriageRuleSet
    from tests.intake.factories import submitted
    from tests.scheduling.factories import AppointmentFactory, AppointmentTypeFactory

    other = ClinicFactory(name=f"{MARK} Clinic")
    boss = StaffFactory(role=Role.ADMIN, clinic=clinic, is_staff=True)
    theirs = PatientFactory(clinic=other, first_name=MARK, last_name=MARK)
    ours = PatientFactory(clinic=clinic, first_name="Ourpatient")
    kind = AppointmentTypeFactory(clinic=other, name=f"{MARK} consultation")
    doc = StaffFactory(role=Role.CLINICIAN, clinic=other, full_name=f"Dr {MARK}")
    start = dt.datetime(2027, 3, 2, 9, tzinfo=dt.UTC)
    appointment = AppointmentFactory(patient=theirs, appointment_type=kind, practitioner=doc, start=start)
    SymptomReport.objects.create(
        clinic=other,
        patient=theirs,
        submitted_by=theirs.user or doc,
        submitted_at=start,
        ruleset=TriageRuleSet.objects.create(version="t1", data={}, change_note="t"),
        inputs={},
        outcome={},
        level="routine",
    )
    submitted(other, first_name=MARK, last_name=MARK, email="zebedee@example.org")
    audit_record(actor=doc, action="patient.view", target=theirs)
    return clinic, other, boss, ours, theirs, appointment


def _changelists():
    for model, model_admin in admin.site._registry.items():
        yield model, f"/admin/{model._meta.app_label}/{model._meta.model_name}/"


def test_every_model_admin_names_who_may_see_it():
    # medical director; the rota (tests/triage); Django's groups (permissions no clinic admin holds)
    own_rules = {"TriageRuleSetAdmin", "OnCallShiftAdmin", "GroupAdmin"}
    for model, model_admin in admin.site._registry.items():
        assert (
            isinstance(model_admin, ClinicScopedAdmin | SuperuserOnlyAdmin | ClinicAdminsContentAdmin)
            or type(model_admin).__name__ in own_rules
        ), f"{type(model_admin).__name__} for {model._meta.label} is neither clinic-scoped nor superuser-only"


def test_a_clinic_admin_sees_no_row_of_another_clinic_anywhere_in_the_admin(client, two_clinics):
    _clinic, _other, boss, _ours, _theirs, appointment = two_clinics
    client.force_login(boss)
    assert client.get("/admin/").status_code == 200
    opened = 0
    for model, url in _changelists():
        response = client.get(url)
        assert response.status_code in (200, 403), url
        if response.status_code == 200:
            opened += 1
            assert MARK not in response.content.decode(), f"{url} shows the other clinic"
    assert opened >= 10
    change = client.get(f"/admin/scheduling/appointment/{appointment.pk}/change/")
    assert change.status_code in (302, 404)
    assert MARK not in client.get("/admin/core/auditevent/").content.decode()


def test_a_clinic_admin_cannot_give_itself_a_membership_of_another_clinic(client, two_clinics):
    clinic, other, boss, _ours, _theirs, _appointment = two_clinics
    client.force_login(boss)
    response = client.post(
        "/admin/accounts/staffmembership/add/",
        {"user": boss.pk, "clinic": other.pk, "role": Role.ADMIN, "title": ""},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not StaffMembership.objects.filter(user=boss, clinic=other).exists()
    assert client.get("/admin/accounts/user/").status_code == 403
    assert client.get(f"/admin/accounts/user/{boss.pk}/change/").status_code in (302, 403)
    assert not User.objects.get(pk=boss.pk).is_superuser


def test_membership_changes_within_the_clinic_are_audited(client, two_clinics):
    clinic, _other, boss, _ours, _theirs, _appointment = two_clinics
    newcomer = StaffFactory(role=Role.COORDINATOR, clinic=clinic)
    client.force_login(boss)
    response = client.post(
        "/admin/accounts/staffmembership/add/",
        {"user": newcomer.pk, "clinic": clinic.pk, "role": Role.CLINICIAN, "title": "Front desk"},
    )
    assert response.status_code == 302
    made = AuditEvent.objects.get(action="membership.create")
    assert (made.actor, made.clinic, made.detail["user"]) == (boss, clinic, newcomer.email)
    membership = StaffMembership.objects.get(user=newcomer, role=Role.COORDINATOR)
    client.post(f"/admin/accounts/staffmembership/{membership.pk}/delete/", {"post": "yes"})
    assert not StaffMembership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.filter(action="membership.delete", clinic=clinic).count() == 1


def test_patients_shown_in_the_admin_are_audited_reads_one_row_each(client, two_clinics):
    from tests.scheduling.factories import AppointmentFactory

    clinic, _other, boss, ours, _theirs, appointment = two_clinics
    mine = AppointmentFactory(patient=ours, start=appointment.start)
    client.force_login(boss)
    client.get("/admin/scheduling/appointment/")
    reads = AuditEvent.objects.filter(action="patient.view", actor=boss)
    assert [(r.patient_id, r.detail["purpose"]) for r in reads] == [(ours.pk, "admin:scheduling.appointment")]
    response = client.get(f"/admin/scheduling/appointment/{mine.pk}/change/")
    assert response.status_code == 200, response
    assert reads.all().count() == 2


def test_the_demo_clinic_admin_is_not_a_superuser(db):
    call_command("seed_demo", "--quiet")
    admin_user = User.objects.get(email="admin@example.org")
    assert admin_user.is_staff and not admin_user.is_superuser
    assert not User.objects.filter(is_superuser=True).exists()
