"""The admin screens of the policy record write through ``states.policy``; reviewers see every
unconfirmed record in one list and confirm it with a source."""

import re

import pytest
from django.test import Client

from mineban.records import SOURCE_REQUIRED
from states.models import Country, Meeting, PolicyFact, UNGAVote

pytestmark = pytest.mark.django_db
REVIEW_URL = "/admin/states/policyfact/unconfirmed/"


@pytest.fixture
def editor_client(client: Client, editor) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    return client


def fact_form(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "country": Country.objects.get(iso3="VNM").pk,
        "topic": "use",
        "dated": "2024",
        "statement": "No new use reported.",
        "quantity": "",
        "unit": "",
        "source_citation": "Landmine Monitor 2024 (test)",
        "source_urls": "[]",
        "notes": "",
        "unverified_fields": "[]",
    }
    data.update(values)
    return data


def test_the_lists_open_for_editors_and_stay_closed_to_analysts(editor_client, analyst):  # type: ignore[no-untyped-def]
    for url in ("meeting", "meetingattendance", "ungaresolution", "ungavote", "policyfact"):
        assert editor_client.get(f"/admin/states/{url}/").status_code == 200, url
    analysts = Client()
    analysts.force_login(analyst)
    assert analysts.get("/admin/states/policyfact/").status_code == 302
    assert analysts.get(REVIEW_URL).status_code == 302


def test_an_editor_adds_a_fact_through_the_service(editor_client, editor):  # type: ignore[no-untyped-def]
    response = editor_client.post("/admin/states/policyfact/add/", fact_form())
    assert response.status_code == 302
    recorded = PolicyFact.objects.get(statement="No new use reported.")
    assert (recorded.known_from.isoformat(), recorded.created_by) == ("2024-12-31", editor)


def test_the_services_refusals_show_on_the_fields(editor_client):  # type: ignore[no-untyped-def]
    uncited = editor_client.post("/admin/states/policyfact/add/", fact_form(source_citation=""))
    assert uncited.context["adminform"].form.errors["source_citation"] == [SOURCE_REQUIRED]
    misdated = editor_client.post("/admin/states/policyfact/add/", fact_form(dated="2024-13"))
    assert misdated.status_code == 200
    assert misdated.context["adminform"].form.errors["dated"] == [
        "Enter the date as YYYY, YYYY-MM or YYYY-MM-DD; got '2024-13'."
    ]
    assert not PolicyFact.objects.filter(statement="No new use reported.").exists()


def test_the_unconfirmed_filter_lists_only_flagged_records(editor_client):  # type: ignore[no-untyped-def]
    response = editor_client.get("/admin/states/ungavote/", {"confirmation": "unconfirmed"})
    assert response.context["cl"].result_count == 5


def test_every_unconfirmed_record_is_in_one_list(editor_client):  # type: ignore[no-untyped-def]
    html = editor_client.get(REVIEW_URL).content.decode()
    total = re.search(r'data-testid="unconfirmed-total">(\d+)<', html)
    assert total and int(total.group(1)) == 14 + 5 + 2  # meetings, votes, facts (MOZ, YEM)
    assert "Meetings (14)" in html and "UN General Assembly votes (5)" in html


def test_a_reviewer_confirms_checked_records_with_one_source(editor_client, editor):  # type: ignore[no-untyped-def]
    meeting = Meeting.objects.get(code="1MSP")
    vote = UNGAVote.objects.get(country__iso3="VEN", resolution__symbol="A/RES/80/35")
    chosen = {"record": [f"meeting:{meeting.pk}", f"ungavote:{vote.pk}"]}
    refused = editor_client.post(REVIEW_URL, {**chosen, "source_citation": "", "source_urls": ""})
    assert "Cite the source that confirms them" in refused.content.decode()
    response = editor_client.post(
        REVIEW_URL,
        {**chosen, "source_citation": "UN Digital Library and APLC/MSP.1/1999/1", "source_urls": ""},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    vote.refresh_from_db()
    assert meeting.unverified_fields == [] and vote.unverified_fields == []
    assert vote.updated_by == editor
    assert vote.source_citation.endswith("confirmed by UN Digital Library and APLC/MSP.1/1999/1")


def test_the_list_action_confirms_with_a_source(editor_client):  # type: ignore[no-untyped-def]
    facts = PolicyFact.objects.exclude(unverified_fields=[])
    ids = [str(pk) for pk in facts.values_list("pk", flat=True)]
    form = editor_client.post(
        "/admin/states/policyfact/", {"action": "confirm_with_source", "_selected_action": ids}
    )
    assert form.status_code == 200 and "Confirm with a source" in form.content.decode()
    done = editor_client.post(
        "/admin/states/policyfact/",
        {
            "action": "confirm_with_source",
            "_selected_action": ids,
            "apply": "Confirm",
            "source_citation": "",
            "source_urls": "https://example.org/confirming-report",
        },
    )
    assert done.status_code == 302
    assert not PolicyFact.objects.exclude(unverified_fields=[]).exists()
