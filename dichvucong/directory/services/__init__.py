"""Every write to the directory goes through these services."""

from .agencies import AgencyGenerateReport, agency_generate_all
from .units import (
    UnitLoadReport,
    read_unit_changes,
    unit_apply_changes,
    unit_find,
    unit_load_all,
)

__all__ = [
    "AgencyGenerateReport",
    "UnitLoadReport",
    "agency_generate_all",
    "read_unit_changes",
    "unit_apply_changes",
    "unit_find",
    "unit_load_all",
]
