from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "exoclinic.portal"
    label = "portal"
