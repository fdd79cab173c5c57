"""GET /api/v1/deadlines/"""

from datetime import date

import pytest

from obligations import services
from states.models import Country

pytestmark = pytest.mark.django_db
URL = "/api/v1/deadlines/"


def test_deadlines_of_one_state_as_of_a_date(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, {"treaty": "APMBC", "state": "ukr", "as_of": "2026-11-22"})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == "2026-11-22"
    by_code = {r["obligation"]: r for r in body["results"]}
    assert set(by_code) == {"art4", "art5", "art7-initial", "art7-annual"}
    art4 = by_code["art4"]
    assert art4["state"] == {"iso3": "UKR", "name": "Ukraine"}
    assert (art4["article"], art4["original_deadline"], art4["current_deadline"], art4["status"]) == (
        "4",
        "2010-06-01",
        "2010-06-01",
        "overdue",
    )
    assert art4["completion"] is None and art4["extensions"] == []


def test_extensions_and_status_filter(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(
        URL, {"treaty": "APMBC", "state": "KHM", "status": "pending", "as_of": "2026-11-22"}
    )
    (row,) = response.json()["results"]
    assert row["obligation"] == "art5"
    assert [(e["meeting"], e["granted_on"], e["new_deadline"]) for e in row["extensions"]] == [
        ("9MSP", "2008-11-28", "2020-01-01"),
        ("4RC", "2019-11-29", "2025-12-31"),
        ("22MSP", "2025-12-05", "2030-12-31"),
    ]
    assert row["extensions"][0]["source_urls"]
    assert row["days_left"] == (date(2030, 12, 31) - date(2026, 11, 22)).days


def test_as_of_before_a_decision_shows_the_old_deadline(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, {"treaty": "APMBC", "state": "KHM", "as_of": "2025-01-01"})
    art5 = next(r for r in response.json()["results"] if r["obligation"] == "art5")
    assert (art5["current_deadline"], art5["status"], len(art5["extensions"])) == ("2025-12-31", "pending", 2)


def test_unverified_flags_are_shown(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, {"treaty": "APMBC", "state": "DJI", "as_of": "2026-11-22"})
    art4 = next(r for r in response.json()["results"] if r["obligation"] == "art4")
    assert (art4["status"], art4["completion"]["completed_on"]) == ("completed_late", "2003-03-02")
    assert "completion.completed_on" in art4["unverified"]
    assert art4["completion"]["unverified_fields"] == ["completed_on"]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"treaty": "XYZ"}, "treaty", "Unknown treaty 'XYZ'"),
        ({"state": "ZZZ"}, "state", "Unknown State 'ZZZ'"),
        ({"status": "late"}, "status", '"late" is not a valid choice.'),
        ({"as_of": "2026-13-01"}, "as_of", "Enter the date as YYYY-MM-DD"),
        ({"as_of": "9999-12-31"}, "as_of", "Choose a date between 1990-01-01 and 2100-12-31"),
        ({"as_of": "1989-12-31"}, "as_of", "Choose a date between 1990-01-01 and 2100-12-31"),
    ],
)
def test_bad_parameters_are_400_with_a_message(client, params, field, message) -> None:  # type: ignore[no-untyped-def]
    response = client.get(URL, params)
    assert response.status_code == 400
    assert message in response.json()[field][0]


def test_query_count_does_not_grow_with_states(client, django_assert_max_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(14):
        everyone = client.get(URL, {"as_of": "2026-11-22"})
    assert everyone.json()["count"] > 400
    with django_assert_max_num_queries(14):
        client.get(URL, {"treaty": "APMBC", "state": "UKR", "as_of": "2026-11-22"})


def test_selector_answers_from_facts_not_the_snapshot() -> None:
    from obligations.selectors import deadlines

    services.obligations_recompute(country=Country.objects.get(iso3="GRC"), as_of=date(2026, 11, 22))
    rows = deadlines(as_of=date(2007, 1, 1), country=Country.objects.get(iso3="GRC"))
    art4 = next(r for r in rows if r.obligation.code == "art4")
    assert (art4.status, art4.days_left) == ("pending", (date(2008, 3, 1) - date(2007, 1, 1)).days)


def test_withdrawal_ends_open_obligations(client) -> None:  # type: ignore[no-untyped-def]
    """Lithuania's APMBC withdrawal took effect on 2025-12-27 (notice 2025-06-27)."""
    before = client.get(URL, {"treaty": "APMBC", "state": "LTU", "as_of": "2025-12-26"}).json()["results"]
    after = client.get(URL, {"treaty": "APMBC", "state": "LTU", "as_of": "2025-12-27"}).json()["results"]
    assert {r["obligation"]: r["status"] for r in before} == {
        "art7-initial": "not_tracked",
        "art7-annual": "not_tracked",
    }
    assert {r["obligation"]: r["status"] for r in after} == {
        "art7-initial": "ended_by_withdrawal",
        "art7-annual": "ended_by_withdrawal",
    }
