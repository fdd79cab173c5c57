"""Attendance at the Meetings of the States Parties and Review Conferences (no database).

The meetings below are copied from ``apmbc_meetings.csv`` (shared data); attendance records are
constructed, since the shared data has none yet.
"""

import csv
import io
from datetime import date

from mineban.rules.meetings import Attendance, Attended, Meeting, attendance_sentence

MEETINGS_CSV = """\
code,name,start_date,end_date
1MSP,First Meeting of the States Parties,1999-05-03,1999-05-07
2MSP,Second Meeting of the States Parties,2000-09-11,2000-09-15
3MSP,Third Meeting of the States Parties,2001-09-18,2001-09-21
4MSP,Fourth Meeting of the States Parties,2002-09-16,2002-09-20
5MSP,Fifth Meeting of the States Parties,2003-09-15,2003-09-19
1RC,First Review Conference (Nairobi Summit on a Mine-Free World),2004-11-29,2004-12-03
6MSP,Sixth Meeting of the States Parties,2005-11-28,2005-12-02
7MSP,Seventh Meeting of the States Parties,2006-09-18,2006-09-22
8MSP,Eighth Meeting of the States Parties,2007-11-18,2007-11-22
9MSP,Ninth Meeting of the States Parties,2008-11-24,2008-11-28
2RC,Second Review Conference (Cartagena Summit on a Mine-Free World),2009-11-30,2009-12-04
10MSP,Tenth Meeting of the States Parties,2010-11-29,2010-12-03
11MSP,Eleventh Meeting of the States Parties,2011-11-28,2011-12-02
12MSP,Twelfth Meeting of the States Parties,2012-12-03,2012-12-07
13MSP,Thirteenth Meeting of the States Parties,2013-12-02,2013-12-06
3RC,Third Review Conference (Maputo Review Conference on a Mine-Free World),2014-06-23,2014-06-27
14MSP,Fourteenth Meeting of the States Parties,2015-11-30,2015-12-04
15MSP,Fifteenth Meeting of the States Parties,2016-11-28,2016-12-01
16MSP,Sixteenth Meeting of the States Parties,2017-12-18,2017-12-21
17MSP,Seventeenth Meeting of the States Parties,2018-11-26,2018-11-30
4RC,Fourth Review Conference (Oslo Review Conference on a Mine-Free World),2019-11-25,2019-11-29
18MSP,Eighteenth Meeting of the States Parties,2020-11-16,2020-11-20
19MSP,Nineteenth Meeting of the States Parties,2021-11-15,2021-11-19
20MSP,Twentieth Meeting of the States Parties,2022-11-21,2022-11-25
21MSP,Twenty-First Meeting of the States Parties,2023-11-20,2023-11-24
5RC,Fifth Review Conference (Siem Reap-Angkor Summit on a Mine-Free World),2024-11-25,2024-11-29
22MSP,Twenty-Second Meeting of the States Parties,2025-12-01,2025-12-05
"""

MEETINGS = [
    Meeting(
        row["code"], row["name"], date.fromisoformat(row["start_date"]), date.fromisoformat(row["end_date"])
    )
    for row in csv.DictReader(io.StringIO(MEETINGS_CSV))
]
BY_CODE = {meeting.code: meeting for meeting in MEETINGS}
OBSERVER, STATE_PARTY, DID_NOT_ATTEND = Attendance.OBSERVER, Attendance.STATE_PARTY, Attendance.DID_NOT_ATTEND


def records(meetings: list[Meeting], by_code: dict[str, Attendance]) -> list[Attended]:
    known = {meeting.code: meeting for meeting in meetings}
    return [Attended(known[code], attendance) for code, attendance in by_code.items()]


# The meetings from 1999 to 2009.
EARLY = ("1MSP", "2MSP", "3MSP", "4MSP", "5MSP", "1RC", "6MSP", "7MSP", "8MSP", "9MSP", "2RC")


def test_the_copied_data_has_twenty_seven_meetings_from_1999_to_2025() -> None:
    assert len(MEETINGS) == 27
    assert (MEETINGS[0].code, MEETINGS[-1].code) == ("1MSP", "22MSP")


def test_before_the_first_meeting_none_had_taken_place() -> None:
    assert attendance_sentence(MEETINGS, [], as_of=date(1999, 5, 6)) == (
        "No meeting of the States Parties had taken place."
    )


def test_without_any_record_attendance_is_not_on_record() -> None:
    assert attendance_sentence(MEETINGS, []) == "Attendance at the 27 meetings is not on record."


def test_a_meeting_still_in_session_on_as_of_is_not_counted() -> None:
    attended = records(MEETINGS, {"22MSP": OBSERVER})
    assert attendance_sentence(MEETINGS, attended, as_of=date(2025, 12, 4)) == (
        "Attendance at the 26 meetings is not on record."
    )


def test_an_observer_that_missed_2010_and_2011_is_described_by_those_years() -> None:
    by_code = dict.fromkeys(EARLY, OBSERVER) | {"10MSP": DID_NOT_ATTEND, "11MSP": DID_NOT_ATTEND}
    by_code |= {"12MSP": OBSERVER, "13MSP": STATE_PARTY, "3RC": STATE_PARTY}
    assert attendance_sentence(MEETINGS, records(MEETINGS, by_code), as_of=date(2014, 12, 31)) == (
        "Attended 14 of 16 meetings since 1999 (12 as an observer); "
        "did not attend any meeting in 2010 or 2011."
    )


def test_meetings_without_a_record_are_not_claimed_as_missed() -> None:
    by_code = dict.fromkeys(EARLY, OBSERVER) | {"10MSP": DID_NOT_ATTEND, "11MSP": DID_NOT_ATTEND}
    by_code |= {"12MSP": OBSERVER, "13MSP": STATE_PARTY, "3RC": STATE_PARTY}
    assert attendance_sentence(MEETINGS, records(MEETINGS, by_code)) == (
        "Attended 14 of 27 meetings since 1999 (12 as an observer); "
        "did not attend any meeting in 2010 or 2011; "
        "attendance not on record for 11."
    )


def test_a_gap_ending_in_the_first_half_of_a_year_is_given_by_half_year() -> None:
    meetings = [
        Meeting("A", "Meeting A", date(2009, 11, 30), date(2009, 12, 4)),
        Meeting("B", "Meeting B", date(2010, 6, 21), date(2010, 6, 25)),
        Meeting("C", "Meeting C", date(2010, 11, 29), date(2010, 12, 3)),
        Meeting("D", "Meeting D", date(2011, 5, 23), date(2011, 5, 27)),
        Meeting("E", "Meeting E", date(2011, 11, 28), date(2011, 12, 2)),
        Meeting("F", "Meeting F", date(2012, 12, 3), date(2012, 12, 7)),
    ]
    by_code = {"A": OBSERVER, "B": DID_NOT_ATTEND, "C": DID_NOT_ATTEND, "D": DID_NOT_ATTEND}
    by_code |= {"E": OBSERVER, "F": STATE_PARTY}
    assert attendance_sentence(meetings, records(meetings, by_code)) == (
        "Attended 3 of 6 meetings since 2009 (2 as an observer); "
        "did not attend any meeting in 2010 or the first half of 2011."
    )


def test_a_long_gap_is_given_from_year_to_year() -> None:
    by_code = dict.fromkeys(EARLY, OBSERVER) | dict.fromkeys(
        ("10MSP", "11MSP", "12MSP", "13MSP", "3RC", "14MSP"), DID_NOT_ATTEND
    )
    assert attendance_sentence(MEETINGS, records(MEETINGS, by_code), as_of=date(2015, 12, 31)) == (
        "Attended 11 of 17 meetings since 1999 (all as an observer); "
        "did not attend any meeting from 2010 to 2015."
    )


def test_other_misses_are_counted_beside_the_longest_gap() -> None:
    by_code = dict.fromkeys(EARLY, OBSERVER) | {"2MSP": DID_NOT_ATTEND, "7MSP": DID_NOT_ATTEND}
    by_code |= {"10MSP": DID_NOT_ATTEND, "11MSP": DID_NOT_ATTEND, "12MSP": STATE_PARTY}
    assert attendance_sentence(MEETINGS, records(MEETINGS, by_code), as_of=date(2012, 12, 31)) == (
        "Attended 10 of 14 meetings since 1999 (9 as an observer); "
        "did not attend 4, including every meeting in 2010 and 2011."
    )


def test_isolated_misses_are_listed_by_meeting() -> None:
    by_code = dict.fromkeys(EARLY, STATE_PARTY) | {"2MSP": DID_NOT_ATTEND, "7MSP": DID_NOT_ATTEND}
    assert attendance_sentence(MEETINGS, records(MEETINGS, by_code), as_of=date(2009, 12, 31)) == (
        "Attended 9 of 11 meetings since 1999; did not attend 2MSP (2000) and 7MSP (2006)."
    )


def test_a_gap_up_to_as_of_is_given_by_meeting_when_the_year_is_not_over() -> None:
    by_code = {"10MSP": DID_NOT_ATTEND, "11MSP": DID_NOT_ATTEND}
    sentence = attendance_sentence(
        MEETINGS, records(MEETINGS, by_code), since=date(2010, 1, 1), as_of=date(2011, 12, 2)
    )
    assert sentence == (
        "Attended neither meeting since 2010; did not attend any meeting from 10MSP (2010) to 11MSP (2011)."
    )


def test_since_counts_only_meetings_from_that_date() -> None:
    by_code = dict.fromkeys(EARLY, OBSERVER) | dict.fromkeys(
        ("10MSP", "11MSP", "12MSP", "13MSP", "3RC"), STATE_PARTY
    )
    assert (
        attendance_sentence(
            MEETINGS, records(MEETINGS, by_code), since=date(2010, 3, 1), as_of=date(2014, 12, 31)
        )
        == "Attended all 5 meetings since 2010."
    )


def test_a_state_listed_both_ways_counts_once_as_a_state_party() -> None:
    attended = [Attended(BY_CODE["1MSP"], OBSERVER), Attended(BY_CODE["1MSP"], STATE_PARTY)]
    attended += [Attended(BY_CODE["2MSP"], OBSERVER)]
    assert attendance_sentence(MEETINGS, attended, as_of=date(2000, 12, 31)) == (
        "Attended both meetings since 1999 (1 as an observer)."
    )


def test_a_single_meeting_is_named() -> None:
    window = {"since": date(2025, 1, 1), "as_of": date(2025, 12, 31)}
    assert attendance_sentence(MEETINGS, records(MEETINGS, {"22MSP": OBSERVER}), **window) == (
        "Attended 22MSP (2025) as an observer."
    )
    assert attendance_sentence(MEETINGS, records(MEETINGS, {"22MSP": DID_NOT_ATTEND}), **window) == (
        "Did not attend 22MSP (2025)."
    )
    assert attendance_sentence(MEETINGS, [], **window) == "Attendance at 22MSP (2025) is not on record."


def test_misses_beside_meetings_not_on_record_do_not_claim_none_attended() -> None:
    """Viet Nam: the Monitor says it attended no meeting in 2010; the rest is not on record."""
    attended = records(MEETINGS, {"10MSP": DID_NOT_ATTEND})
    assert attendance_sentence(MEETINGS, attended) == (
        "Did not attend 10MSP (2010); attendance not on record for 26."
    )
    attended = records(MEETINGS, {"10MSP": DID_NOT_ATTEND, "11MSP": DID_NOT_ATTEND})
    assert attendance_sentence(MEETINGS, attended, as_of=date(2012, 12, 31)) == (
        "Did not attend any meeting in 2010 or 2011; attendance not on record for 12."
    )
