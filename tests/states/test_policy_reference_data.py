"""The policy record's reference data (meetings, General Assembly votes, policy facts, the
stockpile figures in the Art. 4 notes), loaded the way `load_reference_data` loads it."""

import csv
import shutil
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from states import policy
from states.models import Country, Meeting, MeetingAttendance, PolicyFact, UNGAResolution, UNGAVote
from states.reference_data import REFERENCE_DIR, latest_named_date

pytestmark = pytest.mark.django_db


def _load(directory: Path = REFERENCE_DIR) -> str:
    out = StringIO()
    call_command("load_reference_data", directory=directory, stdout=out)
    return out.getvalue()


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_thirty_resolutions_5740_votes_and_27_meetings_are_loaded():
    assert UNGAResolution.objects.count() == 30
    assert UNGAVote.objects.count() == 5740
    assert Meeting.objects.count() == 27
    assert Counter(UNGAVote.objects.values_list("vote", flat=True)) == {
        "yes": 4788, "abstain": 546, "absent": 402, "no": 4,
    }  # fmt: skip
    first, last = UNGAResolution.objects.order_by("adopted_on").first(), UNGAResolution.objects.last()
    assert (first.symbol, first.adopted_on, last.symbol, last.adopted_on) == (
        "A/RES/51/45S", date(1996, 12, 10), "A/RES/80/35", date(2025, 12, 1),
    )  # fmt: skip


def test_every_resolutions_votes_add_up_to_the_totals_the_record_states():
    for resolution in UNGAResolution.objects.all():
        counted = Counter(resolution.votes.values_list("vote", flat=True))
        assert (counted["yes"], counted["no"], counted["abstain"]) == (
            resolution.in_favour, resolution.against, resolution.abstaining,
        ), resolution.symbol  # fmt: skip


def test_yugoslavia_and_serbia_and_montenegro_vote_on_serbias_record_with_their_seat_named():
    assert not Country.objects.filter(iso3__in=["YUG", "SCG"]).exists()
    serbia = UNGAVote.objects.filter(country__iso3="SRB").order_by("resolution__adopted_on")
    assert serbia.count() == 30
    seats = Counter(serbia.values_list("seat_code", "seat_name"))
    assert seats == {("YUG", "Yugoslavia"): 7, ("SCG", "Serbia and Montenegro"): 3, ("", ""): 20}
    # The three Serbia and Montenegro votes were inferred from the yes totals: unconfirmed.
    scg = serbia.filter(seat_code="SCG")
    assert [v.unverified_fields for v in scg] == [["vote"]] * 3
    assert "inferred" in scg.first().notes.lower()


def test_the_2025_absences_of_afghanistan_and_venezuela_are_flagged_as_inferred():
    flagged = UNGAVote.objects.exclude(unverified_fields=[]).values_list(
        "resolution__symbol", "country__iso3"
    )
    assert sorted(flagged) == [
        ("A/RES/58/53", "SRB"), ("A/RES/59/84", "SRB"), ("A/RES/60/80", "SRB"),
        ("A/RES/80/35", "AFG"), ("A/RES/80/35", "VEN"),
    ]  # fmt: skip


def test_meetings_with_unconfirmed_dates_are_flagged():
    maputo = Meeting.objects.get(code="1MSP")
    assert (maputo.start_date, maputo.end_date, maputo.place, maputo.kind) == (
        date(1999, 5, 3), date(1999, 5, 7), "Maputo, Mozambique", "msp",
    )  # fmt: skip
    assert maputo.unverified_fields == ["end_date", "place", "start_date"]
    geneva = Meeting.objects.get(code="19MSP")
    assert geneva.unverified_fields == []
    assert geneva.source_urls[0].startswith("https://www.apminebanconvention.org/")
    assert "(15-19 November 2021, online)" in geneva.source_citation
    assert Meeting.objects.get(code="5RC").kind == "review_conference"


def test_policy_facts_keep_their_dates_precision_and_citation():
    assert PolicyFact.objects.filter(reference_key__startswith="policy_facts.csv:").count() == 17
    stockpile = PolicyFact.objects.get(country__iso3="USA", topic="stockpile", dated="2004-11")
    assert (stockpile.known_from, stockpile.quantity, stockpile.unit) == (
        date(2004, 11, 30), 10_400_000, "antipersonnel mines",
    )  # fmt: skip
    assert stockpile.source_citation.startswith("Landmine Monitor Report 2004")


def test_stockpile_figures_come_only_from_explicit_wordings_in_the_article_4_notes():
    seeded = {
        f.country.iso3: (f.quantity, f.dated)
        for f in PolicyFact.objects.filter(reference_key__startswith="apmbc_art4_stockpiles.csv:")
    }
    assert seeded["AFG"] == (486_226, "2007")  # "(486,226 mines)"; reported in 2007
    assert seeded["ALB"] == (1_683_860, "2002-04")  # "destruction of 1,683,860 mines"
    assert seeded["DZA"] == (150_050, "2005-11-21")
    # "more than 90,000 mines destroyed", "266,517 mines destroyed": other wordings, not read.
    assert "ARG" not in seeded and "DNK" not in seeded
    assert len(seeded) == 14
    afghanistan = PolicyFact.objects.get(reference_key="apmbc_art4_stockpiles.csv:AFG:1")
    assert afghanistan.statement.startswith("ISU: Article 7 report of 30 Apr 2007")
    assert afghanistan.source_urls == ["https://new.apminebanconvention.org/en/membership/afghanistan/"]


def test_the_latest_named_date_keeps_the_precision_the_text_gives():
    assert latest_named_date("completed (reported 1 May 2003)").iso == "2003-05-01"
    assert latest_named_date("completed April 2002 (on time)").iso == "2002-04"
    assert latest_named_date("completed (sources conflict: April 2003 vs report of 2009)").iso == "2009"
    assert latest_named_date("ongoing") is None


def test_viet_nams_absence_from_the_tenth_meeting_is_loaded_with_its_source():
    record = MeetingAttendance.objects.get(country__iso3="VNM")
    assert (record.meeting.code, record.attendance) == ("10MSP", "did_not_attend")
    assert record.source_citation.startswith("Landmine Monitor country profile Vietnam")


def test_loading_twice_changes_nothing():
    history = (UNGAVote.history.count(), PolicyFact.history.count(), Meeting.history.count())
    output = _load()
    assert "UN General Assembly resolutions and votes: 0 created, 0 updated, 5770 unchanged" in output
    assert "APMBC meetings: 0 created, 0 updated, 27 unchanged" in output
    assert "policy facts: 0 created, 0 updated, 17 unchanged" in output
    assert "stockpile figures in the Art. 4 notes: 0 created, 0 updated, 14 unchanged" in output
    assert (UNGAVote.history.count(), PolicyFact.history.count(), Meeting.history.count()) == history


def test_a_changed_vote_changes_only_its_record(reference_copy: Path):
    _edit(
        reference_copy / "unga_apmbc_votes.csv",
        "A/RES/51/45S,Albania,ALB,yes",
        "A/RES/51/45S,Albania,ALB,abstain",
    )
    _edit(reference_copy / "unga_apmbc_resolutions.csv", "1996-12-10,155,0,10", "1996-12-10,154,0,11")
    output = _load(reference_copy)
    assert "UN General Assembly resolutions and votes: 0 created, 2 updated, 5768 unchanged" in output
    vote = UNGAVote.objects.get(country__iso3="ALB", resolution__symbol="A/RES/51/45S")
    assert vote.vote == "abstain"
    assert vote.history.count() == 2


def test_a_record_an_editor_changed_is_left_as_the_editor_left_it(editor):  # type: ignore[no-untyped-def]
    meeting = Meeting.objects.get(code="1MSP")
    policy.confirm(policy.MEETING, meeting, source_citation="Final report APLC/MSP.1/1999/1", user=editor)
    output = _load()
    assert "kept 1MSP as an editor changed it (source_citation, unverified_fields differ" in output
    assert Meeting.objects.get(code="1MSP").unverified_fields == []


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "unga_apmbc_votes.csv",
            "A/RES/51/45S,Albania,ALB,yes",
            "A/RES/51/45S,Albania,ALB,maybe",
            "unga_apmbc_votes.csv, line 3, field 'vote': 'maybe' is not one of absent, abstain, no, yes",
        ),
        (
            "unga_apmbc_votes.csv",
            "A/RES/51/45S,Albania,ALB,yes",
            "A/RES/51/45S,Albania,ALX,yes",
            "unga_apmbc_votes.csv, line 3, field 'iso3': unknown State code 'ALX'",
        ),
        (
            "unga_apmbc_votes.csv",
            "A/RES/51/45S,Albania,ALB,yes",
            "A/RES/51/45S,Albania,ALB,abstain",
            "unga_apmbc_resolutions.csv, line 2, field 'in_favour': A/RES/51/45S states 155, "
            "but unga_apmbc_votes.csv has 154 yes votes",
        ),
        (
            "apmbc_meetings.csv",
            "1MSP,First Meeting of the States Parties,1999-05-03,1999-05-07",
            "1MSP,First Meeting of the States Parties,1999-05-03,1999-05-37",
            "apmbc_meetings.csv, line 2, field 'end_date': '1999-05-37' is not a date",
        ),
        (
            "apmbc_meetings.csv",
            "1MSP,First Meeting of the States Parties,1999-05-03,1999-05-07",
            "1MSP,First Meeting of the States Parties,1999-05-07,1999-05-03",
            "apmbc_meetings.csv, line 2 (1MSP): field 'end_date': A meeting cannot end before it starts.",
        ),
        (
            "policy_facts.csv",
            "United States of America,USA,policy,2004-02-27",
            "United States of America,USA,policy,2004-02-30",
            "policy_facts.csv, line 2, field 'as_of': '2004-02-30' is not a date",
        ),
        (
            "policy_facts.csv",
            "United States of America,USA,policy,2004-02-27",
            "United States of America,USA,politics,2004-02-27",
            "policy_facts.csv, line 2, field 'topic': 'politics' is not one of",
        ),
    ],
)
def test_a_malformed_file_is_rejected_whole_naming_file_line_and_field(  # type: ignore[no-untyped-def]
    reference_copy: Path, file, old, new, message
):
    _edit(reference_copy / file, old, new)
    before = (UNGAVote.history.count(), Meeting.history.count(), PolicyFact.history.count())
    with pytest.raises(CommandError) as excinfo:
        _load(reference_copy)
    assert message in str(excinfo.value)
    assert "Nothing was loaded." in str(excinfo.value)
    assert (UNGAVote.history.count(), Meeting.history.count(), PolicyFact.history.count()) == before


def test_the_shipped_vote_file_is_the_one_in_the_project():
    """The product reads its own copy (``data/reference``), never the shared folder."""
    with (REFERENCE_DIR / "unga_apmbc_votes.csv").open(newline="", encoding="utf-8") as handle:
        assert sum(1 for _ in csv.DictReader(handle)) == 5740
