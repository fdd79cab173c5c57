"""The one parser of readers' dates and moments (mineban.asof)."""

from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from mineban.asof import DateInputError, as_of_parse, moment_parse


def test_as_of_within_the_treaty_era_is_a_date() -> None:
    assert as_of_parse(" 2005-07-01 ") == date(2005, 7, 1)
    assert as_of_parse("1990-01-01") == date(1990, 1, 1)
    assert as_of_parse("2100-12-31") == date(2100, 12, 31)


@pytest.mark.parametrize("raw", ["2101-01-01", "1989-12-31", "9999-12-31"])
def test_as_of_outside_the_treaty_era_is_refused_with_the_bounds(raw: str) -> None:
    with pytest.raises(DateInputError, match="Choose a date between 1990-01-01 and 2100-12-31"):
        as_of_parse(raw)


@pytest.mark.parametrize("raw", ["20050701", "2005-7-1", "2005-02-30", "+12005-01-01", ""])
def test_as_of_that_is_not_a_calendar_date_is_refused(raw: str) -> None:
    with pytest.raises(DateInputError, match="Enter the date as YYYY-MM-DD"):
        as_of_parse(raw)


def test_moments_with_and_without_offsets() -> None:
    assert moment_parse("2026-11-22") == datetime(2026, 11, 22, tzinfo=UTC)
    assert moment_parse("2026-11-22T09:30:00") == datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    assert moment_parse("2026-11-22T09:30:00.25Z") == datetime(2026, 11, 22, 9, 30, 0, 250000, tzinfo=UTC)
    five_thirty = timezone(timedelta(hours=5, minutes=30))
    assert moment_parse("2026-11-22T09:30+05:30") == datetime(2026, 11, 22, 9, 30, tzinfo=five_thirty)
    assert moment_parse("2026-11-22T09:30:00-1559") == datetime(
        2026, 11, 22, 9, 30, tzinfo=timezone(-timedelta(hours=15, minutes=59))
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("2026-11-22T00:00:00+16:00", "at most ±15:59"),
        ("2026-11-22T00:00:00+05:60", "at most ±15:59"),
        ("9999-12-31T23:00:00-05:00", "out of range"),
        ("2026-11-22T25:00:00Z", "not on the calendar"),
        ("2026-11-22T09:30:00Zjunk", "Enter an ISO 8601 timestamp"),
    ],
)
def test_impossible_moments_are_refused(raw: str, message: str) -> None:
    with pytest.raises(DateInputError, match=message):
        moment_parse(raw)
