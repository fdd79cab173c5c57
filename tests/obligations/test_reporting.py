"""Article 7 reports: what is owed, what a report closes, and the alerts that follow."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from obligations import selectors, services
from obligations import services as report_services
from obligations.models import Alert
from states.models import Country, Treaty
from tests.conftest import TEST_SOURCE

AS_OF = date(2026, 11, 22)
pytestmark = pytest.mark.django_db


def test_reports_due_without_any_report_on_record_are_not_called_overdue() -> None:
    palestine = Country.objects.get(iso3="PSE")  # bound from 2018-06-01
    apmbc = Treaty.objects.get(code="APMBC")
    record = selectors.reporting_record(country=palestine, treaty=apmbc, as_of=AS_OF)
    assert (record[0].kind, record[0].due, record[0].submitted_on, record[0].status) == (
        "initial",
        date(2018, 11, 28),
        None,
        "not_tracked",
    )
    annual = [(r.covered_year, r.due, r.status) for r in record[1:]]
    assert annual[0] == (2018, date(2019, 4, 30), "not_tracked")
    assert annual[-1] == (2026, date(2027, 4, 30), "pending")
    services.obligations_recompute(country=palestine, as_of=AS_OF)
    assert not Alert.objects.filter(
        country=palestine, kind__in=["initial_report_overdue", "annual_report_overdue"]
    ).exists()


def track_reports(country: Country, treaty: Treaty, from_year: int) -> None:
    """An editor says the State's reporting record is kept from ``from_year`` on."""
    services.obligations_recompute(country=country, as_of=AS_OF)  # the pipeline creates the rows
    services.obligation_record(
        country=country, treaty=treaty, code="art7-annual", reports_tracked_from=from_year
    )


def test_one_report_entered_does_not_make_every_earlier_year_missing() -> None:
    palestine = Country.objects.get(iso3="PSE")
    apmbc = Treaty.objects.get(code="APMBC")
    report_services.article7_report_record(
        country=palestine,
        treaty=apmbc,
        kind="initial",
        submitted_on=date(2018, 11, 20),
        today=AS_OF,
        source_citation=TEST_SOURCE,
    )
    record = selectors.reporting_record(country=palestine, treaty=apmbc, as_of=AS_OF)
    assert (record[0].submitted_on, record[0].status) == (date(2018, 11, 20), "completed_on_time")
    assert {r.status for r in record[1:-1]} == {"not_tracked"}


def test_in_tracked_years_the_missing_reports_are_overdue() -> None:
    palestine = Country.objects.get(iso3="PSE")
    apmbc = Treaty.objects.get(code="APMBC")
    track_reports(palestine, apmbc, 2022)
    record = selectors.reporting_record(country=palestine, treaty=apmbc, as_of=AS_OF)
    annual = [(r.covered_year, r.due, r.status) for r in record[1:]]
    assert annual[0] == (2018, date(2019, 4, 30), "not_tracked")
    assert annual[3] == (2021, date(2022, 4, 30), "overdue")
    assert annual[-2] == (2025, date(2026, 4, 30), "overdue")
    assert annual[-1] == (2026, date(2027, 4, 30), "pending")


def test_reports_complete_the_obligation_and_resolve_alerts() -> None:
    palestine = Country.objects.get(iso3="PSE")
    apmbc = Treaty.objects.get(code="APMBC")
    report_services.article7_report_record(
        country=palestine,
        treaty=apmbc,
        kind="initial",
        submitted_on=date(2019, 1, 10),
        today=AS_OF,
        source_citation=TEST_SOURCE,
    )
    track_reports(palestine, apmbc, 2018)
    services.obligations_recompute(country=palestine, as_of=AS_OF)
    missing = Alert.objects.get(country=palestine, kind="annual_report_overdue", resolved_at__isnull=True)
    # One alert per kind, dated by the latest report missing (2018-2025 updates: 8 of them).
    assert missing.due_date == date(2026, 4, 30)
    assert "8" in missing.message
    for year in range(2018, 2026):
        report_services.article7_report_record(
            country=palestine,
            treaty=apmbc,
            kind="annual",
            covered_year=year,
            submitted_on=date(year + 1, 4, 30 if year != 2020 else 1),
            today=AS_OF,
            source_citation=TEST_SOURCE,
        )
    services.obligations_recompute(country=palestine, as_of=AS_OF)
    assert not Alert.objects.filter(
        country=palestine,
        treaty=apmbc,
        kind__in=["initial_report_overdue", "annual_report_overdue"],
        resolved_at__isnull=True,
    ).exists()
    missing.refresh_from_db()
    assert missing.resolved_at is not None
    rows = {r.obligation.code: r for r in selectors.deadlines(as_of=AS_OF, treaty=apmbc, country=palestine)}
    assert (rows["art7-initial"].status, rows["art7-annual"].status) == ("completed_late", "pending")
    assert rows["art7-annual"].current_deadline == date(2027, 4, 30)


def test_annual_report_before_the_first_year_is_rejected() -> None:
    with pytest.raises(ValidationError) as excinfo:
        report_services.article7_report_record(
            country=Country.objects.get(iso3="PSE"),
            treaty=Treaty.objects.get(code="APMBC"),
            kind="annual",
            covered_year=2017,
            submitted_on=date(2018, 4, 30),
            today=AS_OF,
            source_citation=TEST_SOURCE,
        )
    assert excinfo.value.message_dict == {
        "covered_year": ["Annual updates start with 2018, the year the initial report fell due."]
    }
