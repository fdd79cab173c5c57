"""Dates known to a year, month or day, and deadlines judged against them (no database)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mineban.rules.precision import (
    PartialDate,
    Period,
    Precision,
    Timing,
    certainly_done_by,
    completion_period,
    possibly_done_by,
    timing,
)

# --- Partial dates -----------------------------------------------------------------------


def test_a_year_spans_the_whole_year():
    year = PartialDate.parse("2006")
    assert year.precision is Precision.YEAR
    assert year.first_day == date(2006, 1, 1)
    assert year.last_day == date(2006, 12, 31)


def test_a_month_spans_the_whole_month():
    month = PartialDate.parse("2002-04")
    assert month.precision is Precision.MONTH
    assert month.first_day == date(2002, 4, 1)
    assert month.last_day == date(2002, 4, 30)


def test_a_day_is_just_that_day():
    day = PartialDate.parse("2005-11-21")
    assert day.precision is Precision.DAY
    assert day.first_day == day.last_day == date(2005, 11, 21)


def test_february_ends_on_the_29th_in_leap_years_only():
    assert PartialDate.parse("2004-02").last_day == date(2004, 2, 29)
    assert PartialDate.parse("2000-02").last_day == date(2000, 2, 29)
    assert PartialDate.parse("1900-02").last_day == date(1900, 2, 28)
    assert PartialDate.parse("2005-02").last_day == date(2005, 2, 28)
    assert PartialDate.parse("2004-02-29").last_day == date(2004, 2, 29)


def test_labels_say_no_more_than_is_known():
    assert PartialDate.parse("2006").label == "2006"
    assert PartialDate.parse("2002-04").label == "April 2002"
    assert PartialDate.parse("2005-11-21").label == "21 November 2005"
    assert PartialDate.parse("2005-11-01").label == "1 November 2005"


def test_iso_and_str_give_the_text_back():
    for text in ("2006", "2002-04", "2005-11-21", "0001", "0999-01-01"):
        assert PartialDate.parse(text).iso == text
        assert str(PartialDate.parse(text)) == text


def test_surrounding_whitespace_is_ignored():
    assert PartialDate.parse("  2002-04\n") == PartialDate(2002, 4)


def test_from_date_is_known_to_the_day():
    assert PartialDate.from_date(date(2005, 11, 21)) == PartialDate(2005, 11, 21)


@pytest.mark.parametrize(
    "text",
    [
        "2006-13",
        "2006-00",
        "2006-02-30",
        "2005-02-29",
        "06",
        "2006/04",
        "",
        "   ",
        "2006-4",
        "2006-04-1",
        "20060",
        "2006-",
        "2006-04-21T00:00",
        "0000",
        "２００６",
        "year 2006",
    ],
)
def test_anything_but_yyyy_yyyy_mm_or_yyyy_mm_dd_is_refused(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_the_refusal_names_the_bad_text():
    with pytest.raises(ValueError, match="2006/04"):
        PartialDate.parse("2006/04")
    with pytest.raises(ValueError, match="2006-02-30"):
        PartialDate.parse("2006-02-30")


@pytest.mark.parametrize(
    ("year", "month", "day"),
    [(0, None, None), (10000, None, None), (2006, None, 5), (2006, 13, None), (2006, 4, 31)],
)
def test_invalid_partial_dates_cannot_be_built(year, month, day):
    with pytest.raises(ValueError):
        PartialDate(year, month, day)


# --- Periods -----------------------------------------------------------------------------


def test_a_period_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Period(date(2006, 1, 2), date(2006, 1, 1))


def test_a_period_of_a_year_runs_through_the_year():
    assert Period.of(PartialDate.parse("2006")) == Period(date(2006, 1, 1), date(2006, 12, 31))


def test_a_period_by_a_report_date_has_an_open_start():
    assert Period.by(date(2007, 4, 30)) == Period(None, date(2007, 4, 30))


def test_only_a_single_known_day_is_exact():
    assert Period.of(PartialDate.parse("2005-11-21")).exact
    assert not Period.of(PartialDate.parse("2005-11")).exact
    assert not Period.by(date(2005, 11, 21)).exact


def test_a_later_report_does_not_change_the_completion_period():
    assert completion_period(PartialDate.parse("2006"), date(2007, 4, 30)) == Period(
        date(2006, 1, 1), date(2006, 12, 31)
    )


def test_an_earlier_report_cuts_the_completion_period_short():
    assert completion_period(PartialDate.parse("2007"), date(2007, 4, 30)) == Period(
        date(2007, 1, 1), date(2007, 4, 30)
    )


def test_a_report_on_the_last_possible_day_changes_nothing():
    assert completion_period(PartialDate.parse("2007"), date(2007, 12, 31)) == Period(
        date(2007, 1, 1), date(2007, 12, 31)
    )


def test_a_report_before_the_completion_could_begin_is_a_contradiction():
    with pytest.raises(ValueError):
        completion_period(PartialDate.parse("2008"), date(2007, 4, 30))


def test_a_report_alone_gives_a_period_ending_on_the_report_date():
    assert completion_period(None, date(2007, 4, 30)) == Period.by(date(2007, 4, 30))


def test_a_completion_date_alone_gives_its_own_period():
    assert completion_period(PartialDate.parse("2002-04"), None) == Period(
        date(2002, 4, 1), date(2002, 4, 30)
    )


def test_nothing_known_gives_no_period():
    assert completion_period(None, None) is None


# --- Timing against deadlines: worked examples -------------------------------------------


def test_germany_cleared_in_2013_against_a_2009_deadline_is_late():
    assert timing(Period.of(PartialDate.parse("2013")), date(2009, 3, 1)) is Timing.LATE


def test_cleared_in_2009_against_a_march_2009_deadline_is_uncertain():
    assert timing(Period.of(PartialDate.parse("2009")), date(2009, 3, 1)) is Timing.UNCERTAIN


def test_afghanistan_destroyed_in_2006_reported_in_april_2007_is_on_time_for_march_2007():
    period = completion_period(PartialDate.parse("2006"), date(2007, 4, 30))
    assert period is not None
    assert timing(period, date(2007, 3, 1)) is Timing.ON_TIME


def test_a_report_after_the_deadline_alone_leaves_timing_uncertain():
    assert timing(Period.by(date(2003, 3, 31)), date(2003, 3, 1)) is Timing.UNCERTAIN


def test_a_report_before_the_deadline_alone_is_on_time():
    assert timing(Period.by(date(2003, 3, 31)), date(2004, 1, 1)) is Timing.ON_TIME


def test_a_day_equal_to_the_deadline_is_on_time():
    assert timing(Period.of(PartialDate.parse("2009-03-01")), date(2009, 3, 1)) is Timing.ON_TIME


def test_the_day_after_the_deadline_is_late():
    assert timing(Period.of(PartialDate.parse("2009-03-02")), date(2009, 3, 1)) is Timing.LATE


def test_a_month_containing_the_deadline_is_uncertain():
    assert timing(Period.of(PartialDate.parse("2009-03")), date(2009, 3, 1)) is Timing.UNCERTAIN


def test_done_by_tells_certain_from_possible():
    year_2009 = Period.of(PartialDate.parse("2009"))
    assert possibly_done_by(year_2009, date(2009, 3, 1))
    assert not certainly_done_by(year_2009, date(2009, 3, 1))
    assert certainly_done_by(year_2009, date(2009, 12, 31))
    assert not possibly_done_by(year_2009, date(2008, 12, 31))
    assert possibly_done_by(Period.by(date(2009, 6, 1)), date(1990, 1, 1))


def test_timing_values_are_stable_strings():
    assert [t.value for t in Timing] == ["on_time", "late", "uncertain"]
    assert [p.value for p in Precision] == ["year", "month", "day"]


# --- Properties --------------------------------------------------------------------------


@st.composite
def partial_dates(draw: st.DrawFn) -> PartialDate:
    day = draw(st.dates())
    precision = draw(st.sampled_from(Precision))
    if precision is Precision.YEAR:
        return PartialDate(day.year)
    if precision is Precision.MONTH:
        return PartialDate(day.year, day.month)
    return PartialDate.from_date(day)


@st.composite
def periods(draw: st.DrawFn) -> Period:
    end = draw(st.dates())
    start = draw(st.none() | st.dates(max_value=end))
    return Period(start, end)


@st.composite
def narrowings(draw: st.DrawFn) -> tuple[Period, Period]:
    """A period and another inside it: start moved later (or opened start closed), end earlier."""
    wide = draw(periods())
    lowest = wide.start or date.min
    end = draw(st.dates(min_value=lowest, max_value=wide.end))
    if wide.start is None:
        start = draw(st.none() | st.dates(max_value=end))
    else:
        start = draw(st.dates(min_value=wide.start, max_value=end))
    return wide, Period(start, end)


@given(partial_dates())
def test_parsing_the_iso_text_gives_the_same_partial_date(partial):
    assert PartialDate.parse(partial.iso) == partial
    assert PartialDate.parse(str(partial)) == partial


@given(partial_dates())
def test_the_first_day_is_never_after_the_last(partial):
    assert partial.first_day <= partial.last_day
    assert Period.of(partial).exact == (partial.precision is Precision.DAY)


@given(partial_dates(), st.dates())
def test_a_partial_date_is_never_judged_as_if_it_were_a_single_day(partial, deadline):
    verdict = timing(Period.of(partial), deadline)
    if verdict is Timing.ON_TIME:
        assert partial.last_day <= deadline
    if verdict is Timing.LATE:
        assert partial.first_day > deadline


@given(periods(), st.dates())
def test_on_time_exactly_when_the_period_ends_by_the_deadline(period, deadline):
    assert (timing(period, deadline) is Timing.ON_TIME) == (period.end <= deadline)
    assert certainly_done_by(period, deadline) == (period.end <= deadline)


@given(periods(), st.dates())
def test_an_open_start_is_never_late(period, deadline):
    open_period = Period(None, period.end)
    assert timing(open_period, deadline) is not Timing.LATE
    assert possibly_done_by(open_period, deadline)


@given(st.dates(), st.dates())
def test_an_exact_day_is_never_uncertain(day, deadline):
    assert timing(Period(day, day), deadline) is not Timing.UNCERTAIN


@given(periods(), st.dates())
def test_late_means_not_even_possibly_done_by_the_deadline(period, deadline):
    verdict = timing(period, deadline)
    assert (verdict is Timing.LATE) == (not possibly_done_by(period, deadline))
    assert (verdict is Timing.UNCERTAIN) == (
        possibly_done_by(period, deadline) and not certainly_done_by(period, deadline)
    )


@given(narrowings(), st.dates())
def test_narrowing_a_period_keeps_a_certain_verdict(pair, deadline):
    wide, narrow = pair
    verdict = timing(wide, deadline)
    if verdict is not Timing.UNCERTAIN:
        assert timing(narrow, deadline) is verdict


@given(partial_dates(), st.none() | st.dates())
def test_a_report_only_ever_narrows_the_completion_period(partial, reported_on):
    whole = Period.of(partial)
    if reported_on is not None and reported_on < partial.first_day:
        return  # a contradiction, tested above
    period = completion_period(partial, reported_on)
    assert period is not None
    assert period.start == whole.start
    assert period.end <= whole.end
    if reported_on is not None:
        assert period.end <= reported_on or period.end == whole.end
