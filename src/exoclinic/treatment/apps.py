from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    name = "exoclinic.treatment"
    label = "treatment"
