from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AftercareConfig(AppConfig):
    name = "exoclinic.aftercare"
    label = "aftercare"
    verbose_name = _("Aftercare")

    def ready(self) -> None:
        from exoclinic.core import hooks, navigation, panels, timeline

        from . import panels as aftercare_panels
        from .selectors import timeline_evidence_for
        from .services import medication_conflict_check

        timeline.register_bulk_provider(timeline_evidence_for)
        if medication_conflict_check not in hooks.medication_added:
            hooks.medication_added.append(medication_conflict_check)
        panels.register("portal", aftercare_panels.portal_aftercare)
        panels.register("staff", aftercare_panels.staff_medication_warnings)
        navigation.register("portal", _("Aftercare"), "aftercare:portal", order=40)
