"""Writes to the policy record go through ``states.policy``: validated, attributed, sourced,
with history that can be reverted and restored; and the reviewers' confirmation."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mineban.records import SOURCE_REQUIRED
from states import policy
from states.models import Country, Meeting, MeetingAttendance, PolicyFact, Treaty, UNGAResolution, UNGAVote

TODAY = date(2026, 11, 22)
pytestmark = pytest.mark.django_db


def country(iso3: str) -> Country:
    return Country.objects.get(iso3=iso3)


def fact(**values: object) -> PolicyFact:
    given = {
        "country": country("VNM"),
        "topic": "policy",
        "dated": "2024-06",
        "statement": "Said it would consider joining.",
        "source_citation": "Statement at the 5RC (test)",
        **values,
    }
    return policy.record(policy.POLICY_FACT, today=TODAY, **given)  # type: ignore[no-any-return]


def messages(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return excinfo.value.message_dict


def test_a_fact_is_on_record_from_the_last_day_its_date_allows(editor):  # type: ignore[no-untyped-def]
    recorded = fact(user=editor)
    assert (recorded.known_from, recorded.created_by, recorded.updated_by) == (
        date(2024, 6, 30),
        editor,
        editor,
    )
    version = recorded.history.get()  # type: ignore[attr-defined]
    assert (version.history_user, version.history_change_reason) == (editor, "Statement at the 5RC (test)")


def test_a_new_fact_must_cite_its_source():
    with pytest.raises(ValidationError) as excinfo:
        fact(source_citation="")
    assert messages(excinfo) == {"source_citation": [SOURCE_REQUIRED]}


@pytest.mark.parametrize(
    ("dated", "message"),
    [
        ("2024-13", "Enter the date as YYYY, YYYY-MM or YYYY-MM-DD; got '2024-13'."),
        ("June 2024", "Enter the date as YYYY, YYYY-MM or YYYY-MM-DD; got 'June 2024'."),
        ("2027", "A fact cannot be dated in the future (2027)."),
    ],
)
def test_a_facts_date_must_be_readable_and_past(dated: str, message: str):
    with pytest.raises(ValidationError) as excinfo:
        fact(dated=dated)
    assert messages(excinfo) == {"dated": [message]}


def test_a_figure_says_what_it_counts():
    with pytest.raises(ValidationError) as excinfo:
        fact(topic="stockpile", quantity=1000)
    assert messages(excinfo)["unit"] == ["A figure says what it counts, e.g. “antipersonnel mines”."]


def test_a_change_may_replace_the_sources_but_not_remove_the_last_one(editor):  # type: ignore[no-untyped-def]
    recorded = fact()
    with pytest.raises(ValidationError) as excinfo:
        policy.update(policy.POLICY_FACT, recorded, source_citation="", user=editor, today=TODAY)
    assert messages(excinfo) == {"source_citation": [SOURCE_REQUIRED]}
    changed = policy.update(
        policy.POLICY_FACT, recorded, source_citation="", source_urls=["https://example.org/s"], user=editor
    )
    assert changed.source_urls == ["https://example.org/s"]


def test_revert_and_restore_keep_one_history(editor):  # type: ignore[no-untyped-def]
    recorded = fact()
    first = recorded.history.get().history_id  # type: ignore[attr-defined]
    policy.update(policy.POLICY_FACT, recorded, dated="2024-07-02", user=editor, today=TODAY)
    reverted = policy.revert(policy.POLICY_FACT, recorded, first, user=editor, today=TODAY)
    assert (reverted.dated, reverted.known_from) == ("2024-06", date(2024, 6, 30))
    policy.delete(policy.POLICY_FACT, reverted, user=editor)
    restored = policy.restore(policy.POLICY_FACT, recorded.pk, user=editor, today=TODAY)
    assert (restored.pk, restored.statement) == (recorded.pk, "Said it would consider joining.")
    assert [v.history_type for v in restored.history.order_by("history_id")] == ["+", "~", "~", "-", "+"]  # type: ignore[attr-defined]


def test_a_state_outside_the_treaty_attends_only_as_an_observer():
    cartagena = Meeting.objects.get(code="2RC")
    values = {
        "meeting": cartagena,
        "country": country("USA"),
        "source_citation": "List of participants (test)",
    }
    with pytest.raises(ValidationError) as excinfo:
        policy.record(policy.ATTENDANCE, attendance="state_party", today=TODAY, **values)
    assert messages(excinfo)["attendance"] == [
        "United States of America had not consented to be bound by the APMBC by 2009-12-04 (not signed): "
        "it could attend 2RC only as an observer."
    ]
    observer = policy.record(policy.ATTENDANCE, attendance="observer", today=TODAY, **values)
    assert observer.meeting == cartagena


def test_attendance_is_recorded_once_the_meeting_has_begun():
    meeting = policy.record(
        policy.MEETING,
        treaty=Treaty.objects.get(code="APMBC"),
        code="23MSP",
        name="Twenty-Third Meeting of the States Parties",
        kind="msp",
        start_date=date(2026, 12, 7),
        end_date=date(2026, 12, 11),
        place="Geneva, Switzerland",
        source_citation="Convening decision (test)",
        today=TODAY,
    )
    with pytest.raises(ValidationError) as excinfo:
        policy.record(
            policy.ATTENDANCE, meeting=meeting, country=country("AFG"), attendance="observer",
            source_citation="x", today=TODAY,
        )  # fmt: skip
    assert "attendance is recorded once the meeting has begun" in messages(excinfo)["attendance"][0]


def test_a_statement_says_whether_it_is_the_text_or_a_summary():
    with pytest.raises(ValidationError) as excinfo:
        policy.record(
            policy.ATTENDANCE, meeting=Meeting.objects.get(code="2RC"), country=country("USA"),
            attendance="observer", statement="We will review our policy.", source_citation="x", today=TODAY,
        )  # fmt: skip
    assert messages(excinfo) == {
        "statement_kind": ["A statement says whether it is the text or a summary, and has one."]
    }


def test_a_meeting_cannot_end_before_it_starts_and_a_code_is_unique_per_treaty():
    meeting = Meeting.objects.get(code="10MSP")
    with pytest.raises(ValidationError) as excinfo:
        policy.update(policy.MEETING, meeting, end_date=date(2010, 11, 1), today=TODAY)
    assert messages(excinfo) == {"end_date": ["A meeting cannot end before it starts."]}
    with pytest.raises(ValidationError) as excinfo:
        policy.record(
            policy.MEETING, treaty=meeting.treaty, code="10MSP", name="Again", kind="msp",
            start_date=date(2010, 11, 29), end_date=date(2010, 12, 3), source_citation="x", today=TODAY,
        )  # fmt: skip
    assert "This treaty already has a meeting with this code." in str(excinfo.value)


def test_what_rests_on_a_record_must_go_first(editor):  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        policy.delete(policy.MEETING, Meeting.objects.get(code="10MSP"), user=editor)
    assert messages(excinfo) == {
        "code": ["Delete its 1 attendance records first: they rest on this meeting."]
    }
    with pytest.raises(ValidationError) as excinfo:
        policy.delete(policy.RESOLUTION, UNGAResolution.objects.get(symbol="A/RES/65/48"), user=editor)
    assert messages(excinfo) == {"symbol": ["Delete its 192 votes first: they rest on this resolution."]}


def test_a_vote_under_a_former_seat_names_it_and_a_non_member_has_no_vote():
    vote = UNGAVote.objects.get(country__iso3="SRB", resolution__symbol="A/RES/57/74")
    with pytest.raises(ValidationError) as excinfo:
        policy.update(policy.VOTE, vote, seat_name="", today=TODAY)
    assert messages(excinfo) == {"seat_name": ["A former seat has both its code and its name."]}
    with pytest.raises(ValidationError) as excinfo:
        policy.record(
            policy.VOTE, resolution=vote.resolution, country=country("VAT"), vote="yes",
            source_citation="x", today=TODAY,
        )  # fmt: skip
    assert messages(excinfo) == {
        "country": ["Holy See is not a UN Member State: it has no vote in the General Assembly."]
    }


def test_a_reviewer_confirms_a_record_with_a_source(editor):  # type: ignore[no-untyped-def]
    meeting = Meeting.objects.get(code="1MSP")
    with pytest.raises(ValidationError) as excinfo:
        policy.confirm(policy.MEETING, meeting, user=editor)
    assert messages(excinfo) == {"source_citation": [SOURCE_REQUIRED]}
    confirmed = policy.confirm(
        policy.MEETING,
        meeting,
        source_citation="Final Report of the First Meeting, APLC/MSP.1/1999/1",
        source_urls=["https://example.org/1msp-final-report"],
        user=editor,
    )
    assert confirmed.unverified_fields == []
    assert confirmed.source_citation == (
        "Reference data: apmbc_meetings.csv; "
        "confirmed by Final Report of the First Meeting, APLC/MSP.1/1999/1"
    )
    assert confirmed.source_urls == ["https://example.org/1msp-final-report"]
    version = confirmed.history.latest("history_id")  # type: ignore[attr-defined]
    assert version.history_user == editor
    assert version.history_change_reason.startswith("Confirmed (end_date, place, start_date): Final Report")


def test_many_votes_are_refused_as_a_whole_naming_the_first_refused():
    resolution = UNGAResolution.objects.get(symbol="A/RES/80/35")
    UNGAVote.objects.filter(resolution=resolution, country__iso3__in=["AFG", "AGO"]).delete()
    votes = [
        {"resolution": resolution, "country": country("AFG"), "vote": "absent", "source_citation": "x"},
        {"resolution": resolution, "country": country("AGO"), "vote": "maybe", "source_citation": "x"},
    ]
    with pytest.raises(policy.BulkError) as excinfo:
        policy.votes_record_many(votes, today=TODAY)
    assert excinfo.value.index == 1
    assert not UNGAVote.objects.filter(resolution=resolution, country__iso3="AFG").exists()
    votes[1]["vote"] = "yes"
    created = policy.votes_record_many(votes, today=TODAY, reason="test")
    assert len(created) == 2
    assert UNGAVote.history.filter(resolution_id=resolution.pk, country__iso3="AGO").count() >= 1


def test_a_long_citation_is_cut_to_fit_the_historys_reason():
    recorded = fact(source_citation="A very long citation " * 10)
    reason = recorded.history.get().history_change_reason  # type: ignore[attr-defined]
    assert len(reason) == 100 and reason.endswith("…")


def test_attendance_records_are_kept_per_meeting_and_state():
    assert MeetingAttendance.objects.filter(country__iso3="VNM", meeting__code="10MSP").count() == 1
