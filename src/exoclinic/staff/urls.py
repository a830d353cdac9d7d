from django.urls import path

from . import views

app_name = "staff"
urlpatterns = [
    path("staff/", views.home, name="home"),
    path("staff/patients/<int:patient_id>/", views.patient_chart, name="patient"),
    path("staff/patients/<int:patient_id>/access-log/", views.patient_access_log, name="access-log"),
    path("staff/patients/<int:patient_id>/baseline-bp/", views.patient_baseline_bp, name="baseline-bp"),
]
