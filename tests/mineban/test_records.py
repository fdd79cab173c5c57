"""The record lifecycle every service shares: cited, attributed, kept in the history."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from mineban.records import SOURCE_REQUIRED
from obligations import services as obligation_services
from obligations.models import Obligation
from states import services
from states.models import Country, DepositaryAction, Treaty
from tests.conftest import TEST_SOURCE

pytestmark = pytest.mark.django_db


def _usa_signature(**fields: object) -> DepositaryAction:
    return services.depositary_action_record(
        country=Country.objects.get(iso3="USA"),
        treaty=Treaty.objects.get(code="APMBC"),
        kind="signature",
        action_date=date(1998, 1, 5),
        today=date(2026, 11, 30),
        **fields,
    )


def test_a_service_refuses_a_new_record_without_a_source() -> None:
    with pytest.raises(ValidationError) as refused:
        _usa_signature()
    assert refused.value.message_dict == {"source_citation": [SOURCE_REQUIRED]}
    assert not DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC").exists()


def test_a_url_alone_is_a_source() -> None:
    action = _usa_signature(source_urls=["https://treaties.un.org/"])
    assert action.source_urls == ["https://treaties.un.org/"]


def test_a_change_may_replace_the_sources_but_not_remove_the_last_one() -> None:
    action = _usa_signature(source_citation=TEST_SOURCE)
    replaced = services.depositary_action_update(action=action, source_citation="Another made-up source.")
    assert replaced.source_citation == "Another made-up source."
    with pytest.raises(ValidationError) as refused:
        services.depositary_action_update(action=action, source_citation="")
    assert refused.value.message_dict == {"source_citation": [SOURCE_REQUIRED]}
    action.refresh_from_db()
    assert action.source_citation == "Another made-up source."


def test_a_change_that_leaves_the_sources_alone_needs_no_new_citation() -> None:
    extension = obligation_services.extension_grant(
        obligation=Obligation.objects.get(country__iso3="KHM", terms__code="art5"),
        meeting="23MSP",
        granted_on=date(2026, 11, 20),
        new_deadline=date(2033, 12, 31),
        source_citation=TEST_SOURCE,
    )
    changed = obligation_services.extension_update(extension=extension, new_deadline=date(2032, 12, 31))
    assert changed.new_deadline == date(2032, 12, 31)


def test_the_history_names_the_author_and_the_reason_outside_a_request(editor) -> None:  # type: ignore[no-untyped-def]
    action = _usa_signature(source_citation=TEST_SOURCE, user=editor)
    [version] = action.history.all()
    assert (version.history_user, version.history_change_reason) == (editor, TEST_SOURCE)
    assert (action.created_by, action.updated_by) == (editor, editor)
