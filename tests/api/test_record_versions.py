"""History, revert and restore, the same for every record editors write through services:
depositary actions, Art. 5 extensions, completions and Art. 7 reports.

The test database holds the real reference data: Cambodia's Art. 5 deadline stands at
2030-12-31 (22MSP), the United States never signed the APMBC, and the Marshall Islands
has no Art. 7 report on record.
"""

from datetime import date

import pytest
from rest_framework.test import APIClient

from mineban.records import SOURCE_REQUIRED
from obligations.models import Article7Report, Completion, Extension
from states.models import DepositaryAction
from tests.api.conftest import if_match
from tests.api.test_article7_reports import MHL_INITIAL
from tests.api.test_completions import KHM_COMPLETED
from tests.api.test_extensions import KHM_23MSP

DEADLINES = "/api/v1/deadlines/"
AS_OF = "2026-11-22"
pytestmark = pytest.mark.django_db

USA_SIGNATURE = {
    "state": "USA",
    "treaty": "APMBC",
    "kind": "signature",
    "action_date": "1997-12-03",
    "source_citation": "UN Treaty Collection, status of the APMBC (test)",
}


def deadline_row(api: APIClient, state: str, obligation: str) -> dict[str, object]:
    response = api.get(DEADLINES, {"state": state, "treaty": "APMBC", "as_of": AS_OF})
    assert response.status_code == 200
    (row,) = [r for r in response.json()["results"] if r["obligation"] == obligation]
    return row  # type: ignore[no-any-return]


def change_types(api: APIClient, url: str) -> list[str]:
    response = api.get(f"{url}history/")
    assert response.status_code == 200, response.json()
    return [version["change_type"] for version in response.json()]


# --- Revert: the facts of an earlier version, as a new version ------------------------------


def test_extension_revert_puts_the_deadline_back(editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post("/api/v1/extensions/", KHM_23MSP, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/extensions/{created.json()['id']}/"
    assert (
        editor_api.patch(
            url, {"new_deadline": "2031-06-30"}, format="json", **if_match(editor_api, url)
        ).status_code
        == 200
    )
    assert deadline_row(editor_api, "KHM", "art5")["current_deadline"] == "2031-06-30"

    history = editor_api.get(f"{url}history/").json()
    assert [v["change_type"] for v in history] == ["~", "+"]
    assert history[0]["user"] == "editor"
    assert history[0]["changes"]["new_deadline"] == {"old": "2033-12-31", "new": "2031-06-30"}

    reverted = editor_api.post(
        f"{url}revert/",
        {"history_id": history[1]["history_id"]},
        format="json",
        **if_match(editor_api, f"{url}"),
    )
    assert reverted.status_code == 200, reverted.json()
    assert reverted.json()["new_deadline"] == "2033-12-31"
    assert deadline_row(editor_api, "KHM", "art5")["current_deadline"] == "2033-12-31"
    assert change_types(editor_api, url) == ["~", "~", "+"]


def test_completion_revert(editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post("/api/v1/completions/", KHM_COMPLETED, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/completions/{created.json()['id']}/"
    assert (
        editor_api.patch(
            url, {"completed_on": "2026-10-01"}, format="json", **if_match(editor_api, url)
        ).status_code
        == 200
    )
    original = editor_api.get(f"{url}history/").json()[-1]["history_id"]

    reverted = editor_api.post(
        f"{url}revert/", {"history_id": original}, format="json", **if_match(editor_api, f"{url}")
    )
    assert reverted.status_code == 200, reverted.json()
    assert reverted.json()["completed_on"] == "2026-11-01"
    assert Completion.objects.get(pk=created.json()["id"]).completed_on == "2026-11-01"


def test_article7_report_revert(editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post("/api/v1/article7-reports/", MHL_INITIAL, format="json")
    assert created.status_code == 201, created.json()
    url = f"/api/v1/article7-reports/{created.json()['id']}/"
    assert (
        editor_api.patch(
            url, {"submitted_on": "2026-11-21"}, format="json", **if_match(editor_api, url)
        ).status_code
        == 200
    )
    original = editor_api.get(f"{url}history/").json()[-1]["history_id"]

    reverted = editor_api.post(
        f"{url}revert/", {"history_id": original}, format="json", **if_match(editor_api, f"{url}")
    )
    assert reverted.status_code == 200, reverted.json()
    assert reverted.json()["submitted_on"] == "2026-11-20"
    assert change_types(editor_api, url) == ["~", "~", "+"]


def test_revert_to_a_version_of_another_record_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    first = editor_api.post("/api/v1/extensions/", KHM_23MSP, format="json").json()
    second = editor_api.post(
        "/api/v1/extensions/",
        {**KHM_23MSP, "meeting": "24MSP", "granted_on": "2026-11-21", "new_deadline": "2034-12-31"},
        format="json",
    ).json()
    foreign = Extension.history.filter(id=second["id"]).get().history_id  # type: ignore[attr-defined]
    response = editor_api.post(
        f"/api/v1/extensions/{first['id']}/revert/",
        {"history_id": foreign},
        format="json",
        **if_match(editor_api, f"/api/v1/extensions/{first['id']}/"),
    )
    assert response.status_code == 400
    assert response.json() == {"history_id": [f"Version {foreign} is not a version of this extension."]}


# --- Restore: a deleted record comes back under its id -------------------------------------


def test_deleted_extension_is_restored_under_its_id(editor_api, editor):  # type: ignore[no-untyped-def]
    created = editor_api.post("/api/v1/extensions/", KHM_23MSP, format="json").json()
    url = f"/api/v1/extensions/{created['id']}/"
    assert editor_api.delete(url, **if_match(editor_api, url)).status_code == 204
    assert deadline_row(editor_api, "KHM", "art5")["current_deadline"] == "2030-12-31"

    restored = editor_api.post(f"{url}restore/")
    assert restored.status_code == 201, restored.json()
    body = restored.json()
    assert (body["id"], body["meeting"], body["new_deadline"], body["updated_by"]) == (
        created["id"],
        "23MSP",
        "2033-12-31",
        "editor",
    )
    assert deadline_row(editor_api, "KHM", "art5")["current_deadline"] == "2033-12-31"
    assert change_types(editor_api, url) == ["+", "-", "+"]
    assert Extension.objects.get(pk=created["id"]).created_by == editor


def test_deleted_completion_and_report_are_restored(editor_api):  # type: ignore[no-untyped-def]
    completion = editor_api.post("/api/v1/completions/", KHM_COMPLETED, format="json").json()
    report = editor_api.post("/api/v1/article7-reports/", MHL_INITIAL, format="json").json()
    completion_url = f"/api/v1/completions/{completion['id']}/"
    report_url = f"/api/v1/article7-reports/{report['id']}/"
    assert editor_api.delete(completion_url, **if_match(editor_api, completion_url)).status_code == 204
    assert editor_api.delete(report_url, **if_match(editor_api, report_url)).status_code == 204
    assert deadline_row(editor_api, "KHM", "art5")["status"] == "pending"

    assert editor_api.post(f"{completion_url}restore/").status_code == 201
    assert editor_api.post(f"{report_url}restore/").status_code == 201

    assert deadline_row(editor_api, "KHM", "art5")["status"] == "completed_on_time"
    restored = Article7Report.objects.get(pk=report["id"])
    assert (restored.kind, restored.submitted_on) == ("initial", date(2026, 11, 20))
    assert deadline_row(editor_api, "MHL", "art7-initial")["status"] == "completed_late"


def test_depositary_action_restore_and_its_participation(editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post("/api/v1/depositary-actions/", USA_SIGNATURE, format="json").json()
    url = f"/api/v1/depositary-actions/{created['id']}/"
    assert editor_api.delete(url, **if_match(editor_api, url)).status_code == 204

    restored = editor_api.post(f"{url}restore/")
    assert restored.status_code == 201, restored.json()
    assert (restored.json()["id"], restored.json()["action_date"]) == (created["id"], "1997-12-03")
    participation = editor_api.get("/api/v1/participations/", {"treaty": "APMBC", "as_of": AS_OF}).json()
    usa = next(row for row in _rows(participation) if row["iso3"] == "USA")
    assert (usa["signature_date"], usa["status"]) == ("1997-12-03", "signatory")


def _rows(body: object) -> list[dict[str, object]]:
    return body["results"] if isinstance(body, dict) else body  # type: ignore[return-value,index]


def test_restore_that_the_rules_now_refuse_writes_nothing(editor_api):  # type: ignore[no-untyped-def]
    """Deleted, then recorded again with another date: the old one cannot come back too."""
    created = editor_api.post("/api/v1/depositary-actions/", USA_SIGNATURE, format="json").json()
    url = f"/api/v1/depositary-actions/{created['id']}/"
    assert editor_api.delete(url, **if_match(editor_api, url)).status_code == 204
    again = {**USA_SIGNATURE, "action_date": "1997-12-04"}
    assert editor_api.post("/api/v1/depositary-actions/", again, format="json").status_code == 201
    versions = DepositaryAction.history.count()  # type: ignore[attr-defined]

    response = editor_api.post(f"{url}restore/")

    assert response.status_code == 400
    assert "signature" in str(response.json())
    assert not DepositaryAction.objects.filter(pk=created["id"]).exists()
    assert DepositaryAction.history.count() == versions  # type: ignore[attr-defined]


def test_restore_of_a_record_that_exists_or_never_did(editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post("/api/v1/extensions/", KHM_23MSP, format="json").json()
    existing = editor_api.post(f"/api/v1/extensions/{created['id']}/restore/")
    assert existing.status_code == 400
    assert existing.json() == {
        "non_field_errors": ["This extension exists: revert it to one of its versions instead."]
    }
    never = editor_api.post("/api/v1/completions/999999999/restore/")
    assert never.status_code == 404
    assert never.json() == {"detail": "No completion has ever had the id 999999999."}
    assert editor_api.get("/api/v1/article7-reports/999999999/history/").status_code == 404


@pytest.mark.parametrize("prefix", ["depositary-actions", "extensions", "completions", "article7-reports"])
def test_readers_cannot_revert_or_restore(prefix, api, analyst):  # type: ignore[no-untyped-def]
    assert api.post(f"/api/v1/{prefix}/1/restore/").status_code in (401, 403)
    assert api.post(f"/api/v1/{prefix}/1/revert/", {"history_id": 1}, format="json").status_code in (401, 403)
    api.force_login(analyst)
    assert api.post(f"/api/v1/{prefix}/1/restore/").status_code == 403


# --- Every record says where it comes from -------------------------------------------------

UNCITED = {"source_citation": "", "source_urls": []}


@pytest.mark.parametrize(
    ("url", "payload", "model"),
    [
        ("/api/v1/depositary-actions/", USA_SIGNATURE, DepositaryAction),
        ("/api/v1/extensions/", KHM_23MSP, Extension),
        ("/api/v1/completions/", KHM_COMPLETED, Completion),
        ("/api/v1/article7-reports/", MHL_INITIAL, Article7Report),
    ],
)
def test_a_new_record_without_a_source_is_refused(editor_api, url, payload, model):  # type: ignore[no-untyped-def]
    before = model.objects.count()
    response = editor_api.post(url, {**payload, **UNCITED}, format="json")
    assert response.status_code == 400
    assert response.json() == {"source_citation": [SOURCE_REQUIRED]}
    assert model.objects.count() == before


def test_a_change_may_replace_the_source_but_not_remove_it(editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post("/api/v1/extensions/", KHM_23MSP, format="json").json()
    url = f"/api/v1/extensions/{created['id']}/"

    removed = editor_api.patch(url, {"source_citation": "  "}, format="json", **if_match(editor_api, url))
    assert removed.status_code == 400
    assert removed.json() == {"source_citation": [SOURCE_REQUIRED]}

    replaced = editor_api.patch(
        url,
        {"source_citation": "", "source_urls": ["https://www.apminebanconvention.org/"]},
        format="json",
        **if_match(editor_api, url),
    )
    assert replaced.status_code == 200, replaced.json()
    assert (replaced.json()["source_citation"], replaced.json()["source_urls"]) == (
        "",
        ["https://www.apminebanconvention.org/"],
    )
    assert (
        editor_api.patch(url, {"notes": "checked"}, format="json", **if_match(editor_api, url)).status_code
        == 200
    )
