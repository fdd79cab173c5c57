"""Deadlines an analyst can trust, pinned on the real reference data: no false breaches,
honest uncertainty, and the record's gaps shown as gaps (issue "Deadlines an analyst can trust")."""

from datetime import date

import pytest

from obligations import selectors, services
from obligations.models import Alert
from states.models import Country, Treaty

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 30)


def row(iso3: str, code: str, as_of: date = TODAY) -> selectors.DeadlineRow:
    apmbc = Treaty.objects.get(code="APMBC")
    rows = selectors.deadlines(as_of=as_of, treaty=apmbc, country=Country.objects.get(iso3=iso3))
    (found,) = [r for r in rows if r.obligation.code == code]
    return found


def test_germany_cleared_in_2013_after_its_2009_deadline_is_late() -> None:
    germany = row("DEU", "art5")
    assert (germany.completion.completed_on, germany.current_deadline, germany.status) == (
        "2013",
        date(2009, 3, 1),
        "completed_late",
    )


@pytest.mark.parametrize("as_of", [date(2007, 3, 2), date(2007, 4, 29), date(2007, 12, 30), TODAY])
def test_afghanistan_destroyed_its_stockpile_in_2006_on_time_and_never_in_breach(as_of: date) -> None:
    afghanistan = row("AFG", "art4", as_of)
    assert (afghanistan.current_deadline, afghanistan.status) == (date(2007, 3, 1), "completed_on_time")


def test_nigeria_reopened_in_2019_awaits_its_new_deadline_not_in_breach_of_the_old() -> None:
    nigeria = row("NGA", "art5", date(2020, 6, 1))
    assert (nigeria.status, nigeria.reopened, nigeria.first_completion) == (
        "reopened_awaiting_deadline",
        True,
        "completed_on_time",
    )
    assert nigeria.reason.startswith("re-opened in November 2019")
    # The 19MSP decided a deadline for the re-opened work: from then on it governs.
    assert row("NGA", "art5", date(2022, 1, 1)).current_deadline == date(2025, 12, 31)


def test_serbia_awaits_the_decision_on_its_request_to_the_fifth_review_conference() -> None:
    assert row("SRB", "art5", date(2024, 12, 31)).status == "pending"
    serbia = row("SRB", "art5", date(2025, 1, 1))
    assert serbia.status == "extension_decision_not_on_record"
    assert "5RC" in serbia.reason


def test_cyprus_was_extended_with_a_new_deadline_not_on_record() -> None:
    assert row("CYP", "art5", date(2022, 7, 1)).status == "pending"
    cyprus = row("CYP", "art5", date(2022, 7, 2))
    assert cyprus.status == "extended_deadline_not_on_record"
    assert cyprus.reason.startswith("19MSP granted an extension; the new deadline is not on record")


def test_tajikistan_is_overdue_and_the_undecided_request_is_named() -> None:
    assert row("TJK", "art5", date(2025, 12, 31)).status == "pending"
    tajikistan = row("TJK", "art5", date(2026, 1, 1))
    assert tajikistan.status == "overdue"
    assert tajikistan.reason == (
        "no completion or extension on record since 2026-01-01; the extension request before 22MSP was "
        "not decided (submitted late; may be resubmitted for the 23MSP)"
    )


def test_angola_is_pending_until_the_end_of_2030() -> None:
    angola = row("AGO", "art5")
    assert (angola.current_deadline, angola.status) == (date(2030, 12, 31), "pending")


def test_greece_art4_is_still_overdue_and_says_what_the_record_lacks() -> None:
    greece = row("GRC", "art4")
    assert (greece.current_deadline, greece.status) == (date(2008, 3, 1), "overdue")
    assert greece.reason == "no completion or extension on record since 2008-03-02"
    assert not greece.breach_confirmed


def test_bosnia_art4_reopened_and_completed_again() -> None:
    assert row("BIH", "art4", date(2006, 10, 1)).status == "reopened_awaiting_deadline"
    bosnia = row("BIH", "art4")
    assert (bosnia.status, bosnia.first_completion) == ("completed", "completed_on_time")


def test_a_source_confirming_the_breach_changes_the_wording() -> None:
    greece = Country.objects.get(iso3="GRC")
    apmbc = Treaty.objects.get(code="APMBC")
    services.obligation_record(
        country=greece,
        treaty=apmbc,
        code="art4",
        breach_confirmed_source="Test record made up for this test; not a fact from any source.",
    )
    services.obligations_recompute(country=greece, as_of=TODAY)
    alert = Alert.objects.get(country=greece, kind="deadline_missed", resolved_at__isnull=True)
    assert "in breach since 2008-03-02 (confirmed by a source on record)" in alert.message


def test_on_todays_data_no_critical_alert_rests_on_a_gap_an_imprecise_date_or_a_reopening() -> None:
    Alert.objects.all().delete()
    services.obligations_recompute_all(as_of=TODAY)
    critical = Alert.objects.filter(resolved_at__isnull=True, severity="critical", kind="deadline_missed")
    assert critical.exists()
    for alert in critical.select_related("country", "obligation__terms"):
        missed = row(alert.country.iso3, alert.obligation.terms.code)
        assert missed.status == "overdue", alert.message
        assert "no completion or extension on record since" in alert.message
        if missed.reopened:
            # Judged against the deadline decided for the re-opened work, never the old one.
            reopened = missed.completion.reopened_on
            assert any(
                e.new_deadline == missed.current_deadline and e.granted_on.isoformat() >= reopened
                for e in missed.extensions
            ), alert.message
        else:
            assert missed.completion is None, alert.message
    gaps = Alert.objects.filter(resolved_at__isnull=True, kind="record_incomplete")
    assert {a.country.iso3 for a in gaps} == {"ARG", "COD", "CYP", "SRB"}
