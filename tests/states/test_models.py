"""What the database itself refuses, whatever code path tries to write it."""

from datetime import date

import pytest
from django.db import IntegrityError, transaction

from states.models import Country, DepositaryAction, Treaty

pytestmark = pytest.mark.django_db
Kind = DepositaryAction.Kind


def _insert(**fields):  # type: ignore[no-untyped-def]
    values = {
        "country": Country.objects.get(iso3="USA"),
        "treaty": Treaty.objects.get(code="APMBC"),
        "kind": Kind.SIGNATURE,
        "action_date": date(1998, 1, 1),
    }
    values.update(fields)
    with transaction.atomic():
        # bulk_create skips full_clean() and the services: only the constraints stand guard.
        DepositaryAction.objects.bulk_create([DepositaryAction(**values)])


def test_two_consents_of_one_state_to_one_treaty_on_one_day_are_refused():
    # A State that withdrew may join again (the services check the order of events), but
    # never twice on the same day.
    estonia = Country.objects.get(iso3="EST")
    with pytest.raises(IntegrityError):
        _insert(country=estonia, kind=Kind.CONSENT, consent_type="accession", action_date=date(2004, 5, 12))


def test_an_action_without_a_date_is_refused_unless_a_consent_known_by_a_date():
    with pytest.raises(IntegrityError):
        _insert(action_date=None)


def test_a_consent_without_its_date_needs_the_date_a_source_listed_it():
    with pytest.raises(IntegrityError):
        _insert(kind=Kind.CONSENT, consent_type="", action_date=None)


def test_a_consent_without_its_type_is_refused():
    with pytest.raises(IntegrityError):
        _insert(kind=Kind.CONSENT, consent_type="")


def test_a_signature_with_a_consent_type_is_refused():
    with pytest.raises(IntegrityError):
        _insert(consent_type="ratification")


def test_an_effective_date_on_a_ratification_is_refused():
    with pytest.raises(IntegrityError):
        _insert(kind=Kind.CONSENT, consent_type="ratification", effective_date=date(1999, 3, 1))


def test_a_withdrawal_taking_effect_before_its_notice_is_refused():
    with pytest.raises(IntegrityError):
        _insert(kind=Kind.WITHDRAWAL, action_date=date(2025, 6, 27), effective_date=date(2025, 6, 1))


def test_a_pending_reason_next_to_an_effective_date_is_refused():
    with pytest.raises(IntegrityError):
        _insert(
            kind=Kind.WITHDRAWAL,
            action_date=date(2025, 6, 27),
            effective_date=date(2025, 12, 27),
            effective_date_pending_reason="armed conflict",
        )


def test_several_notifications_are_allowed():
    _insert(kind=Kind.NOTIFICATION, action_date=date(2025, 7, 18))
    _insert(kind=Kind.NOTIFICATION, action_date=date(2025, 8, 1))
    assert DepositaryAction.objects.filter(country__iso3="USA", kind=Kind.NOTIFICATION).count() == 2
