"""Configuration for clinic admins: appointment types, rooms, weekly hours and exceptions.

Appointments are shown read-only: every change goes through the services (transitions, audit, the
no-overlap check, e-mails and reminders)."""

from __future__ import annotations

from django.contrib import admin

from .models import (
    Appointment,
    AppointmentType,
    AvailabilityException,
    ReminderDelivery,
    Room,
    WaitlistEntry,
    WeeklyHours,
)


@admin.register(AppointmentType)
class AppointmentTypeAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "clinic",
        "kind",
        "duration_minutes",
        "capacity",
        "patient_bookable",
        "requires_step",
        "is_active",
    )
    list_filter = ("clinic", "kind", "is_active", "patient_bookable")
    search_fields = ("name",)


@admin.register(Room)
class RoomAdmin(admin.ModelAdmin):
    list_display = ("name", "clinic", "kind", "is_active")
    list_filter = ("clinic", "kind")


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(admin.ModelAdmin):
    list_display = ("practitioner", "room", "weekday", "start", "end", "clinic")
    list_filter = ("clinic", "weekday")


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(admin.ModelAdmin):
    list_display = ("day", "kind", "practitioner", "room", "start", "end", "note", "clinic")
    list_filter = ("clinic", "kind")
    date_hierarchy = "day"


class ReadOnly(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnly):
    list_display = ("start", "appointment_type", "patient", "practitioner", "room", "status", "clinic")
    list_filter = ("clinic", "status", "appointment_type")
    date_hierarchy = "start"


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnly):
    list_display = ("patient", "appointment_type", "earliest", "latest", "status")
    list_filter = ("status",)


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnly):
    list_display = ("appointment", "offset_minutes", "appointment_start", "sent_at", "recipient")
