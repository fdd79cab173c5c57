"""A recompute that fails cannot wedge the pipeline (issue 10): it is recorded on the outbox
row with its error, retried with back-off a bounded number of times, then given up with an
operator alert; recomputing every State carries on past one that fails."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from mineban.models import RecomputeRequest
from mineban.recompute import recompute_request
from obligations import services
from states.models import Country

AS_OF = date(2026, 11, 22)
pytestmark = pytest.mark.django_db


class Broken(RuntimeError):
    pass


@pytest.fixture
def broken_recompute(monkeypatch):  # type: ignore[no-untyped-def]
    """Recomputing Ukraine raises (a bad record); every other State recomputes."""
    ukraine = Country.objects.get(iso3="UKR").pk
    real = services._recompute

    def recompute(*, countries, as_of, all_countries=None):  # type: ignore[no-untyped-def]
        if any(c.pk == ukraine for c in (countries or all_countries or [])):
            raise Broken("a record Ukraine's recompute cannot read")
        return real(countries=countries, as_of=as_of, all_countries=all_countries)

    monkeypatch.setattr(services, "_recompute", recompute)
    return ukraine


def pending_row(country_id: int) -> RecomputeRequest:
    return RecomputeRequest.objects.get(country_id=country_id, processed_at__isnull=True)


def test_a_failing_recompute_is_recorded_and_retried_later(broken_recompute, settings):  # type: ignore[no-untyped-def]
    settings.RECOMPUTE_RETRY_BASE_SECONDS = 60
    with services.recompute.deferred():
        recompute_request(country_id=broken_recompute)
    before = timezone.now()

    assert services.recompute_claim_and_run(country_id=broken_recompute, as_of=AS_OF) is None

    row = pending_row(broken_recompute)
    assert (row.failures, row.gave_up_at) == (1, None)
    assert row.last_error == "Broken: a record Ukraine's recompute cannot read"
    assert before + timedelta(seconds=59) < row.next_attempt_at < before + timedelta(seconds=65)
    # Not due yet: neither the task nor the sweep picks it up before its time.
    assert services.recompute_claim_and_run(country_id=broken_recompute, as_of=AS_OF) is None
    assert pending_row(broken_recompute).failures == 1
    assert broken_recompute not in services.recompute_sweep(older_than_seconds=0)


def test_after_the_last_retry_it_is_given_up_with_an_operator_alert(broken_recompute, settings, caplog):  # type: ignore[no-untyped-def]
    settings.RECOMPUTE_RETRY_BASE_SECONDS = 0
    settings.RECOMPUTE_MAX_FAILURES = 3
    with services.recompute.deferred():
        recompute_request(country_id=broken_recompute)

    for _ in range(5):
        services.recompute_claim_and_run(country_id=broken_recompute, as_of=AS_OF)

    row = pending_row(broken_recompute)
    assert row.failures == 3
    assert row.gave_up_at is not None and row.next_attempt_at is None
    assert broken_recompute not in services.recompute_sweep(older_than_seconds=0)
    alerts = [r for r in caplog.records if r.levelname == "ERROR" and "OPERATOR ALERT" in r.getMessage()]
    assert len(alerts) == 1
    assert f"recomputing country {broken_recompute} failed 3 times in a row" in alerts[0].getMessage()


def test_an_edit_gives_a_given_up_state_a_fresh_set_of_tries(broken_recompute, settings):  # type: ignore[no-untyped-def]
    settings.RECOMPUTE_RETRY_BASE_SECONDS = 0
    settings.RECOMPUTE_MAX_FAILURES = 1
    with services.recompute.deferred():
        recompute_request(country_id=broken_recompute)
    services.recompute_claim_and_run(country_id=broken_recompute, as_of=AS_OF)
    assert pending_row(broken_recompute).gave_up_at is not None

    with services.recompute.deferred():
        recompute_request(country_id=broken_recompute)
    row = pending_row(broken_recompute)
    assert (row.failures, row.gave_up_at, row.next_attempt_at) == (0, None, None)


def test_recompute_all_carries_on_past_a_failing_state(broken_recompute):  # type: ignore[no-untyped-def]
    result = services.obligations_recompute_all(as_of=AS_OF)

    assert result.failed == [broken_recompute]
    assert result.states == Country.objects.count() - 1
    row = pending_row(broken_recompute)
    assert (row.failures, row.last_error) == (1, "Broken: a record Ukraine's recompute cannot read")
