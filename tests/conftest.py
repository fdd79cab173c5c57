"""Shared fixtures.

The test database gets the real reference data once per session (countries, treaties,
APMBC and CCM participation): ordinary tests run inside a transaction that is rolled back,
so they all see it unchanged. pytest-django runs transactional tests after all others;
those flush the tables when they end, so each of them loads what it needs itself
(``world`` gives countries and treaties).
"""

import os
from datetime import date

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from rest_framework.test import APIClient

from mineban import clock
from obligations.management.commands.load_reference_data import reference_steps
from obligations.services import recompute_deferred
from states import reference_data
from states.models import Country, Treaty

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
# The day the reference data was compiled to; tests about "now" use it, never the clock.
DATA_DATE = date(2026, 11, 22)
# "Today" for the whole run, the worker processes the live tests start included (see
# mineban.clock): the suite gives the same answers whatever day it runs.
TODAY = date(2026, 11, 30)
# Every record cites its source, the ones tests make up too: say that they are made up.
TEST_SOURCE = "Test record made up for this test; not a fact from any source."
os.environ["MINEBAN_TODAY"] = TODAY.isoformat()


def pytest_configure(config):  # type: ignore[no-untyped-def]
    from django.conf import settings

    # Hashing is not what the tests are about: the fastest hasher saves seconds per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):  # type: ignore[no-untyped-def]
    with django_db_blocker.unblock(), recompute_deferred(as_of=clock.today()):
        for _label, step in reference_steps(reference_data.REFERENCE_DIR, clock.today()):
            step()


@pytest.fixture(autouse=True)
def data_version(monkeypatch):  # type: ignore[no-untyped-def]
    """Each test rolls its writes back, and the data version with them: a page one test
    cached under a version must not be served to the next test under the same version.
    Every key the caches make names the version's token, so a token of this test's own
    keeps them apart (on Redis too, where clearing would also empty the Celery queue).

    Calling the fixture's value stands for a committed change, for tests that write behind
    the services' back (bulk inserts) inside their never-committed transaction."""
    import uuid

    from mineban import cache

    read = cache.current_version
    suffix = [f"-test-{uuid.uuid4().hex[:8]}"]

    def current_version() -> cache.Version:
        version = read()
        return cache.Version(version.token + suffix[0], version.serial, version.changed_at)

    def advance() -> None:
        suffix[0] = f"-test-{uuid.uuid4().hex[:8]}"

    monkeypatch.setattr(cache, "current_version", current_version)
    cache.memo_clear()
    yield advance
    cache.memo_clear()


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    """Countries and treaties, for transactional tests that start from empty tables."""
    if not Country.objects.exists():
        reference_data.countries_load()
    if not Treaty.objects.exists():
        reference_data.treaties_load()


@pytest.fixture
def apmbc(world) -> Treaty:  # type: ignore[no-untyped-def]
    return Treaty.objects.get(code="APMBC")


@pytest.fixture
def ccm(world) -> Treaty:  # type: ignore[no-untyped-def]
    return Treaty.objects.get(code="CCM")


def country(iso3: str) -> Country:
    return Country.objects.get(iso3=iso3)


# --- The cast: anonymous, analyst, editor, admin -----------------------------------------


@pytest.fixture
def analyst(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_user("analyst", password="analyst-pass-1997")


@pytest.fixture
def editor(db) -> User:  # type: ignore[no-untyped-def]
    user = User.objects.create_user("editor", password="editor-pass-1997", is_staff=True)
    group, _ = Group.objects.get_or_create(name="editors")
    user.groups.add(group)
    return user


@pytest.fixture
def admin_user(db) -> User:  # type: ignore[no-untyped-def]
    return User.objects.create_superuser("admin", password="admin-pass-1997")


# --- Real services -----------------------------------------------------------------------


@pytest.fixture
def real_services() -> dict[str, str]:
    """PostgreSQL and Redis, as CI starts them. In CI their absence fails the test."""
    redis_url = os.environ.get("REDIS_URL", "")
    problems = []
    if connection.vendor != "postgresql":
        problems.append(f"DATABASE_URL is not PostgreSQL (vendor: {connection.vendor})")
    if not redis_url:
        problems.append("REDIS_URL is not set")
    if problems:
        message = "; ".join(problems) + " (run .ci/services.sh)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return {"redis_url": redis_url}


@pytest.fixture
def eager_tasks(monkeypatch):  # type: ignore[no-untyped-def]
    """Run enqueued Celery tasks in-process, as when no REDIS_URL is set, even in CI: for
    tests about what a task does, not how it travels (the live-worker tests cover that)."""
    from mineban.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


# --- API clients -------------------------------------------------------------------------


@pytest.fixture
def api_as(db):  # type: ignore[no-untyped-def]
    """A fresh API client, logged in as ``user`` when one is given (None: anonymous)."""

    def client(user: User | None = None) -> APIClient:
        api = APIClient()
        if user is not None:
            api.force_login(user)
        return api

    return client


@pytest.fixture
def api(api_as) -> APIClient:  # type: ignore[no-untyped-def]
    return api_as()


@pytest.fixture
def analyst_api(api_as, analyst) -> APIClient:  # type: ignore[no-untyped-def]
    return api_as(analyst)


@pytest.fixture
def editor_api(api_as, editor) -> APIClient:  # type: ignore[no-untyped-def]
    return api_as(editor)
