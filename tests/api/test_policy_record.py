"""The policy record API: General Assembly resolutions and votes with filters, meetings,
attendance, policy facts; anyone reads, editors write through the services with a source."""

import pytest

from states.models import Meeting, MeetingAttendance, PolicyFact, UNGAVote
from tests.api.conftest import if_match

pytestmark = pytest.mark.django_db

VOTES = "/api/v1/unga-votes/"
RESOLUTIONS = "/api/v1/unga-resolutions/"
FACTS = "/api/v1/policy-facts/"
ATTENDANCE = "/api/v1/meeting-attendance/"
MEETINGS = "/api/v1/meetings/"


def test_votes_filter_by_state_year_range_and_vote(api):  # type: ignore[no-untyped-def]
    response = api.get(VOTES, {"state": "rus,VNM", "year_from": 2023, "year_to": 2025, "vote": "no"})
    assert response.status_code == 200
    found = [(v["state"], v["resolution"], v["vote"]) for v in response.json()["results"]]
    assert found == [
        ("RUS", "A/RES/78/45", "no"),
        ("RUS", "A/RES/79/34", "no"),
        ("RUS", "A/RES/80/35", "no"),
    ]


def test_votes_as_of_leave_out_resolutions_adopted_later(api):  # type: ignore[no-untyped-def]
    body = api.get(VOTES, {"state": "VNM", "as_of": "2010-12-31", "page_size": 200}).json()
    assert body["count"] == 15  # 1996-2010: a Member State that did not vote has its "absent" row
    assert body["results"][-1]["resolution"] == "A/RES/65/48"


def test_a_former_seats_votes_are_on_its_successors_record(api):  # type: ignore[no-untyped-def]
    body = api.get(VOTES, {"state": "SRB", "seat": "SCG"}).json()
    assert [(v["year"], v["seat_name"], v["confirmed"]) for v in body["results"]] == [
        (2003, "Serbia and Montenegro", False),
        (2004, "Serbia and Montenegro", False),
        (2005, "Serbia and Montenegro", False),
    ]


def test_an_unknown_vote_is_a_400_naming_the_parameter(api):  # type: ignore[no-untyped-def]
    response = api.get(VOTES, {"vote": "maybe"})
    assert response.status_code == 400
    assert response.json() == {"vote": ["Unknown vote maybe: use yes, no, abstain or absent."]}


def test_resolutions_give_the_stated_totals_and_the_counted_votes(api):  # type: ignore[no-untyped-def]
    body = api.get(RESOLUTIONS, {"year_from": 2010, "year_to": 2010}).json()
    [resolution] = body["results"]
    assert (resolution["symbol"], resolution["short_symbol"], resolution["adopted_on"]) == (
        "A/RES/65/48",
        "65/48",
        "2010-12-08",
    )
    assert (resolution["in_favour"], resolution["against"], resolution["abstaining"]) == (165, 0, 17)
    assert resolution["votes_counted"] == {"yes": 165, "no": 0, "abstain": 17, "absent": 10}


def test_a_states_voting_record_in_one_read(api):  # type: ignore[no-untyped-def]
    body = api.get("/api/v1/unga-voting-records/vnm/", {"as_of": "2010-12-31"}).json()
    assert body["sentence"] == (
        "Abstained on every resolution from 53/77 N (1998) to 65/48 (2010); did not vote in 1996 and 1997."
    )
    assert [v["vote"] for v in body["votes"][:3]] == ["absent", "absent", "abstain"]
    assert len(body["votes"]) == 15
    montenegro = api.get("/api/v1/unga-voting-records/MNE/", {"as_of": "2007-12-31"}).json()
    assert [v["vote"] for v in montenegro["votes"]][:10] == ["not_member"] * 10
    assert api.get("/api/v1/unga-voting-records/XXX/").status_code == 404


def test_facts_filter_by_state_topic_and_as_of(api):  # type: ignore[no-untyped-def]
    body = api.get(FACTS, {"state": "USA", "topic": ["stockpile", "use"], "as_of": "2004-12-31"}).json()
    assert [(f["topic"], f["dated"], f["quantity"]) for f in body["results"]] == [
        ("stockpile", "2004-11", 10_400_000),
        ("use", "1991", 117_634),
    ]


def test_unconfirmed_records_can_be_listed_for_review(api):  # type: ignore[no-untyped-def]
    assert api.get(MEETINGS, {"unconfirmed": "true"}).json()["count"] == 14
    assert api.get(VOTES, {"unconfirmed": "true"}).json()["count"] == 5


def test_anonymous_and_analyst_cannot_write(api, analyst_api):  # type: ignore[no-untyped-def]
    payload = {"state": "VNM", "topic": "use", "dated": "2024", "statement": "x", "source_citation": "y"}
    assert (
        api.post(FACTS, payload, format="json").status_code == 401
    )  # unauthenticated: a challenge (WWW-Authenticate)
    assert analyst_api.post(FACTS, payload, format="json").status_code == 403
    assert not PolicyFact.objects.filter(statement="x").exists()


def test_an_editors_fact_needs_a_source(editor_api):  # type: ignore[no-untyped-def]
    payload = {"state": "VNM", "topic": "use", "dated": "2024-06", "statement": "No new use reported."}
    response = editor_api.post(FACTS, payload, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "source_citation": ["Cite the source: a citation (source_citation), a URL (source_urls), or both."]
    }


def test_an_editor_records_corrects_and_reverts_a_fact(editor_api):  # type: ignore[no-untyped-def]
    payload = {
        "state": "vnm",
        "topic": "use",
        "dated": "2024-06",
        "statement": "No new use reported.",
        "source_citation": "Landmine Monitor 2024 (test)",
    }
    created = editor_api.post(FACTS, payload, format="json")
    assert created.status_code == 201, created.json()
    fact = created.json()
    assert (fact["known_from"], fact["created_by"], fact["state"]) == ("2024-06-30", "editor", "VNM")
    url = f"{FACTS}{fact['id']}/"
    assert editor_api.patch(url, {"dated": "2024-13"}, format="json", **if_match(editor_api, url)).json() == {
        "dated": ["Enter the date as YYYY, YYYY-MM or YYYY-MM-DD; got '2024-13'."]
    }
    assert (
        editor_api.patch(url, {"source_citation": ""}, format="json", **if_match(editor_api, url)).status_code
        == 400
    )
    assert editor_api.patch(url, {"state": "USA"}, format="json", **if_match(editor_api, url)).json() == {
        "state": ["This cannot be changed: delete the record and record a new one."]
    }
    changed = editor_api.patch(
        url, {"dated": "2024-07-01"}, format="json", **if_match(editor_api, url)
    ).json()
    assert changed["known_from"] == "2024-07-01"
    versions = editor_api.get(f"{url}history/").json()
    assert [v["change_type"] for v in versions] == ["~", "+"]
    reverted = editor_api.post(
        f"{url}revert/", {"history_id": versions[1]["history_id"]}, format="json", **if_match(editor_api, url)
    )
    assert reverted.json()["dated"] == "2024-06"
    assert editor_api.delete(url, **if_match(editor_api, url)).status_code == 204
    assert editor_api.post(f"{url}restore/").status_code == 201


def test_an_editor_records_attendance_with_a_statement_summary(editor_api):  # type: ignore[no-untyped-def]
    payload = {
        "state": "USA",
        "meeting": "2RC",
        "attendance": "observer",
        "statement_kind": "summary",
        "statement": "Announced a review of its landmine policy.",
        "source_citation": "Cartagena Summit list of participants (test)",
    }
    response = editor_api.post(ATTENDANCE, payload, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["meeting_code"] == "2RC"
    # Not a State Party: the United States could attend only as an observer.
    refused = editor_api.post(
        ATTENDANCE, {**payload, "meeting": "3RC", "attendance": "state_party"}, format="json"
    )
    assert refused.status_code == 400
    assert "could attend 3RC only as an observer" in refused.json()["attendance"][0]
    listed = editor_api.get(ATTENDANCE, {"state": "USA", "with_statement": "true"}).json()
    assert listed["count"] == 1
    assert MeetingAttendance.objects.filter(country__iso3="USA").count() == 1


def test_an_editor_confirms_an_inferred_vote_with_a_source(editor_api):  # type: ignore[no-untyped-def]
    vote = UNGAVote.objects.get(country__iso3="AFG", resolution__symbol="A/RES/80/35")
    url = f"{VOTES}{vote.pk}/confirm/"
    assert editor_api.post(url, {}, format="json").status_code == 400
    response = editor_api.post(
        url, {"source_urls": ["https://digitallibrary.un.org/record/4094649"]}, format="json"
    )
    assert response.status_code == 200
    assert response.json()["unverified_fields"] == []
    assert response.json()["confirmed"] is True


def test_lists_take_a_bounded_number_of_queries(api, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    for url in (VOTES, RESOLUTIONS, FACTS, ATTENDANCE, MEETINGS):
        with django_assert_max_num_queries(3):
            assert api.get(url, {"page_size": 200}).status_code == 200


def test_a_record_of_no_one_state_is_corrected_with_its_version(editor_api):  # type: ignore[no-untyped-def]
    """A meeting belongs to no State: its writes take no State's lock, and still need If-Match."""
    url = f"{MEETINGS}{Meeting.objects.get(code='10MSP').pk}/"
    assert editor_api.patch(url, {"place": "Geneva"}, format="json").status_code == 428
    changed = editor_api.patch(
        url, {"place": "Geneva, Switzerland"}, format="json", **if_match(editor_api, url)
    )
    assert (changed.status_code, changed.json()["place"]) == (200, "Geneva, Switzerland")


@pytest.mark.parametrize("year", ["1.7882342112961744e+16", "-2", "99999", "2010.5"])
def test_a_year_outside_the_treaties_era_is_a_400(api, year):  # type: ignore[no-untyped-def]
    for url in (MEETINGS, VOTES):
        response = api.get(url, {"year_from": year})
        assert response.status_code == 400
        assert list(response.json()) == ["year_from"]
