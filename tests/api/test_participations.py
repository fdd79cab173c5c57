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
    with django_assert_num_queries(5):  # one more: the State named is known
        client.get(URL, {"state": "AFG"})
    with django_assert_num_queries(4):
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


def test_unknown_treaty_is_a_404_naming_the_known_ones(client):  # type: ignore[no-untyped-def]
    response = client.get(URL, {"treaty": "NPT"})
    assert response.status_code == 404
    assert response.json() == {"detail": "No treaty with code 'NPT'. Known treaties: APMBC, CCM, CCW-APII."}


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
