from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "exoclinic.interop"
    label = "interop"
