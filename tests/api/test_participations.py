from datetime import date

import pytest

pytestmark = pytest.mark.django_db
URL = "/api/v1/participations/"


def _by_iso3(response):  # type: ignore[no-untyped-def]
    return {row["iso3"]: row for row in response.json()}


def test_every_state_in_the_reference_data_with_computed_dates(client, django_assert_max_num_queries):  # type: ignore[no-untyped-def]
    with django_assert_max_num_queries(5):
        response = client.get(URL, {"treaty": "APMBC", "as_of": "2026-11-22"})
    assert response.status_code == 200
    rows = _by_iso3(response)
    assert len(rows) == 166
    afghanistan = rows["AFG"]
    assert afghanistan["consent_date"] == "2002-09-11"
    assert afghanistan["consent_type"] == "accession"
    assert afghanistan["entry_into_force"] == "2003-03-01"
    assert afghanistan["art4_deadline"] == "2007-03-01"
    assert afghanistan["art5_deadline"] == "2013-03-01"
    assert afghanistan["art7_initial_report_due"] == "2003-08-28"
    assert afghanistan["status"] == "state_party"
    assert rows["UKR"]["entry_into_force"] == "2006-06-01"
    assert rows["UKR"]["art4_deadline"] == "2010-06-01"
    assert rows["EST"]["status"] == "withdrawn"
    assert rows["EST"]["withdrawal_effective_date"] == "2025-12-27"
    assert rows["SSD"]["succession_effective_date"] == "2011-07-09"


def test_status_is_computed_for_the_as_of_date(client):  # type: ignore[no-untyped-def]
    rows = _by_iso3(client.get(URL, {"as_of": "2005-07-01"}))
    assert rows["UKR"]["status"] == "signatory"
    assert rows["EST"]["status"] == "state_party"
    assert rows["MHL"]["status"] == "signatory"
    assert rows["EST"]["as_of"] == "2005-07-01"


def test_query_count_does_not_grow_with_the_number_of_states(client, django_assert_num_queries):  # type: ignore[no-untyped-def]
    # The data version (mineban.cache), the State named is known, then the participation.
    with django_assert_num_queries(6):
        client.get(URL, {"state": "AFG"})
    with django_assert_num_queries(5):
        client.get(URL, {"include_non_participants": "true"})


def test_filters(client):  # type: ignore[no-untyped-def]
    withdrawn = client.get(URL, {"status": "withdrawn", "as_of": "2026-11-22"}).json()
    assert sorted(r["iso3"] for r in withdrawn) == ["EST", "FIN", "LTU", "LVA", "POL"]
    pending = client.get(URL, {"status": "withdrawal_pending,withdrawn", "as_of": "2025-12-31"}).json()
    assert {r["iso3"]: r["status"] for r in pending} == {
        "EST": "withdrawn", "LVA": "withdrawn", "LTU": "withdrawn",
        "FIN": "withdrawal_pending", "POL": "withdrawal_pending",
    }  # fmt: skip
    acceptances = client.get(URL, {"consent_type": "acceptance"}).json()
    assert sorted(r["iso3"] for r in acceptances) == ["JPN", "NLD"]
    oceania = client.get(URL, {"region": "oceania"}).json()
    assert {r["region"] for r in oceania} == {"Oceania"} and len(oceania) > 5
    everyone = client.get(URL, {"include_non_participants": "true"}).json()
    assert len(everyone) == 197
    assert _by_iso3_list(everyone)["USA"]["status"] == "not_signed"


def _by_iso3_list(rows):  # type: ignore[no-untyped-def]
    return {row["iso3"]: row for row in rows}


def test_unverified_facts_are_flagged(client):  # type: ignore[no-untyped-def]
    sweden = client.get(URL, {"state": "SWE"}).json()[0]
    assert sweden["unverified"] == ["signature.action_date", "consent.action_date"]


def test_bad_input_gets_a_400_with_a_message(client):  # type: ignore[no-untyped-def]
    response = client.get(URL, {"as_of": "2005-02-30"})
    assert response.status_code == 400
    assert response.json() == {
        "as_of": ["“2005-02-30” is not a date. Enter the date as YYYY-MM-DD, for example 2005-07-01."]
    }
    response = client.get(URL, {"status": "member"})
    assert response.status_code == 400
    assert response.json() == {"status": ['"member" is not a valid choice.']}


def test_unknown_treaty_is_a_400_naming_the_known_ones(client):  # type: ignore[no-untyped-def]
    response = client.get(URL, {"treaty": "NPT"})
    assert response.status_code == 400
    assert response.json() == {"treaty": ["Unknown treaty 'NPT'; use one of APMBC, CCM, CCW-APII."]}


def test_anonymous_users_cannot_write_and_are_asked_to_log_in(client):  # type: ignore[no-untyped-def]
    response = client.post(URL, {"treaty": "APMBC"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Basic realm="mineban"'


def test_cluster_munitions_deadlines_name_their_own_articles(client):  # type: ignore[no-untyped-def]
    norway = client.get(URL, {"treaty": "CCM", "state": "NOR"}).json()[0]
    eif = date.fromisoformat(norway["entry_into_force"])
    assert norway["original_deadlines"]["art3"] == eif.replace(year=eif.year + 8).isoformat()
    assert norway["art4_deadline"] == eif.replace(year=eif.year + 10).isoformat()
    assert norway["art5_deadline"] is None


def test_south_sudan_did_not_exist_the_day_before_its_independence(client):  # type: ignore[no-untyped-def]
    before = _by_iso3(client.get(URL, {"treaty": "APMBC", "state": "SSD", "as_of": "2011-07-08"}))["SSD"]
    assert (before["status"], before["status_label"]) == ("did_not_exist", "Did not exist")
    on_the_day = _by_iso3(client.get(URL, {"treaty": "APMBC", "state": "SSD", "as_of": "2011-07-09"}))["SSD"]
    assert on_the_day["status"] == "state_party"


def test_south_sudan_is_counted_apart_the_day_before_its_independence(client):  # type: ignore[no-untyped-def]
    before = client.get("/api/v1/treaties/APMBC/status/", {"as_of": "2011-07-08"}).json()
    after = client.get("/api/v1/treaties/APMBC/status/", {"as_of": "2011-07-09"}).json()
    # Palestine alone does not exist yet on the 9th; South Sudan joins the States Parties.
    assert (before["did_not_exist"], after["did_not_exist"]) == (2, 1)
    assert after["states_parties"] == before["states_parties"] + 1
    assert after["not_signed"] == before["not_signed"]


def test_a_ccw_apii_consent_whose_date_is_not_on_record_is_shown_as_such(client):  # type: ignore[no-untyped-def]
    today = _by_iso3(client.get(URL, {"treaty": "CCW-APII", "as_of": "2026-11-30"}))
    assert len(today) == 106
    belgium = today["BEL"]
    assert (belgium["consent_date"], belgium["consent_type"], belgium["consent_known_by"]) == (
        None, None, "2026-11-22",
    )  # fmt: skip
    assert (belgium["entry_into_force"], belgium["status"]) == (None, "state_party")
    assert belgium["entry_into_force_basis"].startswith("not on record")
    assert belgium["original_deadlines"] == {}
    dated = [row for row in today.values() if row["consent_date"]]
    assert len(dated) == 10
    in_2000 = _by_iso3(client.get(URL, {"treaty": "CCW-APII", "as_of": "2000-01-01", "status": "unknown"}))
    assert len(in_2000) == 95 and "BEL" in in_2000 and "MNE" not in in_2000


def test_a_state_that_joined_again_shows_the_participation_of_the_day(client):  # type: ignore[no-untyped-def]
    """Estonia's withdrawal took effect on 2025-12-27; its new accession is MADE UP here."""
    from states import services
    from states.models import Country, Treaty
    from tests.conftest import TEST_SOURCE

    services.depositary_action_record(
        country=Country.objects.get(iso3="EST"), treaty=Treaty.objects.get(code="APMBC"), kind="consent",
        action_date=date(2026, 3, 2), consent_type="accession", source_citation=TEST_SOURCE,
    )  # fmt: skip
    gap = _by_iso3(client.get(URL, {"state": "EST", "as_of": "2026-01-01"}))["EST"]
    assert (gap["status"], gap["consent_date"], gap["withdrawal_effective_date"]) == (
        "withdrawn", "2004-05-12", "2025-12-27",
    )  # fmt: skip
    again = _by_iso3(client.get(URL, {"state": "EST", "as_of": "2026-11-30"}))["EST"]
    assert (again["status"], again["consent_date"], again["entry_into_force"]) == (
        "state_party", "2026-03-02", "2026-09-01",
    )  # fmt: skip
    assert again["withdrawal_notice_date"] is None
    assert again["art4_deadline"] == "2030-09-01"
