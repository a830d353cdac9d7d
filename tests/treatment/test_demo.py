from django.core.management import call_command

from exoclinic.aftercare.selectors import aftercare_for_patient
from exoclinic.core.models import Patient
from exoclinic.core.timeline import Step, StepState, patient_timeline
from exoclinic.treatment.models import Consent, Procedure, TreatmentPlan


def test_demo_shows_the_treatment_journey_and_is_safe_to_run_twice(db):
    call_command("seed_demo", quiet=True)
    call_command("seed_demo", quiet=True)
    treated = Patient.objects.get(email="patient2@example.org")
    procedure = Procedure.objects.get(patient=treated)
    assert procedure.lot.status in {"released", "recalled"}
    assert Consent.objects.filter(plan__patient=treated).count() == 1
    assert {r.kind for r in aftercare_for_patient(treated).in_force} == {
        "no_anti_inflammatory",
        "no_strenuous_activity",
        "no_cardio_exercise",
    }
    steps = {s.step: s.state for s in patient_timeline(treated).steps}
    assert steps[Step.TREATMENT] == StepState.DONE
    to_sign = Patient.objects.get(email="patient3@example.org")
    assert to_sign.treatment_plans.get().checklist.filter(rule="anticoagulant").exists()
    assert TreatmentPlan.objects.filter(patient__email="patient4@example.org", status="draft").count() == 1
    assert not TreatmentPlan.objects.filter(patient__email="patient@example.org").exists()
