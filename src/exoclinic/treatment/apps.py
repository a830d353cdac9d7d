from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TreatmentConfig(AppConfig):
    name = "exoclinic.treatment"
    label = "treatment"
    verbose_name = _("Treatment")

    def ready(self) -> None:
        from exoclinic.core import hooks, navigation, panels, timeline

        from . import panels as treatment_panels
        from .selectors import timeline_evidence_for
        from .services import on_medication_added, on_symptom_reported

        timeline.register_bulk_provider(timeline_evidence_for)
        if on_medication_added not in hooks.medication_added:
            hooks.medication_added.append(on_medication_added)
        if on_symptom_reported not in hooks.symptom_reported:
            hooks.symptom_reported.append(on_symptom_reported)
        panels.register("staff", treatment_panels.staff_adverse_events)
        panels.register("portal", treatment_panels.portal_consent_renewals)
        navigation.register(
            "staff",
            _("Treatment"),
            "treatment:staff-home",
            roles=["clinician", "coordinator", "admin"],
            order=30,
        )
        navigation.register(
            "staff",
            _("Adverse events"),
            "treatment:ae-list",
            roles=["clinician", "coordinator", "admin"],
            order=31,
        )
        navigation.register("portal", _("Treatment"), "treatment:portal", order=30)
