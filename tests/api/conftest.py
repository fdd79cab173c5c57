"""Writes to a record send back the version its read carried (If-Match)."""

from rest_framework.test import APIClient


def version_of(client: APIClient, url: str) -> str:
    """The record's current version (its ETag), as a client reads it before writing."""
    response = client.get(url)
    assert response.status_code == 200, response.content
    return str(response["ETag"])


def if_match(client: APIClient, url: str) -> dict[str, str]:
    """Headers for a write to the record at ``url``: the version just read, in If-Match."""
    return {"HTTP_IF_MATCH": version_of(client, url)}
