"""The write API for Art. 5 extensions: who may write, what the rules refuse, the feed.

The test database holds the real APMBC extensions. Cambodia's Art. 5 deadline stands at
2030-12-31 (22MSP, 2025-12-05): every case extends or corrects it with fixed dates.
"""

from datetime import date

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from obligations import services
from obligations.models import Extension, Obligation
from tests.api.conftest import if_match
from tests.conftest import TEST_SOURCE

URL = "/api/v1/extensions/"
DEADLINES = "/api/v1/deadlines/"
AS_OF = "2026-11-22"
pytestmark = pytest.mark.django_db

KHM_23MSP = {
    "state": "KHM",
    "treaty": "APMBC",
    "obligation": "art5",
    "meeting": "23MSP",
    "requested_on": "2026-03-31",
    "granted_on": "2026-11-20",
    "new_deadline": "2033-12-31",
    "source_citation": "Decisions of the Twenty-third Meeting of the States Parties (test)",
}


def khm_art5() -> Obligation:
    return Obligation.objects.get(country__iso3="KHM", treaty__code="APMBC", terms__code="art5")


def khm_extensions() -> int:
    return Extension.objects.filter(obligation=khm_art5()).count()


def art5_deadline(api: APIClient) -> str:
    response = api.get(DEADLINES, {"state": "KHM", "treaty": "APMBC", "as_of": AS_OF})
    assert response.status_code == 200
    (art5,) = [row for row in response.json()["results"] if row["obligation"] == "art5"]
    return art5["current_deadline"]  # type: ignore[no-any-return]


# --- Who may read and write ---------------------------------------------------------------


def test_anonymous_reads_the_list(api, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(
        5
    ):  # the data version, the State and treaty known, the count and the page
        response = api.get(URL, {"state": "khm", "treaty": "APMBC"})
    assert response.status_code == 200
    body = response.json()
    assert [(e["meeting"], e["new_deadline"]) for e in body["results"]] == [
        ("9MSP", "2020-01-01"),
        ("4RC", "2025-12-31"),
        ("22MSP", "2030-12-31"),
    ]
    assert body["results"][0]["obligation"] == "art5"
    assert body["results"][0]["created_by"] is None


def test_anonymous_cannot_grant_and_nothing_is_written(api):  # type: ignore[no-untyped-def]
    before = khm_extensions()
    response = api.post(URL, KHM_23MSP, format="json")
    assert response.status_code in (401, 403)
    assert khm_extensions() == before


def test_analyst_cannot_grant_change_or_delete(analyst_api):  # type: ignore[no-untyped-def]
    before = khm_extensions()
    existing = Extension.objects.filter(obligation=khm_art5()).order_by("granted_on").last()
    assert analyst_api.post(URL, KHM_23MSP, format="json").status_code == 403
    assert (
        analyst_api.patch(
            f"{URL}{existing.pk}/",
            {"meeting": "X"},
            format="json",
            **if_match(analyst_api, f"{URL}{existing.pk}/"),
        ).status_code
        == 403
    )
    assert (
        analyst_api.delete(
            f"{URL}{existing.pk}/", **if_match(analyst_api, f"{URL}{existing.pk}/")
        ).status_code
        == 403
    )
    assert khm_extensions() == before
    existing.refresh_from_db()
    assert existing.meeting == "22MSP"


# --- Editors ------------------------------------------------------------------------------


def test_extension_moves_current_deadline(editor_api, django_capture_on_commit_callbacks, eager_tasks):  # type: ignore[no-untyped-def]
    assert art5_deadline(editor_api) == "2030-12-31"
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_api.post(URL, KHM_23MSP, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["treaty"], body["obligation"], body["meeting"]) == (
        "KHM",
        "APMBC",
        "art5",
        "23MSP",
    )
    assert (body["granted_on"], body["new_deadline"], body["created_by"]) == (
        "2026-11-20",
        "2033-12-31",
        "editor",
    )
    assert art5_deadline(editor_api) == "2033-12-31"
    khm_art5_now = khm_art5()
    assert khm_art5_now.current_deadline == date(2033, 12, 31)  # the recompute ran after commit


def test_extension_beyond_ten_years_is_refused(editor_api):  # type: ignore[no-untyped-def]
    before = khm_extensions()
    response = editor_api.post(URL, {**KHM_23MSP, "new_deadline": "2041-01-01"}, format="json")
    assert response.status_code == 400
    assert response.json()["new_deadline"] == [
        "An extension runs at most 120 months beyond 2030-12-31: 2040-12-31 at the latest, not 2041-01-01."
    ]
    assert khm_extensions() == before


def test_art4_deadline_cannot_be_extended(editor_api):  # type: ignore[no-untyped-def]
    response = editor_api.post(URL, {**KHM_23MSP, "state": "UKR", "obligation": "art4"}, format="json")
    assert response.status_code == 400
    assert response.json()["new_deadline"] == ["The Art. 4 deadline cannot be extended."]


def test_unknown_state_and_obligation_are_field_errors(editor_api):  # type: ignore[no-untyped-def]
    response = editor_api.post(URL, {**KHM_23MSP, "state": "XXX"}, format="json")
    assert response.status_code == 400
    assert response.json()["state"] == ["No State has the ISO3 code XXX."]

    response = editor_api.post(URL, {**KHM_23MSP, "state": "CAN"}, format="json")
    assert response.status_code == 400
    assert response.json()["obligation"] == ["Canada owes no art5 obligation under APMBC on record."]


def test_editor_corrects_then_deletes_an_extension(editor_api, editor):  # type: ignore[no-untyped-def]
    extension = services.extension_grant(
        obligation=khm_art5(),
        meeting="23MSP",
        granted_on=date(2026, 11, 20),
        new_deadline=date(2033, 12, 31),
        source_citation=TEST_SOURCE,
    )
    response = editor_api.patch(
        f"{URL}{extension.pk}/",
        {"new_deadline": "2032-12-31"},
        format="json",
        **if_match(editor_api, f"{URL}{extension.pk}/"),
    )
    assert response.status_code == 200, response.json()
    assert (response.json()["new_deadline"], response.json()["updated_by"]) == ("2032-12-31", "editor")
    assert art5_deadline(editor_api) == "2032-12-31"

    refused = editor_api.patch(
        f"{URL}{extension.pk}/",
        {"state": "UKR"},
        format="json",
        **if_match(editor_api, f"{URL}{extension.pk}/"),
    )
    assert refused.status_code == 400
    assert refused.json()["state"] == ["This cannot be changed: delete the record and record a new one."]

    assert (
        editor_api.delete(
            f"{URL}{extension.pk}/", **if_match(editor_api, f"{URL}{extension.pk}/")
        ).status_code
        == 204
    )
    assert not Extension.objects.filter(pk=extension.pk).exists()
    assert art5_deadline(editor_api) == "2030-12-31"
    deleted = Extension.history.filter(id=extension.pk, history_type="-").get()  # type: ignore[attr-defined]
    assert deleted.history_user == editor


def test_change_feed_lists_an_extension_change_with_its_user(editor_api):  # type: ignore[no-untyped-def]
    started = timezone.now()
    created = editor_api.post(URL, KHM_23MSP, format="json").json()
    editor_api.patch(
        f"{URL}{created['id']}/",
        {"notes": "Decision 23MSP/5"},
        format="json",
        **if_match(editor_api, f"{URL}{created['id']}/"),
    )

    response = editor_api.get("/api/v1/changes/", {"since": started.isoformat(), "state": "KHM"})

    assert response.status_code == 200
    changed, added = response.json()["results"]
    assert (added["model"], added["object_id"], added["change_type"], added["user"]) == (
        "extension",
        created["id"],
        "+",
        "editor",
    )
    assert (added["state"], added["treaty"]) == ("KHM", "APMBC")
    assert (changed["model"], changed["change_type"], changed["changed_fields"], changed["user"]) == (
        "extension",
        "~",
        ["notes"],
        "editor",
    )
