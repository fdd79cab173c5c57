"""Votes on the annual UN General Assembly resolution supporting the Mine Ban Convention (no database).

The rows below are copied from ``unga_apmbc_resolutions.csv`` and ``unga_apmbc_votes.csv``
(shared data, compiled 2025) for the States these tests describe, so the tests check the real
record without reading files outside the project.
"""

import csv
import io
from datetime import date

import pytest

from mineban.rules.voting import CastVote, Resolution, Vote, tally, voting_record, voting_sentence

RESOLUTIONS_CSV = """\
symbol,year,adopted_date
A/RES/51/45S,1996,1996-12-10
A/RES/52/38A,1997,1997-12-09
A/RES/53/77N,1998,1998-12-04
A/RES/54/54B,1999,1999-12-01
A/RES/55/33V,2000,2000-11-20
A/RES/56/24M,2001,2001-11-29
A/RES/57/74,2002,2002-11-22
A/RES/58/53,2003,2003-12-08
A/RES/59/84,2004,2004-12-03
A/RES/60/80,2005,2005-12-08
A/RES/61/84,2006,2006-12-06
A/RES/62/41,2007,2007-12-05
A/RES/63/42,2008,2008-12-02
A/RES/64/56,2009,2009-12-02
A/RES/65/48,2010,2010-12-08
A/RES/66/29,2011,2011-12-02
A/RES/67/32,2012,2012-12-03
A/RES/68/30,2013,2013-12-05
A/RES/69/34,2014,2014-12-02
A/RES/70/55,2015,2015-12-07
A/RES/71/34,2016,2016-12-05
A/RES/72/53,2017,2017-12-04
A/RES/73/61,2018,2018-12-05
A/RES/74/61,2019,2019-12-12
A/RES/75/52,2020,2020-12-07
A/RES/76/26,2021,2021-12-06
A/RES/77/63,2022,2022-12-07
A/RES/78/45,2023,2023-12-04
A/RES/79/34,2024,2024-12-02
A/RES/80/35,2025,2025-12-01
"""

# Viet Nam, Russian Federation, United States, Argentina, and Serbia's seat: Yugoslavia (YUG,
# to 2003), Serbia and Montenegro (SCG, 2003-2005), Serbia (SRB, from 2006).
VOTES_CSV = """\
symbol,iso3,vote
A/RES/51/45S,ARG,yes
A/RES/51/45S,RUS,abstain
A/RES/51/45S,USA,yes
A/RES/51/45S,VNM,absent
A/RES/51/45S,YUG,absent
A/RES/52/38A,ARG,yes
A/RES/52/38A,RUS,abstain
A/RES/52/38A,USA,abstain
A/RES/52/38A,VNM,absent
A/RES/52/38A,YUG,absent
A/RES/53/77N,ARG,yes
A/RES/53/77N,RUS,abstain
A/RES/53/77N,USA,abstain
A/RES/53/77N,VNM,abstain
A/RES/53/77N,YUG,absent
A/RES/54/54B,ARG,yes
A/RES/54/54B,RUS,abstain
A/RES/54/54B,USA,abstain
A/RES/54/54B,VNM,abstain
A/RES/54/54B,YUG,absent
A/RES/55/33V,ARG,yes
A/RES/55/33V,RUS,abstain
A/RES/55/33V,USA,abstain
A/RES/55/33V,VNM,abstain
A/RES/55/33V,YUG,absent
A/RES/56/24M,ARG,yes
A/RES/56/24M,RUS,abstain
A/RES/56/24M,USA,abstain
A/RES/56/24M,VNM,abstain
A/RES/56/24M,YUG,yes
A/RES/57/74,ARG,yes
A/RES/57/74,RUS,abstain
A/RES/57/74,USA,abstain
A/RES/57/74,VNM,abstain
A/RES/57/74,YUG,yes
A/RES/58/53,ARG,yes
A/RES/58/53,RUS,abstain
A/RES/58/53,SCG,yes
A/RES/58/53,USA,abstain
A/RES/58/53,VNM,abstain
A/RES/59/84,ARG,yes
A/RES/59/84,RUS,abstain
A/RES/59/84,SCG,yes
A/RES/59/84,USA,abstain
A/RES/59/84,VNM,abstain
A/RES/60/80,ARG,yes
A/RES/60/80,RUS,abstain
A/RES/60/80,SCG,yes
A/RES/60/80,USA,abstain
A/RES/60/80,VNM,abstain
A/RES/61/84,ARG,yes
A/RES/61/84,RUS,abstain
A/RES/61/84,SRB,yes
A/RES/61/84,USA,abstain
A/RES/61/84,VNM,abstain
A/RES/62/41,ARG,yes
A/RES/62/41,RUS,abstain
A/RES/62/41,SRB,yes
A/RES/62/41,USA,abstain
A/RES/62/41,VNM,abstain
A/RES/63/42,ARG,yes
A/RES/63/42,RUS,abstain
A/RES/63/42,SRB,yes
A/RES/63/42,USA,abstain
A/RES/63/42,VNM,abstain
A/RES/64/56,ARG,yes
A/RES/64/56,RUS,abstain
A/RES/64/56,SRB,yes
A/RES/64/56,USA,abstain
A/RES/64/56,VNM,abstain
A/RES/65/48,ARG,yes
A/RES/65/48,RUS,abstain
A/RES/65/48,SRB,yes
A/RES/65/48,USA,abstain
A/RES/65/48,VNM,abstain
A/RES/66/29,ARG,yes
A/RES/66/29,RUS,abstain
A/RES/66/29,SRB,yes
A/RES/66/29,USA,abstain
A/RES/66/29,VNM,abstain
A/RES/67/32,ARG,yes
A/RES/67/32,RUS,abstain
A/RES/67/32,SRB,yes
A/RES/67/32,USA,abstain
A/RES/67/32,VNM,abstain
A/RES/68/30,ARG,yes
A/RES/68/30,RUS,abstain
A/RES/68/30,SRB,yes
A/RES/68/30,USA,abstain
A/RES/68/30,VNM,abstain
A/RES/69/34,ARG,yes
A/RES/69/34,RUS,abstain
A/RES/69/34,SRB,yes
A/RES/69/34,USA,abstain
A/RES/69/34,VNM,abstain
A/RES/70/55,ARG,yes
A/RES/70/55,RUS,abstain
A/RES/70/55,SRB,yes
A/RES/70/55,USA,abstain
A/RES/70/55,VNM,abstain
A/RES/71/34,ARG,yes
A/RES/71/34,RUS,abstain
A/RES/71/34,SRB,yes
A/RES/71/34,USA,abstain
A/RES/71/34,VNM,abstain
A/RES/72/53,ARG,yes
A/RES/72/53,RUS,abstain
A/RES/72/53,SRB,yes
A/RES/72/53,USA,abstain
A/RES/72/53,VNM,abstain
A/RES/73/61,ARG,yes
A/RES/73/61,RUS,abstain
A/RES/73/61,SRB,yes
A/RES/73/61,USA,abstain
A/RES/73/61,VNM,abstain
A/RES/74/61,ARG,yes
A/RES/74/61,RUS,abstain
A/RES/74/61,SRB,yes
A/RES/74/61,USA,abstain
A/RES/74/61,VNM,abstain
A/RES/75/52,ARG,yes
A/RES/75/52,RUS,abstain
A/RES/75/52,SRB,yes
A/RES/75/52,USA,abstain
A/RES/75/52,VNM,abstain
A/RES/76/26,ARG,yes
A/RES/76/26,RUS,abstain
A/RES/76/26,SRB,abstain
A/RES/76/26,USA,abstain
A/RES/76/26,VNM,abstain
A/RES/77/63,ARG,yes
A/RES/77/63,RUS,abstain
A/RES/77/63,SRB,abstain
A/RES/77/63,USA,abstain
A/RES/77/63,VNM,abstain
A/RES/78/45,ARG,yes
A/RES/78/45,RUS,no
A/RES/78/45,SRB,abstain
A/RES/78/45,USA,abstain
A/RES/78/45,VNM,abstain
A/RES/79/34,ARG,yes
A/RES/79/34,RUS,no
A/RES/79/34,SRB,yes
A/RES/79/34,USA,abstain
A/RES/79/34,VNM,abstain
A/RES/80/35,ARG,yes
A/RES/80/35,RUS,no
A/RES/80/35,SRB,yes
A/RES/80/35,USA,abstain
A/RES/80/35,VNM,abstain
"""

SEATS = {"YUG": "Yugoslavia", "SCG": "Serbia and Montenegro"}
# SCG's yes votes are inferred from the totals (no named entry in the UN record).
INFERRED = {"SCG"}

RESOLUTIONS = [
    Resolution(row["symbol"], int(row["year"]), date.fromisoformat(row["adopted_date"]))
    for row in csv.DictReader(io.StringIO(RESOLUTIONS_CSV))
]
BY_SYMBOL = {resolution.symbol: resolution for resolution in RESOLUTIONS}
BY_YEAR = {resolution.year: resolution for resolution in RESOLUTIONS}


def real_votes(*iso3: str) -> list[CastVote]:
    return [
        CastVote(
            BY_SYMBOL[row["symbol"]],
            Vote(row["vote"]),
            seat_name=SEATS.get(row["iso3"], ""),
            confirmed=row["iso3"] not in INFERRED,
        )
        for row in csv.DictReader(io.StringIO(VOTES_CSV))
        if row["iso3"] in iso3
    ]


def real_record(*iso3: str) -> list[CastVote]:
    return voting_record(real_votes(*iso3), RESOLUTIONS)


def constructed(votes: dict[int, Vote]) -> list[CastVote]:
    """A record from {year: vote}; years not given are "not a member"."""
    return voting_record([CastVote(BY_YEAR[year], vote) for year, vote in votes.items()], RESOLUTIONS)


def years(first: int, last: int, vote: Vote) -> dict[int, Vote]:
    return dict.fromkeys(range(first, last + 1), vote)


# --- Resolutions and the record ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("symbol", "short"),
    [
        ("A/RES/53/77N", "53/77 N"),
        ("A/RES/51/45S", "51/45 S"),
        ("A/RES/65/48", "65/48"),
        ("A/RES/80/35", "80/35"),
    ],
)
def test_the_short_symbol_drops_a_res_and_spaces_off_the_part_letter(symbol: str, short: str) -> None:
    assert Resolution(symbol, 2000, date(2000, 12, 1)).short == short


def test_the_copied_data_has_thirty_resolutions_from_1996_to_2025() -> None:
    assert len(RESOLUTIONS) == 30
    assert [resolution.year for resolution in RESOLUTIONS] == list(range(1996, 2026))


def test_the_record_has_one_entry_per_resolution_in_date_order() -> None:
    shuffled = list(reversed(RESOLUTIONS))
    record = voting_record(real_votes("VNM"), shuffled)
    assert [cast.resolution.year for cast in record] == list(range(1996, 2026))
    assert record[0].vote is Vote.ABSENT
    assert record[2].vote is Vote.ABSTAIN


def test_a_resolution_without_a_vote_is_not_a_member_not_absent() -> None:
    record = voting_record([CastVote(BY_YEAR[2012], Vote.YES)], RESOLUTIONS)
    assert record[15].vote is Vote.NOT_MEMBER
    assert record[16].vote is Vote.YES
    assert Vote.ABSENT not in {cast.vote for cast in record}


def test_the_record_as_of_the_end_of_2010_stops_at_65_48() -> None:
    record = voting_record(real_votes("VNM"), RESOLUTIONS, as_of=date(2010, 12, 31))
    assert len(record) == 15
    assert record[-1].resolution.short == "65/48"


def test_the_record_as_of_a_resolution_day_includes_that_resolution() -> None:
    record = voting_record(real_votes("VNM"), RESOLUTIONS, as_of=date(2010, 12, 8))
    assert record[-1].resolution.short == "65/48"
    assert (
        voting_record(real_votes("VNM"), RESOLUTIONS, as_of=date(2010, 12, 7))[-1].resolution.short == "64/56"
    )


def test_two_votes_on_one_resolution_are_refused() -> None:
    votes = [CastVote(BY_YEAR[2002], Vote.YES, seat_name="Yugoslavia"), CastVote(BY_YEAR[2002], Vote.ABSENT)]
    with pytest.raises(ValueError, match="two votes given for A/RES/57/74"):
        voting_record(votes, RESOLUTIONS)


def test_a_vote_on_an_unknown_resolution_is_refused() -> None:
    stray = Resolution("A/RES/52/38H", 1997, date(1997, 12, 9))
    with pytest.raises(ValueError, match="A/RES/52/38H"):
        voting_record([CastVote(stray, Vote.YES)], RESOLUTIONS)


# --- The sentence on the real record ----------------------------------------------------------


def test_viet_nam_abstained_from_1998_and_did_not_vote_in_1996_and_1997() -> None:
    assert voting_sentence(real_record("VNM")) == (
        "Abstained on every resolution from 53/77 N (1998) to 80/35 (2025); did not vote in 1996 and 1997."
    )


def test_russia_abstained_until_2022_then_voted_against_every_resolution_since() -> None:
    assert voting_sentence(real_record("RUS")) == (
        "Abstained on every resolution from 51/45 S (1996) to 77/63 (2022), "
        "then voted against every resolution from 78/45 (2023) to 80/35 (2025)."
    )


def test_the_united_states_voted_in_favour_in_1996_then_abstained() -> None:
    assert voting_sentence(real_record("USA")) == (
        "Voted in favour of 51/45 S (1996), "
        "then abstained on every resolution from 52/38 A (1997) to 80/35 (2025)."
    )


def test_argentina_voted_in_favour_of_all_thirty_resolutions() -> None:
    assert voting_sentence(real_record("ARG")) == (
        "Voted in favour of all 30 resolutions, from 51/45 S (1996) to 80/35 (2025)."
    )


def test_serbia_names_the_yugoslav_and_serbia_and_montenegro_seats() -> None:
    record = real_record("YUG", "SCG", "SRB")
    assert Vote.NOT_MEMBER not in {cast.vote for cast in record}
    assert voting_sentence(record) == (
        "Voted in favour of 22 of the 25 resolutions from 56/24 M (2001) to 80/35 (2025), "
        "abstaining on every resolution from 76/26 (2021) to 78/45 (2023); "
        "did not vote in 1996–2000 (as Yugoslavia). "
        "Voted as Yugoslavia in 2001–2002 and as Serbia and Montenegro in 2003–2005 (unconfirmed: 2003–2005)."
    )


def test_serbia_alone_was_not_a_member_until_2006() -> None:
    assert voting_sentence(real_record("SRB")) == (
        "Not a UN member until 2006; voted in favour of 17 of the 20 resolutions from 61/84 (2006) "
        "to 80/35 (2025), abstaining on every resolution from 76/26 (2021) to 78/45 (2023)."
    )


# --- The sentence on constructed records ------------------------------------------------------


def test_a_state_admitted_in_2011_is_not_a_member_before_then() -> None:
    record = constructed(years(2011, 2025, Vote.YES))
    assert voting_sentence(record) == (
        "Not a UN member until 2011; "
        "voted in favour of all 15 resolutions, from 66/29 (2011) to 80/35 (2025)."
    )


def test_a_new_member_that_missed_its_first_vote_has_that_as_an_absence() -> None:
    record = constructed({2011: Vote.ABSENT} | years(2012, 2025, Vote.YES))
    assert voting_sentence(record) == (
        "Not a UN member until 2011; voted in favour of every resolution from 67/32 (2012) to 80/35 (2025); "
        "did not vote in 2011."
    )


def test_an_absence_in_the_middle_is_counted_and_named() -> None:
    record = constructed(years(1996, 2025, Vote.YES) | {2010: Vote.ABSENT})
    assert voting_sentence(record) == (
        "Voted in favour of 29 of the 30 resolutions from 51/45 S (1996) to 80/35 (2025); "
        "did not vote in 2010."
    )


def test_abstentions_in_the_middle_are_given_with_the_dominant_vote() -> None:
    record = constructed(
        years(1996, 2025, Vote.YES) | {2005: Vote.ABSTAIN, 2006: Vote.ABSTAIN, 2015: Vote.NO}
    )
    assert voting_sentence(record) == (
        "Voted in favour of 27 of the 30 resolutions from 51/45 S (1996) to 80/35 (2025), "
        "abstaining on 60/80 (2005) and 61/84 (2006) and voting against 70/55 (2015)."
    )


def test_a_single_change_in_the_latest_year_is_said_last() -> None:
    record = constructed(years(1996, 2024, Vote.YES) | {2025: Vote.ABSTAIN})
    assert voting_sentence(record) == (
        "Voted in favour of every resolution from 51/45 S (1996) to 79/34 (2024), "
        "then abstained on 80/35 (2025)."
    )


def test_two_votes_against_are_listed_not_compressed() -> None:
    record = constructed(years(1996, 2023, Vote.ABSTAIN) | years(2024, 2025, Vote.NO))
    assert voting_sentence(record) == (
        "Abstained on every resolution from 51/45 S (1996) to 78/45 (2023), "
        "then voted against 79/34 (2024) and 80/35 (2025)."
    )


def test_a_tie_goes_to_the_vote_cast_most_recently() -> None:
    record = constructed({2024: Vote.ABSTAIN, 2025: Vote.YES})
    assert voting_sentence(record) == (
        "Not a UN member until 2024; abstained on 79/34 (2024), then voted in favour of 80/35 (2025)."
    )


def test_absences_never_dominate_the_votes_cast() -> None:
    record = constructed(years(2011, 2025, Vote.ABSENT) | {2012: Vote.YES, 2016: Vote.YES, 2019: Vote.YES})
    assert voting_sentence(record) == (
        "Not a UN member until 2011; voted in favour of 3 of the 8 resolutions from 67/32 (2012) "
        "to 74/61 (2019); did not vote in 2011, 2013–2015, 2017, 2018 and 2020–2025."
    )


def test_a_member_that_never_voted_is_described_by_its_absences() -> None:
    record = constructed(years(2023, 2025, Vote.ABSENT))
    assert voting_sentence(record) == "Not a UN member until 2023; did not vote in 2023–2025."


def test_an_unconfirmed_vote_is_flagged_with_its_year() -> None:
    record = [
        CastVote(cast.resolution, cast.vote, confirmed=cast.resolution.year != 1998)
        for cast in real_record("VNM")
    ]
    assert voting_sentence(record) == (
        "Abstained on every resolution from 53/77 N (1998) to 80/35 (2025); did not vote in 1996 and 1997 "
        "(unconfirmed: 1998)."
    )


def test_a_record_cut_at_a_date_is_described_to_that_date() -> None:
    record = voting_record(real_votes("RUS"), RESOLUTIONS, as_of=date(2010, 12, 31))
    assert voting_sentence(record) == "Abstained on all 15 resolutions, from 51/45 S (1996) to 65/48 (2010)."


@pytest.mark.parametrize(
    "record",
    [[], [CastVote(BY_YEAR[1996], Vote.NOT_MEMBER), CastVote(BY_YEAR[1997], Vote.NOT_MEMBER)]],
    ids=["empty", "never a member"],
)
def test_no_vote_at_all_says_so(record: list[CastVote]) -> None:
    assert voting_sentence(record) == "No recorded vote."


# --- Tally ------------------------------------------------------------------------------------


def test_the_tally_counts_each_kind_and_gives_zero_for_the_rest() -> None:
    assert tally(cast.vote for cast in real_record("VNM")) == {
        Vote.YES: 0,
        Vote.NO: 0,
        Vote.ABSTAIN: 28,
        Vote.ABSENT: 2,
        Vote.NOT_MEMBER: 0,
    }


def test_the_tally_of_serbia_alone_counts_the_years_before_2006_as_not_a_member() -> None:
    counts = tally(cast.vote for cast in real_record("SRB"))
    assert counts == {Vote.YES: 17, Vote.NO: 0, Vote.ABSTAIN: 3, Vote.ABSENT: 0, Vote.NOT_MEMBER: 10}


def test_the_tally_of_nothing_is_all_zero() -> None:
    assert tally([]) == dict.fromkeys(Vote, 0)
