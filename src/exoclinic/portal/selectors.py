from django.db.models import QuerySet

from exoclinic.core.models import Patient
from exoclinic.core.policy import portal_patients as _portal_patients


def portal_patients(*, user) -> QuerySet[Patient]:
    """The records a user acts on in the portal: ``core.policy.portal_patients`` (own first)."""
    return _portal_patients(user)
