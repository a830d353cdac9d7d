from django.urls import path

from . import views

app_name = "aftercare"
urlpatterns = [
    path("portal/aftercare/", views.portal_aftercare, name="portal"),
    path("portal/aftercare/check-ins/<int:check_in_id>/", views.portal_check_in, name="portal-check-in"),
]
