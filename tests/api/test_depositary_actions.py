"""The write API for depositary actions: who may write, what the rules refuse, history.

The test database holds the real APMBC and CCM participation. The United States never
signed the APMBC, so its APMBC record starts empty: every case builds on it with fixed dates.
"""

from datetime import date

import pytest
from rest_framework.test import APIClient

from states import services
from states.models import Country, DepositaryAction, Treaty
from tests.api.conftest import if_match
from tests.conftest import TEST_SOURCE

URL = "/api/v1/depositary-actions/"
pytestmark = pytest.mark.django_db

USA_ACCESSION = {
    "state": "USA",
    "treaty": "APMBC",
    "kind": "consent",
    "consent_type": "accession",
    "action_date": "2000-01-04",
    "source_citation": "Depositary notification C.N.1.2000.TREATIES-1 (test)",
}


CITED = {"source_citation": "UN Treaty Collection, status of the APMBC (test)"}


def usa() -> Country:
    return Country.objects.get(iso3="USA")


def apmbc() -> Treaty:
    return Treaty.objects.get(code="APMBC")


def alb_signature() -> DepositaryAction:
    """Albania signed the APMBC on 1998-09-08 and ratified it on 2000-02-29."""
    return DepositaryAction.objects.get(country__iso3="ALB", treaty__code="APMBC", kind="signature")


def usa_records() -> int:
    return DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC").count()


def history_rows() -> int:
    return DepositaryAction.history.count()  # type: ignore[attr-defined]


def record(kind: str, on: date, **fields):  # type: ignore[no-untyped-def]
    """Something already on record for the USA, written the way every write is."""
    fields.setdefault("source_citation", TEST_SOURCE)
    return services.depositary_action_record(
        country=usa(), treaty=apmbc(), kind=kind, action_date=on, today=date(2026, 11, 22), **fields
    )


# --- Who may read and write ---------------------------------------------------------------


def test_anonymous_reads_the_list(api, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(4):  # the data version, the treaty known, the count and the page
        response = api.get(URL, {"treaty": "APMBC", "page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] > 160
    assert len(response.json()["results"]) == 200


def test_list_filters_by_state_treaty_and_kind(api):  # type: ignore[no-untyped-def]
    response = api.get(URL, {"treaty": "apmbc", "state": "alb", "kind": "signature"})
    assert response.status_code == 200
    [signature] = response.json()["results"]
    assert signature["state"] == "ALB"
    assert signature["treaty"] == "APMBC"
    assert signature["action_date"] == "1998-09-08"


def test_list_rejects_an_unknown_kind(api):  # type: ignore[no-untyped-def]
    response = api.get(URL, {"kind": "armistice"})
    assert response.status_code == 400
    assert "kind" in response.json()


def test_list_query_count_does_not_grow_with_the_page(  # type: ignore[no-untyped-def]
    api, django_assert_num_queries
):
    # The data version (mineban.cache), the count and the page.
    with django_assert_num_queries(3):
        api.get(URL, {"page_size": 5})
    with django_assert_num_queries(3):
        api.get(URL, {"page_size": 200})


@pytest.mark.parametrize("who", ["anonymous", "analyst"])
def test_non_editors_cannot_write(api, request, who):  # type: ignore[no-untyped-def]
    if who != "anonymous":
        api.force_login(request.getfixturevalue(who))
    action = alb_signature()
    before = (DepositaryAction.objects.count(), history_rows())

    created = api.post(
        URL, {"state": "USA", "treaty": "APMBC", "kind": "signature", "action_date": "1998-01-05"}
    )
    changed = api.patch(
        f"{URL}{action.pk}/", {"notes": "vandalism"}, format="json", **if_match(api, f"{URL}{action.pk}/")
    )
    deleted = api.delete(f"{URL}{action.pk}/", **if_match(api, f"{URL}{action.pk}/"))
    reverted = api.post(
        f"{URL}{action.pk}/revert/", {"history_id": 1}, format="json", **if_match(api, f"{URL}{action.pk}/")
    )

    assert {created.status_code, changed.status_code, deleted.status_code, reverted.status_code} <= {401, 403}
    assert (DepositaryAction.objects.count(), history_rows()) == before


def test_editor_records_a_signature_attributed_to_them(editor_api, editor):  # type: ignore[no-untyped-def]
    response = editor_api.post(
        URL,
        {
            "state": "usa",
            "treaty": "APMBC",
            "kind": "signature",
            "action_date": "1998-01-05",
            "source_urls": ["https://treaties.un.org/"],
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["state"], body["kind"], body["action_date"]) == ("USA", "signature", "1998-01-05")
    assert body["created_by"] == body["updated_by"] == "editor"
    action = DepositaryAction.objects.get(pk=body["id"])
    assert action.created_by == editor
    assert action.history.get().history_user == editor  # type: ignore[attr-defined]


def test_superuser_may_write(api, admin_user):  # type: ignore[no-untyped-def]
    api.force_login(admin_user)
    response = api.post(URL, USA_ACCESSION, format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["created_by"] == "admin"


def test_session_writes_need_the_csrf_token(editor):  # type: ignore[no-untyped-def]
    browser = APIClient(enforce_csrf_checks=True)
    browser.force_login(editor)
    response = browser.post(
        URL, {"state": "USA", "treaty": "APMBC", "kind": "signature", "action_date": "1998-01-05"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert usa_records() == 0


# --- What the treaty's rules refuse: 400, a message on the field, nothing written ----------

RATIFY_UNSIGNED = "A ratification requires a prior signature; a State that did not sign accedes."


@pytest.mark.parametrize(
    ("on_record", "payload", "expected"),
    [
        pytest.param(
            [],
            {"kind": "signature", "action_date": "1999-03-01"},
            {
                "action_date": [
                    "APMBC was open for signature until 1999-02-28; after that a State can only accede."
                ]
            },
            id="signature-after-the-window",
        ),
        pytest.param(
            [],
            {"kind": "signature", "action_date": "1997-12-02"},
            {"action_date": ["APMBC opened for signature on 1997-12-03; 1997-12-02 is before that."]},
            id="signature-before-the-window",
        ),
        pytest.param(
            [],
            {"kind": "consent", "consent_type": "ratification", "action_date": "2000-01-04"},
            {"consent_type": [RATIFY_UNSIGNED]},
            id="ratification-without-signature",
        ),
        pytest.param(
            [("signature", date(1998, 1, 5), {})],
            {"kind": "consent", "consent_type": "accession", "action_date": "2000-01-04"},
            {
                "consent_type": [
                    "This State signed on 1998-01-05: its instrument is a ratification, acceptance "
                    "or approval, not an accession."
                ]
            },
            id="accession-by-a-signatory",
        ),
        pytest.param(
            [("signature", date(1998, 6, 1), {})],
            {"kind": "consent", "consent_type": "ratification", "action_date": "1998-05-01"},
            {"action_date": ["The instrument (1998-05-01) cannot precede the signature of 1998-06-01."]},
            id="consent-before-signature",
        ),
        pytest.param(
            [],
            {"kind": "withdrawal", "action_date": "2020-01-06"},
            {"action_date": ["Only a State that has consented to be bound can withdraw."]},
            id="withdrawal-by-a-non-party",
        ),
        pytest.param(
            [("consent", date(2000, 1, 4), {"consent_type": "accession"})],
            {"kind": "withdrawal", "action_date": "1999-06-01"},
            {
                "action_date": [
                    "The notice (1999-06-01) cannot precede the instrument of consent "
                    "deposited on 2000-01-04."
                ]
            },
            id="withdrawal-before-consent",
        ),
        pytest.param(
            [],
            {"kind": "consent", "consent_type": "accession", "action_date": "2999-01-04"},
            {"action_date": ["A deposit cannot be dated in the future (2999-01-04)."]},
            id="deposit-in-the-future",
        ),
        pytest.param(
            [("consent", date(2000, 1, 4), {"consent_type": "accession"})],
            {"kind": "consent", "consent_type": "accession", "action_date": "2001-01-04"},
            {"kind": ["USA already has a consent to be bound for APMBC on record (dated 2000-01-04)."]},
            id="duplicate-consent",
        ),
    ],
)
def test_rules_refuse_with_a_field_message(editor_api, on_record, payload, expected):  # type: ignore[no-untyped-def]
    for kind, on, fields in on_record:
        record(kind, on, **fields)
    before = (DepositaryAction.objects.count(), history_rows())

    response = editor_api.post(URL, {"state": "USA", "treaty": "APMBC", **CITED, **payload}, format="json")

    assert response.status_code == 400
    assert response.json() == expected
    assert (DepositaryAction.objects.count(), history_rows()) == before


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        pytest.param({"action_date": "1998-02-30"}, "action_date", id="impossible-date"),
        pytest.param({"action_date": "5 Jan 1998"}, "action_date", id="malformed-date"),
        pytest.param({"action_date": None}, "action_date", id="null-date"),
        pytest.param({"state": "XXX"}, "state", id="unknown-state"),
        pytest.param({"state": 840}, "state", id="numeric-state"),
        pytest.param({"treaty": "NPT"}, "treaty", id="unknown-treaty"),
        pytest.param({"kind": "armistice"}, "kind", id="unknown-kind"),
        pytest.param({"consent_type": "conquest"}, "consent_type", id="unknown-consent-type"),
        pytest.param({"source_urls": "not a list"}, "source_urls", id="urls-not-a-list"),
        pytest.param({"created_by": 1}, "created_by", id="extra-field"),
    ],
)
def test_bad_input_is_a_400_never_a_500(editor_api, payload, field):  # type: ignore[no-untyped-def]
    body = {"state": "USA", "treaty": "APMBC", "kind": "signature", "action_date": "1998-01-05", **payload}
    response = editor_api.post(URL, body, format="json")
    assert response.status_code == 400
    assert field in response.json()
    assert usa_records() == 0


def test_unknown_state_message_names_the_code(editor_api):  # type: ignore[no-untyped-def]
    body = {"state": "XXX", "treaty": "APMBC", "kind": "signature", "action_date": "1998-01-05"}
    assert editor_api.post(URL, body, format="json").json() == {"state": ["No State has the ISO3 code XXX."]}


def test_a_body_that_is_not_an_object_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    assert editor_api.post(URL, [1, 2], format="json").status_code == 400
    assert editor_api.post(URL, "{not json", content_type="application/json").status_code == 400


def test_consent_without_its_type_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    response = editor_api.post(URL, {"state": "USA", "treaty": "APMBC", "kind": "consent",
                                     "action_date": "2000-01-04", **CITED}, format="json")  # fmt: skip
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["An instrument of consent needs its type; other actions have none."]
    }


# --- Change, history, revert, delete --------------------------------------------------------


def test_patch_then_revert_restores_the_old_value(editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post(URL, USA_ACCESSION, format="json")
    detail = f"{URL}{created.json()['id']}/"

    changed = editor_api.patch(
        detail,
        {"action_date": "2000-02-01", "notes": "typo in the notification"},
        **if_match(editor_api, detail),
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["action_date"] == "2000-02-01"

    history = editor_api.get(f"{detail}history/").json()
    assert [v["change_type"] for v in history] == ["~", "+"]
    assert history[0]["user"] == "editor"
    assert history[0]["changes"]["action_date"] == {"old": "2000-01-04", "new": "2000-02-01"}
    original = history[1]["history_id"]

    reverted = editor_api.post(
        f"{detail}revert/", {"history_id": original}, format="json", **if_match(editor_api, f"{detail}")
    )
    assert reverted.status_code == 200, reverted.json()
    assert reverted.json()["action_date"] == "2000-01-04"
    assert reverted.json()["notes"] == ""

    history = editor_api.get(f"{detail}history/").json()
    assert [v["change_type"] for v in history] == ["~", "~", "+"]
    assert history[0]["changes"]["action_date"] == {"old": "2000-02-01", "new": "2000-01-04"}
    assert DepositaryAction.objects.get(pk=created.json()["id"]).action_date == date(2000, 1, 4)


def test_patch_that_breaks_a_rule_changes_nothing(editor_api):  # type: ignore[no-untyped-def]
    signature = record("signature", date(1998, 1, 5))
    record("consent", date(2000, 1, 4), consent_type="ratification")
    before = history_rows()
    response = editor_api.patch(
        f"{URL}{signature.pk}/",
        {"action_date": "2001-01-01"},
        format="json",
        **if_match(editor_api, f"{URL}{signature.pk}/"),
    )
    assert response.status_code == 400
    assert "action_date" in response.json()
    assert history_rows() == before
    signature.refresh_from_db()
    assert signature.action_date == date(1998, 1, 5)


@pytest.mark.parametrize("field", ["kind", "state", "treaty"])
def test_identity_cannot_be_patched(editor_api, field):  # type: ignore[no-untyped-def]
    signature = record("signature", date(1998, 1, 5))
    response = editor_api.patch(
        f"{URL}{signature.pk}/", {field: "x"}, format="json", **if_match(editor_api, f"{URL}{signature.pk}/")
    )
    assert response.status_code == 400
    assert response.json() == {field: ["This cannot be changed: delete the action and record a new one."]}


def test_put_is_not_offered(editor_api):  # type: ignore[no-untyped-def]
    signature = record("signature", date(1998, 1, 5))
    assert editor_api.put(f"{URL}{signature.pk}/", {}, format="json").status_code == 405


def test_revert_to_a_version_of_another_action_is_a_400(editor_api):  # type: ignore[no-untyped-def]
    signature = record("signature", date(1998, 1, 5))
    other = alb_signature()
    foreign = other.history.first().history_id  # type: ignore[attr-defined]
    response = editor_api.post(
        f"{URL}{signature.pk}/revert/",
        {"history_id": foreign},
        format="json",
        **if_match(editor_api, f"{URL}{signature.pk}/"),
    )
    assert response.status_code == 400
    assert response.json() == {"history_id": [f"Version {foreign} is not a version of this action."]}


def test_deleting_a_signature_a_consent_rests_on_is_refused(editor_api):  # type: ignore[no-untyped-def]
    signature = alb_signature()
    response = editor_api.delete(f"{URL}{signature.pk}/", **if_match(editor_api, f"{URL}{signature.pk}/"))
    assert response.status_code == 400
    assert response.json() == {"kind": ["Delete the consent first: it rests on this signature."]}
    assert DepositaryAction.objects.filter(pk=signature.pk).exists()


def test_delete_is_attributed_and_history_survives(editor_api, editor):  # type: ignore[no-untyped-def]
    signature = record("signature", date(1998, 1, 5))
    assert (
        editor_api.delete(
            f"{URL}{signature.pk}/", **if_match(editor_api, f"{URL}{signature.pk}/")
        ).status_code
        == 204
    )
    assert not DepositaryAction.objects.filter(pk=signature.pk).exists()
    history = editor_api.get(f"{URL}{signature.pk}/history/").json()
    assert [(v["change_type"], v["user"]) for v in history] == [("-", "editor"), ("+", None)]


def test_anonymous_readers_do_not_see_usernames(api_as, editor_api):  # type: ignore[no-untyped-def]
    created = editor_api.post(URL, USA_ACCESSION, format="json").json()
    assert created["created_by"] == "editor"
    public = api_as().get(f"{URL}{created['id']}/").json()
    assert (public["created_by"], public["updated_by"]) == (None, None)
    [version] = api_as().get(f"{URL}{created['id']}/history/").json()
    assert version["user"] is None


def test_a_concurrent_duplicate_is_a_409_not_a_500(editor_api, monkeypatch):  # type: ignore[no-untyped-def]
    """Two editors record the same signature at once: validation passes for both, the
    database's unique constraint stops the second."""
    from django.db import IntegrityError

    def racing(**kwargs):  # type: ignore[no-untyped-def]
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(services, "depositary_action_record", racing)
    response = editor_api.post(URL, USA_ACCESSION, format="json")
    assert response.status_code == 409
    assert "at the same moment" in response.json()["detail"]


def test_unknown_action_is_a_404(api):  # type: ignore[no-untyped-def]
    assert api.get(f"{URL}999999999/").status_code == 404
    assert api.get(f"{URL}999999999/history/").status_code == 404
