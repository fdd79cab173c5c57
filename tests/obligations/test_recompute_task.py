"""The recompute pipeline: outbox row in the edit's transaction, task on commit, claim.

The first tests run everywhere (eager Celery, SQLite or PostgreSQL). The ``services``
tests drive a real Celery worker process over real Redis and PostgreSQL.
"""

from datetime import date
from unittest import mock

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import override_settings
from kombu.exceptions import OperationalError

from mineban import recompute
from mineban.celery import app as celery_app
from mineban.models import RecomputeRequest
from obligations import services, tasks
from obligations.models import Alert, Obligation
from states.models import Country
from tests.conftest import TEST_SOURCE

AS_OF = date(2026, 11, 22)


@pytest.fixture
def eager():  # type: ignore[no-untyped-def]
    """Run tasks in-process even when a broker is configured (CI)."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.mark.django_db
@time_machine.travel("2026-11-22 10:00:00Z", tick=False)
def test_save_enqueues_on_commit_and_task_recomputes(django_capture_on_commit_callbacks, eager) -> None:  # type: ignore[no-untyped-def]
    tajikistan = Country.objects.get(iso3="TJK")
    RecomputeRequest.objects.filter(country=tajikistan).delete()
    services.obligations_recompute(country=tajikistan, as_of=AS_OF)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.extension_grant(
            obligation=Obligation.objects.get(country=tajikistan, terms__code="art5"),
            meeting="22MSP",
            granted_on=date(2025, 12, 5),
            new_deadline=date(2027, 1, 31),
            source_citation=TEST_SOURCE,
        )
    assert len(callbacks) == 1
    (request,) = RecomputeRequest.objects.filter(country=tajikistan)
    assert request.processed_at is not None
    open_kinds = set(
        Alert.objects.filter(
            country=tajikistan, resolved_at__isnull=True, obligation__terms__code="art5"
        ).values_list("kind", "due_date", "severity")
    )
    assert open_kinds == {("deadline_approaching", date(2027, 1, 31), "warning")}


@pytest.mark.django_db
def test_duplicate_delivery_does_nothing() -> None:
    greece = Country.objects.get(iso3="GRC")
    RecomputeRequest.objects.filter(country=greece).delete()
    recompute.recompute_request(country_id=greece.pk)
    assert services.recompute_claim_and_run(country_id=greece.pk, as_of=AS_OF) is not None
    assert services.recompute_claim_and_run(country_id=greece.pk, as_of=AS_OF) is None


@pytest.mark.django_db
@override_settings(CELERY_TASK_ALWAYS_EAGER=False)
def test_broker_down_keeps_the_save_and_the_sweep_recovers(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    greece = Country.objects.get(iso3="GRC")
    RecomputeRequest.objects.filter(country=greece).delete()
    with (
        mock.patch.object(
            tasks.recompute_state, "apply_async", side_effect=OperationalError("connection refused")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        services.completion_record(
            obligation=Obligation.objects.get(country=greece, terms__code="art4"),
            completed_on=date(2025, 6, 30),
            source_citation=TEST_SOURCE,
        )
    (pending,) = RecomputeRequest.objects.filter(country=greece)
    assert pending.processed_at is None
    assert services.recompute_sweep(older_than_seconds=0) == [greece.pk]
    pending.refresh_from_db()
    assert pending.attempts == 1
    services.recompute_claim_and_run(country_id=greece.pk, as_of=AS_OF)
    assert Alert.objects.filter(country=greece, kind="completed_late", resolved_at__isnull=True).count() == 1
    assert not Alert.objects.filter(country=greece, kind="deadline_missed", resolved_at__isnull=True).exists()


@pytest.mark.django_db
def test_recompute_alerts_command(capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("recompute_alerts", state="ukr", as_of="2026-11-22")
    assert "as of 2026-11-22: 1 State(s)" in capsys.readouterr().out
    call_command("recompute_alerts", as_of="2026-11-22")
    out = capsys.readouterr().out
    assert "0 alert(s) opened, 0 resolved" not in out or "State(s)" in out
    with pytest.raises(CommandError, match="--as-of must be YYYY-MM-DD"):
        call_command("recompute_alerts", as_of="22/11/2026")
    with pytest.raises(CommandError, match="unknown State code"):
        call_command("recompute_alerts", state="XXX")


@pytest.mark.django_db
def test_recompute_all_twice_changes_nothing() -> None:
    services.obligations_recompute_all(as_of=AS_OF)
    again = services.obligations_recompute_all(as_of=AS_OF)
    assert (again.opened, again.resolved, again.obligations_created, again.obligations_updated) == (
        0,
        0,
        0,
        0,
    )
