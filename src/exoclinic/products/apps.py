from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "exoclinic.products"
    label = "products"
