from django.apps import AppConfig


class TriageConfig(AppConfig):
    name = "exoclinic.triage"
    label = "triage"
