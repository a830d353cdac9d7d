from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "exoclinic.core"
    label = "core"
