"""Session login at /accounts/login/ and CSRF, as the browsable API uses them."""

import pytest
from django.test import Client

from states.models import DepositaryAction

pytestmark = pytest.mark.django_db
URL = "/api/v1/depositary-actions/"
SIGNATURE = {
    "state": "USA",
    "treaty": "APMBC",
    "kind": "signature",
    "action_date": "1998-01-05",
    "source_citation": "UN Treaty Collection, status of the APMBC (test)",
}


def test_editor_logs_in_and_writes_with_the_csrf_token(editor):  # type: ignore[no-untyped-def]
    browser = Client(enforce_csrf_checks=True)
    page = browser.get("/accounts/login/")
    assert page.status_code == 200
    token = page.cookies["csrftoken"].value
    logged_in = browser.post(
        "/accounts/login/",
        {"username": "editor", "password": "editor-pass-1997", "csrfmiddlewaretoken": token},
    )
    assert logged_in.status_code == 302

    refused = browser.post(URL, SIGNATURE, content_type="application/json")
    assert refused.status_code == 403
    token = browser.cookies["csrftoken"].value  # rotated at login
    created = browser.post(URL, SIGNATURE, content_type="application/json", headers={"X-CSRFToken": token})
    assert created.status_code == 201, created.content
    assert DepositaryAction.objects.get(pk=created.json()["id"]).created_by == editor


def test_wrong_password_stays_on_the_login_page(client):  # type: ignore[no-untyped-def]
    response = client.post("/accounts/login/", {"username": "editor", "password": "guess"})
    assert response.status_code == 200
    assert b"did not match" in response.content


def test_browsable_api_links_to_the_site_login(client):  # type: ignore[no-untyped-def]
    response = client.get(URL, {"page_size": 1}, headers={"Accept": "text/html"})
    assert response.status_code == 200
    assert b'href="/accounts/login/?next=/api/v1/depositary-actions/"' in response.content


def test_browsable_api_offers_logout_to_a_logged_in_user(client, editor):  # type: ignore[no-untyped-def]
    client.force_login(editor)
    response = client.get(URL, {"page_size": 1}, headers={"Accept": "text/html"})
    assert b'action="/accounts/logout/"' in response.content
    assert client.post("/accounts/logout/").status_code == 302


def test_browsable_api_form_posts_are_accepted(client, editor):  # type: ignore[no-untyped-def]
    """The HTML form sends its CSRF token as a field; it is not taken for an unknown field."""
    client.force_login(editor)
    page = client.get(URL, {"page_size": 1}, headers={"Accept": "text/html"})
    assert b'name="action_date"' in page.content  # the form is the input serializer's
    assert b'name="state_name"' not in page.content
    response = client.post(
        URL,
        {**SIGNATURE, "csrfmiddlewaretoken": "ignored-by-the-test-client", "effective_date": ""},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 201, response.content
    detail = f"{URL}{response.json()['id']}/"
    assert client.get(detail, headers={"Accept": "text/html"}).status_code == 200
    assert client.get(f"{detail}history/", headers={"Accept": "text/html"}).status_code == 200
    assert client.get(f"{detail}revert/", headers={"Accept": "text/html"}).status_code == 405
    assert client.get("/api/v1/changes/", headers={"Accept": "text/html"}).status_code == 200
