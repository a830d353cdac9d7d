from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from . import mfa_views, views

RESET = "accounts/password-reset"

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/after-login/", views.after_login, name="after-login"),
    path("accounts/mfa/", mfa_views.manage, name="mfa-manage"),
    path("accounts/mfa/setup/", mfa_views.setup, name="mfa-setup"),
    path("accounts/mfa/verify/", mfa_views.verify, name="mfa-verify"),
    # Password reset by e-mail: Django's views, the project's templates.
    path(
        f"{RESET}/",
        auth_views.PasswordResetView.as_view(
            template_name="accounts/password_reset_form.html",
            email_template_name="accounts/password_reset_email.txt",
            subject_template_name="accounts/password_reset_subject.txt",
            success_url=reverse_lazy("password_reset_done"),
        ),
        name="password_reset",
    ),
    path(
        f"{RESET}/sent/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_done.html"),
        name="password_reset_done",
    ),
    path(
        f"{RESET}/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(success_url=reverse_lazy("password_reset_complete")),
        name="password_reset_confirm",
    ),
    path(
        f"{RESET}/done/",
        auth_views.PasswordResetCompleteView.as_view(template_name="accounts/password_reset_complete.html"),
        name="password_reset_complete",
    ),
]
