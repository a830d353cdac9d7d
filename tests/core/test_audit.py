import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from exoclinic.accounts.models import Role
from exoclinic.core import services
from exoclinic.core.audit import audit_record
from exoclinic.core.errors import InvalidInput, NotFound
from exoclinic.core.models import AuditEvent


def test_audit_rows_cannot_be_edited_or_deleted(patient, staff):
    event = audit_record(actor=staff(Role.CLINICIAN), action="patient.view", target=patient)
    event.action = "tampered"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AuditEvent.objects.filter(pk=event.pk).update(action="tampered")
    with pytest.raises(PermissionError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).action == "patient.view"


def test_admin_offers_no_way_to_add_change_or_delete_audit_rows(db):
    model_admin = admin.site._registry[AuditEvent]
    request = RequestFactory().get("/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_patient_update_writes_field_names_to_the_audit_trail_in_the_same_transaction(patient, patient_user):
    services.patient_update(actor=patient_user, patient=patient, data={"phone": "+34 600 999 999"})
    patient.refresh_from_db()
    assert patient.phone == "+34 600 999 999"
    event = AuditEvent.objects.get(action="patient.update")
    assert event.detail == {"fields": ["phone"]}
    assert event.patient == patient and event.actor == patient_user


def test_failed_update_changes_nothing_and_writes_no_audit_row(patient, patient_user):
    with pytest.raises(InvalidInput) as err:
        services.patient_update(
            actor=patient_user, patient=patient, data={"phone": "+34 1", "time_zone": "Not/AZone"}
        )
    assert err.value.field == "time_zone"
    patient.refresh_from_db()
    assert patient.phone != "+34 1"
    assert not AuditEvent.objects.filter(action="patient.update").exists()


def test_patient_cannot_change_clinical_fields_but_a_clinician_can(patient, patient_user, staff):
    with pytest.raises(InvalidInput) as err:
        services.patient_update(actor=patient_user, patient=patient, data={"sci_ais_grade": "D"})
    assert err.value.field == "sci_ais_grade"
    services.patient_update(actor=staff(Role.CLINICIAN), patient=patient, data={"sci_ais_grade": "C"})
    patient.refresh_from_db()
    assert patient.sci_ais_grade == "C"


def test_staff_of_another_clinic_cannot_update(patient, other_clinic, staff):
    with pytest.raises(NotFound):
        services.patient_update(
            actor=staff(Role.CLINICIAN, at=other_clinic), patient=patient, data={"phone": "1"}
        )


def test_future_injury_date_is_refused_with_the_field_named(patient, staff):
    import datetime as dt

    with pytest.raises(InvalidInput) as err:
        services.patient_update(
            actor=staff(Role.CLINICIAN), patient=patient, data={"sci_date_of_injury": dt.date(2999, 1, 1)}
        )
    assert err.value.field == "sci_date_of_injury"


def test_only_clinic_admins_read_the_access_log_and_reading_it_is_audited(client, patient, staff):
    clinician, admin_user = staff(Role.CLINICIAN), staff(Role.ADMIN)
    client.force_login(clinician)
    client.get(reverse("staff:patient", args=[patient.pk]))
    assert client.get(reverse("staff:access-log", args=[patient.pk])).status_code == 403

    client.force_login(admin_user)
    page = client.get(reverse("staff:access-log", args=[patient.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert clinician.email in html and "patient.view" in html
    assert AuditEvent.objects.filter(patient=patient, action="audit.view", actor=admin_user).exists()


def test_medication_hook_runs_after_commit(patient, patient_user, django_capture_on_commit_callbacks):
    from exoclinic.core import hooks

    seen = []
    hooks.medication_added.append(seen.append)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            med = services.patient_medication_add(
                actor=patient_user, patient=patient, name="Ibuprofen", is_anti_inflammatory=True
            )
    finally:
        hooks.medication_added.remove(seen.append)
    assert seen == [med]
    assert AuditEvent.objects.filter(action="medication.add", patient=patient).exists()


def test_a_staff_api_list_of_patients_is_in_each_patients_access_log(client, patient, staff):
    from exoclinic.accounts.services import api_token_issue
    from tests.factories import PatientFactory

    second = PatientFactory(clinic=patient.clinic)
    coordinator = staff(Role.COORDINATOR)
    _, raw = api_token_issue(user=coordinator)
    client.get("/api/v1/patients", headers={"Authorization": f"Bearer {raw}"})
    for p in (patient, second):
        row = AuditEvent.objects.get(patient=p, action="patient.view")
        assert row.actor == coordinator and row.detail == {"purpose": "api_list"}


def test_a_patient_listing_their_own_record_writes_no_view_row(client, patient, patient_user):
    client.force_login(patient_user)
    assert len(client.get("/api/v1/patients").json()) == 1
    assert not AuditEvent.objects.filter(action="patient.view").exists()
