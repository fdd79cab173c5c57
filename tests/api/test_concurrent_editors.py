"""Two editors on one record: a write says which version it read (If-Match), and a write
over a change it never saw is refused with 412 instead of silently undoing it (issue 10)."""

import pytest
from rest_framework.test import APIClient

from states.models import DepositaryAction

pytestmark = pytest.mark.django_db
URL = "/api/v1/depositary-actions/"


def alb_signature() -> DepositaryAction:
    return DepositaryAction.objects.get(country__iso3="ALB", treaty__code="APMBC", kind="signature")


@pytest.fixture
def second_editor_api(editor) -> APIClient:  # type: ignore[no-untyped-def]
    client = APIClient()
    client.force_login(editor)
    return client


def test_a_record_read_carries_its_version_in_an_etag(api):  # type: ignore[no-untyped-def]
    signature = alb_signature()
    response = api.get(f"{URL}{signature.pk}/")
    assert response.status_code == 200
    assert response["ETag"].startswith('"') and response["ETag"].endswith('"')
    assert api.get(f"{URL}{signature.pk}/")["ETag"] == response["ETag"]


def test_the_second_of_two_editors_who_read_the_same_version_gets_412(  # type: ignore[no-untyped-def]
    editor_api, second_editor_api
):
    detail = f"{URL}{alb_signature().pk}/"
    first_read = editor_api.get(detail)["ETag"]
    second_read = second_editor_api.get(detail)["ETag"]
    assert first_read == second_read

    first = editor_api.patch(detail, {"notes": "first editor"}, format="json", HTTP_IF_MATCH=first_read)
    assert first.status_code == 200, first.json()
    assert first["ETag"] != first_read

    second = second_editor_api.patch(
        detail, {"notes": "second editor"}, format="json", HTTP_IF_MATCH=second_read
    )
    assert second.status_code == 412
    assert second.json()["current_version"] == first["ETag"]
    assert second.json()["detail"].startswith(
        "Someone changed this record since you read it: nothing was written."
    )
    assert alb_signature().notes == "first editor"


def test_a_write_without_if_match_on_an_existing_record_is_428(editor_api):  # type: ignore[no-untyped-def]
    signature = alb_signature()
    detail = f"{URL}{signature.pk}/"
    current = editor_api.get(detail)["ETag"]
    for response in (
        editor_api.patch(detail, {"notes": "blind"}, format="json"),
        editor_api.delete(detail),
        editor_api.post(f"{detail}revert/", {"history_id": 1}, format="json"),
    ):
        assert response.status_code == 428
        assert response.json()["current_version"] == current
        assert "If-Match" in response.json()["detail"]
    assert alb_signature().notes == signature.notes


def test_a_stale_version_cannot_delete(editor_api):  # type: ignore[no-untyped-def]
    detail = f"{URL}{alb_signature().pk}/"
    stale = editor_api.get(detail)["ETag"]
    assert (
        editor_api.patch(detail, {"notes": "checked"}, format="json", HTTP_IF_MATCH=stale).status_code == 200
    )
    assert editor_api.delete(detail, HTTP_IF_MATCH=stale).status_code == 412
    assert DepositaryAction.objects.filter(pk=alb_signature().pk).exists()


def test_if_match_star_and_weak_tags_are_understood(editor_api):  # type: ignore[no-untyped-def]
    detail = f"{URL}{alb_signature().pk}/"
    assert editor_api.patch(detail, {"notes": "any"}, format="json", HTTP_IF_MATCH="*").status_code == 200
    weak = "W/" + editor_api.get(detail)["ETag"]
    assert editor_api.patch(detail, {"notes": "weak"}, format="json", HTTP_IF_MATCH=weak).status_code == 200
    garbage = editor_api.patch(detail, {"notes": "x"}, format="json", HTTP_IF_MATCH='"not-a-version"')
    assert garbage.status_code == 412


def test_lists_give_each_record_its_version_to_write_with(editor_api):  # type: ignore[no-untyped-def]
    signature = alb_signature()
    [row] = [r for r in editor_api.get(URL, {"state": "ALB"}).json()["results"] if r["id"] == signature.pk]
    assert f'"{row["version"]}"' == editor_api.get(f"{URL}{signature.pk}/")["ETag"]
    changed = editor_api.patch(
        f"{URL}{signature.pk}/",
        {"notes": "from the list"},
        format="json",
        HTTP_IF_MATCH=f'"{row["version"]}"',
    )
    assert changed.status_code == 200
    assert changed.json()["version"] != row["version"]
