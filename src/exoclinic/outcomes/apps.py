from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutcomesConfig(AppConfig):
    name = "exoclinic.outcomes"
    label = "outcomes"

    def ready(self):
        from exoclinic.core import navigation, panels, timeline

        from . import panels as outcome_panels

        navigation.register("portal", _("My progress"), "outcomes:portal-progress", order=40)
        navigation.register("portal", _("Weekly diary"), "outcomes:portal-diary", order=41)
        navigation.register(
            "staff",
            _("Follow-ups"),
            "outcomes:follow-ups",
            roles={"coordinator", "clinician", "admin"},
            order=40,
        )
        navigation.register(
            "staff", _("Cohort outcomes"), "outcomes:cohort", roles={"clinician", "admin"}, order=41
        )
        panels.register("staff", outcome_panels.staff_follow_ups_panel)
        panels.register("portal", outcome_panels.portal_progress_panel)
        timeline.register_bulk_provider(outcome_panels.follow_up_timeline_provider)
