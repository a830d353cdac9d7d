from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "exoclinic.intake"
    label = "intake"
