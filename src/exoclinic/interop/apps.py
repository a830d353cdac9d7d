from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InteropConfig(AppConfig):
    name = "exoclinic.interop"
    label = "interop"

    def ready(self) -> None:
        from exoclinic.core import navigation

        navigation.register("portal", _("Download my record"), "interop:my-record", order=90)
        navigation.register(
            "staff", _("Import a referral"), "interop:referral-upload", roles=["clinician"], order=80
        )
