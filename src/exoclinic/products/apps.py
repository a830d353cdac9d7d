from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProductsConfig(AppConfig):
    name = "exoclinic.products"
    label = "products"
    verbose_name = _("Products and lots")

    def ready(self) -> None:
        from exoclinic.core import navigation, panels

        from . import panels as product_panels

        navigation.register("staff", _("Products"), "products:lots", roles={"lab", "admin"}, order=40)
        panels.register("staff", product_panels.lab_attention_panel)
        panels.register("portal", product_panels.portal_recall_notices_panel)
