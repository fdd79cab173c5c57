"""Alert conditions (pure) and their storage (open new, resolve vanished, nothing else)."""

from datetime import date

import pytest

from mineban.rules.alerts import AlertKind, ObligationView, Severity, StateFacts, alert_conditions
from mineban.rules.facts import ObligationStatus
from mineban.rules.standing import Standing
from obligations import services
from obligations.models import Alert, Obligation
from states.models import Country
from tests.conftest import TEST_SOURCE

AS_OF = date(2026, 11, 22)
THRESHOLDS = [365, 90]


def facts(*views: ObligationView, **kwargs) -> StateFacts:  # type: ignore[no-untyped-def]
    base = {
        "treaty_code": "APMBC",
        "state_name": "Utopia",
        "entry_into_force": date(1999, 3, 1),
        "consent": date(1998, 1, 1),
    }
    return StateFacts(**{**base, **kwargs}, obligations=views)


def clearance(status: ObligationStatus, deadline: date, **kwargs) -> ObligationView:  # type: ignore[no-untyped-def]
    return ObligationView(
        "art5", "APMBC Art. 5 (clearance)", Standing(status, date(2009, 3, 1), deadline, **kwargs)
    )


def test_deadline_within_a_year_then_within_ninety_days() -> None:
    year = alert_conditions(
        facts(clearance(ObligationStatus.PENDING, date(2027, 6, 1))), as_of=AS_OF, thresholds=THRESHOLDS
    )
    assert [(c.kind, c.severity, c.due_date) for c in year] == [
        (AlertKind.DEADLINE_APPROACHING, Severity.INFO, date(2027, 6, 1))
    ]
    assert next(iter(year)).message == "APMBC Art. 5 (clearance): deadline 2027-06-01 is within 365 days."
    soon = alert_conditions(
        facts(clearance(ObligationStatus.PENDING, date(2027, 1, 15))), as_of=AS_OF, thresholds=THRESHOLDS
    )
    assert [(c.kind, c.severity) for c in soon] == [(AlertKind.DEADLINE_APPROACHING, Severity.WARNING)]
    far = alert_conditions(
        facts(clearance(ObligationStatus.PENDING, date(2030, 1, 1))), as_of=AS_OF, thresholds=THRESHOLDS
    )
    assert far == set()


def test_missed_deadline_is_critical() -> None:
    (condition,) = alert_conditions(
        facts(clearance(ObligationStatus.OVERDUE, date(2025, 12, 31))), as_of=AS_OF, thresholds=THRESHOLDS
    )
    assert (condition.kind, condition.severity, condition.due_date) == (
        AlertKind.DEADLINE_MISSED,
        Severity.CRITICAL,
        date(2025, 12, 31),
    )
    # The record shows a passed deadline; only a source's finding says "in breach".
    assert (
        condition.message
        == "APMBC Art. 5 (clearance): deadline 2025-12-31 passed; no completion or extension on record."
    )
    confirmed = clearance(ObligationStatus.OVERDUE, date(2025, 12, 31), breach_confirmed=True)
    (finding,) = alert_conditions(facts(confirmed), as_of=AS_OF, thresholds=THRESHOLDS)
    assert finding.message.endswith("in breach since 2026-01-01 (confirmed by a source on record).")


def test_gaps_in_the_record_are_editors_information_never_breaches() -> None:
    for status in (
        ObligationStatus.EXTENSION_DECISION_NOT_ON_RECORD,
        ObligationStatus.EXTENDED_DEADLINE_NOT_ON_RECORD,
        ObligationStatus.REOPENED_AWAITING_DEADLINE,
    ):
        view = clearance(
            status, date(2024, 12, 31), reason="an extension request is on record; its decision is not"
        )
        (condition,) = alert_conditions(facts(view), as_of=AS_OF, thresholds=THRESHOLDS)
        assert (condition.kind, condition.severity) == (AlertKind.RECORD_INCOMPLETE, Severity.INFO)
        assert condition.message.endswith("its decision is not. Complete the record.")
    uncertain = clearance(ObligationStatus.COMPLETED_TIMING_UNCERTAIN, date(2009, 3, 1))
    assert alert_conditions(facts(uncertain), as_of=AS_OF, thresholds=THRESHOLDS) == set()


def test_completed_late_is_kept_as_info() -> None:
    view = clearance(ObligationStatus.COMPLETED_LATE, date(2003, 3, 1), judged_against=date(2003, 3, 1))
    (condition,) = alert_conditions(facts(view), as_of=AS_OF, thresholds=THRESHOLDS)
    assert (condition.kind, condition.severity) == (AlertKind.COMPLETED_LATE, Severity.INFO)


def test_withdrawal_notified_and_taking_effect_soon() -> None:
    conditions = alert_conditions(
        facts(withdrawal_notice=date(2026, 6, 27), withdrawal_effective=date(2026, 12, 27)),
        as_of=AS_OF,
        thresholds=THRESHOLDS,
    )
    assert {(c.kind, c.due_date) for c in conditions} == {
        (AlertKind.WITHDRAWAL_NOTIFIED, date(2026, 12, 27)),
        (AlertKind.WITHDRAWAL_EFFECTIVE_SOON, date(2026, 12, 27)),
    }
    after = alert_conditions(
        facts(
            clearance(ObligationStatus.ENDED_BY_WITHDRAWAL, date(2025, 1, 1)),
            withdrawal_notice=date(2026, 6, 27),
            withdrawal_effective=date(2026, 12, 27),
        ),
        as_of=date(2027, 1, 1),
        thresholds=THRESHOLDS,
    )
    assert after == set()


def test_withdrawal_with_undetermined_date_names_the_reason() -> None:
    (condition,) = alert_conditions(
        facts(withdrawal_notice=date(2025, 6, 27), withdrawal_pending_reason="armed conflict (Art. 20(3))"),
        as_of=AS_OF,
        thresholds=THRESHOLDS,
    )
    assert condition.message == (
        "Utopia notified withdrawal from APMBC on 2025-06-27; its effective date is not yet determined "
        "(armed conflict (Art. 20(3)))."
    )
    assert (condition.kind, condition.due_date) == (AlertKind.WITHDRAWAL_NOTIFIED, date(2025, 6, 27))


def test_entry_into_force_upcoming() -> None:
    (condition,) = alert_conditions(
        facts(entry_into_force=date(2027, 3, 1), consent=date(2026, 9, 10)),
        as_of=AS_OF,
        thresholds=THRESHOLDS,
    )
    assert (condition.kind, condition.due_date) == (AlertKind.ENTRY_INTO_FORCE_UPCOMING, date(2027, 3, 1))


@pytest.mark.django_db
def test_recompute_opens_alerts_and_an_unchanged_world_changes_nothing() -> None:
    ukraine = Country.objects.get(iso3="UKR")
    Alert.objects.filter(country=ukraine).delete()
    first = services.obligations_recompute(country=ukraine, as_of=AS_OF)
    stored = list(Alert.objects.filter(country=ukraine).order_by("id").values())
    assert first.opened == len(stored) > 0
    missed = Alert.objects.get(country=ukraine, kind="deadline_missed", obligation__terms__code="art4")
    assert (missed.due_date, missed.severity) == (date(2010, 6, 1), "critical")
    again = services.obligations_recompute(country=ukraine, as_of=AS_OF)
    assert (again.opened, again.resolved, again.obligations_updated) == (0, 0, 0)
    assert list(Alert.objects.filter(country=ukraine).order_by("id").values()) == stored


@pytest.mark.django_db
def test_extension_resolves_missed_deadline_and_opens_approaching() -> None:
    tajikistan = Country.objects.get(iso3="TJK")
    services.obligations_recompute(country=tajikistan, as_of=AS_OF)
    missed = Alert.objects.get(country=tajikistan, kind="deadline_missed", resolved_at__isnull=True)
    assert missed.due_date == date(2025, 12, 31)
    services.extension_grant(
        obligation=Obligation.objects.get(country=tajikistan, terms__code="art5"),
        meeting="22MSP",
        granted_on=date(2025, 12, 5),
        new_deadline=date(2027, 6, 30),
        source_citation=TEST_SOURCE,
    )
    result = services.obligations_recompute(country=tajikistan, as_of=AS_OF)
    assert result.resolved == 1
    missed.refresh_from_db()
    assert missed.resolved_at is not None
    approaching = Alert.objects.get(country=tajikistan, kind="deadline_approaching", resolved_at__isnull=True)
    assert (approaching.due_date, approaching.severity) == (date(2027, 6, 30), "info")


@pytest.mark.django_db
def test_only_one_open_alert_per_condition_is_allowed() -> None:
    from django.db import IntegrityError, transaction

    greece = Country.objects.get(iso3="GRC")
    services.obligations_recompute(country=greece, as_of=AS_OF)
    alert = Alert.objects.filter(country=greece, resolved_at__isnull=True).first()
    alert.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        alert.save()
