from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "exoclinic.intake"
    label = "intake"
    verbose_name = _("Treatment applications")

    def ready(self) -> None:
        from exoclinic.core import navigation, panels
        from exoclinic.core.timeline import register_bulk_provider

        from .panels import portal_panel, staff_panel
        from .timeline import intake_provider

        navigation.register(
            "staff",
            _("Applications"),
            "intake:staff-queue",
            roles=["coordinator", "clinician", "admin"],
            order=10,
        )
        panels.register("portal", portal_panel)
        panels.register("staff", staff_panel)
        register_bulk_provider(intake_provider)
