from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.urls import reverse

from exoclinic.core.audit import audit_record
from exoclinic.core.policy import is_any_staff

from .mfa import is_verified, second_factor_needed
from .middleware import mfa_redirect_url
from .signals import user_record


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def after_login(request):
    """Staff land in the workspace, patients and caregivers in the portal; first the second factor, where
    it is needed (set-up at a staff member's first login, a code afterwards)."""
    target = reverse("staff:home" if is_any_staff(request.user) else "portal:home")
    if second_factor_needed(request.user) and not is_verified(request.user):
        return redirect(mfa_redirect_url(request.user, target))
    return redirect(target)


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a password set through an e-mailed link goes into the audit trail."""

    template_name = "accounts/password_reset_confirm.html"

    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(actor=self.user, action="password.reset", **user_record(self.user))
        return response
