from django.db.models import Q, QuerySet

from exoclinic.core.models import Patient


def portal_patients(*, user) -> QuerySet[Patient]:
    """The records a user acts on in the portal: their own and those of patients who named them caregiver."""
    if not user.is_authenticated:
        return Patient.objects.none()
    return Patient.objects.filter(Q(user=user) | Q(caregiver=user)).select_related("clinic").order_by("id")
