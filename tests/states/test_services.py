"""The services every write goes through: attribution, the rules, history and revert."""

from datetime import date

import pytest
from django.contrib.auth.models import AnonymousUser, Group, User
from django.core.exceptions import ValidationError

from mineban.permissions import EDITORS_GROUP, editors_group_sync, is_editor
from states import services
from states.models import Country, DepositaryAction, Treaty

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
    )
    assert action.created_by is None


def test_duplicate_signature_is_reported_on_kind():  # type: ignore[no-untyped-def]
    services.depositary_action_record(
        country=usa(), treaty=apmbc(), kind="signature", action_date=date(1998, 1, 5), today=TODAY
    )
    with pytest.raises(ValidationError) as caught:
        services.depositary_action_record(
            country=usa(), treaty=apmbc(), kind="signature", action_date=date(1998, 2, 5), today=TODAY
        )
    assert caught.value.message_dict == {
        "kind": ["USA already has a signature for APMBC on record (dated 1998-01-05)."]
    }
    assert DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC").count() == 1


def test_several_declarations_are_allowed():  # type: ignore[no-untyped-def]
    for day in (date(2000, 1, 4), date(2001, 1, 4)):
        services.depositary_action_record(
            country=usa(), treaty=apmbc(), kind="declaration", action_date=day, text="On Art. 2", today=TODAY
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
