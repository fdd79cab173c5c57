"""The shipped reference data, loaded the way `load_reference_data` loads it, and the
figures its README states, computed by the application's own status function."""

import shutil
from collections import Counter
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from mineban.models import RecomputeRequest
from mineban.rules.entry_into_force import treaty_entry_into_force
from mineban.rules.status import ParticipationStatus
from obligations.models import Obligation
from states.models import Country, DepositaryAction, Treaty
from states.reference_data import REFERENCE_DIR, participation_load, unverified_columns
from states.selectors import participation_for, treaty_get, treaty_terms
from tests.conftest import DATA_DATE, TODAY

pytestmark = pytest.mark.django_db
Kind = DepositaryAction.Kind


@pytest.fixture
def apmbc_participation():  # type: ignore[no-untyped-def]
    return participation_for(treaty_get("APMBC"))


def test_every_state_the_treaty_world_counts_is_loaded():
    assert Country.objects.count() == 197
    assert Country.objects.filter(un_member=True).count() == 193
    assert set(Country.objects.filter(un_member=False).values_list("iso3", flat=True)) == {
        "COK", "NIU", "PSE", "VAT",
    }  # fmt: skip
    afghanistan = Country.objects.get(iso3="AFG")
    assert (afghanistan.region, afghanistan.sub_region, afghanistan.m49_code) == (
        "Asia",
        "Southern Asia",
        "004",
    )


def test_states_parties_today_match_the_readme(apmbc_participation):  # type: ignore[no-untyped-def]
    counts = apmbc_participation.counts(as_of=DATA_DATE)
    assert counts.states_parties == 161
    assert counts.withdrawn == 5
    assert counts.signatories_not_consented == 0
    assert len(apmbc_participation) == 197
    assert sum(1 for p in apmbc_participation if p.consent) == 166


def test_states_parties_in_august_2022_match_the_readme(apmbc_participation):  # type: ignore[no-untyped-def]
    assert apmbc_participation.counts(as_of=date(2022, 8, 31)).consented == 164


def test_signatures_match_the_readme(apmbc_participation):  # type: ignore[no-untyped-def]
    signatures = [p.signature.action_date for p in apmbc_participation if p.signature]
    assert len(signatures) == 133
    assert sum(1 for d in signatures if d <= date(1997, 12, 4)) == 121


def test_forty_instruments_by_the_sixteenth_of_september_1998(apmbc_participation):  # type: ignore[no-untyped-def]
    deposits = [p.consent.action_date for p in apmbc_participation if p.consent]
    assert sum(1 for d in deposits if d <= date(1998, 9, 16)) == 40
    terms = treaty_terms(Treaty.objects.get(code="APMBC")).entry_into_force
    assert treaty_entry_into_force(deposits, terms) == date(1999, 3, 1)


def test_consent_types_match_the_readme():
    types = Counter(
        DepositaryAction.objects.filter(treaty__code="APMBC", kind=Kind.CONSENT).values_list(
            "consent_type", flat=True
        )
    )
    assert types == {"ratification": 131, "acceptance": 2, "accession": 31, "succession": 2}


def test_withdrawals_of_2025_take_effect_on_their_dates(apmbc_participation):  # type: ignore[no-untyped-def]
    effective = {p.country.iso3: p.withdrawal.effective_date for p in apmbc_participation if p.withdrawal}
    assert effective == {
        "EST": date(2025, 12, 27), "LVA": date(2025, 12, 27), "LTU": date(2025, 12, 27),
        "FIN": date(2026, 1, 10), "POL": date(2026, 2, 20),
    }  # fmt: skip
    finland = apmbc_participation.get("FIN")
    assert finland.status(date(2025, 12, 31)) is ParticipationStatus.WITHDRAWAL_PENDING
    assert finland.status(date(2026, 1, 10)) is ParticipationStatus.WITHDRAWN


def test_ukraine_stays_a_state_party_with_its_suspension_recorded_as_a_notification(apmbc_participation):  # type: ignore[no-untyped-def]
    ukraine = apmbc_participation.get("UKR")
    assert ukraine.status(DATA_DATE) is ParticipationStatus.STATE_PARTY
    assert ukraine.withdrawal is None
    (notification,) = ukraine.other_actions
    assert (notification.kind, notification.action_date) == ("notification", date(2025, 7, 18))
    assert notification.unverified_fields == ["action_date"]


def test_successions(apmbc_participation):  # type: ignore[no-untyped-def]
    south_sudan = apmbc_participation.get("SSD")
    assert south_sudan.entry_into_force == date(2011, 7, 9)
    montenegro = apmbc_participation.get("MNE")
    # No effective date on record: the rule for later States gives the date its source states.
    assert montenegro.entry_into_force == date(2007, 4, 1)
    assert "no effective date on record" in montenegro.entry_into_force_basis


def test_unverified_fields_are_kept_as_unconfirmed(apmbc_participation):  # type: ignore[no-untyped-def]
    assert apmbc_participation.get("SWE").unverified == ["signature.action_date", "consent.action_date"]
    assert apmbc_participation.get("NLD").unverified == ["consent.consent_type"]
    assert sum(1 for p in apmbc_participation if p.unverified) == 3  # Sweden, Netherlands, Ukraine's notice


def test_cluster_munitions_convention_counts():
    counts = participation_for(treaty_get("CCM")).counts(as_of=DATA_DATE)
    assert (counts.states_parties, counts.signatories_not_consented, counts.withdrawn) == (112, 12, 1)


def test_the_corrected_ccm_rows_are_loaded():
    ccm = participation_for(treaty_get("CCM"))
    iraq, tunisia = ccm.get("IRQ"), ccm.get("TUN")
    assert (iraq.signature.action_date, iraq.consent.consent_type) == (date(2009, 11, 12), "ratification")
    assert tunisia.signature.action_date == date(2009, 1, 12)
    assert tunisia.consent.consent_type == "ratification"
    assert ccm.get("MRT").signature.action_date == date(2010, 4, 19)
    assert ccm.get("MOZ").signature.action_date == date(2008, 12, 3)
    # The README: 108 signatures, 94 ratifications, 17 accessions, 2 acceptances.
    types = Counter(p.consent.consent_type for p in ccm if p.consent)
    assert (sum(1 for p in ccm if p.signature), types["ratification"], types["accession"]) == (108, 94, 17)


def test_the_ccm_corrections_update_a_database_loaded_from_the_first_file():
    """Iraq and Tunisia were first recorded as accessions without a signature: the corrected
    rows record the signature and turn the same instrument (same id) into a ratification."""
    ccm = treaty_get("CCM")
    first_file = {"IRQ", "TUN"}
    DepositaryAction.objects.filter(country__iso3__in=first_file, treaty=ccm, kind=Kind.SIGNATURE).delete()
    DepositaryAction.objects.filter(country__iso3__in=first_file, treaty=ccm, kind=Kind.CONSENT).update(
        consent_type="accession"
    )
    DepositaryAction.objects.filter(country__iso3="MRT", treaty=ccm, kind=Kind.SIGNATURE).update(
        action_date=date(2009, 4, 19)
    )
    iraq_consent = DepositaryAction.objects.get(country__iso3="IRQ", treaty=ccm, kind=Kind.CONSENT)
    path = REFERENCE_DIR / "ccm_participation.csv"

    report = participation_load("CCM", path, today=TODAY)

    assert (report.created, report.updated) == (2, 3)
    assert "updated IRQ consent: accession became ratification, after the signature now on record" in (
        report.messages
    )
    assert "updated MRT signature: action_date" in report.messages
    iraq = participation_for(ccm, countries=[iraq_consent.country]).get("IRQ")
    assert (iraq.consent.pk, iraq.consent.consent_type) == (iraq_consent.pk, "ratification")
    assert iraq.signature.action_date == date(2009, 11, 12)
    again = participation_load("CCM", path, today=TODAY)
    assert (again.created, again.updated, again.messages) == (0, 0, [])


def test_the_four_later_states_exist_from_their_dates():
    found = {
        c.iso3: (c.exists_from, c.exists_from_basis)
        for c in Country.objects.filter(exists_from__isnull=False).order_by("exists_from")
    }
    assert {iso3: when for iso3, (when, _) in found.items()} == {
        "TLS": date(2002, 5, 20), "MNE": date(2006, 6, 3), "SSD": date(2011, 7, 9), "PSE": date(2012, 11, 29),
    }  # fmt: skip
    assert found["SSD"][1] == "independence"
    assert "UN General Assembly resolution 65/308" in Country.objects.get(iso3="SSD").exists_from_source


def test_ccw_amended_protocol_ii_roster_has_106_parties_96_without_a_consent_date():
    apii = participation_for(treaty_get("CCW-APII"), include_non_participants=False)
    assert len(apii) == 106
    undated = [p for p in apii if p.consent_date_not_on_record]
    assert len(undated) == 96
    assert {p.consent.known_by for p in undated} == {date(2026, 11, 22)}
    assert {p.entry_into_force for p in undated} == {None}
    assert all(p.status(DATA_DATE) is ParticipationStatus.STATE_PARTY for p in apii)
    canada = apii.get("CAN")
    # Six months after its deposit, but not before the Protocol itself entered into force.
    assert (canada.consent.action_date, canada.entry_into_force) == (date(1998, 1, 5), date(1998, 12, 3))
    assert apii.get("AFG").entry_into_force == date(2018, 2, 9)


def test_unverified_columns_parser():
    columns = {"signature_date", "consent_date", "consent_type"}
    assert unverified_columns("UNVERIFIED: signature_date, consent_date (recalled)", columns) == {
        "signature_date", "consent_date",
    }  # fmt: skip
    assert unverified_columns("UNVERIFIED: whole row recalled", columns) == columns
    assert unverified_columns("confirmed by two sources", columns) == set()


# --- The command ---------------------------------------------------------------------------


def _load(directory: Path = REFERENCE_DIR) -> str:
    out = StringIO()
    call_command("load_reference_data", directory=directory, stdout=out)
    return out.getvalue()


@pytest.fixture
def reference_copy(tmp_path: Path) -> Path:
    target = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, target)
    return target


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_loading_twice_changes_nothing():
    history_before = DepositaryAction.history.count()
    output = _load()
    assert "APMBC participation: 0 created, 0 updated, 305 unchanged" in output
    assert "countries (UN M49): 0 created, 0 updated, 197 unchanged" in output
    assert "State existence: 0 created, 0 updated, 4 unchanged" in output
    assert "CCW Amended Protocol II participation: 0 created, 0 updated, 106 unchanged" in output
    assert "updated " not in output
    assert DepositaryAction.history.count() == history_before


def test_a_changed_row_changes_only_its_record(reference_copy: Path):
    _edit(
        reference_copy / "apmbc_participation.csv",
        "Albania,ALB,1998-09-08,2000-02-29",
        "Albania,ALB,1998-09-08,2000-03-01",
    )
    output = _load(reference_copy)
    assert "APMBC participation: 0 created, 1 updated, 304 unchanged" in output
    consent = DepositaryAction.objects.get(country__iso3="ALB", treaty__code="APMBC", kind=Kind.CONSENT)
    assert consent.action_date == date(2000, 3, 1)
    assert consent.history.count() == 2


def test_a_malformed_file_is_rejected_whole_naming_row_and_field(reference_copy: Path):
    csv_path = reference_copy / "apmbc_participation.csv"
    _edit(csv_path, "Albania,ALB,1998-09-08,2000-02-29", "Albania,ALB,1998-09-08,2000-03-01")
    _edit(csv_path, "Andorra,AND,1997-12-03,1998-06-29", "Andorra,AND,1997-12-03,1998-06-31")
    with pytest.raises(CommandError) as excinfo:
        _load(reference_copy)
    assert "apmbc_participation.csv, line 5, field 'consent_date': '1998-06-31' is not a date" in str(
        excinfo.value
    )
    assert "Nothing was loaded." in str(excinfo.value)
    consent = DepositaryAction.objects.get(country__iso3="ALB", treaty__code="APMBC", kind=Kind.CONSENT)
    assert consent.action_date == date(2000, 2, 29)


def test_a_row_that_breaks_a_treaty_rule_is_rejected_whole(reference_copy: Path):
    # Afghanistan acceded; giving it a ratification without a signature breaks Art. 16.
    _edit(
        reference_copy / "apmbc_participation.csv",
        "Afghanistan,AFG,,2002-09-11,accession",
        "Afghanistan,AFG,,2002-09-11,ratification",
    )
    before = DepositaryAction.objects.count()
    with pytest.raises(CommandError) as excinfo:
        _load(reference_copy)
    assert "line 2 (AFG consent): consent_type: A ratification requires a prior signature" in str(
        excinfo.value
    )
    assert DepositaryAction.objects.count() == before
    assert (
        DepositaryAction.objects.get(
            country__iso3="AFG", treaty__code="APMBC", kind=Kind.CONSENT
        ).consent_type
        == "accession"
    )


def test_unknown_state_code_is_named(reference_copy: Path):
    _edit(reference_copy / "apmbc_participation.csv", "Afghanistan,AFG,", "Afghanistan,AFX,")
    with pytest.raises(CommandError, match=r"line 2, field 'iso3': unknown State code 'AFX'"):
        _load(reference_copy)


def test_a_changed_treaty_parameter_recomputes_every_state_under_it(  # type: ignore[no-untyped-def]
    reference_copy: Path, django_capture_on_commit_callbacks
):
    """A reference-data correction to a period moves every State's deadline, not just new ones."""
    ukraine_art4 = Obligation.objects.get(country__iso3="UKR", treaty__code="APMBC", terms__code="art4")
    assert ukraine_art4.original_deadline == date(2010, 6, 1)
    _edit(reference_copy / "treaties.json", '"period_months": 48', '"period_months": 60')

    started = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        _load(reference_copy)

    ukraine_art4.refresh_from_db()
    assert ukraine_art4.original_deadline == date(2011, 6, 1)
    # Every State with an APMBC record: 161 States Parties and 5 that withdrew; none pending.
    asked = RecomputeRequest.objects.filter(requested_at__gte=started)
    assert (asked.count(), asked.filter(processed_at__isnull=True).count()) == (166, 0)


def test_an_unchanged_treaty_file_recomputes_no_one(django_capture_on_commit_callbacks):  # type: ignore[no-untyped-def]
    RecomputeRequest.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        _load()
    assert RecomputeRequest.objects.count() == 0
