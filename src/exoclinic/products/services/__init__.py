"""Every write of the products app. Import from here: ``from exoclinic.products import services``."""

from .deviations import product_deviation_mark_reported, product_deviation_record
from .lots import (
    custody_record,
    lot_check_usable,
    lot_code_next,
    lot_register,
    lot_reject,
    lots_expire,
    unit_administer,
    unit_discard,
    unit_move,
    unit_thaw,
)
from .quality import (
    ReleaseStatus,
    current_results,
    lot_release,
    lot_release_status,
    qc_result_record,
    qc_result_review,
)
from .recalls import recall_notice_read, recall_notification_update, recall_start
from .sources import collection_register, source_eligibility_decide, source_register, source_test_add
from .storage import (
    ReadingsImportError,
    excursion_resolve,
    temperature_reading_record,
    temperature_readings_import,
)

__all__ = [
    "ReadingsImportError",
    "ReleaseStatus",
    "collection_register",
    "current_results",
    "custody_record",
    "excursion_resolve",
    "lot_check_usable",
    "lot_code_next",
    "lot_register",
    "lot_reject",
    "lot_release",
    "lot_release_status",
    "lots_expire",
    "product_deviation_mark_reported",
    "product_deviation_record",
    "qc_result_record",
    "qc_result_review",
    "recall_notice_read",
    "recall_notification_update",
    "recall_start",
    "source_eligibility_decide",
    "source_register",
    "source_test_add",
    "temperature_reading_record",
    "temperature_readings_import",
    "unit_administer",
    "unit_discard",
    "unit_move",
    "unit_thaw",
]
