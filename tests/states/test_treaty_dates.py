"""No depositary action before the treaty opened for signature (issue 10): an accession
dated 1900 would otherwise make the State a party from the treaty's own entry into force."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from states import services
from states.models import Country, DepositaryAction, Treaty

TODAY = date(2026, 11, 22)
pytestmark = pytest.mark.django_db


def accede(iso3: str, treaty: str, on: date) -> DepositaryAction:
    return services.depositary_action_record(
        country=Country.objects.get(iso3=iso3),
        treaty=Treaty.objects.get(code=treaty),
        kind="consent",
        consent_type="accession",
        action_date=on,
        today=TODAY,
        source_citation="test",
    )


@pytest.mark.parametrize("on", [date(1900, 1, 1), date(1997, 9, 1), date(1997, 12, 2)])
def test_an_accession_before_the_apmbc_opened_is_refused(on: date) -> None:
    with pytest.raises(ValidationError) as refused:
        accede("USA", "APMBC", on)
    assert refused.value.message_dict == {
        "action_date": [
            "APMBC opened for signature on 1997-12-03; no action under it can be dated earlier "
            f"({on.isoformat()})."
        ]
    }
    assert not DepositaryAction.objects.filter(country__iso3="USA", treaty__code="APMBC").exists()


def test_an_accession_before_the_ccm_opened_is_refused() -> None:
    with pytest.raises(ValidationError) as refused:
        accede("USA", "CCM", date(2008, 12, 2))
    assert refused.value.message_dict["action_date"][0].startswith("CCM opened for signature on 2008-12-03;")


def test_an_accession_on_the_opening_day_is_accepted() -> None:
    assert accede("USA", "APMBC", date(1997, 12, 3)).action_date == date(1997, 12, 3)


def test_a_declaration_before_the_treaty_opened_is_refused_too() -> None:
    with pytest.raises(ValidationError) as refused:
        services.depositary_action_record(
            country=Country.objects.get(iso3="USA"),
            treaty=Treaty.objects.get(code="APMBC"),
            kind="declaration",
            action_date=date(1996, 1, 1),
            today=TODAY,
            source_citation="test",
        )
    assert list(refused.value.message_dict) == ["action_date"]
