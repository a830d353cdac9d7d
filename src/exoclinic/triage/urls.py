from django.urls import path

from . import views

app_name = "triage"
urlpatterns = [
    path("portal/symptoms/", views.symptoms, name="symptoms"),
    path("portal/symptoms/<int:report_id>/", views.symptom_result, name="symptom_result"),
    path("emergency/self-check/", views.self_check, name="self_check"),
    path("staff/triage/alerts/", views.alerts, name="alerts"),
    path(
        "staff/triage/alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert_acknowledge"
    ),
    path("staff/triage/reports/<int:report_id>/", views.report_explain, name="report_explain"),
    path("staff/triage/rota/", views.rota, name="rota"),
    path("staff/triage/acknowledgement/", views.acknowledgement_report, name="ack_report"),
]
