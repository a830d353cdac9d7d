from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "exoclinic.accounts"
    label = "accounts"
