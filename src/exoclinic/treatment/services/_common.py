from __future__ import annotations

from django.core.exceptions import ValidationError

from exoclinic.accounts.models import Role
from exoclinic.core.errors import InvalidInput
from exoclinic.core.policy import require_staff

CLINICAL_WRITERS = [Role.CLINICIAN]


def require_clinician(actor, clinic) -> None:
    require_staff(actor, clinic, CLINICAL_WRITERS)


def full_clean(instance, exclude=()) -> None:
    """Model validation, with the first problem raised as InvalidInput naming its field."""
    try:
        instance.full_clean(exclude=list(exclude), validate_constraints=False)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            field, errors = next(iter(exc.error_dict.items()))
            raise InvalidInput(
                " ".join(m for e in errors for m in e.messages), field=None if field == "__all__" else field
            ) from exc
        raise InvalidInput(" ".join(exc.messages)) from exc
