"""Every write of the booking app. Import from here: ``from exoclinic.scheduling import services``."""

from .attendance import appointment_check_in, appointment_complete, appointment_mark_no_show
from .booking import (
    SLOT_TAKEN,
    BookingAnswers,
    appointment_book,
    appointment_cancel,
    appointment_confirm,
    appointment_confirm_hold,
    appointment_hold,
    appointment_release_hold,
    appointment_reschedule,
    holds_expire,
)
from .notifications import reminder_send, reminders_due
from .waitlist import offer_next, waitlist_join, waitlist_withdraw

__all__ = [
    "SLOT_TAKEN",
    "BookingAnswers",
    "appointment_book",
    "appointment_cancel",
    "appointment_check_in",
    "appointment_complete",
    "appointment_confirm",
    "appointment_confirm_hold",
    "appointment_hold",
    "appointment_mark_no_show",
    "appointment_release_hold",
    "appointment_reschedule",
    "holds_expire",
    "offer_next",
    "reminder_send",
    "reminders_due",
    "waitlist_join",
    "waitlist_withdraw",
]
