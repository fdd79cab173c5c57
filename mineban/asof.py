"""The one parser of the dates and moments readers give: ``?as_of=`` and ``since``.

Pages and the API answer the same input the same way. Both are bounded: a date far outside
the treaty era is a mistake, and calendar arithmetic on it (years added to a deadline, the
chart's axis) would reach ``date.max`` or cost a worker seconds of empty years.
"""

import re
from datetime import UTC, date, datetime, time, timedelta, timezone

# The treaty era, from the negotiations to a horizon past any deadline that can be granted.
EARLIEST = date(1990, 1, 1)
LATEST = date(2100, 12, 31)

# ISO 8601: a date, or a date and time with optional seconds, fraction and offset.
_MOMENT = re.compile(
    r"(?P<date>\d{4}-\d{2}-\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:[.,](?P<fraction>\d{1,6})\d*)?)?"
    r"\s*(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?)?"
)


class DateInputError(ValueError):
    """A reader's date or moment that is malformed or outside the bounds; the message says
    what to send instead."""


def as_of_parse(raw: str) -> date:
    """``YYYY-MM-DD`` within ``EARLIEST``..``LATEST``."""
    raw = raw.strip()
    try:
        as_of = date.fromisoformat(raw) if len(raw) == 10 else None
    except ValueError:
        as_of = None
    if as_of is None:
        raise DateInputError(f"“{raw}” is not a date. Enter the date as YYYY-MM-DD, for example 2005-07-01.")
    if not EARLIEST <= as_of <= LATEST:
        raise DateInputError(
            f"{raw} is out of range. Choose a date between {EARLIEST.isoformat()} and {LATEST.isoformat()}."
        )
    return as_of


def moment_parse(raw: str) -> datetime:
    """An ISO 8601 timestamp (UTC when it has no offset) or a date (its midnight, UTC), with
    a UTC offset of at most ±15:59 and a date within ``EARLIEST``..``LATEST``."""
    example = "Enter an ISO 8601 timestamp, e.g. 2026-11-22T09:30:00Z"
    found = _MOMENT.fullmatch(raw.strip())
    if found is None:
        raise DateInputError(f"{example}; got “{raw}”.")
    try:
        day = date.fromisoformat(found["date"])
        clock = time(
            int(found["hour"] or 0),
            int(found["minute"] or 0),
            int(found["second"] or 0),
            int((found["fraction"] or "0").ljust(6, "0")),
        )
    except ValueError:
        raise DateInputError(f"{example}; got “{raw}”, which is not on the calendar.") from None
    if not EARLIEST <= day <= LATEST:
        raise DateInputError(
            f"{raw} is out of range. Choose a moment between {EARLIEST.isoformat()} and {LATEST.isoformat()}."
        )
    zone: timezone = UTC
    offset = found["offset"]
    if offset and offset != "Z":
        digits = offset[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if hours > 15 or minutes > 59:
            raise DateInputError(f"{example}; a UTC offset is at most ±15:59, got {offset}.")
        sign = -1 if offset[0] == "-" else 1
        zone = timezone(sign * timedelta(hours=hours, minutes=minutes))
    return datetime.combine(day, clock, tzinfo=zone)
