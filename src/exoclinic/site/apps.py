from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "exoclinic.site"
    label = "site"
    verbose_name = "Public site"
