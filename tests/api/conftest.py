"""API clients: anonymous, a logged-in reader, an editor."""

import pytest
from rest_framework.test import APIClient


@pytest.fixture
def api() -> APIClient:
    return APIClient()


@pytest.fixture
def analyst_api(api, analyst) -> APIClient:  # type: ignore[no-untyped-def]
    api.force_login(analyst)
    return api


@pytest.fixture
def editor_api(api, editor) -> APIClient:  # type: ignore[no-untyped-def]
    api.force_login(editor)
    return api


def version_of(client: APIClient, url: str) -> str:
    """The record's current version (its ETag), as a client reads it before writing."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def if_match(client: APIClient, url: str) -> dict[str, str]:
    """Headers for a write to the record at ``url``: the version just read, in If-Match."""
    return {"HTTP_IF_MATCH": version_of(client, url)}
