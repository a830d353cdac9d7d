"""Configuration for clinic admins: appointment types, rooms, weekly hours and exceptions.

Appointments are shown read-only: every change goes through the services (transitions, audit, the
no-overlap check, e-mails and reminders)."""

from __future__ import annotations

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from exoclinic.core.admin_scope import ClinicScopedAdmin

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
class AppointmentTypeAdmin(ClinicScopedAdmin, TranslationAdmin):
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
class RoomAdmin(ClinicScopedAdmin):
    list_display = ("name", "clinic", "kind", "is_active")
    list_filter = ("clinic", "kind")


@admin.register(WeeklyHours)
class WeeklyHoursAdmin(ClinicScopedAdmin):
    list_display = ("practitioner", "room", "weekday", "start", "end", "clinic")
    list_filter = ("clinic", "weekday")


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(ClinicScopedAdmin):
    list_display = ("day", "kind", "practitioner", "room", "start", "end", "note", "clinic")
    list_filter = ("clinic", "kind")
    date_hierarchy = "day"


class ReadOnly(ClinicScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Appointment)
class AppointmentAdmin(ReadOnly):
    patient_path = "patient"
    list_display = ("start", "appointment_type", "patient", "practitioner", "room", "status", "clinic")
    list_filter = ("clinic", "status", "appointment_type")
    date_hierarchy = "start"


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnly):
    patient_path = "patient"
    list_display = ("patient", "appointment_type", "earliest", "latest", "status")
    list_filter = ("status",)


@admin.register(ReminderDelivery)
class ReminderDeliveryAdmin(ReadOnly):
    clinic_path = "appointment__clinic"
    patient_path = "appointment__patient"
    list_display = ("appointment", "offset_minutes", "appointment_start", "sent_at", "recipient")
