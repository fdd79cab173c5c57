"""Hostile or careless input gets a 400 with a message, never a 5xx (issue 10)."""

import base64

import pytest

pytestmark = pytest.mark.django_db


def basic(credentials: bytes) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials).decode()}


@pytest.mark.parametrize("url", ["/api/v1/treaties/", "/api/v1/depositary-actions/", "/api/v1/changes/"])
def test_a_nul_byte_in_basic_credentials_is_a_json_400(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url, **basic(b"a\x00:x"))
    assert response.status_code == 400
    assert response.json() == {"detail": "The HTTP Basic credentials contain a control character."}


def test_malformed_basic_credentials_are_a_401(client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/treaties/", HTTP_AUTHORIZATION="Basic !!!")
    assert response.status_code == 401


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/treaties/A%00B/status/",
        "/api/v1/countries/A%00B/",
        "/api/v1/changes/?state=%00",
        "/api/v1/deadlines/?state=A%00",
        "/api/v1/alerts/?treaty=%00APMBC",
        "/api/v1/participations/?as_of=2005-07-01%00",
    ],
)
def test_a_nul_byte_in_an_api_path_or_query_is_a_json_400(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 400
    assert "control character" in response.json()["detail"]


@pytest.mark.parametrize("url", ["/states/A%00B/", "/deadlines/?state=A%00", "/treaties/?as_of=%01"])
def test_a_nul_byte_in_a_page_address_is_the_400_page(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert b"control character" in response.content


def test_a_nul_byte_in_the_session_cookie_is_a_400(client):  # type: ignore[no-untyped-def]
    client.cookies["sessionid"] = "abc\x00def-ghijkl"
    assert client.get("/api/v1/treaties/").status_code == 400


@pytest.mark.parametrize("as_of", ["9999-12-31", "10000-01-01", "1989-12-31", "2101-01-01", "2005-7-1"])
def test_as_of_outside_the_treaty_era_is_a_400_on_every_read(client, as_of):  # type: ignore[no-untyped-def]
    for url in ("/api/v1/deadlines/", "/api/v1/participations/", "/api/v1/treaties/APMBC/status/"):
        response = client.get(url, {"as_of": as_of})
        assert response.status_code == 400, url
        assert list(response.json()) == ["as_of"]


def test_the_pages_and_the_api_give_the_same_message_for_as_of(client):  # type: ignore[no-untyped-def]
    api = client.get("/api/v1/deadlines/", {"as_of": "2101-01-01"}).json()["as_of"][0]
    page = client.get("/deadlines/", {"as_of": "2101-01-01"})
    assert api == "2101-01-01 is out of range. Choose a date between 1990-01-01 and 2100-12-31."
    assert page.status_code == 400
    assert api.encode() in page.content


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("since", "2026-11-22T00:00:00+16:00"),
        ("since", "2026-11-22T00:00:00-99:00"),
        ("since", "9999-12-31T23:00:00-05:00"),
        ("since", "2026-02-30"),
        ("since", "yesterday"),
    ],
)
def test_timestamps_out_of_bounds_are_a_400_on_the_change_feed(client, param, value):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/changes/", {param: value})
    assert response.status_code == 400
    assert list(response.json()) == [param]


@pytest.mark.parametrize("value", ["2026-11-22T00:00:00+16:00", "9999-12-31T23:00:00-05:00"])
def test_changed_since_out_of_bounds_is_a_400_on_alerts(client, value):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/alerts/", {"changed_since": value})
    assert response.status_code == 400
    assert list(response.json()) == ["changed_since"]


def test_a_cursor_with_an_impossible_offset_is_a_400(client):  # type: ignore[no-untyped-def]
    raw = b'["2026-11-22T00:00:00+16:00", "depositary_action", 1]'
    cursor = base64.urlsafe_b64encode(raw).decode().rstrip("=")
    response = client.get("/api/v1/changes/", {"cursor": cursor})
    assert response.status_code == 400
    assert response.json() == {"cursor": ["Invalid cursor: use the `next` link as given."]}


def test_an_oversized_body_is_a_json_413(editor_api):  # type: ignore[no-untyped-def]
    notes = "x" * (1024 * 1024 + 1)
    response = editor_api.post("/api/v1/depositary-actions/", {"notes": notes}, format="json")
    assert response.status_code == 413
    assert response.json()["detail"].startswith("The request body is too large")


def test_a_nul_byte_hidden_in_lenient_base64_is_a_400(client):  # type: ignore[no-untyped-def]
    # DRF decodes Basic credentials leniently: characters outside base64 are skipped.
    encoded = base64.b64encode(b"a\x00:x").decode()
    response = client.get("/api/v1/treaties/", HTTP_AUTHORIZATION=f"Basic {encoded[:2]}!{encoded[2:]}")
    assert response.status_code == 400


@pytest.mark.parametrize("url", ["/api/v1/completions/-1/", "/api/v1/nothing-here/", "/api/v2/"])
def test_an_api_address_no_route_matches_is_a_json_404(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_page_address_no_route_matches_is_the_404_page(client):  # type: ignore[no-untyped-def]
    response = client.get("/nothing-here/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_an_unexpected_api_error_is_a_json_500(monkeypatch):  # type: ignore[no-untyped-def]
    from django.test import Client

    from states import selectors

    def broken(code: str):  # type: ignore[no-untyped-def]
        raise RuntimeError("a bug")

    monkeypatch.setattr(selectors, "treaty_get", broken)
    response = Client(raise_request_exception=False).get("/api/v1/treaties/APMBC/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Server error: it has been logged."}
