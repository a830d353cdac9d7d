"""The application's life: submit once, flags stored, transitions enforced, acceptance makes a patient."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from exoclinic.accounts.models import Role, User
from exoclinic.core.errors import Conflict, InvalidInput, InvalidTransition, NotFound, PermissionDenied
from exoclinic.core.models import AuditEvent, Patient
from exoclinic.core.timeline import Step, patient_timeline
from exoclinic.intake import selectors, services
from exoclinic.intake.models import ApplicationStatus, TreatmentApplication
from tests.factories import PatientFactory
from tests.intake.factories import answers, in_review, submitted

pytestmark = pytest.mark.django_db


def test_submit_gives_a_reference_stores_flags_and_sends_a_confirmation(
    clinic, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = submitted(clinic, pregnant="yes", active_cancer="unsure")
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.reference.startswith("A")
    codes = [f["code"] for f in application.flags]
    assert codes[0] == "pregnancy" and "cancer_unknown" in codes
    assert application.flag_level == "needs_attention"
    assert mail.outbox[-1].to == ["marta@example.org"]
    assert application.reference in mail.outbox[-1].subject
    assert application.reference in mail.outbox[-1].body


def test_the_same_idempotency_key_submits_one_application(clinic):
    first, created = services.application_submit_complete(
        clinic=clinic, data=answers(), idempotency_key="key-12345678"
    )
    again, created_again = services.application_submit_complete(
        clinic=clinic, data=answers(), idempotency_key="key-12345678"
    )
    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert TreatmentApplication.objects.count() == 1


def test_submitting_a_submitted_draft_again_changes_nothing(clinic):
    draft, _ = services.application_start(
        clinic=clinic,
        data={
            k: v
            for k, v in answers().items()
            if k in ("for_self", "first_name", "last_name", "date_of_birth", "email", "time_zone")
        },
    )
    with pytest.raises(InvalidInput) as missing:
        services.application_submit(application=draft)
    assert missing.value.field == "movement"
    complete = answers()
    for step in ("condition", "function", "health", "goals", "consent"):
        from exoclinic.intake.steps import BY_KEY

        services.application_save_step(
            application=draft, step=step, data={k: complete[k] for k in BY_KEY[step].fields if k in complete}
        )
    first, new = services.application_submit(application=draft, submit_key="abc")
    second, new_again = services.application_submit(application=draft, submit_key="abc")
    assert (new, new_again) == (True, False)
    assert first.reference == second.reference


def test_a_missing_consent_is_refused_naming_the_field(clinic):
    with pytest.raises(InvalidInput) as exc:
        submitted(clinic, privacy_acknowledged=False)
    assert exc.value.field == "privacy_acknowledged"
    assert not TreatmentApplication.objects.exists()


def test_flags_inform_and_never_decide(clinic, staff):
    coordinator = staff(Role.COORDINATOR)
    application = in_review(
        clinic,
        coordinator,
        active_infection="yes",
        date_of_birth=dt.date.today().replace(year=dt.date.today().year - 16),
    )
    assert {"active_infection", "minor_needs_guardian"} <= {f["code"] for f in application.flags}
    assert application.status == ApplicationStatus.IN_REVIEW
    accepted = services.application_decide(
        actor=coordinator, application=application, decision="accept", reason="Guardian will attend."
    )
    assert accepted.status == ApplicationStatus.ACCEPTED


def test_injury_threshold_is_the_clinics_setting(clinic, settings):
    recent = timezone.localdate() - dt.timedelta(weeks=20)
    assert "recent_injury" not in [f["code"] for f in submitted(clinic, date_of_injury=recent).flags]
    settings.EXOCLINIC_INTAKE_MIN_WEEKS_SINCE_INJURY = 26
    assert "recent_injury" in [f["code"] for f in submitted(clinic, date_of_injury=recent).flags]


def test_review_through_a_question_and_the_answer(clinic, staff, django_capture_on_commit_callbacks):
    coordinator = staff(Role.COORDINATOR)
    application = submitted(clinic)
    with pytest.raises(InvalidTransition):
        services.application_request_info(actor=coordinator, application=application, body="MRI?")
    services.application_start_review(actor=coordinator, application=application)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_request_info(
            actor=coordinator, application=application, body="Please send the MRI."
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.INFO_REQUESTED
    assert "Please send the MRI." in mail.outbox[-1].body and "/apply/link/" in mail.outbox[-1].body
    with pytest.raises(InvalidTransition):
        services.application_decide(
            actor=coordinator, application=application, decision="accept", reason="ok"
        )
    services.application_reply(application=application, body="Attached to the portal.")
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW
    actions = list(
        AuditEvent.objects.filter(record_id=str(application.pk), record_type="intake.treatmentapplication")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions[-3:] == ["application.start_review", "application.request_info", "application.reply"]


def test_a_decision_needs_a_reason(clinic, staff):
    coordinator = staff(Role.COORDINATOR)
    application = in_review(clinic, coordinator)
    with pytest.raises(InvalidInput) as exc:
        services.application_decide(
            actor=coordinator, application=application, decision="decline", reason="  "
        )
    assert exc.value.field == "reason"


def test_accepting_creates_the_patient_an_account_and_an_invitation(
    clinic, staff, django_capture_on_commit_callbacks
):
    coordinator = staff(Role.COORDINATOR)
    application = in_review(clinic, coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_decide(
            actor=coordinator, application=application, decision="accept", reason="Fits."
        )
    application.refresh_from_db()
    patient = application.patient
    assert (patient.first_name, patient.sci_neurological_level, patient.research_consent) == (
        "Marta",
        "T6",
        True,
    )
    user = User.objects.get(email="marta@example.org")
    assert patient.user == user and not user.has_usable_password()
    assert "/welcome/" in mail.outbox[-1].body
    assert patient_timeline(patient).current.step == Step.CONSULTATION
    assert selectors.application_self_ratings(patient) == (
        application.submitted_at,
        answers()["self_ratings"],
    )


def test_a_possible_match_is_never_linked_without_staff_choosing_it(clinic, staff):
    coordinator = staff(Role.COORDINATOR)
    existing = PatientFactory(clinic=clinic, email="marta@example.org", date_of_birth=dt.date(1985, 3, 4))
    application = in_review(clinic, coordinator)
    with pytest.raises(Conflict) as refused:
        services.application_decide(
            actor=coordinator, application=application, decision="accept", reason="Known."
        )
    assert refused.value.code == "possible_match" and refused.value.field == "patient"
    assert [m["patient_id"] for m in refused.value.extra["matches"]] == [existing.pk]
    assert "email" in refused.value.extra["matches"][0]["evidence"]
    application.refresh_from_db()
    assert application.status == ApplicationStatus.IN_REVIEW and application.patient is None

    services.application_decide(
        actor=coordinator,
        application=application,
        decision="accept",
        reason="Known.",
        patient_choice=str(existing.pk),
    )
    application.refresh_from_db()
    assert application.patient == existing
    assert Patient.objects.filter(clinic=clinic).count() == 1


def test_staff_may_create_a_new_record_despite_a_possible_match(clinic, staff):
    coordinator = staff(Role.COORDINATOR)
    namesake = PatientFactory(
        clinic=clinic, first_name="Marta", last_name="Vidal", date_of_birth=dt.date(1985, 3, 4)
    )
    application = in_review(clinic, coordinator, first_name="Marta", last_name="Vidal")
    services.application_decide(
        actor=coordinator,
        application=application,
        decision="accept",
        reason="Another person.",
        patient_choice="new",
    )
    application.refresh_from_db()
    assert application.patient != namesake
    decided = AuditEvent.objects.get(action="application.accept")
    assert decided.detail["created_despite"] == [namesake.pk]


def test_withdrawn_applications_cannot_be_reviewed(clinic, staff):
    coordinator = staff(Role.COORDINATOR)
    application = submitted(clinic)
    services.application_withdraw(application=application, reason="Changed my mind")
    with pytest.raises(InvalidTransition):
        services.application_start_review(actor=coordinator, application=application)
    with pytest.raises(InvalidTransition):
        services.application_withdraw(application=application)


def test_another_clinics_staff_and_lab_staff_cannot_review(clinic, other_clinic, staff):
    application = submitted(clinic)
    with pytest.raises(NotFound):
        services.application_start_review(
            actor=staff(Role.COORDINATOR, at=other_clinic), application=application
        )
    with pytest.raises(PermissionDenied):
        services.application_start_review(actor=staff(Role.LAB), application=application)
    with pytest.raises(NotFound):
        selectors.application_get(user=staff(Role.CLINICIAN, at=other_clinic), application_id=application.pk)


def test_queue_filters_by_status_flags_and_age(clinic, staff):
    coordinator = staff(Role.COORDINATOR)
    plain = submitted(clinic)
    flagged = submitted(clinic, pregnant="yes")
    TreatmentApplication.objects.filter(pk=plain.pk).update(
        submitted_at=timezone.now() - dt.timedelta(days=10)
    )
    queue = lambda **kw: [a.pk for a in selectors.application_queue(user=coordinator, **kw)]  # noqa: E731
    assert queue() == [plain.pk, flagged.pk]
    assert queue(flag="pregnancy") == [flagged.pk]
    assert queue(flag="needs_attention") == [flagged.pk]
    assert queue(older_than_days=7) == [plain.pk]
    services.application_start_review(actor=coordinator, application=flagged)
    assert queue(status="submitted") == [plain.pk]


def test_a_draft_link_expires(clinic, settings):
    settings.EXOCLINIC_INTAKE_DRAFT_DAYS = 2
    draft, raw = services.application_start(
        clinic=clinic, data={"for_self": True, "first_name": "A", "last_name": "B", "email": "a@example.org"}
    )
    assert services.link_resolve(token=raw) == draft
    with pytest.raises(NotFound):
        services.link_resolve(token=raw, now=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(NotFound):
        services.link_resolve(token="made-up")


def test_a_relative_who_applied_becomes_the_new_patients_caregiver(clinic, staff):
    coordinator = staff(Role.COORDINATOR)
    application = in_review(
        clinic,
        coordinator,
        for_self=False,
        filler_name="Pilar Vidal",
        filler_relationship="Mother",
        filler_email="pilar@example.org",
        email="",
    )
    services.application_decide(actor=coordinator, application=application, decision="accept", reason="Fits.")
    application.refresh_from_db()
    pilar = User.objects.get(email="pilar@example.org")
    assert application.patient.caregiver == pilar and application.patient.user is None
    assert [a.pk for a in selectors.applications_of_user(pilar)] == [application.pk]
