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
