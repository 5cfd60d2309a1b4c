"""Time-zone names a person or a city may have: the IANA zones, without aliases and legacy names.

Shared by cities (a city's zone) and accounts (a person's zone), so that both offer and accept
the same list.
"""

import functools
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


@functools.cache
def time_zone_names() -> tuple[str, ...]:
    """Every zone a person may choose, sorted; the tz database's aliases and legacy names
    (``US/Pacific``, ``Etc/GMT+3``) are left out, UTC is kept."""
    names = {
        name
        for name in zoneinfo.available_timezones()
        if "/" in name and not name.startswith(("Etc/", "SystemV/", "US/"))
    }
    return ("UTC", *sorted(names))


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("%(value)s is not a time zone. Choose one such as Europe/Brussels or Asia/Seoul."),
            params={"value": value},
            code="invalid_time_zone",
        )
