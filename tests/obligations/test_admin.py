"""The admin writes extensions, completions, obligations and Art. 7 reports only through
the services: the rules come back as field errors (never a 500), every write is attributed.

Cambodia's Art. 5 deadline stands at 2030-12-31 in the real reference data (22MSP,
2025-12-05); the Marshall Islands' APMBC entered into force on 2025-09-01.
"""

from datetime import date

import pytest
from django.test import Client

from obligations import services
from obligations.models import Alert, Article7Report, Completion, Extension, Obligation
from tests.conftest import TEST_SOURCE

pytestmark = pytest.mark.django_db
EXTENSIONS = "/admin/obligations/extension/"
COMPLETIONS = "/admin/obligations/completion/"
OBLIGATIONS = "/admin/obligations/obligation/"
REPORTS = "/admin/obligations/article7report/"
SOURCED = {
    "source_citation": "Decisions of the Twenty-third Meeting of the States Parties (test)",
    "source_urls": "[]",
    "notes": "",
    "unverified_fields": "[]",
}


@pytest.fixture
def editor_client(client: Client, editor) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    return client


def khm_art5() -> Obligation:
    return Obligation.objects.get(country__iso3="KHM", treaty__code="APMBC", terms__code="art5")


def extension_data(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "obligation": khm_art5().pk,
        "meeting": "23MSP",
        "requested_on": "2026-03-31",
        "granted_on": "2026-11-20",
        "new_deadline": "2033-12-31",
        **SOURCED,
    }
    data.update(values)
    return data


def field_errors(response, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(response.context["adminform"].form.errors.get(field, []))


def khm_extensions() -> int:
    return Extension.objects.filter(obligation__country__iso3="KHM").count()


def test_anonymous_and_analyst_are_kept_out(client, analyst):  # type: ignore[no-untyped-def]
    before = khm_extensions()
    assert client.get(EXTENSIONS).status_code == 302
    client.force_login(analyst)
    assert client.get(EXTENSIONS).status_code == 302
    assert client.post(f"{EXTENSIONS}add/", extension_data()).status_code == 302
    assert khm_extensions() == before


@pytest.mark.parametrize("url", [EXTENSIONS, COMPLETIONS, OBLIGATIONS, REPORTS])
def test_editor_sees_the_lists_in_a_bounded_number_of_queries(  # type: ignore[no-untyped-def]
    editor_client, url, django_assert_max_num_queries
):
    with django_assert_max_num_queries(14):
        response = editor_client.get(url)
    assert response.status_code == 200
    assert editor_client.get(url, {"q": "Cambodia"}).status_code == 200
    assert editor_client.get(f"{url}add/").status_code == 200


def test_obligation_page_lists_its_extensions(editor_client):  # type: ignore[no-untyped-def]
    response = editor_client.get(f"{OBLIGATIONS}{khm_art5().pk}/change/")
    assert response.status_code == 200
    assert "22MSP" in response.content.decode()


def test_obligation_filters_by_treaty_status_and_kind(editor_client):  # type: ignore[no-untyped-def]
    response = editor_client.get(OBLIGATIONS, {"status": "pending", "terms__kind": "clearance"})
    assert response.status_code == 200
    assert "Cambodia" in response.content.decode()


def test_add_extension_goes_through_the_service_and_is_attributed(editor_client, editor):  # type: ignore[no-untyped-def]
    response = editor_client.post(f"{EXTENSIONS}add/", extension_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    extension = Extension.objects.get(obligation=khm_art5(), meeting="23MSP")
    assert (extension.new_deadline, extension.created_by) == (date(2033, 12, 31), editor)
    assert extension.history.get().history_user == editor  # type: ignore[attr-defined]


def test_add_extension_beyond_ten_years_shows_the_field_error(editor_client):  # type: ignore[no-untyped-def]
    before = khm_extensions()
    response = editor_client.post(f"{EXTENSIONS}add/", extension_data(new_deadline="2041-01-01"))
    assert response.status_code == 200
    assert field_errors(response, "new_deadline") == [
        "An extension runs at most 120 months beyond 2030-12-31: 2040-12-31 at the latest, not 2041-01-01."
    ]
    assert khm_extensions() == before


def test_add_extension_of_art4_shows_the_field_error(editor_client):  # type: ignore[no-untyped-def]
    art4 = Obligation.objects.get(country__iso3="UKR", treaty__code="APMBC", terms__code="art4")
    response = editor_client.post(f"{EXTENSIONS}add/", extension_data(obligation=art4.pk))
    assert response.status_code == 200
    assert field_errors(response, "new_deadline") == ["The Art. 4 deadline cannot be extended."]


def test_change_and_delete_extension_go_through_the_services(editor_client, editor):  # type: ignore[no-untyped-def]
    extension = services.extension_grant(
        obligation=khm_art5(),
        meeting="23MSP",
        granted_on=date(2026, 11, 20),
        new_deadline=date(2033, 12, 31),
        source_citation=TEST_SOURCE,
    )
    url = f"{EXTENSIONS}{extension.pk}/"
    assert editor_client.get(f"{url}change/").status_code == 200
    refused = editor_client.post(f"{url}change/", extension_data(new_deadline="2029-12-31"))
    assert refused.status_code == 200
    assert field_errors(refused, "new_deadline") == [
        "The new deadline (2029-12-31) must be later than the deadline it extends (2030-12-31)."
    ]
    response = editor_client.post(f"{url}change/", extension_data(new_deadline="2032-12-31"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    extension.refresh_from_db()
    assert (extension.new_deadline, extension.updated_by) == (date(2032, 12, 31), editor)

    response = editor_client.post(f"{url}delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Extension.objects.filter(pk=extension.pk).exists()
    deleted = extension.history.first()  # type: ignore[attr-defined]
    assert (deleted.history_type, deleted.history_user) == ("-", editor)


def test_add_completion_with_a_rule_violation_shows_the_field_error(editor_client):  # type: ignore[no-untyped-def]
    data = {
        "obligation": khm_art5().pk,
        "kind": "not_applicable",
        "completed_on": "2026-11-01",
        "reported_on": "",
        "reopened_on": "",
        "second_completed_on": "",
        "status_note": "",
        **SOURCED,
    }
    response = editor_client.post(f"{COMPLETIONS}add/", data)
    assert response.status_code == 200
    assert field_errors(response, "completed_on") == [
        "A declaration that the obligation never applied has no completion date."
    ]
    response = editor_client.post(f"{COMPLETIONS}add/", {**data, "kind": "completed"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert Completion.objects.filter(obligation=khm_art5(), completed_on=date(2026, 11, 1)).exists()


def test_add_report_in_the_future_shows_the_field_error(editor_client, editor):  # type: ignore[no-untyped-def]
    data = {
        "country": Obligation.objects.filter(country__iso3="MHL").first().country_id,  # type: ignore[union-attr]
        "treaty": khm_art5().treaty_id,
        "kind": "initial",
        "covered_year": "",
        "submitted_on": "2999-01-01",
        **SOURCED,
    }
    response = editor_client.post(f"{REPORTS}add/", data)
    assert response.status_code == 200
    assert field_errors(response, "submitted_on") == ["A report cannot be dated in the future (2999-01-01)."]
    response = editor_client.post(f"{REPORTS}add/", {**data, "submitted_on": "2026-11-20"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    report = Article7Report.objects.get(country__iso3="MHL")
    assert (report.kind, report.created_by) == ("initial", editor)


def test_obligation_notes_go_through_the_service(editor_client, editor):  # type: ignore[no-untyped-def]
    obligation = khm_art5()
    response = editor_client.post(
        f"{OBLIGATIONS}{obligation.pk}/change/",
        {
            "status_note": "Mine Action Review, 2026",
            **SOURCED,
            **{f"{prefix}-{key}": value for prefix in ("extensions", "extension_requests", "completions")
               for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()},
        },
    )  # fmt: skip
    assert response.status_code == 302, response.context["adminform"].form.errors
    obligation.refresh_from_db()
    assert (obligation.status_note, obligation.updated_by) == ("Mine Action Review, 2026", editor)
    assert editor_client.post(f"{OBLIGATIONS}{obligation.pk}/delete/", {"post": "yes"}).status_code == 403


def test_alerts_and_recompute_requests_are_read_only(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    alert = Alert.objects.first()
    assert alert is not None
    assert client.get("/admin/obligations/alert/", {"severity": "critical"}).status_code == 200
    assert client.get(f"/admin/obligations/alert/{alert.pk}/change/").status_code == 200
    assert client.get("/admin/obligations/alert/add/").status_code == 403
    assert client.post(f"/admin/obligations/alert/{alert.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Alert.objects.filter(pk=alert.pk).exists()
    assert client.get("/admin/mineban/recomputerequest/").status_code == 200
    assert client.get("/admin/mineban/recomputerequest/add/").status_code == 403
