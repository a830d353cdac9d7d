from django.apps import AppConfig


class StaffConfig(AppConfig):
    name = "exoclinic.staff"
    label = "staff"
