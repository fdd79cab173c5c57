"""Two editors writing the same State's participation at the same moment, on the real
PostgreSQL (issue 10): each write locks the State's row and validates against what the other
committed, so the record can never end up contradicting the treaty's rules."""

import threading
import time
from collections.abc import Callable
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction

from states import services
from states.models import Country, DepositaryAction, Treaty

TODAY = date(2026, 11, 22)
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def record(kind: str, on: date, **fields: str) -> DepositaryAction:
    return services.depositary_action_record(
        country=Country.objects.get(iso3="USA"),
        treaty=Treaty.objects.get(code="APMBC"),
        kind=kind,
        action_date=on,
        today=TODAY,
        source_citation="test",
        **fields,
    )


def usa_actions() -> dict[str, DepositaryAction]:
    return {a.kind: a for a in DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC")}


def race(first: Callable[[], object], second: Callable[[], object]) -> list[str]:
    """Run ``first`` in a transaction that stays open a moment after its write, and ``second``
    as soon as ``first`` has written: without a lock, ``second`` validates against the record
    as it was before ``first``. Returns how each ended ("ok" or the refusal)."""
    written = threading.Event()
    outcomes = ["", ""]

    def run(index: int, call: Callable[[], object]) -> None:
        try:
            if index == 0:
                with transaction.atomic():
                    call()
                    written.set()
                    time.sleep(0.5)
            else:
                written.wait(5)
                call()
            outcomes[index] = "ok"
        except ValidationError as exc:
            outcomes[index] = "; ".join(m for ms in exc.message_dict.values() for m in ms)
        finally:
            written.set()
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return outcomes


def test_moving_the_signature_and_the_consent_at_once_leaves_a_valid_record(real_services, world):  # type: ignore[no-untyped-def]
    signature = record("signature", date(1997, 12, 3))
    consent = record("consent", date(2002, 7, 5), consent_type="ratification")

    outcomes = race(
        lambda: services.depositary_action_update(
            action=signature, action_date=date(1998, 6, 1), today=TODAY
        ),
        lambda: services.depositary_action_update(action=consent, action_date=date(1998, 1, 15), today=TODAY),
    )

    assert outcomes == ["ok", "The instrument (1998-01-15) cannot precede the signature of 1998-06-01."]
    found = usa_actions()
    assert (found["signature"].action_date, found["consent"].action_date) == (
        date(1998, 6, 1),
        date(2002, 7, 5),
    )


def test_deleting_the_signature_while_a_ratification_is_recorded_leaves_a_valid_record(  # type: ignore[no-untyped-def]
    real_services, world
):
    signature = record("signature", date(1998, 1, 5))

    outcomes = race(
        lambda: services.depositary_action_delete(action=signature),
        lambda: record("consent", date(2000, 1, 4), consent_type="ratification"),
    )

    assert outcomes == ["ok", "A ratification requires a prior signature; a State that did not sign accedes."]
    assert set(usa_actions()) == set()


def test_recording_a_ratification_while_the_signature_is_deleted_leaves_a_valid_record(  # type: ignore[no-untyped-def]
    real_services, world
):
    signature = record("signature", date(1998, 1, 5))

    outcomes = race(
        lambda: record("consent", date(2000, 1, 4), consent_type="ratification"),
        lambda: services.depositary_action_delete(action=signature),
    )

    assert outcomes == ["ok", "Delete the consent first: it rests on this signature."]
    assert set(usa_actions()) == {"signature", "consent"}
