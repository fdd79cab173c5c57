"""The write API for Art. 7 reports.

The Marshall Islands' APMBC entered into force on 2025-09-01: its initial report fell due
on 2026-02-28 and, with no report on record, is overdue as of 2026-11-22.
"""

import pytest
from rest_framework.test import APIClient

from obligations.models import Article7Report
from tests.api.conftest import if_match

URL = "/api/v1/article7-reports/"
DEADLINES = "/api/v1/deadlines/"
AS_OF = "2026-11-22"
pytestmark = pytest.mark.django_db

MHL_INITIAL = {
    "state": "MHL",
    "treaty": "APMBC",
    "kind": "initial",
    "submitted_on": "2026-11-20",
    "source_urls": ["https://www.apminebanconvention.org/en/states-parties/article-7-reports/"],
}


def mhl_reports() -> int:
    return Article7Report.objects.filter(country__iso3="MHL").count()


def initial_report(api: APIClient) -> dict[str, object]:
    response = api.get(DEADLINES, {"state": "MHL", "treaty": "APMBC", "as_of": AS_OF})
    (row,) = [r for r in response.json()["results"] if r["obligation"] == "art7-initial"]
    return row  # type: ignore[no-any-return]


@pytest.mark.parametrize("who", ["anonymous", "analyst"])
def test_readers_cannot_record_a_report(who, api, analyst):  # type: ignore[no-untyped-def]
    if who == "analyst":
        api.force_login(analyst)
    before = mhl_reports()
    response = api.post(URL, MHL_INITIAL, format="json")
    assert response.status_code in (401, 403)
    assert mhl_reports() == before
    assert api.get(URL, {"state": "MHL"}).status_code == 200


def test_initial_report_changes_the_obligation_status(editor_api, django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    before = initial_report(editor_api)
    # The Marshall Islands' reports are not tracked: a report not on record is not called missing.
    assert (before["current_deadline"], before["status"]) == ("2026-02-28", "not_tracked")

    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.post(URL, MHL_INITIAL, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["kind"], body["covered_year"], body["created_by"]) == (
        "MHL",
        "initial",
        None,
        "editor",
    )
    assert initial_report(editor_api)["status"] == "completed_late"

    corrected = editor_api.patch(
        f"{URL}{body['id']}/",
        {"submitted_on": "2026-02-20"},
        format="json",
        **if_match(editor_api, f"{URL}{body['id']}/"),
    )
    assert corrected.status_code == 200, corrected.json()
    assert initial_report(editor_api)["status"] == "completed_on_time"

    assert (
        editor_api.delete(f"{URL}{body['id']}/", **if_match(editor_api, f"{URL}{body['id']}/")).status_code
        == 204
    )
    assert initial_report(editor_api)["status"] == "not_tracked"


def test_report_of_a_non_party_is_refused(editor_api):  # type: ignore[no-untyped-def]
    response = editor_api.post(URL, {**MHL_INITIAL, "state": "USA"}, format="json")
    assert response.status_code == 400
    assert response.json()["country"] == ["United States of America has not consented to be bound by APMBC."]


def test_second_initial_report_is_refused(editor_api):  # type: ignore[no-untyped-def]
    assert editor_api.post(URL, MHL_INITIAL, format="json").status_code == 201
    response = editor_api.post(URL, MHL_INITIAL, format="json")
    assert response.status_code == 400
    assert mhl_reports() == 1
