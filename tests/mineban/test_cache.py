"""Cached pages and API lists never show data older than the last committed change.

These tests commit (``transaction=True``): the data version advances as a transaction
commits, which a test rolled back at its end never does. They run on whatever the
environment configures — SQLite and the local-memory cache here, PostgreSQL and Redis in CI —
and once more under ``real_services``, which fails in CI when those are missing.
"""

import csv
import io
import json
from datetime import date

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client

from mineban import cache
from obligations.models import Alert
from states import reference_data, services
from states.models import Country, DepositaryAction, Treaty
from tests.conftest import TEST_SOURCE

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(eager_tasks):  # type: ignore[no-untyped-def]
    """Countries and treaties, nothing else: the first transactional test of a run finds the
    session's reference data still there, so start from empty tables either way. Recomputes
    run in-process after each commit (in CI too), so the alerts are there when a page is read."""
    import obligations.tasks  # noqa: F401  (registers the recompute task)

    call_command("flush", interactive=False, verbosity=0)
    reference_data.countries_load()
    reference_data.treaties_load()


# Every page and API list an anonymous reader can ask for, with the test that says whether
# Afghanistan's accession (deposited 2002-09-11, in force 2003-03-01) shows in it.
PAGES = {
    "/": lambda body: "Afghanistan" in body,
    # As of 2005 the home page lists no change recorded later: the count shows the accession.
    "/?as_of=2005-07-01": lambda body: 'parties-APMBC"><span class="big-number__value">1<' in body,
    "/states/": lambda body: "2003-03-01" in body,
    "/states/?as_of=2005-07-01": lambda body: "2003-03-01" in body,
    "/states.csv": lambda body: "2003-03-01" in body,
    "/states/AFG/": lambda body: "2002-09-11" in body,
    "/treaties/": lambda body: "APMBC" in body,
    "/treaties/APMBC/": lambda body: "2002-09-11" in body,
    "/treaties/APMBC.csv": lambda body: "2002-09-11" in body,
    "/deadlines/": lambda body: "2003-08-28" in body,  # the initial Art. 7 report, EIF + 180 days
    "/deadlines.csv": lambda body: "AFG" in body,
    "/deadlines.ics": lambda body: "UID:APMBC-art7-initial-AFG@mineban" in body,
    "/api/v1/participations/?treaty=APMBC": lambda body: '"AFG"' in body,
    "/api/v1/treaties/APMBC/status/": lambda body: json.loads(body)["states_parties"] == 1,
    "/api/v1/deadlines/?treaty=APMBC": lambda body: '"AFG"' in body,
    "/api/v1/depositary-actions/": lambda body: "2002-09-11" in body,
    "/api/v1/changes/": lambda body: '"state":"AFG"' in body,
}


def _accession(iso3: str, deposited: date) -> DepositaryAction:
    return services.depositary_action_record(
        country=Country.objects.get(iso3=iso3),
        treaty=Treaty.objects.get(code="APMBC"),
        kind="consent",
        consent_type="accession",
        action_date=deposited,
        today=date(2026, 11, 30),
        source_citation=TEST_SOURCE,
    )


def _bodies(client: Client) -> dict[str, str]:
    bodies = {}
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        bodies[url] = response.content.decode()
    return bodies


def _every_read_shows_each_committed_change() -> None:
    client = Client()
    before = _bodies(client)
    assert _bodies(client) == before  # the second reading comes from the cache
    # No treaty has a record yet: none is tracked, not even on the treaty list.
    assert [url for url, shows in PAGES.items() if shows(before[url])] == []

    action = _accession("AFG", date(2002, 9, 11))
    after = _bodies(client)
    assert [url for url, shows in PAGES.items() if not shows(after[url])] == []

    services.depositary_action_update(action=action, action_date=date(2002, 9, 12))
    moved = _bodies(client)
    assert "2002-09-12" in moved["/states/AFG/"]
    assert "2002-09-12" in moved["/treaties/APMBC.csv"]
    assert "2002-09-11" not in moved["/api/v1/depositary-actions/"]
    assert '"change_type":"~"' in moved["/api/v1/changes/"]

    services.depositary_action_delete(action=DepositaryAction.objects.get(pk=action.pk))
    gone = _bodies(client)
    assert json.loads(gone["/api/v1/treaties/APMBC/status/"])["states_parties"] == 0
    assert "2002-09-12" not in gone["/states/AFG/"]
    assert list(csv.reader(io.StringIO(gone["/deadlines.csv"])))[1:] == []


def test_every_page_and_api_list_shows_each_committed_change(world) -> None:  # type: ignore[no-untyped-def]
    _every_read_shows_each_committed_change()


def test_every_page_and_api_list_shows_each_committed_change_on_postgresql_and_redis(  # type: ignore[no-untyped-def]
    world, real_services
):
    from django.core.cache.backends.redis import RedisCache

    assert connection.vendor == "postgresql"
    assert isinstance(caches["default"], RedisCache)
    _every_read_shows_each_committed_change()


def test_an_alert_opened_by_the_recompute_shows_in_the_alerts_api(world) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.get("/api/v1/alerts/?open=true").json()["count"] == 0
    # In force on 2027-04-01: the recompute after commit opens "entry into force upcoming".
    _accession("NOR", date(2026, 10, 1))
    assert Alert.objects.filter(country__iso3="NOR", resolved_at__isnull=True).count() == 1
    alerts = client.get("/api/v1/alerts/?open=true").json()
    assert [(a["state"]["iso3"], a["kind"]) for a in alerts["results"]] == [
        ("NOR", "entry_into_force_upcoming")
    ]


def test_a_rolled_back_write_leaves_the_version_and_the_cached_pages(world) -> None:  # type: ignore[no-untyped-def]
    before = cache.current_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        _accession("AFG", date(2002, 9, 11))
        raise RuntimeError("the editor's request failed after the write")
    assert cache.current_version() == before


def test_the_version_advances_when_the_writing_transaction_commits(world) -> None:  # type: ignore[no-untyped-def]
    before = cache.current_version()
    with transaction.atomic():
        _accession("AFG", date(2002, 9, 11))
        # Not before the commit: the row is locked last, by the commit itself.
        assert cache.current_version() == before
    after = cache.current_version()
    assert after.token != before.token
    # The edit's commit, then the recompute's (run in-process after it) that stored obligations.
    assert after.serial == before.serial + 2
    assert after.changed_at >= before.changed_at


def test_a_change_outside_a_transaction_advances_the_version_at_once(world) -> None:  # type: ignore[no-untyped-def]
    before = cache.current_version()
    cache.data_changed()
    assert cache.current_version().serial == before.serial + 1
