"""Reliability of the recompute pipeline against a real Celery worker, Redis and PostgreSQL.

Each test starts a worker process (``celery -A mineban worker --pool=solo``) on the test
database and the real broker, drives edits through the service layer, and polls the
database for the outcome, with bounded waits. Transactional tests: the worker only sees
committed rows; the tables are flushed afterwards, so each test loads what it needs.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from mineban import clock
from mineban.celery import app as celery_app
from mineban.models import RecomputeRequest
from obligations import services, tasks
from obligations.models import Alert, Completion, Extension, Obligation
from states import services as state_services
from states.models import Country, DepositaryAction, Treaty
from tests.conftest import TEST_SOURCE

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]
WAIT = 30.0


def wait_for(condition: Callable[[], bool], what: str, timeout: float = WAIT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")


class Worker:
    """A Celery worker process on the test database."""

    def __init__(self, redis_url: str, log: Path, **env: str) -> None:
        db = connection.settings_dict
        self.log = log
        self.env = {
            **os.environ,
            "DEBUG": "1",
            "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
            "REDIS_URL": redis_url,
            "CONN_MAX_AGE": "0",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> "Worker":
        name = f"obligations-test-{uuid.uuid4().hex[:8]}@%h"
        command = [
            sys.executable, "-m", "celery", "-A", "mineban", "worker", "--pool=solo", "-Q", "celery",
            "-n", name, "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "INFO",
        ]  # fmt: skip
        with self.log.open("ab") as handle:
            self.process = subprocess.Popen(
                command, cwd=settings.BASE_DIR, env=self.env, stdout=handle, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        wait_for(lambda: b" ready." in self.log.read_bytes(), "the worker to start")
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()


@pytest.fixture
def broker(real_services) -> str:  # type: ignore[no-untyped-def]
    """The real Redis, its queue emptied of anything an earlier run left."""
    celery_app.control.purge()
    return real_services["redis_url"]


@pytest.fixture
def worker_factory(broker, tmp_path) -> Iterator[Callable[..., Worker]]:  # type: ignore[no-untyped-def]
    started: list[Worker] = []

    def start(**env: str) -> Worker:
        worker = Worker(broker, tmp_path / "worker.log", **env).start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        worker.stop()


@contextmanager
def producer_broker(url: str) -> Iterator[None]:
    """Point this process's task producer at another broker URL (e.g. a closed port)."""

    def reset() -> None:
        celery_app.amqp._producer_pool = None
        celery_app._pool = None

    previous = celery_app.conf.broker_write_url
    celery_app.conf.broker_write_url = url
    reset()
    try:
        yield
    finally:
        celery_app.conf.broker_write_url = previous
        reset()


@pytest.fixture
def tajikistan(world, broker) -> Obligation:  # type: ignore[no-untyped-def]
    """Tajikistan, bound from 2010-06-01 (accession 2009-12-15), with an Art. 5 obligation
    whose original deadline (2020-06-01) has passed. Its outbox row is left pending and
    the queue empty: each test sends the first task itself, so no task queued here can
    run later, in the middle of a test, and claim a request the test means to leave pending."""
    apmbc = Treaty.objects.get(code="APMBC")
    country = Country.objects.get(iso3="TJK")
    # Start from a clean slate whether or not the session's reference data is still there.
    Alert.objects.filter(country=country).delete()
    Extension.objects.filter(obligation__country=country).delete()
    Completion.objects.filter(obligation__country=country).delete()
    Obligation.objects.filter(country=country).delete()
    RecomputeRequest.objects.all().delete()
    DepositaryAction.objects.filter(country=country).delete()
    state_services.depositary_action_record(
        country=country,
        treaty=apmbc,
        kind="consent",
        action_date=date(2009, 12, 15),
        consent_type="accession",
        source_citation=TEST_SOURCE,
    )
    obligation = services.obligation_record(
        country=country, treaty=apmbc, code="art5", source_citation=TEST_SOURCE
    )
    celery_app.control.purge()
    return obligation


def open_alerts(country_id: int) -> set[tuple[str, date]]:
    return set(
        Alert.objects.filter(country_id=country_id, resolved_at__isnull=True, obligation__terms__code="art5")
        .values_list("kind", "due_date")
    )  # fmt: skip


def all_processed() -> bool:
    return not RecomputeRequest.objects.filter(processed_at__isnull=True).exists()


def assert_no_duplicate_open_alerts() -> None:
    rows = list(
        Alert.objects.filter(resolved_at__isnull=True).values_list(
            "country_id", "obligation_id", "kind", "due_date"
        )
    )
    assert len(rows) == len(set(rows))


def grant(obligation: Obligation, new_deadline: date) -> None:
    services.extension_grant(
        obligation=obligation,
        meeting="4RC",
        granted_on=date(2019, 11, 29),
        new_deadline=new_deadline,
        source_citation=TEST_SOURCE,
    )


def test_edit_reaches_the_worker_and_alerts_follow(worker_factory, tajikistan) -> None:  # type: ignore[no-untyped-def]
    worker_factory()
    country_id = tajikistan.country_id
    tasks.recompute_state.apply_async(args=[country_id])  # the fixture's edits committed before the worker
    wait_for(lambda: ("deadline_missed", date(2020, 6, 1)) in open_alerts(country_id), "deadline missed")
    new_deadline = clock.today() + timedelta(days=200)
    grant(tajikistan, new_deadline)
    wait_for(
        lambda: open_alerts(country_id) == {("deadline_approaching", new_deadline)},
        "the missed deadline to resolve and the approaching one to open",
    )
    missed = Alert.objects.get(country_id=country_id, kind="deadline_missed")
    assert missed.resolved_at is not None
    assert all_processed()
    assert_no_duplicate_open_alerts()


def test_save_with_broker_down_succeeds_and_the_sweep_recovers(worker_factory, tajikistan) -> None:  # type: ignore[no-untyped-def]
    worker_factory(RECOMPUTE_SWEEP_AFTER_SECONDS="0")
    country_id = tajikistan.country_id
    tasks.recompute_state.apply_async(args=[country_id])
    wait_for(lambda: ("deadline_missed", date(2020, 6, 1)) in open_alerts(country_id), "deadline missed")
    new_deadline = clock.today() + timedelta(days=60)

    with producer_broker("redis://127.0.0.1:1/1"):  # nothing listens on port 1
        started = time.monotonic()
        grant(tajikistan, new_deadline)
        elapsed = time.monotonic() - started
    assert elapsed < 5, f"a save with the broker down took {elapsed:.1f}s"
    assert tajikistan.extensions.count() == 1  # the edit is committed
    assert RecomputeRequest.objects.filter(country_id=country_id, processed_at__isnull=True).count() == 1
    time.sleep(1)
    assert ("deadline_missed", date(2020, 6, 1)) in open_alerts(country_id)  # nothing reached the worker

    tasks.recompute_sweep.apply_async()  # the periodic sweep, fired now
    wait_for(
        lambda: open_alerts(country_id) == {("deadline_approaching", new_deadline)}, "the sweep to recover"
    )
    assert all_processed()
    assert_no_duplicate_open_alerts()


def test_worker_killed_mid_task_loses_and_duplicates_nothing(worker_factory, tajikistan) -> None:  # type: ignore[no-untyped-def]
    import psycopg2

    first = worker_factory(CELERY_VISIBILITY_TIMEOUT="3", RECOMPUTE_SWEEP_AFTER_SECONDS="0")
    country_id = tajikistan.country_id
    tasks.recompute_state.apply_async(args=[country_id])
    wait_for(lambda: ("deadline_missed", date(2020, 6, 1)) in open_alerts(country_id), "deadline missed")
    wait_for(all_processed, "the first recompute to finish")

    db = connection.settings_dict
    with connection.cursor() as cursor:  # a lock wait in this process must fail the test, not hang it
        cursor.execute("SET lock_timeout = '20s'")
    blocker = psycopg2.connect(dbname=db["NAME"], user=db["USER"], host=db["HOST"], port=db["PORT"])
    try:
        with blocker.cursor() as cursor:
            # Hold the State's lock so the worker's recompute blocks mid-task (NO KEY: the
            # edit below still inserts rows referencing the State).
            cursor.execute("SELECT id FROM states_country WHERE id = %s FOR NO KEY UPDATE", [country_id])
            new_deadline = clock.today() + timedelta(days=300)
            grant(tajikistan, new_deadline)

            def worker_blocked() -> bool:
                # On this process's own (autocommit) connection: pg_stat_activity is a
                # per-transaction snapshot, so the blocker's transaction would not see it change.
                with connection.cursor() as check:
                    check.execute(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE datname = %s AND wait_event_type = 'Lock'",
                        [db["NAME"]],
                    )
                    return bool(check.fetchone()[0])

            wait_for(worker_blocked, "the worker to be mid-task")
            first.kill()
        blocker.rollback()
    finally:
        blocker.close()

    # The killed worker's transaction (claim + recompute) died with it.
    wait_for(
        lambda: RecomputeRequest.objects.filter(processed_at__isnull=True).count() == 1,
        "the claim to roll back",
    )
    assert ("deadline_missed", date(2020, 6, 1)) in open_alerts(country_id)

    worker_factory(CELERY_VISIBILITY_TIMEOUT="3", RECOMPUTE_SWEEP_AFTER_SECONDS="0")
    tasks.recompute_sweep.apply_async()  # belt and braces: redelivery or the sweep, whichever comes first
    wait_for(
        lambda: open_alerts(country_id) == {("deadline_approaching", new_deadline)}, "recovery after the kill"
    )
    wait_for(all_processed, "the outbox to drain")
    time.sleep(
        4
    )  # let a redelivered duplicate (visibility timeout 3s) run too: it must find nothing to claim
    assert open_alerts(country_id) == {("deadline_approaching", new_deadline)}
    assert_no_duplicate_open_alerts()
    assert Alert.objects.filter(country_id=country_id, kind="deadline_approaching").count() == 1
