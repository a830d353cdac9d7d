from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect

from exoclinic.core.policy import is_any_staff


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


@login_required
def after_login(request):
    """Staff land in the workspace, patients and caregivers in the portal."""
    return redirect("staff:home" if is_any_staff(request.user) else "portal:home")
