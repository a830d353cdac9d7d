from django.urls import path

from . import deviation_views, portal_views, views

app_name = "products"
urlpatterns = [
    path("portal/notices/", portal_views.portal_notices, name="portal-notices"),
    path("portal/notices/<int:notice_id>/", portal_views.portal_notice, name="portal-notice"),
    path("staff/products/", views.lot_list, name="lots"),
    path("staff/products/lots/new/", views.lot_register, name="lot-register"),
    path("staff/products/lots/<int:lot_id>/", views.lot_detail, name="lot"),
    path("staff/products/lots/<int:lot_id>/recall/", views.lot_recall, name="recall"),
    path("staff/products/lots/<int:lot_id>/recipients.csv", views.lot_recall_csv, name="recall-csv"),
    path("staff/products/recalls/", views.recall_list, name="recalls"),
    path("staff/products/deviations/", deviation_views.deviation_list, name="deviations"),
    path(
        "staff/products/lots/<int:lot_id>/deviations/",
        deviation_views.lot_deviations,
        name="lot-deviations",
    ),
    path("staff/products/storage/", views.storage_list, name="storage-list"),
    path("staff/products/storage/<int:storage_unit_id>/", views.storage_detail, name="storage"),
    path("staff/products/sources/", views.source_list, name="sources"),
    path("staff/products/sources/<int:source_id>/", views.source_detail, name="source"),
]
