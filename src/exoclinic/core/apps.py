from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "exoclinic.core"
    label = "core"
    verbose_name = "Clinics and patients"

    def ready(self) -> None:
        from .timeline import foundation_provider, register_bulk_provider

        register_bulk_provider(foundation_provider)
