from django.apps import AppConfig


class SchedulingConfig(AppConfig):
    name = "exoclinic.scheduling"
    label = "scheduling"
