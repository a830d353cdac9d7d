from django.apps import AppConfig


class AftercareConfig(AppConfig):
    name = "exoclinic.aftercare"
    label = "aftercare"
