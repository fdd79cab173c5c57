"""The loose ends of issue 10: the API's front doors, its documentation served from our own
static files, a strict Content-Security-Policy, length limits, editors' names kept from
anonymous readers on the pages too, and 401 with a challenge for anonymous writes."""

from datetime import date

import pytest
from django.test import Client

from states import services
from states.models import Country, Treaty

pytestmark = pytest.mark.django_db


def test_the_api_root_lists_every_resource(client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/")
    assert response.status_code == 200
    body = response.json()
    assert body["countries"] == "http://testserver/api/v1/countries/"
    assert body["depositary-actions"] == "http://testserver/api/v1/depositary-actions/"
    assert body["docs"] == "http://testserver/api/v1/docs/"
    assert len(body) == 12


def test_the_api_docs_load_redoc_from_our_own_static_files(client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<script src="/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js">' in page
    assert "https://" not in page
    assert "script-src 'self';" in response["Content-Security-Policy"]


@pytest.mark.parametrize("url", ["/", "/states/AFG/", "/accounts/login/", "/api/v1/treaties/"])
def test_every_response_carries_a_strict_content_security_policy(client, url):  # type: ignore[no-untyped-def]
    policy = client.get(url)["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self';" in policy
    assert "style-src 'self';" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy


def test_the_pages_have_no_inline_scripts_or_styles(client):  # type: ignore[no-untyped-def]
    for url in ("/", "/states/", "/states/AFG/", "/treaties/APMBC/", "/deadlines/", "/accounts/login/"):
        page = client.get(url).content.decode()
        assert "<style" not in page, url
        assert " style=" not in page, url
        assert "<script>" not in page and "onclick=" not in page, url


def test_anonymous_readers_do_not_see_editors_names_in_the_page_history(editor):  # type: ignore[no-untyped-def]
    services.depositary_action_record(
        country=Country.objects.get(iso3="USA"),
        treaty=Treaty.objects.get(code="APMBC"),
        kind="signature",
        action_date=date(1998, 1, 5),
        user=editor,
        today=date(2026, 11, 22),
        source_citation="test",
    )
    anonymous = Client().get("/states/USA/history/").content.decode()
    assert "<td>editor</td>" not in anonymous
    assert "an editor</td>" in anonymous

    reader = Client()
    reader.force_login(editor)
    assert "<td>editor</td>" in reader.get("/states/USA/history/").content.decode()


def test_an_anonymous_write_is_a_401_with_a_basic_challenge(client):  # type: ignore[no-untyped-def]
    response = client.post("/api/v1/depositary-actions/", {}, content_type="application/json")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="mineban"'


@pytest.mark.parametrize(
    ("field", "limit"), [("notes", 10_000), ("source_citation", 2_000), ("text", 20_000)]
)
def test_text_fields_have_length_limits(editor_api, field, limit):  # type: ignore[no-untyped-def]
    body = {"state": "USA", "treaty": "APMBC", "kind": "declaration", "action_date": "2000-01-04"}
    response = editor_api.post(
        "/api/v1/depositary-actions/",
        {"source_citation": "x", **body, field: "x" * (limit + 1)},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {field: [f"Ensure this field has no more than {limit} characters."]}


def test_length_limits_are_in_the_schema(client):  # type: ignore[no-untyped-def]
    schema = client.get("/api/v1/schema/", HTTP_ACCEPT="application/json").json()
    facts = schema["components"]["schemas"]["DepositaryActionCreateInput"]["properties"]
    assert (facts["notes"]["maxLength"], facts["source_citation"]["maxLength"]) == (10_000, 2_000)
    assert facts["source_urls"]["maxItems"] == 20
