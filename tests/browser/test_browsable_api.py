"""An editor using the browsable API in a real browser: its edit button sends the version the
page showed (If-Match), so the edit lands; a version someone else saved meanwhile is refused."""

import json
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from mineban.concurrency import record_version
from states.models import DepositaryAction

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page) -> None:  # type: ignore[no-untyped-def]
    page.goto(page.base + "/accounts/login/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("editor-pass-1997")
    page.get_by_role("button", name=re.compile("Log in", re.I)).click()


def _patch_notes(page, notes: str):  # type: ignore[no-untyped-def]
    """Send the PATCH form; the response the browser got."""
    form = page.locator("#put-generic-content-form")
    form.get_by_label("Content:").fill(json.dumps({"notes": notes}))
    with page.expect_response(lambda r: r.request.method == "PATCH") as answer:
        form.get_by_role("button", name="PATCH").click()
    return answer.value


def test_the_patch_button_sends_the_version_read_and_a_stale_one_is_refused(page, editor):  # type: ignore[no-untyped-def]
    action = DepositaryAction.objects.get(country__iso3="AFG", treaty__code="APMBC", kind="consent")
    version = f'"{record_version(action)}"'
    _log_in(page)
    url = f"{page.base}/api/v1/depositary-actions/{action.pk}/"
    page.goto(url)
    response = _patch_notes(page, "Checked against the depositary notification.")
    assert (response.status, response.request.headers.get("if-match")) == (200, version)
    expect(page.locator(".response-info")).to_contain_text("Checked against the depositary notification.")
    action.refresh_from_db()
    assert action.notes == "Checked against the depositary notification."

    # The page now shows the new version: a second edit from it lands too.
    response = _patch_notes(page, "Checked twice.")
    assert response.status == 200
    action.refresh_from_db()
    assert action.notes == "Checked twice."

    # Someone else saves a change after the page was shown: its version is stale now.
    stale = DepositaryAction.objects.filter(pk=action.pk)
    stale.update(notes="Another editor's note.", updated_at=timezone.now())
    response = _patch_notes(page, "Overwriting what I never saw.")
    assert response.status == 412
    expect(page.locator(".response-info")).to_contain_text("HTTP 412 Precondition Failed")
    action.refresh_from_db()
    assert action.notes == "Another editor's note."
