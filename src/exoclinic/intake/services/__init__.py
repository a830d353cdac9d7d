"""Every write on treatment applications. Applicant actions in ``applicant``, the clinic's in ``review``."""

from .applicant import (
    application_reply,
    application_save_step,
    application_send_link,
    application_start,
    application_submit,
    application_submit_complete,
    application_withdraw,
    eligibility_answers,
    link_issue,
    link_resolve,
    upload_add,
    upload_remove,
)
from .review import (
    REVIEWER_ROLES,
    applicant_password_set,
    application_assign,
    application_decide,
    application_message_send,
    application_note_add,
    application_request_info,
    application_start_review,
)

__all__ = [
    "REVIEWER_ROLES",
    "applicant_password_set",
    "application_assign",
    "application_decide",
    "application_message_send",
    "application_note_add",
    "application_reply",
    "application_request_info",
    "application_save_step",
    "application_send_link",
    "application_start",
    "application_start_review",
    "application_submit",
    "application_submit_complete",
    "application_withdraw",
    "eligibility_answers",
    "link_issue",
    "link_resolve",
    "upload_add",
    "upload_remove",
]
