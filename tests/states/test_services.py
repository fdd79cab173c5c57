"""The services every write goes through: attribution, the rules, history and revert."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import ValidationError

from mineban.permissions import EDITORS_GROUP, editors_group_sync, is_editor
from states import services
from states.models import Country, DepositaryAction, Treaty
from tests.conftest import TEST_SOURCE

TODAY = date(2026, 11, 22)
pytestmark = pytest.mark.django_db


def usa() -> Country:
    return Country.objects.get(iso3="USA")


def apmbc() -> Treaty:
    return Treaty.objects.get(code="APMBC")


def test_record_attributes_the_action_and_its_history_outside_a_request(editor):  # type: ignore[no-untyped-def]
    action = services.depositary_action_record(
        country=usa(),
        treaty=apmbc(),
        kind="signature",
        action_date=date(1998, 1, 5),
        user=editor,
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    assert (action.created_by, action.updated_by) == (editor, editor)
    assert action.history.get().history_user == editor  # type: ignore[attr-defined]


def test_update_attributes_the_change_to_its_editor(editor, admin_user):  # type: ignore[no-untyped-def]
    action = services.depositary_action_record(
        country=usa(),
        treaty=apmbc(),
        kind="signature",
        action_date=date(1998, 1, 5),
        user=editor,
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    services.depositary_action_update(action=action, notes="Signed in Ottawa", user=admin_user, today=TODAY)
    action.refresh_from_db()
    assert (action.created_by, action.updated_by) == (editor, admin_user)
    latest = action.history.first()  # type: ignore[attr-defined]
    assert (latest.history_type, latest.history_user) == ("~", admin_user)


def test_an_anonymous_user_is_not_attributed():  # type: ignore[no-untyped-def]
    action = services.depositary_action_record(
        country=usa(),
        treaty=apmbc(),
        kind="signature",
        action_date=date(1998, 1, 5),
        user=AnonymousUser(),
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    assert action.created_by is None


def test_duplicate_signature_is_reported_on_kind():  # type: ignore[no-untyped-def]
    services.depositary_action_record(
        country=usa(),
        treaty=apmbc(),
        kind="signature",
        action_date=date(1998, 1, 5),
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    with pytest.raises(ValidationError) as caught:
        services.depositary_action_record(
            country=usa(),
            treaty=apmbc(),
            kind="signature",
            action_date=date(1998, 2, 5),
            today=TODAY,
            source_citation=TEST_SOURCE,
        )
    assert caught.value.message_dict == {
        "kind": ["USA already has a signature for APMBC on record (dated 1998-01-05)."]
    }
    assert DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC").count() == 1


def test_several_declarations_are_allowed():  # type: ignore[no-untyped-def]
    for day in (date(2000, 1, 4), date(2001, 1, 4)):
        services.depositary_action_record(
            country=usa(),
            treaty=apmbc(),
            kind="declaration",
            action_date=day,
            text="On Art. 2",
            today=TODAY,
            source_citation=TEST_SOURCE,
        )
    assert DepositaryAction.objects.filter(country__iso3="USA", kind="declaration").count() == 2


def test_revert_restores_an_earlier_version(editor):  # type: ignore[no-untyped-def]
    action = services.depositary_action_record(
        country=usa(),
        treaty=apmbc(),
        kind="signature",
        action_date=date(1998, 1, 5),
        user=editor,
        today=TODAY,
        source_citation=TEST_SOURCE,
    )
    first = action.history.get().history_id  # type: ignore[attr-defined]
    services.depositary_action_update(action=action, action_date=date(1998, 1, 6), user=editor, today=TODAY)
    services.depositary_action_revert(action=action, history_id=first, user=editor, today=TODAY)
    action.refresh_from_db()
    assert action.action_date == date(1998, 1, 5)
    assert action.history.count() == 3  # type: ignore[attr-defined]


def test_editors_group_has_the_editable_models_permissions():  # type: ignore[no-untyped-def]
    Group.objects.filter(name=EDITORS_GROUP).delete()
    editors_group_sync()
    editors_group_sync()  # idempotent
    group = Group.objects.get(name=EDITORS_GROUP)
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == {
        (app_label, f"{action}_{model}")
        for app_label, model in [
            ("states", "depositaryaction"),
            ("obligations", "obligation"),
            ("obligations", "extension"),
            ("obligations", "completion"),
            ("obligations", "extensionrequest"),
            ("obligations", "article7report"),
            ("states", "meeting"),
            ("states", "meetingattendance"),
            ("states", "ungaresolution"),
            ("states", "ungavote"),
            ("states", "policyfact"),
        ]
        for action in ("add", "change", "delete", "view")
    }


def test_who_is_an_editor(analyst, editor, admin_user):  # type: ignore[no-untyped-def]
    inactive = User.objects.create_user("gone", is_active=False)
    inactive.groups.add(Group.objects.get(name=EDITORS_GROUP))
    assert [is_editor(u) for u in (None, AnonymousUser(), analyst, editor, admin_user, inactive)] == [
        False,
        False,
        False,
        True,
        True,
        False,
    ]


# --- Existence in time and consents whose date is not on record ---------------------------


def test_an_action_dated_before_the_state_existed_is_refused_on_its_date():  # type: ignore[no-untyped-def]
    south_sudan = Country.objects.get(iso3="SSD")
    with pytest.raises(ValidationError) as excinfo:
        services.depositary_action_record(
            country=south_sudan, treaty=Treaty.objects.get(code="CCM"), kind="declaration",
            action_date=date(2011, 7, 8), text="Made up for this test.", today=TODAY,
            source_citation=TEST_SOURCE,
        )  # fmt: skip
    assert excinfo.value.message_dict == {
        "action_date": ["The State did not exist on 2011-07-08: it exists from 2011-07-09 (independence)."]
    }


def test_a_state_cannot_be_said_to_exist_after_an_action_on_record():  # type: ignore[no-untyped-def]
    timor_leste = Country.objects.get(iso3="TLS")
    with pytest.raises(ValidationError) as excinfo:
        services.country_existence_set(
            country=timor_leste,
            exists_from=date(2004, 1, 1),
            basis="made up for this test",
            source=TEST_SOURCE,
        )
    assert excinfo.value.message_dict == {
        "exists_from": ["TLS's APMBC consent on record is dated 2003-05-07, before 2004-01-01."]
    }


def test_a_consent_whose_date_is_not_on_record_needs_the_date_a_source_listed_it():  # type: ignore[no-untyped-def]
    apii = Treaty.objects.get(code="CCW-APII")
    angola = Country.objects.get(iso3="AGO")  # not on the Protocol's roster
    with pytest.raises(ValidationError) as excinfo:
        services.depositary_action_record(
            country=angola, treaty=apii, kind="consent", action_date=None, today=TODAY,
            source_citation=TEST_SOURCE,
        )  # fmt: skip
    assert list(excinfo.value.message_dict) == ["action_date"]
    undated = services.depositary_action_record(
        country=angola, treaty=apii, kind="consent", action_date=None, known_by=date(2026, 11, 22),
        today=TODAY, source_citation=TEST_SOURCE,
    )  # fmt: skip
    assert (undated.action_date, undated.consent_type, str(undated)) == (
        None, "", "AGO CCW-APII consent date not on record, known by 2026-11-22",
    )  # fmt: skip


def test_a_signature_of_a_protocol_with_no_signature_stage_is_refused():  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        services.depositary_action_record(
            country=usa(), treaty=Treaty.objects.get(code="CCW-APII"), kind="signature",
            action_date=date(1998, 1, 5), today=TODAY, source_citation=TEST_SOURCE,
        )  # fmt: skip
    assert excinfo.value.message_dict == {
        "kind": ["CCW-APII has no signature stage: a State consents to be bound by it directly."]
    }


# --- Joining again after a withdrawal: Estonia's withdrawal is real (effective 2025-12-27),
# its new accession below is MADE UP for these tests (TEST_SOURCE says so).


def _estonia_accedes_again(on: date, consent_type: str = "accession") -> DepositaryAction:
    return services.depositary_action_record(
        country=Country.objects.get(iso3="EST"), treaty=apmbc(), kind="consent", action_date=on,
        consent_type=consent_type, today=date(2026, 11, 30), source_citation=TEST_SOURCE,
    )  # fmt: skip


def test_a_state_may_accede_again_once_its_withdrawal_took_effect():  # type: ignore[no-untyped-def]
    from states.selectors import participation_for

    _estonia_accedes_again(date(2026, 3, 2))
    treaty = participation_for(apmbc())
    estonia = treaty.get("EST")
    assert (estonia.consent.action_date, estonia.entry_into_force) == (date(2026, 3, 2), date(2026, 9, 1))
    assert [p.consent.action_date for p in estonia.earlier] == [date(2004, 5, 12)]
    days = [date(2020, 1, 1), date(2026, 1, 1), date(2026, 3, 2), date(2026, 9, 1)]
    statuses = [estonia.status(day).value for day in days]
    assert statuses == ["state_party", "withdrawn", "consented", "state_party"]
    today = treaty.counts(as_of=date(2026, 11, 30))
    # 161 States Parties and 5 withdrawals on the data's date; Estonia is back among the parties.
    assert (today.states_parties, today.withdrawn) == (162, 4)


def test_a_new_accession_before_the_withdrawal_took_effect_is_refused():  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        _estonia_accedes_again(date(2025, 12, 1))
    assert excinfo.value.message_dict == {
        "action_date": [
            "A State joins again only once its withdrawal has taken effect (2025-12-27); "
            "the instrument is dated 2025-12-01."
        ]
    }


def test_a_state_that_withdrew_joins_again_by_accession_not_ratification():  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as excinfo:
        _estonia_accedes_again(date(2026, 3, 2), consent_type="ratification")
    assert excinfo.value.message_dict == {
        "consent_type": ["A State that withdrew joins APMBC again by accession."]
    }
