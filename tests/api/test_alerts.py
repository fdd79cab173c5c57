"""GET /api/v1/alerts/"""

from datetime import date

import pytest
from django.utils import timezone

from obligations import services
from obligations.models import Alert

pytestmark = pytest.mark.django_db
URL = "/api/v1/alerts/"
AS_OF = date(2026, 11, 22)


@pytest.fixture
def computed() -> None:
    Alert.objects.all().delete()
    services.obligations_recompute_all(as_of=AS_OF)


def test_open_alerts_of_one_state(client, computed) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, {"open": "true", "state": "UKR", "treaty": "APMBC"})
    assert response.status_code == 200
    results = response.json()["results"]
    kinds = {(r["kind"], r["obligation"], r["due_date"]) for r in results}
    assert ("deadline_missed", "art4", "2010-06-01") in kinds
    assert ("deadline_missed", "art5", "2016-06-01") in kinds
    assert all(r["resolved_at"] is None and r["state"]["iso3"] == "UKR" for r in results)


def test_severity_filter(client, computed) -> None:  # type: ignore[no-untyped-def]
    results = client.get(URL, {"severity": "critical", "state": "GRC"}).json()["results"]
    assert [(r["kind"], r["obligation"], r["due_date"]) for r in results] == [
        ("deadline_missed", "art4", "2008-03-01")
    ]
    assert results[0]["message"] == (
        "APMBC Art. 4 (Destruction of stockpiled anti-personnel mines): deadline 2008-03-01 passed without a "
        "completion; in breach since 2008-03-02."
    )


def test_resolved_alerts_are_listed_with_open_false(client, computed) -> None:  # type: ignore[no-untyped-def]
    assert client.get(URL, {"open": "false"}).json()["count"] == 0
    Alert.objects.filter(country__iso3="GRC").update(resolved_at=timezone.now())
    assert client.get(URL, {"open": "false", "state": "GRC"}).json()["count"] > 0


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"open": "maybe"}, "open"),
        ({"severity": "loud"}, "severity"),
        ({"state": "XX"}, "state"),
        ({"treaty": "?"}, "treaty"),
    ],
)
def test_bad_parameters_are_400(client, params, field) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, params)
    assert response.status_code == 400
    assert field in response.json()


def test_query_count_does_not_grow_with_states(client, computed, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(3):
        everything = client.get(URL)
    assert everything.json()["count"] == Alert.objects.count() > 30
    with django_assert_max_num_queries(3):
        client.get(URL, {"state": "UKR"})
