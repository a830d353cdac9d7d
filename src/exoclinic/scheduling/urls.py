from django.urls import path

from .views import booking, portal, staff

app_name = "scheduling"
urlpatterns = [
    path("book/", booking.book, name="book"),
    path("book/types/", booking.choose_type, name="choose-type"),
    path("book/types/<int:type_id>/", booking.choose_slot, name="choose-slot"),
    path("book/types/<int:type_id>/hold/", booking.hold_create, name="hold-create"),
    path("book/types/<int:type_id>/waitlist/", booking.waitlist_join, name="waitlist-join"),
    path("book/hold/<int:appointment_id>/", booking.hold_detail, name="hold"),
    path("portal/appointments/", portal.my_appointments, name="my-appointments"),
    path("portal/appointments/<int:appointment_id>/", portal.appointment_detail, name="appointment"),
    path("portal/appointments/<int:appointment_id>/cancel/", portal.appointment_cancel, name="cancel"),
    path(
        "portal/appointments/<int:appointment_id>/reschedule/",
        portal.appointment_reschedule,
        name="reschedule",
    ),
    path(
        "portal/appointments/<int:appointment_id>/calendar.ics",
        portal.appointment_calendar_file,
        name="calendar-file",
    ),
    path("portal/waitlist/<int:entry_id>/withdraw/", portal.waitlist_withdraw, name="waitlist-withdraw"),
    path("staff/calendar/", staff.calendar, name="calendar"),
    path("staff/appointments/new/", staff.appointment_new, name="staff-new"),
    path(
        "staff/appointments/<int:appointment_id>/reschedule/",
        staff.appointment_reschedule,
        name="staff-reschedule",
    ),
    path(
        "staff/appointments/<int:appointment_id>/<slug:action>/",
        staff.appointment_action,
        name="staff-action",
    ),
]
