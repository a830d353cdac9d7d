from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SchedulingConfig(AppConfig):
    name = "exoclinic.scheduling"
    label = "scheduling"
    verbose_name = _("Booking")

    def ready(self) -> None:
        from exoclinic.core import navigation, panels
        from exoclinic.core.timeline import register_bulk_provider

        from .rules import BOOKING_STAFF_ROLES
        from .timeline import consultation_provider
        from .views.panels import portal_offers_panel

        register_bulk_provider(consultation_provider)
        navigation.register("portal", _("My appointments"), "scheduling:my-appointments", order=20)
        navigation.register(
            "staff",
            _("Calendar"),
            "scheduling:calendar",
            roles=[str(r) for r in BOOKING_STAFF_ROLES],
            order=20,
        )
        panels.register("portal", portal_offers_panel)
