from exoclinic.core import navigation
from exoclinic.core.models import Patient
from exoclinic.core.selectors import public_clinic


def clinic_context(request):
    """The clinic whose emergency number every page shows: the patient's own clinic, else the public one."""
    user = getattr(request, "user", None)
    clinic = None
    roles: set[str] = set()
    if user is not None and user.is_authenticated:
        patient = Patient.objects.filter(user=user).select_related("clinic").first()
        if patient is not None:
            clinic = patient.clinic
        memberships = list(user.memberships.select_related("clinic"))
        roles = {m.role for m in memberships}
        if clinic is None and memberships:
            clinic = memberships[0].clinic
    if clinic is None:
        clinic = public_clinic()
    return {
        "clinic": clinic,
        "staff_roles": roles,
        "staff_nav": navigation.links_for("staff", roles) if roles else [],
        "portal_nav": navigation.links_for("portal", {"patient"}),
    }
