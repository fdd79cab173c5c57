"""Logins cannot be guessed (issue 10): after 30 wrong passwords for one username from one
address, every login path refuses that pair, even with the right password, until the
cool-off passes or an operator runs ``manage.py axes_reset``."""

import base64

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.test import Client

pytestmark = pytest.mark.django_db
PASSWORD = "editor-pass-1997"


@pytest.fixture
def fast_editor(settings) -> User:  # type: ignore[no-untyped-def]
    """An editor whose password is quick to check: thirty wrong guesses in a test."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.create_user("editor", password=PASSWORD)
    user.groups.add(Group.objects.get_or_create(name="editors")[0])
    return user


def basic(password: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"editor:{password}".encode()).decode()}


@pytest.mark.parametrize("url", ["/accounts/login/", "/admin/login/"])
def test_the_31st_attempt_after_30_wrong_passwords_is_locked_out(fast_editor, url):  # type: ignore[no-untyped-def]
    browser = Client()
    for attempt in range(29):
        response = browser.post(url, {"username": "editor", "password": f"guess-{attempt}"})
        assert response.status_code == 200, attempt  # the form again, with its error
    thirtieth = browser.post(url, {"username": "editor", "password": "guess-30"})
    assert thirtieth.status_code == 429

    right = browser.post(url, {"username": "editor", "password": PASSWORD})
    assert right.status_code == 429
    assert b"Too many failed logins" in right.content
    assert b"python manage.py axes_reset" in right.content
    assert "_auth_user_id" not in browser.session


def test_http_basic_is_throttled_with_a_json_answer(fast_editor):  # type: ignore[no-untyped-def]
    client = Client()
    for attempt in range(30):
        response = client.get("/api/v1/treaties/", **basic(f"guess-{attempt}"))
        assert response.status_code in (401, 429), attempt
    locked = client.get("/api/v1/treaties/", **basic(PASSWORD))
    assert locked.status_code == 429
    assert locked.json()["detail"].startswith(
        "Too many failed logins for this username from this address (30)"
    )


def test_the_lockout_counts_per_username_and_address(fast_editor, settings):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    guesser = Client(REMOTE_ADDR="203.0.113.7")
    for attempt in range(3):
        guesser.post("/accounts/login/", {"username": "editor", "password": f"guess-{attempt}"})
    assert guesser.post("/accounts/login/", {"username": "editor", "password": PASSWORD}).status_code == 429

    elsewhere = Client(REMOTE_ADDR="198.51.100.2")
    assert elsewhere.post("/accounts/login/", {"username": "editor", "password": PASSWORD}).status_code == 302


def test_axes_reset_lifts_the_lockout(fast_editor, settings):  # type: ignore[no-untyped-def]
    settings.AXES_FAILURE_LIMIT = 3
    browser = Client()
    for attempt in range(3):
        browser.post("/accounts/login/", {"username": "editor", "password": f"guess-{attempt}"})
    assert browser.post("/accounts/login/", {"username": "editor", "password": PASSWORD}).status_code == 429

    call_command("axes_reset")
    assert browser.post("/accounts/login/", {"username": "editor", "password": PASSWORD}).status_code == 302


def test_editor_sessions_last_a_working_day(settings):  # type: ignore[no-untyped-def]
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60
