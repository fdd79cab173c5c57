"""Dates known only to a year, a month or a day, and what they say about deadlines.

Sources rarely give the exact day an obligation (destroying stockpiled mines, clearing
mined areas) was met. They say "in 2006", "in April 2002", or only "reported on 2007-04-30
that destruction was completed". Each of these is a *period* in which the work ended, not a
day, and this module keeps it that way: a year is never turned into a day, because picking
1 January or 31 December would silently decide whether a State met its deadline.

Comparing such a period with a deadline gives one of three verdicts: certainly on time,
certainly late, or uncertain (the period straddles the deadline). Only the standard library
is used, so the rules can be checked without Django or a database.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = [
    "PartialDate",
    "Period",
    "Precision",
    "Timing",
    "certainly_done_by",
    "completion_period",
    "possibly_done_by",
    "timing",
]

# English names, not ``calendar.month_name``: that follows the process locale, and labels
# must not change with the server's settings.
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

# Exactly YYYY, YYYY-MM or YYYY-MM-DD with ASCII digits: "2006-4" or "06" are too easily
# misread (is "06" 2006 or 1906?) to be accepted silently.
_ISO_PATTERN = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", re.ASCII)


class Precision(StrEnum):
    """How much of a date is known."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


@dataclass(frozen=True)
class PartialDate:
    """A calendar date known to a year, a month or a day (reduced-precision ISO 8601).

    The unknown parts stay unknown: ``PartialDate(2006)`` is the whole of 2006, and asks
    for ``first_day`` or ``last_day`` explicitly when a bound is needed.
    """

    year: int
    month: int | None = None
    day: int | None = None

    def __post_init__(self) -> None:
        # Validated here, not only in ``parse``, so that no invalid value can exist at all.
        if not 1 <= self.year <= 9999:
            raise ValueError(f"year must be between 1 and 9999, not {self.year}")
        if self.month is None:
            if self.day is not None:
                raise ValueError("a day needs a month: a date known to the day is known to the month")
            return
        if not 1 <= self.month <= 12:
            raise ValueError(f"month must be between 1 and 12, not {self.month}")
        if self.day is not None:
            last = calendar.monthrange(self.year, self.month)[1]
            if not 1 <= self.day <= last:
                raise ValueError(f"{self.year:04d}-{self.month:02d} has days 1 to {last}, not {self.day}")

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Read ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` (surrounding whitespace ignored).

        Anything else raises ``ValueError``: a date we cannot read must not be guessed at.
        """
        stripped = text.strip()
        match = _ISO_PATTERN.fullmatch(stripped)
        if match is None:
            raise ValueError(f"expected a date as YYYY, YYYY-MM or YYYY-MM-DD, got {text!r}")
        year, month, day = match.groups()
        try:
            return cls(
                int(year),
                None if month is None else int(month),
                None if day is None else int(day),
            )
        except ValueError as error:
            raise ValueError(f"{text!r} is not a real date: {error}") from None

    @classmethod
    def from_date(cls, d: date) -> PartialDate:
        """A date known to the day."""
        return cls(d.year, d.month, d.day)

    @property
    def precision(self) -> Precision:
        if self.month is None:
            return Precision.YEAR
        if self.day is None:
            return Precision.MONTH
        return Precision.DAY

    @property
    def first_day(self) -> date:
        """The earliest day this date could be."""
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> date:
        """The latest day this date could be (31 December, or the month's last day)."""
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    @property
    def iso(self) -> str:
        """Reduced-precision ISO 8601, as read by ``parse``: "2006", "2002-04", "2005-11-21"."""
        text = f"{self.year:04d}"
        if self.month is not None:
            text += f"-{self.month:02d}"
        if self.day is not None:
            text += f"-{self.day:02d}"
        return text

    @property
    def label(self) -> str:
        """English, no more precise than known: "2006", "April 2002", "21 November 2005"."""
        if self.month is None:
            return str(self.year)
        month_year = f"{_MONTH_NAMES[self.month - 1]} {self.year}"
        if self.day is None:
            return month_year
        return f"{self.day} {month_year}"

    def __str__(self) -> str:
        return self.iso


@dataclass(frozen=True)
class Period:
    """The days in which something happened, from ``start`` to ``end`` inclusive.

    ``start`` is ``None`` when only an upper bound is known: a report "on 2007-04-30 that
    destruction was completed, date not given" says the work ended on or before that day,
    and nothing about how long before.
    """

    start: date | None
    end: date

    def __post_init__(self) -> None:
        if self.start is not None and self.start > self.end:
            raise ValueError(f"a period cannot start ({self.start}) after it ends ({self.end})")

    @classmethod
    def of(cls, partial: PartialDate) -> Period:
        """Every day a partial date could be: "2006" is 2006-01-01 to 2006-12-31."""
        return cls(partial.first_day, partial.last_day)

    @classmethod
    def by(cls, report_date: date) -> Period:
        """Done at some unknown time up to and including the day it was reported."""
        return cls(None, report_date)

    @property
    def exact(self) -> bool:
        """Whether the period is a single known day."""
        return self.start == self.end


def completion_period(completed_on: PartialDate | None, reported_on: date | None) -> Period | None:
    """When the work was completed, from what the sources say; ``None`` if they say nothing.

    A report date cuts the completion date short: work "completed in 2006" and reported on
    2007-04-30 is simply 2006, but work "completed in 2007" and reported on 2007-04-30 was done
    between 2007-01-01 and 2007-04-30, since it cannot have ended after it was reported.
    A report dated before the completion date could even begin contradicts it, and raises
    ``ValueError`` rather than picking one of the two.
    """
    if completed_on is None:
        return None if reported_on is None else Period.by(reported_on)
    period = Period.of(completed_on)
    if reported_on is None or reported_on >= period.end:
        return period
    if period.start is not None and reported_on < period.start:
        raise ValueError(
            f"reported on {reported_on.isoformat()}, before the stated completion "
            f"({completed_on.label}) could have happened"
        )
    return Period(period.start, reported_on)


class Timing(StrEnum):
    """Whether work done within a period met a deadline."""

    ON_TIME = "on_time"
    LATE = "late"
    UNCERTAIN = "uncertain"


def timing(period: Period, deadline: date) -> Timing:
    """On time only if the whole period is on or before the deadline; late only if all of it is after.

    A year is never turned into a day: a completion "in 2013" against a deadline of
    2009-03-01 is late, but "in 2009" is uncertain, since it may have been January or
    December. A period with an open start (known only from a report date) is never late:
    the work may have been done long before the report.
    """
    if period.end <= deadline:
        return Timing.ON_TIME
    if period.start is not None and period.start > deadline:
        return Timing.LATE
    return Timing.UNCERTAIN


def certainly_done_by(period: Period, day: date) -> bool:
    """Whether the work was finished by ``day`` whenever in the period it happened."""
    return period.end <= day


def possibly_done_by(period: Period, day: date) -> bool:
    """Whether the work could have been finished by ``day`` (an open start always could)."""
    return period.start is None or period.start <= day
