"""Writes for staff time, one module per area: entries and the month grid (time), signatures
(months), paper months brought in (history), rates, hours in other grants (other_grants) and
report requests. Every rule of the timesheet lives here, with a message on the field it
concerns; views, the demo seeder, benchmarks and tests all come through these functions, as
`reporting.services.<name>`."""

from .history import (
    HistoricalEntry,
    HistoryCheck,
    months_import,
)
from .months import (
    month_approve,
    month_reopen,
    month_return,
    month_submit,
    months_approve,
)
from .other_grants import (
    other_grant_hours_delete,
    other_grant_hours_save,
)
from .rates import (
    exchange_rate_save,
    staff_rate_save,
)
from .reports import (
    report_period,
    report_request,
    report_request_errors,
    report_retry,
)
from .time import (
    DAY_LIMIT,
    HALF_HOUR,
    days_of_month,
    first_of_month,
    grid_description_field,
    grid_field,
    grid_stale_message,
    month_grid_save,
    time_entry_create,
    time_entry_delete,
    time_entry_update,
    timesheet_for,
)

__all__ = [
    "DAY_LIMIT",
    "HALF_HOUR",
    "HistoricalEntry",
    "HistoryCheck",
    "days_of_month",
    "exchange_rate_save",
    "first_of_month",
    "grid_description_field",
    "grid_field",
    "grid_stale_message",
    "month_approve",
    "month_grid_save",
    "months_import",
    "month_reopen",
    "month_return",
    "month_submit",
    "months_approve",
    "other_grant_hours_delete",
    "other_grant_hours_save",
    "report_period",
    "report_request",
    "report_request_errors",
    "report_retry",
    "staff_rate_save",
    "time_entry_create",
    "time_entry_delete",
    "time_entry_update",
    "timesheet_for",
]
