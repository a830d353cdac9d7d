from django.urls import path

from . import staff_views, views

app_name = "intake"
urlpatterns = [
    path("apply/", views.start, name="apply"),
    path("apply/start-over/", views.start_over, name="start-over"),
    path("apply/step/<slug:step>/", views.step, name="step"),
    path("apply/link/<str:token>/", views.link, name="link"),
    path("apply/submitted/", views.confirmation, name="confirmation"),
    path("apply/applications/<int:pk>/", views.status, name="status"),
    path("apply/applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("apply/documents/<int:pk>/", views.document, name="document"),
    path("welcome/<uidb64>/<token>/", views.WelcomeView.as_view(), name="welcome"),
    path("staff/applications/", staff_views.queue, name="staff-queue"),
    path("staff/applications/<int:pk>/", staff_views.detail, name="staff-detail"),
    path("staff/applications/<int:pk>/<slug:name>/", staff_views.action, name="staff-action"),
]
