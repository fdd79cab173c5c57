"""The change feed: API consumers follow who changed what, newest first."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from mineban import changes as change_feed
from states import services
from states.models import Country, Treaty
from tests.conftest import TEST_SOURCE

URL = "/api/v1/changes/"
TODAY = date(2026, 11, 22)
pytestmark = pytest.mark.django_db


@pytest.fixture
def api(analyst_api) -> APIClient:  # type: ignore[no-untyped-def]
    """A logged-in reader: only they see who made a change."""
    return analyst_api


def _usa_apmbc() -> tuple[Country, Treaty]:
    return Country.objects.get(iso3="USA"), Treaty.objects.get(code="APMBC")


def test_feed_lists_a_change_with_its_user(api, editor):  # type: ignore[no-untyped-def]
    started = timezone.now()
    country, treaty = _usa_apmbc()
    action = services.depositary_action_record(
        country=country,
        treaty=treaty,
        kind="signature",
        action_date=date(1998, 1, 5),
        user=editor,
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    services.depositary_action_update(action=action, notes="Signed in Ottawa", user=editor, today=TODAY)

    response = api.get(URL, {"since": started.isoformat(), "treaty": "APMBC"})

    assert response.status_code == 200
    changed, created = response.json()["results"]
    assert created["model"] == "depositary_action"
    assert created["object_id"] == action.pk
    assert (created["state"], created["treaty"], created["change_type"], created["user"]) == (
        "USA",
        "APMBC",
        "+",
        "editor",
    )
    assert set(created["changed_fields"]) >= {"country", "treaty", "kind", "action_date"}
    assert changed["change_type"] == "~"
    assert changed["changed_fields"] == ["notes"]
    assert changed["history_date"].endswith("Z")
    assert changed["history_date"] >= created["history_date"]


def test_feed_reports_deletions(api, editor):  # type: ignore[no-untyped-def]
    started = timezone.now()
    country, treaty = _usa_apmbc()
    action = services.depositary_action_record(
        country=country,
        treaty=treaty,
        kind="signature",
        action_date=date(1998, 1, 5),
        user=editor,
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    services.depositary_action_delete(action=action, user=editor)
    results = api.get(URL, {"since": started.isoformat(), "state": "usa"}).json()["results"]
    assert [(r["change_type"], r["user"], r["state"]) for r in results] == [
        ("-", "editor", "USA"),
        ("+", "editor", "USA"),
    ]


def test_feed_filters_by_treaty(api, editor):  # type: ignore[no-untyped-def]
    started = timezone.now()
    country, _ = _usa_apmbc()
    services.depositary_action_record(
        country=country,
        treaty=Treaty.objects.get(code="CCM"),
        kind="consent",
        consent_type="accession",
        action_date=date(2012, 5, 2),
        user=editor,
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    assert api.get(URL, {"since": started.isoformat(), "treaty": "APMBC"}).json()["results"] == []
    [ccm] = api.get(URL, {"since": started.isoformat(), "treaty": "ccm"}).json()["results"]
    assert ccm["treaty"] == "CCM"


def test_feed_pages_back_in_time_without_gaps_or_repeats(api):  # type: ignore[no-untyped-def]
    first = api.get(URL, {"page_size": 7}).json()
    seen = [(r["model"], r["id"]) for r in first["results"]]
    page = first
    for _ in range(3):
        page = api.get(page["next"]).json()
        seen += [(r["model"], r["id"]) for r in page["results"]]
    assert len(seen) == len(set(seen)) == 28
    everything = api.get(URL, {"page_size": 28}).json()["results"]
    assert seen == [(r["model"], r["id"]) for r in everything]
    dates = [r["history_date"] for r in everything]
    assert dates == sorted(dates, reverse=True)


def test_feed_query_count_does_not_grow_with_the_page(api, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    sources = len(change_feed.CHANGE_SOURCES)
    # session, user, treaty lookup, state lookup; per source the page and the versions before it
    with django_assert_max_num_queries(4 + 2 * sources):
        api.get(URL, {"treaty": "APMBC", "state": "ALB", "page_size": 1})
    with django_assert_max_num_queries(2 + 2 * sources):
        api.get(URL, {"page_size": 200})
    with CaptureQueriesContext(connection) as one:
        api.get(URL, {"page_size": 1})
    with CaptureQueriesContext(connection) as many:
        api.get(URL, {"page_size": 200})
    assert len(many) == len(one)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"since": "yesterday"}, "since"),
        ({"since": "2026-13-01"}, "since"),
        ({"treaty": "NPT"}, "treaty"),
        ({"state": "XXX"}, "state"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"page_size": "ten"}, "page_size"),
        ({"page_size": "0"}, "page_size"),
    ],
)
def test_bad_parameters_are_400s(api, params, field):  # type: ignore[no-untyped-def]
    response = api.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_since_accepts_a_date_and_a_naive_timestamp_as_utc(api):  # type: ignore[no-untyped-def]
    assert api.get(URL, {"since": "2100-01-01"}).json()["results"] == []
    assert api.get(URL, {"since": "2100-01-01T00:00:00"}).json()["results"] == []
    assert api.get(URL, {"since": "2000-01-01T00:00:00+02:00", "page_size": 1}).json()["results"]


def test_anonymous_readers_see_changes_but_not_usernames(api_as, editor):  # type: ignore[no-untyped-def]
    started = timezone.now()
    country, treaty = _usa_apmbc()
    services.depositary_action_record(
        country=country,
        treaty=treaty,
        kind="signature",
        action_date=date(1998, 1, 5),
        user=editor,
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    [change] = api_as().get(URL, {"since": started.isoformat()}).json()["results"]
    assert (change["state"], change["change_type"], change["user"]) == ("USA", "+", None)


def test_writes_to_the_feed_are_not_allowed(api, editor):  # type: ignore[no-untyped-def]
    api.force_login(editor)
    assert api.post(URL, {}).status_code == 405


def test_feed_merges_several_sources_in_order_across_pages():  # type: ignore[no-untyped-def]
    """Two sources (here the same table under two names, so every row appears twice): the
    cursor walks the merged order without gaps or repeats."""
    from mineban.changes import ChangeSource, changes

    sources = (
        ChangeSource("a_actions", "states.DepositaryAction"),
        ChangeSource("b_actions", "states.DepositaryAction"),
    )
    everything = changes(limit=30, sources=sources)
    paged, after = [], None
    for _ in range(6):
        page = changes(limit=5, after=after, sources=sources)
        paged += page
        after = page[-1].position
    assert [c.position for c in paged] == [c.position for c in everything]
    assert len({c.position for c in paged}) == 30
    assert {c.source for c in paged} == {"a_actions", "b_actions"}
