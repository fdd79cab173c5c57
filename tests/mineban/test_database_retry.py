"""A read that loses its database connection (a PostgreSQL restart) is run once more on a
fresh one (mineban.guards.DatabaseRetryMiddleware, issue 10).

Transactional tests (requests run outside a transaction; inside one nothing is retried).
They live here, after tests/browser, whose reference dump is taken from the session database
before any transactional test flushes it."""

import pytest
from django.db import OperationalError
from django.test import Client

from states import selectors


@pytest.mark.django_db(transaction=True)  # outside a transaction, as requests run
def test_a_read_that_loses_its_database_connection_is_retried_once(world, client, monkeypatch):  # type: ignore[no-untyped-def]
    real = selectors.treaty_get
    calls = []

    def flaky(code: str):  # type: ignore[no-untyped-def]
        calls.append(code)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(code)

    monkeypatch.setattr(selectors, "treaty_get", flaky)
    response = client.get("/api/v1/treaties/APMBC/")
    assert response.status_code == 200
    assert response.json()["code"] == "APMBC"
    assert calls == ["APMBC", "APMBC"]


@pytest.mark.django_db(transaction=True)
def test_a_read_that_fails_twice_is_not_retried_again(world, monkeypatch):  # type: ignore[no-untyped-def]
    calls = []

    def down(code: str):  # type: ignore[no-untyped-def]
        calls.append(code)
        raise OperationalError("the database system is starting up")

    monkeypatch.setattr(selectors, "treaty_get", down)
    response = Client(raise_request_exception=False).get("/api/v1/treaties/APMBC/")
    assert response.status_code == 500
    assert len(calls) == 2
