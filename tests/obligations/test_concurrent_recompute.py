"""An editor and the recompute worker on the same State at the same moment, on the real
PostgreSQL (issue 10). An editor takes the State's writer lock, then the records it changes,
then the State's outbox row; the worker's claim takes the same writer lock before the outbox
row. Had the worker claimed the row first, it would wait for an obligation the editor holds
while the editor waits for the row: PostgreSQL would break the deadlock by failing one."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from mineban import recompute
from mineban.concurrency import state_lock
from mineban.models import RecomputeRequest
from obligations import services
from obligations.models import Obligation
from states import services as state_services
from states.models import Country, DepositaryAction, Treaty
from tests.conftest import TEST_SOURCE

AS_OF = date(2026, 11, 30)
pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def angola_art4(world) -> Obligation:  # type: ignore[no-untyped-def]
    """Angola's Art. 4 obligation (from its ratification of 5 July 2002), its recompute left
    pending. The reference data has them unless an earlier transactional test emptied it."""
    angola, apmbc = Country.objects.get(iso3="AGO"), Treaty.objects.get(code="APMBC")
    on_record = DepositaryAction.objects.filter(country=angola, treaty=apmbc)
    with recompute.deferred():
        # Signed on 4 December 1997, ratified on 5 July 2002.
        for kind, on, fields in (
            ("signature", date(1997, 12, 4), {}),
            ("consent", date(2002, 7, 5), {"consent_type": "ratification"}),
        ):
            if not on_record.filter(kind=kind).exists():
                state_services.depositary_action_record(
                    country=angola, treaty=apmbc, kind=kind, action_date=on, today=AS_OF,
                    source_citation=TEST_SOURCE, **fields,
                )  # fmt: skip
        obligation = services.obligation_record(
            country=angola, treaty=apmbc, code="art4", source_citation=TEST_SOURCE
        )
    services.obligations_recompute(country=angola, as_of=AS_OF)
    RecomputeRequest.objects.filter(country=angola).delete()
    with recompute.deferred(), transaction.atomic():
        recompute.recompute_request(country_id=angola.pk)
    return obligation


def test_the_worker_waits_for_an_editor_half_way_through_and_neither_fails(real_services, angola_art4):  # type: ignore[no-untyped-def]
    angola = angola_art4.country
    expected = Obligation.objects.values_list("status", "current_deadline").get(pk=angola_art4.pk)
    # A stale snapshot: the recompute has an obligation row to write.
    Obligation.objects.filter(pk=angola_art4.pk).update(status="not_tracked", current_deadline=None)
    holding = threading.Event()
    outcomes: dict[str, object] = {}

    def editor() -> None:
        try:
            with recompute.deferred(), transaction.atomic():
                # The lock order of every obligation service: State, obligation, outbox row.
                state_lock(country_id=angola.pk)
                obligation = Obligation.objects.select_for_update().get(pk=angola_art4.pk)
                holding.set()
                time.sleep(1.5)  # the worker claims meanwhile (PostgreSQL's deadlock_timeout is 1 s)
                services.obligation_record(
                    country=angola, treaty=obligation.treaty, code="art4", notes="Edited while claimed."
                )
            outcomes["editor"] = "ok"
        except Exception as exc:  # a deadlock victim: what the test is about
            outcomes["editor"] = repr(exc)
        finally:
            holding.set()
            connection.close()

    def worker() -> None:
        try:
            holding.wait(10)
            result = services.recompute_claim_and_run(country_id=angola.pk, as_of=AS_OF)
            outcomes["worker"] = None if result is None else result.obligations_updated
        except Exception as exc:
            outcomes["worker"] = repr(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=editor), threading.Thread(target=worker)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)

    assert outcomes == {"editor": "ok", "worker": 1}
    row = RecomputeRequest.objects.get(country=angola)
    assert (row.failures, row.last_error, row.processed_at is not None) == (0, "", True)
    stored = Obligation.objects.get(pk=angola_art4.pk)
    assert (stored.status, stored.current_deadline) == expected
    assert stored.notes == "Edited while claimed."
    assert expected[1] == date(2007, 1, 1)
