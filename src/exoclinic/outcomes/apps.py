from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "exoclinic.outcomes"
    label = "outcomes"
