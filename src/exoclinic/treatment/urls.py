from django.urls import path

from . import portal_views, views

app_name = "treatment"
urlpatterns = [
    path("staff/treatment/", views.staff_home, name="staff-home"),
    path("staff/treatment/consent-texts/", views.consent_texts, name="consent-texts"),
    path("staff/treatment/patients/<int:patient_id>/", views.staff_patient, name="staff-patient"),
    path("staff/treatment/patients/<int:patient_id>/plans/new/", views.plan_new, name="plan-new"),
    path("staff/treatment/plans/<int:plan_id>/", views.plan_detail, name="plan"),
    path("staff/treatment/plans/<int:plan_id>/edit/", views.plan_edit, name="plan-edit"),
    path("staff/treatment/plans/<int:plan_id>/procedure/", views.procedure_new, name="procedure-new"),
    path("staff/treatment/procedures/<int:procedure_id>/", views.procedure_detail, name="procedure"),
    path("staff/treatment/adverse-events/", views.ae_list, name="ae-list"),
    path("staff/treatment/adverse-events/export.csv", views.ae_export, name="ae-export"),
    path("staff/treatment/adverse-events/<int:event_id>/", views.ae_detail, name="ae-detail"),
    path("staff/treatment/patients/<int:patient_id>/adverse-events/new/", views.ae_new, name="ae-new"),
    path(
        "staff/treatment/medication-warnings/<int:warning_id>/acknowledge/",
        views.warning_acknowledge,
        name="warning-ack",
    ),
    path("portal/treatment/", portal_views.portal_treatment, name="portal"),
    path("portal/treatment/plans/<int:plan_id>/consent/", portal_views.portal_consent, name="portal-consent"),
    path(
        "portal/treatment/plans/<int:plan_id>/consent/withdraw/",
        portal_views.portal_consent_withdraw,
        name="portal-consent-withdraw",
    ),
    path(
        "portal/treatment/plans/<int:plan_id>/consent/renew/",
        portal_views.portal_consent_renew,
        name="portal-consent-renew",
    ),
    path("portal/treatment/side-effects/new/", portal_views.portal_report, name="portal-report"),
]
