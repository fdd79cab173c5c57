"""Writes through the service layer: validation messages, recompute requests, history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mineban import recompute
from mineban.models import RecomputeRequest
from obligations import selectors, services
from obligations.models import Completion, Extension, Obligation
from states.models import Country, Treaty
from tests.conftest import TEST_SOURCE

AS_OF = date(2026, 11, 22)
pytestmark = pytest.mark.django_db


def obligation(iso3: str, code: str) -> Obligation:
    return Obligation.objects.get(country__iso3=iso3, terms__code=code)


def current(iso3: str, code: str, as_of: date = AS_OF):  # type: ignore[no-untyped-def]
    country = Country.objects.get(iso3=iso3)
    rows = selectors.deadlines(as_of=as_of, treaty=Treaty.objects.get(code="APMBC"), country=country)
    return next(r for r in rows if r.obligation.code == code)


def test_extension_moves_current_deadline(editor) -> None:  # type: ignore[no-untyped-def]
    assert (current("TJK", "art5").current_deadline, current("TJK", "art5").status) == (
        date(2025, 12, 31),
        "overdue",
    )
    extension = services.extension_grant(
        obligation=obligation("TJK", "art5"),
        meeting="22MSP",
        granted_on=date(2025, 12, 5),
        new_deadline=date(2030, 12, 31),
        requested_on=date(2025, 3, 31),
        user=editor,
        source_citation="Decision of the Twenty-Second Meeting of the States Parties",
    )
    row = current("TJK", "art5")
    assert (row.current_deadline, row.status, row.days_left) == (date(2030, 12, 31), "pending", 1500)
    assert row.extensions[-1] == extension
    assert extension.created_by == editor
    assert extension.history.count() == 1
    # "As of" before the decision, the old deadline still stands.
    assert current("TJK", "art5", date(2025, 12, 4)).current_deadline == date(2025, 12, 31)


def test_extension_beyond_ten_years_is_rejected_with_field_message() -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.extension_grant(
            obligation=obligation("TJK", "art5"),
            meeting="22MSP",
            granted_on=date(2025, 12, 5),
            new_deadline=date(2036, 1, 1),
            source_citation=TEST_SOURCE,
        )
    assert excinfo.value.message_dict == {
        "new_deadline": [
            "An extension runs at most 120 months beyond 2025-12-31: "
            "2035-12-31 at the latest, not 2036-01-01."
        ]
    }
    assert not Extension.objects.filter(obligation__country__iso3="TJK", meeting="22MSP").exists()


def test_art4_extension_is_rejected() -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.extension_grant(
            obligation=obligation("GRC", "art4"),
            meeting="9MSP",
            granted_on=date(2008, 11, 28),
            new_deadline=date(2012, 3, 1),
            source_citation=TEST_SOURCE,
        )
    assert excinfo.value.message_dict == {"new_deadline": ["The Art. 4 deadline cannot be extended."]}


def test_decision_before_request_is_rejected() -> None:
    with pytest.raises(ValidationError) as excinfo:
        services.extension_grant(
            obligation=obligation("TJK", "art5"),
            meeting="22MSP",
            granted_on=date(2025, 12, 5),
            new_deadline=date(2030, 12, 31),
            requested_on=date(2025, 12, 6),
            source_citation=TEST_SOURCE,
        )
    assert excinfo.value.message_dict == {
        "granted_on": ["The decision (2025-12-05) cannot precede the request (2025-12-06)."]
    }


def test_completion_closes_an_overdue_obligation_late(editor) -> None:  # type: ignore[no-untyped-def]
    services.completion_record(
        obligation=obligation("GRC", "art4"),
        completed_on=date(2025, 6, 30),
        user=editor,
        source_urls=["https://example.org/grc"],
    )
    row = current("GRC", "art4")
    assert (row.status, row.completion.completed_on) == ("completed_late", "2025-06-30")
    assert current("GRC", "art4", date(2025, 6, 29)).status == "overdue"


def test_not_applicable_declaration() -> None:
    services.obligation_record(
        country=Country.objects.get(iso3="FRA"),
        treaty=Treaty.objects.get(code="APMBC"),
        code="art4",
        source_citation=TEST_SOURCE,
    )
    services.completion_record(
        obligation=obligation("FRA", "art4"),
        kind=Completion.Kind.NOT_APPLICABLE,
        status_note="declared",
        source_citation=TEST_SOURCE,
    )
    assert current("FRA", "art4").status == "not_applicable"


def test_burst_of_edits_collapses_into_one_pending_request() -> None:
    greece = Country.objects.get(iso3="GRC")
    RecomputeRequest.objects.filter(country=greece).delete()
    for _ in range(3):
        recompute.recompute_request(country_id=greece.pk)
    assert RecomputeRequest.objects.filter(country=greece, processed_at__isnull=True).count() == 1


def test_each_write_records_a_pending_recompute() -> None:
    tajikistan = obligation("TJK", "art5")
    RecomputeRequest.objects.all().delete()
    services.extension_grant(
        obligation=tajikistan,
        meeting="22MSP",
        granted_on=date(2025, 12, 5),
        new_deadline=date(2030, 12, 31),
        source_citation=TEST_SOURCE,
    )
    assert list(RecomputeRequest.objects.values_list("country__iso3", "processed_at")) == [("TJK", None)]
