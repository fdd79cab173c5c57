"""Dates the treaty makes impossible are a 400 naming the field (issue 10).

Cambodia consented to be bound by the APMBC on 1999-07-28; the Marshall Islands on
2025-03-12 (in force 2025-09-01)."""

import pytest

pytestmark = pytest.mark.django_db

ACTIONS = "/api/v1/depositary-actions/"
REPORTS = "/api/v1/article7-reports/"
COMPLETIONS = "/api/v1/completions/"
CITED = {"source_citation": "test"}


def test_an_accession_dated_1900_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    body = {"state": "USA", "treaty": "APMBC", "kind": "consent", "consent_type": "accession"}
    response = editor_api.post(ACTIONS, {**body, "action_date": "1900-01-01", **CITED}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "action_date": [
            "APMBC opened for signature on 1997-12-03; no action under it can be dated earlier (1900-01-01)."
        ]
    }


def test_a_report_covering_year_3000_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    body = {"state": "MHL", "treaty": "APMBC", "kind": "annual", "covered_year": 3000}
    response = editor_api.post(REPORTS, {**body, "submitted_on": "2026-04-30", **CITED}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "covered_year": [
            "An update submitted on 2026-04-30 cannot cover 3000; the latest year it can cover is 2026."
        ]
    }


def test_a_report_submitted_before_the_state_was_bound_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    body = {"state": "MHL", "treaty": "APMBC", "kind": "initial", "submitted_on": "1990-01-01"}
    response = editor_api.post(REPORTS, {**body, **CITED}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "submitted_on": [
            "Marshall Islands consented to be bound by APMBC on 2025-03-12; its reports cannot be dated "
            "earlier (1990-01-01)."
        ]
    }


def test_an_annual_update_without_its_year_is_a_field_message(editor_api):  # type: ignore[no-untyped-def]
    body = {"state": "MHL", "treaty": "APMBC", "kind": "annual", "submitted_on": "2026-04-30"}
    response = editor_api.post(REPORTS, {**body, **CITED}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "covered_year": ["An annual update names the calendar year it covers (covered_year)."]
    }


def test_a_completion_in_1990_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    body = {"state": "KHM", "treaty": "APMBC", "obligation": "art5", "kind": "completed"}
    response = editor_api.post(COMPLETIONS, {**body, "completed_on": "1990-01-01", **CITED}, format="json")
    assert response.status_code == 400
    assert response.json() == {
        "completed_on": [
            "Cambodia consented to be bound by APMBC on 1999-07-28; a completion of its obligation cannot "
            "be dated earlier (1990-01-01)."
        ]
    }


def test_a_completion_in_the_future_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    body = {"state": "KHM", "treaty": "APMBC", "obligation": "art5", "kind": "completed"}
    response = editor_api.post(COMPLETIONS, {**body, "completed_on": "2099-01-01", **CITED}, format="json")
    assert response.status_code == 400
    assert response.json() == {"completed_on": ["This cannot be dated in the future (2099-01-01)."]}
