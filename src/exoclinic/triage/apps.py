from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TriageConfig(AppConfig):
    name = "exoclinic.triage"
    label = "triage"

    def ready(self) -> None:
        from exoclinic.core import navigation, panels

        from .overdue import overdue_escalations_panel
        from .panels import open_alerts_panel, portal_symptoms_panel

        readers = ["coordinator", "clinician", "admin"]
        navigation.register("staff", _("Triage alerts"), "triage:alerts", roles=readers, order=10)
        navigation.register("staff", _("On-call rota"), "triage:rota", roles=readers, order=80)
        navigation.register("staff", _("Alert response times"), "triage:ack_report", roles=readers, order=81)
        navigation.register("portal", _("Report symptoms"), "triage:symptoms", order=20)
        panels.register("staff", overdue_escalations_panel)
        panels.register("staff", open_alerts_panel)
        panels.register("portal", portal_symptoms_panel)
