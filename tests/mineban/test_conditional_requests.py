"""ETag / Last-Modified / 304, Cache-Control, compression, and what a cached read costs."""

import gzip
from datetime import date

import pytest
from django.utils.http import http_date, parse_http_date

from mineban.release import release_forget, release_of
from states import services
from states.models import Country, Treaty
from tests.conftest import TEST_SOURCE

pytestmark = pytest.mark.django_db

READS = [
    "/",
    "/states/",
    "/states/AFG/",
    "/treaties/APMBC/",
    "/deadlines/",
    "/deadlines.ics",
    "/deadlines.csv",
    "/api/v1/participations/?treaty=APMBC",
    "/api/v1/deadlines/?treaty=APMBC",
    "/api/v1/alerts/?open=true",
    "/api/v1/changes/",
]


@pytest.mark.parametrize("url", READS)
def test_a_client_that_has_the_current_version_gets_304(client, url) -> None:  # type: ignore[no-untyped-def]
    first = client.get(url)
    assert first.status_code == 200
    assert first["ETag"].startswith('W/"')
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    again = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == first["ETag"]
    since = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert since.status_code == 304


def test_a_304_costs_one_query(client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    etag = client.get("/deadlines/")["ETag"]
    with django_assert_num_queries(1):
        assert client.get("/deadlines/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_a_cached_page_costs_one_query(client, django_assert_num_queries) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/states/")
    with django_assert_num_queries(1):
        again = client.get("/states/")
    assert again.content == first.content


def test_the_home_page_rendered_after_the_deadlines_page_reuses_its_evaluation(
    client, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get("/deadlines/")
    # The all-States evaluation is in memory for this version and date: only the home
    # page's own reads remain (figures per treaty, recent changes).
    with django_assert_max_num_queries(12):
        assert client.get("/").status_code == 200


def test_a_list_filtered_by_treaty_or_status_reuses_the_evaluation_of_every_state(
    client, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    client.get("/deadlines/")
    # Only the version, the treaty named in the filter and the response's own reads remain.
    with django_assert_num_queries(2):
        body = client.get("/api/v1/deadlines/", {"treaty": "APMBC", "status": "overdue"}).json()
    assert body["count"] == 10
    assert {r["treaty"] for r in body["results"]} == {"APMBC"}


def test_a_calendar_polling_with_its_etag_gets_304_until_a_change(client) -> None:  # type: ignore[no-untyped-def]
    etag = client.get("/deadlines.ics")["ETag"]
    assert client.get("/deadlines.ics", HTTP_IF_NONE_MATCH=etag).status_code == 304
    services.depositary_action_record(
        country=Country.objects.get(iso3="USA"),
        treaty=Treaty.objects.get(code="APMBC"),
        kind="signature",
        action_date=date(1998, 1, 5),
        today=date(2026, 11, 30),
        source_citation=TEST_SOURCE,
    )
    # This test's transaction is never committed, so the version cannot advance: the write
    # makes this connection read around the caches instead (its own uncommitted data).
    changed = client.get("/deadlines.ics", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200


def test_last_modified_is_midnight_today_or_the_last_change(client) -> None:  # type: ignore[no-untyped-def]
    modified = parse_http_date(client.get("/")["Last-Modified"])
    # The suite pins today to 2026-11-30 (tests/conftest.py).
    assert modified >= parse_http_date(http_date(1_764_460_800))


def test_a_logged_in_reader_gets_a_private_uncached_response(client, editor) -> None:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    response = client.get("/states/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-cache"
    assert not response.has_header("ETag")
    # No compression where a CSRF token or session could sit next to reflected input (BREACH).
    assert not response.has_header("Content-Encoding")


@pytest.mark.parametrize(
    ("url", "content_type"),
    [
        ("/deadlines/", "text/html"),
        ("/api/v1/deadlines/?treaty=APMBC", "application/json"),
        ("/deadlines.csv", "text/csv"),
        ("/deadlines.ics", "text/calendar"),
    ],
)
def test_anonymous_responses_are_gzipped_when_asked(client, url, content_type) -> None:  # type: ignore[no-untyped-def]
    plain = client.get(url)
    packed = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert packed["Content-Type"].startswith(content_type)
    assert "Accept-Encoding" in packed["Vary"]
    assert packed["ETag"] != plain["ETag"]
    assert _stable(gzip.decompress(packed.content)) == _stable(plain.content)
    # From the cache the second time, compressed all the same.
    again = client.get(url, HTTP_ACCEPT_ENCODING="gzip")
    assert gzip.decompress(again.content) == gzip.decompress(packed.content)


def _stable(body: bytes) -> bytes:
    """Without the calendar's DTSTAMP lines (the time each event was rendered)."""
    return b"\n".join(line for line in body.splitlines() if not line.startswith(b"DTSTAMP"))


def test_the_browsable_api_and_json_are_cached_apart(client) -> None:  # type: ignore[no-untyped-def]
    json_body = client.get("/api/v1/treaties/", HTTP_ACCEPT="application/json")
    html_body = client.get("/api/v1/treaties/", HTTP_ACCEPT="text/html")
    assert json_body["Content-Type"] == "application/json"
    assert html_body["Content-Type"].startswith("text/html")
    assert client.get("/api/v1/treaties/", HTTP_ACCEPT="application/json").content == json_body.content


def test_every_response_names_its_request_id(client) -> None:  # type: ignore[no-untyped-def]
    given = client.get("/healthz", HTTP_X_REQUEST_ID="req-1997")
    assert given["X-Request-ID"] == "req-1997"
    assert len(client.get("/healthz")["X-Request-ID"]) == 32


# --- One render per page after a write ------------------------------------------------------


def _render_key(url: str) -> str:
    from django.test import RequestFactory

    from mineban import cache as data_cache
    from mineban.middleware import response_digest

    return f"response:{response_digest(RequestFactory().get(url), data_cache.current_version())}"


def test_a_reader_waits_for_the_page_another_worker_is_rendering(client, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from django.core.cache import cache

    from mineban import middleware

    key = _render_key("/states/")
    cache.add(f"{key}:rendering", 1)

    def the_other_worker_finishes(seconds: float) -> None:
        cache.set(key, (b"rendered by the other worker", [("Content-Type", "text/html; charset=utf-8")]))

    monkeypatch.setattr(middleware.time, "sleep", the_other_worker_finishes)
    response = client.get("/states/")
    assert response.status_code == 200
    assert response.content == b"rendered by the other worker"


def test_a_reader_renders_the_page_itself_when_the_other_worker_takes_too_long(  # type: ignore[no-untyped-def]
    client, settings
) -> None:
    from django.core.cache import cache

    settings.CACHE_RENDER_WAIT_SECONDS = 0.05
    key = _render_key("/treaties/")
    cache.add(f"{key}:rendering", 1)
    response = client.get("/treaties/")
    assert response.status_code == 200
    assert b"Mine Ban" in response.content or b"APMBC" in response.content
    assert cache.get(key) is not None


@pytest.fixture
def deployed(settings, tmp_path):  # type: ignore[no-untyped-def]
    """The code that renders responses, as a folder of files a test can "deploy" again."""
    code = tmp_path / "templates"
    code.mkdir()
    (code / "page.html").write_text("<p>first release</p>")
    settings.MINEBAN_RELEASE_SOURCES = [code]
    release_forget()
    yield code / "page.html"
    release_forget()


def test_a_new_release_is_never_answered_with_the_previous_ones_cached_page(client, deployed) -> None:  # type: ignore[no-untyped-def]
    first = client.get("/treaties/APMBC/")
    assert client.get("/treaties/APMBC/", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304

    deployed.write_text("<p>second release</p>")
    release_forget()  # a new process of the new code: the same data version, the same day

    again = client.get("/treaties/APMBC/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 200
    assert again["ETag"] != first["ETag"]


def test_a_release_digest_names_the_files_and_their_contents(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "static").mkdir()
    style = tmp_path / "static" / "site.css"
    style.write_text("p { color: black; }")
    first = release_of((tmp_path / "static",))
    assert release_of((tmp_path / "static",)) == first
    style.write_text("p { color: navy; }")
    second = release_of((tmp_path / "static",))
    assert second.digest != first.digest
    style.rename(tmp_path / "static" / "print.css")
    assert release_of((tmp_path / "static",)).digest not in (first.digest, second.digest)
