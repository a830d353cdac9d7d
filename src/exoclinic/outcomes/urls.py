from django.urls import path

from . import cohort_views, views

app_name = "outcomes"
urlpatterns = [
    path("portal/progress/", views.portal_progress, name="portal-progress"),
    path("portal/progress/report.pdf", views.portal_report, name="portal-report"),
    path("portal/diary/", views.portal_diary, name="portal-diary"),
    path("staff/patients/<int:patient_id>/progress/", views.staff_progress, name="staff-progress"),
    path("staff/patients/<int:patient_id>/progress/report.pdf", views.staff_report, name="staff-report"),
    path(
        "staff/patients/<int:patient_id>/assessments/<slug:instrument>/new/",
        views.assessment_new,
        name="assessment-new",
    ),
    path("staff/follow-ups/", views.follow_ups, name="follow-ups"),
    path("staff/outcomes/cohort/", cohort_views.cohort, name="cohort"),
    path("staff/outcomes/research-export.csv", cohort_views.research_export, name="research-export"),
    path("staff/outcomes/data-dictionary.csv", cohort_views.data_dictionary, name="data-dictionary"),
]
