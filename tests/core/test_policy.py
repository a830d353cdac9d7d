"""The access policy matrix: every role against own, another patient's and another clinic's records."""

import pytest
from django.urls import reverse

from exoclinic.accounts.models import Role
from exoclinic.accounts.services import api_token_issue
from exoclinic.core.errors import NotFound
from exoclinic.core.models import AuditEvent
from exoclinic.core.policy import patient_get, visible_patients
from tests.factories import ClinicFactory, PatientFactory, StaffFactory, UserFactory

# who -> which records they reach. "own" is the record of the patient user (whom the caregiver cares for);
# "clinic" another patient of the same clinic; "other" a patient of another clinic. Staff work at the clinic.
MATRIX = {
    "patient": {"own": True, "clinic": False, "other": False},
    "caregiver": {"own": True, "clinic": False, "other": False},
    "coordinator": {"own": True, "clinic": True, "other": False},
    "clinician": {"own": True, "clinic": True, "other": False},
    "admin": {"own": True, "clinic": True, "other": False},
    "lab": {"own": False, "clinic": False, "other": False},  # lab staff see products, not charts
    "stranger": {"own": False, "clinic": False, "other": False},  # logged in, no relation
}


@pytest.fixture
def world(db):
    clinic, other_clinic = ClinicFactory(), ClinicFactory()
    users = {
        "patient": UserFactory(),
        "caregiver": UserFactory(),
        "stranger": UserFactory(),
        "coordinator": StaffFactory(role=Role.COORDINATOR, clinic=clinic),
        "clinician": StaffFactory(role=Role.CLINICIAN, clinic=clinic),
        "admin": StaffFactory(role=Role.ADMIN, clinic=clinic),
        "lab": StaffFactory(role=Role.LAB, clinic=clinic),
    }
    own = PatientFactory(clinic=clinic, user=users["patient"], caregiver=users["caregiver"])
    records = {
        "own": own,
        "clinic": PatientFactory(clinic=clinic),
        "other": PatientFactory(clinic=other_clinic),
    }
    return users, records


CASES = [(who, record, allowed) for who, row in MATRIX.items() for record, allowed in row.items()]


@pytest.mark.parametrize("who,record,allowed", CASES, ids=[f"{w}-{r}" for w, r, _ in CASES])
def test_selector_matrix(world, who, record, allowed):
    users, records = world
    target = records[record]
    assert visible_patients(users[who]).filter(pk=target.pk).exists() is allowed
    if allowed:
        assert patient_get(user=users[who], patient_id=target.pk).pk == target.pk
    else:
        with pytest.raises(NotFound):
            patient_get(user=users[who], patient_id=target.pk)


@pytest.mark.parametrize("who,record,allowed", CASES, ids=[f"{w}-{r}" for w, r, _ in CASES])
def test_api_matrix(world, client, who, record, allowed):
    users, records = world
    target = records[record]
    _, token = api_token_issue(user=users[who])
    response = client.get(f"/api/v1/patients/{target.pk}", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert response.json()["id"] == target.pk
    else:
        assert response.json() == {"code": "not_found", "message": "Not found.", "field": None}
    listed = client.get("/api/v1/patients", headers={"Authorization": f"Bearer {token}"}).json()
    assert (target.pk in [p["id"] for p in listed]) is allowed


STAFF_PAGE_CASES = [(w, r, a) for w, r, a in CASES if w in ("coordinator", "clinician", "admin", "lab")]


@pytest.mark.parametrize(
    "who,record,allowed", STAFF_PAGE_CASES, ids=[f"{w}-{r}" for w, r, _ in STAFF_PAGE_CASES]
)
def test_staff_chart_page_matrix(world, client, who, record, allowed):
    users, records = world
    client.force_login(users[who])
    response = client.get(reverse("staff:patient", args=[records[record].pk]))
    assert response.status_code == (200 if allowed else 404)
    if allowed:
        assert records[record].last_name in response.content.decode()


@pytest.mark.parametrize("who", ["patient", "caregiver", "stranger"])
def test_patients_and_caregivers_have_no_staff_workspace(world, client, who):
    users, records = world
    client.force_login(users[who])
    assert client.get(reverse("staff:home")).status_code == 404
    assert client.get(reverse("staff:patient", args=[records["own"].pk])).status_code == 404


@pytest.mark.parametrize(
    "who,record,allowed", [c for c in CASES if c[0] in ("patient", "caregiver", "stranger")]
)
def test_portal_profile_page_matrix(world, client, who, record, allowed):
    users, records = world
    client.force_login(users[who])
    response = client.get(reverse("portal:profile") + f"?patient={records[record].pk}")
    assert response.status_code == (200 if allowed else 404)


def test_staff_view_of_a_chart_is_audited_but_the_patients_own_view_is_not(world, client):
    users, records = world
    own = records["own"]
    patient_get(user=users["patient"], patient_id=own.pk)
    assert not AuditEvent.objects.filter(patient=own, action="patient.view").exists()

    client.force_login(users["clinician"])
    client.get(
        reverse("staff:patient", args=[own.pk]), REMOTE_ADDR="10.1.2.3", HTTP_USER_AGENT="TestBrowser/1.0"
    )

    event = AuditEvent.objects.get(patient=own, action="patient.view")
    assert event.actor == users["clinician"]
    assert event.detail == {"purpose": "chart"}
    assert event.ip_address == "10.1.2.3"
    assert event.user_agent == "TestBrowser/1.0"
    assert event.clinic == own.clinic


def test_unknown_and_malformed_ids_answer_404_like_hidden_ones(world, client):
    users, _ = world
    _, token = api_token_issue(user=users["clinician"])
    auth = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/patients/999999", headers=auth).status_code == 404
    assert client.get("/api/v1/patients/abc", headers=auth).status_code in (400, 404)


def _member_by_sql(user, clinic) -> bool:
    from django.db import connection

    from exoclinic.core.policy import member_clinic_sql

    condition, params = member_clinic_sql("c.id", user)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT 1 FROM core_clinic c WHERE c.id = %s AND {condition}", [clinic.pk, *params])
        return cursor.fetchone() is not None


@pytest.mark.parametrize("who", [*MATRIX, "inactive staff", "anonymous"])
def test_clinic_membership_is_the_same_rule_in_the_orm_and_in_plain_sql(world, who):
    from django.contrib.auth.models import AnonymousUser

    from exoclinic.core.policy import member_clinics

    users, records = world
    clinic, other_clinic = records["own"].clinic, records["other"].clinic
    if who == "anonymous":
        user = AnonymousUser()
    elif who == "inactive staff":
        user = StaffFactory(role=Role.CLINICIAN, clinic=clinic)
        user.is_active = False
        user.save()
    else:
        user = users[who]
    # Patients, caregivers and staff of every role (lab included) belong to the clinic; nobody else does.
    expected = who in ("patient", "caregiver", "coordinator", "clinician", "admin", "lab")
    for place, belongs in ((clinic, expected), (other_clinic, False)):
        assert member_clinics(user).filter(pk=place.pk).exists() is belongs
        assert _member_by_sql(user, place) is belongs


def test_the_plain_sql_condition_takes_only_a_column_name():
    from exoclinic.core.policy import member_clinic_sql

    with pytest.raises(ValueError):
        member_clinic_sql("t.clinic_id OR 1=1", UserFactory.build(pk=1))
