from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("portal/", views.home, name="home"),
    path("portal/profile/", views.profile, name="profile"),
    path(
        "portal/profile/research-consent/withdraw/",
        views.research_consent_withdraw,
        name="research-consent-withdraw",
    ),
    path("portal/email/confirm/<str:token>/", views.email_confirm, name="email-confirm"),
]
