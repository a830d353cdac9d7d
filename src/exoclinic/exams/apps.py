from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExamsConfig(AppConfig):
    name = "exoclinic.exams"
    label = "exams"
    verbose_name = "ISNCSCI exams"

    def ready(self) -> None:
        from exoclinic.core import navigation

        navigation.register(
            "staff", _("ISNCSCI exams"), "exams:index", roles={"clinician", "coordinator", "admin"}, order=30
        )
        navigation.register("portal", _("My ISNCSCI exams"), "exams:portal-exams", order=42)
