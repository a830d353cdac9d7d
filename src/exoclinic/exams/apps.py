from django.apps import AppConfig


class ExamsConfig(AppConfig):
    name = "exoclinic.exams"
    label = "exams"
    verbose_name = "ISNCSCI exams"
