"""The write API for completions: who may write, what the rules refuse.

Cambodia's Art. 5 clearance obligation is pending (deadline 2030-12-31) in the real
reference data; a declared completion changes its status in the deadlines API.
"""

import pytest
from rest_framework.test import APIClient

from obligations.models import Completion
from tests.api.conftest import if_match

URL = "/api/v1/completions/"
DEADLINES = "/api/v1/deadlines/"
AS_OF = "2026-11-22"
pytestmark = pytest.mark.django_db

KHM_COMPLETED = {
    "state": "KHM",
    "treaty": "APMBC",
    "obligation": "art5",
    "kind": "completed",
    "completed_on": "2026-11-01",
    "source_citation": "Cambodia's declaration of completion",
}


def khm_completions() -> int:
    return Completion.objects.filter(obligation__country__iso3="KHM").count()


def art5_status(api: APIClient) -> str:
    response = api.get(DEADLINES, {"state": "KHM", "treaty": "APMBC", "as_of": AS_OF})
    (art5,) = [row for row in response.json()["results"] if row["obligation"] == "art5"]
    return art5["status"]  # type: ignore[no-any-return]


def test_anonymous_reads_the_list(api, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(4):  # the data version, the treaty known, the count and the page
        response = api.get(URL, {"treaty": "APMBC", "obligation": "art4", "page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] > 20
    assert {row["obligation"] for row in response.json()["results"]} == {"art4"}


@pytest.mark.parametrize("who", ["anonymous", "analyst"])
def test_readers_cannot_record_a_completion(who, api, analyst):  # type: ignore[no-untyped-def]
    if who == "analyst":
        api.force_login(analyst)
    before = khm_completions()
    response = api.post(URL, KHM_COMPLETED, format="json")
    assert response.status_code in (401, 403)
    assert khm_completions() == before


def test_completion_changes_the_status(editor_api, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    assert art5_status(editor_api) == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.post(URL, KHM_COMPLETED, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["obligation"], body["completed_on"], body["created_by"]) == (
        "KHM",
        "art5",
        "2026-11-01",
        "editor",
    )
    assert art5_status(editor_api) == "completed_on_time"

    assert (
        editor_api.delete(f"{URL}{body['id']}/", **if_match(editor_api, f"{URL}{body['id']}/")).status_code
        == 204
    )
    assert art5_status(editor_api) == "pending"


def test_not_applicable_with_a_date_is_refused(editor_api):  # type: ignore[no-untyped-def]
    before = khm_completions()
    response = editor_api.post(URL, {**KHM_COMPLETED, "kind": "not_applicable"}, format="json")
    assert response.status_code == 400
    assert response.json()["completed_on"] == [
        "A declaration that the obligation never applied has no completion date."
    ]
    assert khm_completions() == before


def test_editor_corrects_a_completion(editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post(URL, KHM_COMPLETED, format="json").json()
    response = editor_api.patch(
        f"{URL}{created['id']}/",
        {"completed_on": "2026-02-01"},
        format="json",
        **if_match(editor_api, f"{URL}{created['id']}/"),
    )
    assert response.status_code == 200, response.json()
    assert response.json()["completed_on"] == "2026-02-01"
    refused = editor_api.patch(
        f"{URL}{created['id']}/",
        {"reopened_on": "2026-01-01"},
        format="json",
        **if_match(editor_api, f"{URL}{created['id']}/"),
    )
    assert refused.status_code == 400
    assert refused.json()["reopened_on"] == ["A re-opening follows the completion it re-opens."]
