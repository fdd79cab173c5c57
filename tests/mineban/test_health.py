"""/healthz and /readyz: cheap, unauthenticated, honest about what is down."""

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from mineban import health
from mineban.models import RecomputeRequest
from states.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _nothing_seen_yet():  # type: ignore[no-untyped-def]
    """Tasks run in-process by earlier tests leave the worker's mark in the local cache."""
    cache.delete_many([health.WORKER_SEEN_KEY, health.BEAT_SEEN_KEY])


def test_healthz_answers_ok_with_one_query(django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    with django_assert_num_queries(1):
        response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_readyz_is_ready_without_services_when_tasks_run_in_process(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = Client().get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "redis", "worker", "recompute_backlog"}
    assert body["checks"]["recompute_backlog"] == {"ok": True, "oldest_pending_seconds": 0}


def test_readyz_is_unavailable_when_no_worker_was_seen(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["worker"] == {"ok": False, "detail": "no worker seen"}


def test_readyz_reports_a_recompute_request_waiting_too_long(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    RecomputeRequest.objects.create(
        country=Country.objects.get(iso3="UKR"), requested_at=timezone.now() - timedelta(hours=1)
    )
    response = Client().get("/readyz")
    assert response.status_code == 503
    backlog = response.json()["checks"]["recompute_backlog"]
    assert backlog["ok"] is False
    assert 3599 <= backlog["oldest_pending_seconds"] <= 3700


def test_readyz_names_an_unreachable_redis(settings) -> None:  # type: ignore[no-untyped-def]
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["redis"]["ok"] is False
    assert "ConnectionError" in response.json()["checks"]["redis"]["detail"]


def test_the_healthcheck_command_fails_when_no_worker_or_beat_was_seen() -> None:
    from django.core.management import CommandError, call_command

    for process in ("worker", "beat"):
        with pytest.raises(CommandError, match=f"no {process} seen"):
            call_command("healthcheck", process)


def test_the_healthcheck_command_passes_once_beat_sent_its_sweep() -> None:
    from io import StringIO

    from django.core.management import call_command

    from mineban.celery import _beat_seen

    _beat_seen(sender="obligations.tasks.recompute_state")  # not beat's: no mark
    _beat_seen(sender="obligations.tasks.recompute_sweep")
    out = StringIO()
    call_command("healthcheck", "beat", stdout=out)
    assert out.getvalue().startswith("beat seen 0 s ago")
