"""The admin writes depositary actions only through the services.

The treaty's rules come back as form errors on the field, never as a 500; every save,
deletion and revert is attributed to the editor who made it.
"""

from datetime import date

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from mineban.records import SOURCE_REQUIRED
from states import services
from states.models import Country, DepositaryAction, Treaty
from tests.conftest import TEST_SOURCE

TODAY = date(2026, 11, 22)
ADD_URL = "/admin/states/depositaryaction/add/"
LIST_URL = "/admin/states/depositaryaction/"
pytestmark = pytest.mark.django_db


def change_url(action: DepositaryAction) -> str:
    return f"/admin/states/depositaryaction/{action.pk}/change/"


@pytest.fixture
def editor_client(client: Client, editor) -> Client:  # type: ignore[no-untyped-def]
    client.force_login(editor)
    return client


def usa() -> Country:
    return Country.objects.get(iso3="USA")


def apmbc() -> Treaty:
    return Treaty.objects.get(code="APMBC")


def usa_signature(on: date = date(1998, 1, 5)) -> DepositaryAction:
    return services.depositary_action_record(
        country=usa(),
        treaty=apmbc(),
        kind="signature",
        action_date=on,
        today=TODAY,
        source_citation=TEST_SOURCE,
    )


def form_data(**values: object) -> dict[str, object]:
    data: dict[str, object] = {
        "country": usa().pk,
        "treaty": apmbc().pk,
        "kind": "signature",
        "action_date": "1998-01-05",
        "consent_type": "",
        "effective_date": "",
        "effective_date_pending_reason": "",
        "text": "",
        "depositary_reference": "",
        "source_citation": "UN Treaty Collection, status of the APMBC (test)",
        "source_urls": "[]",
        "notes": "",
        "unverified_fields": "[]",
    }
    data.update(values)
    return data


def field_errors(response, field: str) -> list[str]:  # type: ignore[no-untyped-def]
    return list(response.context["adminform"].form.errors.get(field, []))


def test_anonymous_and_analyst_are_kept_out(client, analyst):  # type: ignore[no-untyped-def]
    assert client.get(LIST_URL).status_code == 302
    client.force_login(analyst)
    assert client.get(LIST_URL).status_code == 302
    assert client.post(ADD_URL, form_data()).status_code == 302
    assert not DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC").exists()


def test_editor_sees_the_list_in_a_bounded_number_of_queries(  # type: ignore[no-untyped-def]
    editor_client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(12):
        response = editor_client.get(LIST_URL, {"treaty__id__exact": apmbc().pk})
    assert response.status_code == 200
    assert editor_client.get(LIST_URL, {"q": "Albania"}).status_code == 200


def test_add_goes_through_the_service_and_is_attributed(editor_client, editor):  # type: ignore[no-untyped-def]
    response = editor_client.post(ADD_URL, form_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    action = DepositaryAction.objects.get(country__iso3="USA", treaty__code="APMBC")
    assert (action.created_by, action.updated_by) == (editor, editor)
    assert action.history.get().history_user == editor  # type: ignore[attr-defined]


def test_add_that_breaks_a_rule_shows_the_field_error(editor_client):  # type: ignore[no-untyped-def]
    response = editor_client.post(
        ADD_URL, form_data(kind="consent", consent_type="ratification", action_date="2000-01-04")
    )
    assert response.status_code == 200
    assert field_errors(response, "consent_type") == [
        "A ratification requires a prior signature; a State that did not sign accedes."
    ]
    assert not DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC").exists()


def test_add_of_a_signature_outside_the_window_shows_the_field_error(editor_client):  # type: ignore[no-untyped-def]
    response = editor_client.post(ADD_URL, form_data(action_date="1999-03-01"))
    assert response.status_code == 200
    assert field_errors(response, "action_date") == [
        "APMBC was open for signature until 1999-02-28; after that a State can only accede."
    ]


def test_change_goes_through_the_service(editor_client, editor):  # type: ignore[no-untyped-def]
    action = usa_signature()
    assert editor_client.get(ADD_URL).status_code == 200
    assert editor_client.get(change_url(action)).status_code == 200
    response = editor_client.post(change_url(action), form_data(action_date="1998-01-06", notes="Ottawa"))
    assert response.status_code == 302, response.context["adminform"].form.errors
    action.refresh_from_db()
    assert (action.action_date, action.notes, action.updated_by) == (date(1998, 1, 6), "Ottawa", editor)
    assert action.history.first().history_user == editor  # type: ignore[attr-defined]


def test_change_that_breaks_a_rule_shows_the_field_error(editor_client):  # type: ignore[no-untyped-def]
    action = usa_signature()
    response = editor_client.post(change_url(action), form_data(action_date="1999-06-01"))
    assert response.status_code == 200
    assert field_errors(response, "action_date") == [
        "APMBC was open for signature until 1999-02-28; after that a State can only accede."
    ]
    action.refresh_from_db()
    assert action.action_date == date(1998, 1, 5)


def test_delete_of_a_signature_a_consent_rests_on_is_refused(editor_client):  # type: ignore[no-untyped-def]
    signature = DepositaryAction.objects.get(country__iso3="ALB", treaty__code="APMBC", kind="signature")
    response = editor_client.post(f"/admin/states/depositaryaction/{signature.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == [
        "Delete the consent first: it rests on this signature."
    ]
    assert DepositaryAction.objects.filter(pk=signature.pk).exists()


def test_delete_goes_through_the_service(editor_client, editor):  # type: ignore[no-untyped-def]
    action = usa_signature()
    response = editor_client.post(f"/admin/states/depositaryaction/{action.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not DepositaryAction.objects.filter(pk=action.pk).exists()
    assert action.history.first().history_type == "-"  # type: ignore[attr-defined]
    assert action.history.first().history_user == editor  # type: ignore[attr-defined]


def test_bulk_delete_is_refused_as_a_whole(editor_client):  # type: ignore[no-untyped-def]
    usa_only = usa_signature()
    signature = DepositaryAction.objects.get(country__iso3="ALB", treaty__code="APMBC", kind="signature")
    response = editor_client.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [usa_only.pk, signature.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert DepositaryAction.objects.filter(pk__in=[usa_only.pk, signature.pk]).count() == 2
    assert any("Nothing deleted" in str(m) for m in get_messages(response.wsgi_request))


def test_bulk_delete_takes_a_whole_record_in_order(editor_client):  # type: ignore[no-untyped-def]
    signature = usa_signature()
    consent = services.depositary_action_record(
        country=usa(), treaty=apmbc(), kind="consent", consent_type="ratification",
        action_date=date(2000, 1, 4), today=TODAY,
        source_citation=TEST_SOURCE,
    )  # fmt: skip
    response = editor_client.post(
        LIST_URL,
        {"action": "delete_selected", "_selected_action": [signature.pk, consent.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not DepositaryAction.objects.filter(pk__in=[signature.pk, consent.pk]).exists()


def test_revert_from_history_goes_through_the_service(editor_client, editor):  # type: ignore[no-untyped-def]
    action = usa_signature()
    first = action.history.get().history_id  # type: ignore[attr-defined]
    services.depositary_action_update(action=action, action_date=date(1998, 1, 6), today=TODAY)
    revert_url = f"/admin/states/depositaryaction/{action.pk}/history/{first}/"

    assert editor_client.get(f"/admin/states/depositaryaction/{action.pk}/history/").status_code == 200
    assert editor_client.get(revert_url).status_code == 200
    response = editor_client.post(revert_url, {})

    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.action_date, action.updated_by) == (date(1998, 1, 5), editor)
    latest = action.history.first()  # type: ignore[attr-defined]
    assert (latest.history_type, latest.history_user) == ("~", editor)


def test_revert_that_breaks_a_rule_shows_the_reason(editor_client):  # type: ignore[no-untyped-def]
    action = usa_signature(date(1998, 6, 1))
    first = action.history.get().history_id  # type: ignore[attr-defined]
    services.depositary_action_update(action=action, action_date=date(1998, 1, 5), today=TODAY)
    services.depositary_action_record(
        country=usa(), treaty=apmbc(), kind="consent", consent_type="ratification",
        action_date=date(1998, 3, 2), today=TODAY,
        source_citation=TEST_SOURCE,
    )  # fmt: skip
    response = editor_client.post(f"/admin/states/depositaryaction/{action.pk}/history/{first}/", {})
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors() == [
        "Action date: The signature (1998-06-01) cannot follow the instrument of consent "
        "deposited on 1998-03-02."
    ]
    action.refresh_from_db()
    assert action.action_date == date(1998, 1, 5)


def test_countries_cannot_be_added_or_deleted(client, admin_user):  # type: ignore[no-untyped-def]
    client.force_login(admin_user)
    assert client.get("/admin/states/country/", {"q": "USA"}).status_code == 200
    assert client.get("/admin/states/country/add/").status_code == 403
    assert client.get(f"/admin/states/treaty/{apmbc().pk}/change/").status_code == 200


def _submitted_as_shown(response) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The POST a browser would send for an admin change page left as it is."""
    data: dict[str, object] = {}
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        forms += list(formset.forms)
        management = formset.management_form
        data.update({management.add_prefix(name): management[name].value() for name in management.fields})
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            if value is None or value is False:
                continue
            data[form.add_prefix(name)] = "on" if value is True else value
    return data


def test_a_changed_treaty_obligation_recomputes_every_state_under_it(  # type: ignore[no-untyped-def]
    client, admin_user, django_capture_on_commit_callbacks, eager_tasks
):
    from obligations.models import Obligation

    client.force_login(admin_user)
    url = f"/admin/states/treaty/{apmbc().pk}/change/"
    data = _submitted_as_shown(client.get(url))
    [period] = [key for key, value in data.items() if key.endswith("-period_months") and value == 48]
    data[period] = 60

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    greece_art4 = Obligation.objects.get(country__iso3="GRC", treaty__code="APMBC", terms__code="art4")
    # Greece's APMBC entered into force on 2004-03-01: four years became five.
    assert (greece_art4.original_deadline, greece_art4.current_deadline) == (date(2009, 3, 1),) * 2


def test_add_without_a_source_shows_the_field_error(editor_client):  # type: ignore[no-untyped-def]
    response = editor_client.post(ADD_URL, form_data(source_citation="", source_urls="[]"))
    assert response.status_code == 200
    assert field_errors(response, "source_citation") == [SOURCE_REQUIRED]
    assert not DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC").exists()


def test_editor_sees_a_consent_whose_date_is_not_on_record(editor_client):  # type: ignore[no-untyped-def]
    belgium = DepositaryAction.objects.get(country__iso3="BEL", treaty__code="CCW-APII")
    listing = editor_client.get("/admin/states/depositaryaction/", {"q": "BEL"})
    change = editor_client.get(f"/admin/states/depositaryaction/{belgium.pk}/change/")
    assert (listing.status_code, change.status_code) == (200, 200)
    assert "2026-11-22" in change.content.decode()


# --- Two editors on one record (issue 10) -------------------------------------------------


def test_a_save_over_a_change_made_since_the_form_opened_is_refused_showing_what_changed(  # type: ignore[no-untyped-def]
    editor_client, admin_user
):
    action = usa_signature()
    opened = editor_client.get(change_url(action))
    version = opened.context["adminform"].form["record_version"].value()
    assert version

    # Meanwhile another editor corrects the notes.
    services.depositary_action_update(action=action, notes="Signed in Ottawa", user=admin_user, today=TODAY)

    response = editor_client.post(change_url(action), form_data(record_version=version, notes="my notes"))
    assert response.status_code == 200
    [message] = response.context["adminform"].form.non_field_errors()
    assert message.startswith("Someone changed this record since you opened it, and nothing was saved")
    assert "notes: '' → 'Signed in Ottawa'" in message
    action.refresh_from_db()
    assert action.notes == "Signed in Ottawa"


def test_a_save_from_the_current_version_goes_through(editor_client):  # type: ignore[no-untyped-def]
    action = usa_signature()
    version = editor_client.get(change_url(action)).context["adminform"].form["record_version"].value()
    response = editor_client.post(change_url(action), form_data(record_version=version, notes="checked"))
    assert response.status_code == 302
    action.refresh_from_db()
    assert action.notes == "checked"
