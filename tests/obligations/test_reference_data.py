"""The Art. 4 / Art. 5 reference files, as loaded into the test database at session start."""

import shutil
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from obligations import selectors
from obligations.models import Completion, Extension, ExtensionRequest, Obligation
from obligations.reference_data import obligations_load
from states.models import Country, Treaty
from states.reference_data import REFERENCE_DIR

AS_OF = date(2026, 11, 22)


def row(iso3: str, code: str):  # type: ignore[no-untyped-def]
    treaty = Treaty.objects.get(code="APMBC")
    found = [
        r
        for r in selectors.deadlines(as_of=AS_OF, treaty=treaty, country=Country.objects.get(iso3=iso3))
        if r.obligation.code == code
    ]
    assert len(found) == 1
    return found[0]


@pytest.mark.django_db
def test_files_load_every_row() -> None:
    assert Obligation.objects.filter(terms__code="art4").count() == 30
    # 63 States in the clearance file, plus Cameroon, whose obligation only the requests file names.
    assert Obligation.objects.filter(terms__code="art5").count() == 64
    assert Extension.objects.count() == 97
    assert Completion.objects.filter(obligation__terms__code="art4").count() == 28
    assert Completion.objects.filter(obligation__terms__code="art5").count() == 35
    assert ExtensionRequest.objects.count() == 13


@pytest.mark.django_db
def test_belarus_greece_ukraine_art4_as_the_data_says() -> None:
    belarus = row("BLR", "art4")
    assert (belarus.original_deadline, belarus.status) == (date(2008, 3, 1), "completed_late")
    assert belarus.completion is not None and belarus.completion.completed_on == "2017-04-05"
    greece = row("GRC", "art4")
    assert (greece.current_deadline, greece.status, greece.completion) == (date(2008, 3, 1), "overdue", None)
    ukraine = row("UKR", "art4")
    assert (ukraine.current_deadline, ukraine.status) == (date(2010, 6, 1), "overdue")


@pytest.mark.django_db
def test_djibouti_completed_one_day_late() -> None:
    djibouti = row("DJI", "art4")
    assert djibouti.current_deadline == date(2003, 3, 1)
    assert djibouti.completion is not None and djibouti.completion.completed_on == "2003-03-02"
    assert djibouti.status == "completed_late"


@pytest.mark.django_db
def test_extensions_give_the_current_deadline() -> None:
    cambodia = row("KHM", "art5")
    assert cambodia.original_deadline == date(2010, 1, 1)
    assert cambodia.current_deadline == date(2030, 12, 31)
    assert [e.meeting for e in cambodia.extensions] == ["9MSP", "4RC", "22MSP"]
    assert cambodia.status == "pending"


@pytest.mark.django_db
def test_reopened_obligations_load_and_follow_later_extensions() -> None:
    guinea_bissau = row("GNB", "art5")
    assert (guinea_bissau.current_deadline, guinea_bissau.status, guinea_bissau.reopened) == (
        date(2027, 12, 31),
        "pending",
        True,
    )
    assert guinea_bissau.first_completion == "completed_on_time"
    nigeria = row("NGA", "art5")
    assert (nigeria.current_deadline, nigeria.status, nigeria.reopened) == (
        date(2025, 12, 31),
        "overdue",
        True,
    )
    mauritania = row("MRT", "art5")
    assert mauritania.completion is not None and mauritania.completion.reopened_on == "2020-06-23"
    assert (mauritania.current_deadline, mauritania.status) == (date(2026, 12, 31), "pending")


@pytest.mark.django_db
def test_dates_keep_the_precision_the_source_gives() -> None:
    afghanistan = Completion.objects.get(obligation__country__iso3="AFG", obligation__terms__code="art4")
    assert (afghanistan.completed_on, afghanistan.reported_on) == ("2006", "2007-04-30")
    albania = Completion.objects.get(obligation__country__iso3="ALB", obligation__terms__code="art4")
    assert (albania.completed_on, albania.unverified_fields) == ("2002-04", ["completed_on"])
    bosnia = Completion.objects.get(obligation__country__iso3="BIH", obligation__terms__code="art4")
    assert (bosnia.completed_on, bosnia.reopened_on, bosnia.second_completed_on) == (
        "1999-11",
        "2006-09",
        "2007-04",
    )


@pytest.mark.django_db
def test_unverified_fields_are_flagged_not_fixed() -> None:
    djibouti = Completion.objects.get(obligation__country__iso3="DJI", obligation__terms__code="art4")
    assert djibouti.unverified_fields == ["completed_on"]
    # confidence "unconfirmed": one secondary source, or a meeting inferred from timing.
    assert Extension.objects.get(obligation__country__iso3="SDN", meeting="20MSP").unverified_fields == [
        "granted_on",
        "new_deadline",
    ]
    assert Extension.objects.get(obligation__country__iso3="AGO", meeting="22MSP").unverified_fields == []
    colombia = ExtensionRequest.objects.get(obligation__country__iso3="COL")
    assert (colombia.outcome, colombia.unverified_fields) == ("granted", ["outcome"])
    assert colombia.extension is not None and colombia.extension.new_deadline == date(2030, 12, 31)


@pytest.mark.django_db
def test_second_load_changes_nothing() -> None:
    art4 = obligations_load("APMBC", "art4", REFERENCE_DIR / "apmbc_art4_stockpiles.csv")
    art5 = obligations_load(
        "APMBC",
        "art5",
        REFERENCE_DIR / "apmbc_art5_clearance.csv",
        extensions=REFERENCE_DIR / "apmbc_art5_extensions.csv",
        requests=REFERENCE_DIR / "apmbc_art5_requests.csv",
        meetings=REFERENCE_DIR / "apmbc_meetings.csv",
    )
    assert (art4.created, art4.updated, art4.unchanged) == (0, 0, 58)
    assert (art5.created, art5.updated, art5.unchanged) == (0, 0, 209)


@pytest.mark.django_db
def test_malformed_file_names_file_line_and_field_and_writes_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for path in REFERENCE_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "apmbc_art5_extensions.csv"
    lines = broken.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("2012-12-07", "2012-13-07", 1)
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    Extension.objects.filter(obligation__country__iso3="AFG").delete()
    before = Extension.objects.count()
    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference_data", directory=tmp_path)
    assert "apmbc_art5_extensions.csv, line 2, field 'granted_date': '2012-13-07' is not a date" in str(
        excinfo.value
    )
    assert Extension.objects.count() == before


@pytest.mark.django_db
def test_extension_breaking_the_rules_is_reported_with_its_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for path in REFERENCE_DIR.iterdir():
        shutil.copy(path, tmp_path / path.name)
    broken = tmp_path / "apmbc_art5_extensions.csv"
    text = broken.read_text(encoding="utf-8").replace(
        "IRQ,16MSP,2017-12-21,2028-02-01", "IRQ,16MSP,2017-12-21,2038-02-02"
    )
    broken.write_text(text, encoding="utf-8")
    with pytest.raises(CommandError) as excinfo:
        call_command("load_reference_data", directory=tmp_path)
    assert "apmbc_art5_extensions.csv, line" in str(excinfo.value)
    assert "new_deadline: An extension runs at most 120 months beyond 2018-02-01" in str(excinfo.value)
    assert Extension.objects.get(obligation__country__iso3="IRQ").new_deadline == date(2028, 2, 1)


@pytest.mark.django_db
def test_decisions_and_requests_refer_to_the_meetings_on_record(client) -> None:  # type: ignore[no-untyped-def]
    cambodia = Extension.objects.get(obligation__country__iso3="KHM", meeting="22MSP")
    assert cambodia.decision_meeting is not None
    assert (cambodia.decision_meeting.name, cambodia.decision_meeting.end_date) == (
        "Twenty-Second Meeting of the States Parties",
        date(2025, 12, 5),
    )
    serbia = ExtensionRequest.objects.get(obligation__country__iso3="SRB")
    assert serbia.decision_meeting is not None and serbia.decision_meeting.code == "5RC"
    body = client.get("/api/v1/extensions/", {"state": "KHM"}).json()["results"]
    assert body[-1]["decision_meeting"] == {
        "code": "22MSP",
        "name": "Twenty-Second Meeting of the States Parties",
        "start_date": "2025-12-01",
        "end_date": "2025-12-05",
    }
