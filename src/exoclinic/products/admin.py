"""Configuration in the Django admin: product types with their QC specifications, and storage units.

Lots, results, custody and recalls are changed only through the lab pages (the services), so every
change is audited; the admin shows them read-only.
"""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from exoclinic.core.admin_scope import ClinicScopedAdmin, ClinicScopedInline
from exoclinic.core.errors import InvalidInput

from .models import (
    CustodyEvent,
    ProductLot,
    ProductType,
    QcSpecification,
    Recall,
    StorageUnit,
)

SPEC_FIELDS = [
    "order",
    "code",
    "name",
    "method",
    "unit",
    "kind",
    "limit",
    "low",
    "high",
    "percent",
    "accepted",
    "required",
    "active",
]


class QcSpecificationForm(forms.ModelForm):
    class Meta:
        model = QcSpecification
        fields = SPEC_FIELDS

    def clean(self):
        data = super().clean()
        probe = QcSpecification(
            **{k: v for k, v in data.items() if k in {f.name for f in QcSpecification._meta.fields}}
        )
        try:  # the same validation the evaluation uses: a kind needs its limits
            probe.as_spec(target=1)
        except InvalidInput as exc:
            field = exc.field if exc.field in self.fields else None
            raise forms.ValidationError({field: exc.message} if field else exc.message) from None
        except (ValueError, TypeError):
            raise forms.ValidationError(_("Choose a limit kind.")) from None
        return data


class QcSpecificationInline(ClinicScopedInline, admin.TabularInline):
    model = QcSpecification
    form = QcSpecificationForm
    extra = 0
    fields = [
        "order",
        "code",
        "name",
        "method",
        "unit",
        "kind",
        "limit",
        "low",
        "high",
        "percent",
        "accepted",
        "required",
        "active",
    ]


@admin.register(ProductType)
class ProductTypeAdmin(ClinicScopedAdmin):
    list_display = ["name", "clinic", "shelf_life_days"]
    list_filter = ["clinic"]
    inlines = [QcSpecificationInline]


@admin.register(StorageUnit)
class StorageUnitAdmin(ClinicScopedAdmin):
    list_display = ["name", "clinic", "location", "min_celsius", "max_celsius", "active"]
    list_filter = ["clinic", "active"]


class ReadOnlyAdmin(ClinicScopedAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ProductLot)
class ProductLotAdmin(ReadOnlyAdmin):
    list_display = ["code", "clinic", "product_type", "status", "expires_on", "released_by", "released_at"]
    list_filter = ["clinic", "status"]
    search_fields = ["code"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(ReadOnlyAdmin):
    clinic_path = "unit__lot__clinic"
    patient_path = "patient"
    list_display = ["occurred_at", "unit", "kind", "storage_unit", "actor"]
    list_filter = ["kind"]


@admin.register(Recall)
class RecallAdmin(ReadOnlyAdmin):
    clinic_path = "lot__clinic"
    list_display = ["lot", "recall_class", "started_by", "started_at"]
