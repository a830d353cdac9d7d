"""Every treatment write. Import from here: ``from exoclinic.treatment import services``."""

from .adverse_events import (  # noqa: F401
    adverse_event_assess,
    adverse_event_mark_reported,
    adverse_event_record,
    on_symptom_reported,
)
from .plans import (  # noqa: F401
    checklist_item_confirm,
    checklist_refresh,
    consent_accept_in_portal,
    consent_record_in_clinic,
    consent_renew_in_clinic,
    consent_renew_in_portal,
    consent_text_current,
    consent_text_publish,
    consent_withdraw,
    on_medication_added,
    plan_approve,
    plan_cancel,
    plan_create,
    plan_update,
    therapy_catalogue_ensure,
)
from .procedures import (  # noqa: F401
    clean_vitals,
    identity_check,
    procedure_preconditions,
    procedure_record,
)
