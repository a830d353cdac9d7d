from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "exoclinic.accounts"
    label = "accounts"

    def ready(self):
        from . import signals  # noqa: F401  (audit receivers for logins, failures and lockouts)
