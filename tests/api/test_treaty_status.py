import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Before anyone could sign. Timor-Leste, Montenegro, South Sudan and Palestine did
        # not exist yet: counted apart, not as "not signed".
        (
            "1997-12-02",
            {"states_parties": 0, "consented": 0, "signatories_not_consented": 0, "not_signed": 193,
             "did_not_exist": 4},
        ),
        # The day the treaty entered into force: 45 instruments of Sept 1998 or earlier are in force.
        (
            "1999-03-01",
            {"states_parties": 45, "consented": 67, "signatories_not_consented": 68, "not_signed": 58,
             "did_not_exist": 4},
        ),
        # Was 60 "not signed" before the four States' existence was on record.
        (
            "2000-07-01",
            {"states_parties": 90, "consented": 99, "signatories_not_consented": 38, "not_signed": 56,
             "did_not_exist": 4},
        ),
        # Timor-Leste is a State Party by then; Montenegro, South Sudan, Palestine did not exist.
        (
            "2005-07-01",
            {"states_parties": 144, "consented": 145, "signatories_not_consented": 8, "not_signed": 41,
             "did_not_exist": 3},
        ),
        (
            "2026-11-22",
            {"states_parties": 161, "consented": 161, "signatories_not_consented": 0, "not_signed": 31,
             "did_not_exist": 0, "unknown": 0, "treaty_adopted": True},
        ),
    ],
)  # fmt: skip
def test_counts_on_a_date(client, as_of, expected):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/treaties/APMBC/status/", {"as_of": as_of})
    assert response.status_code == 200
    body = response.json()
    assert body["as_of"] == as_of
    assert {key: body[key] for key in expected} == expected


def test_withdrawals_pending_and_effective(client):  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/treaties/apmbc/status/", {"as_of": "2025-12-31"}).json()
    assert (body["withdrawal_pending"], body["withdrawn"], body["states_parties"]) == (2, 3, 163)


def test_malformed_date_is_a_400(client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/treaties/APMBC/status/", {"as_of": "01/07/2005"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in response.json()["as_of"][0]


def test_treaty_detail_carries_its_rules(client):  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/treaties/APMBC/").json()
    assert body["entry_into_force"] == "1999-03-01"
    assert body["eif_threshold"] == 40
    assert [(o["code"], o["period_months"], o["period_days"]) for o in body["obligations"]] == [
        ("art4", 48, None), ("art5", 120, None), ("art7-initial", None, 180), ("art7-annual", None, None),
    ]  # fmt: skip


def test_openapi_schema_is_served(client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    assert "/api/v1/participations/" in response.json()["paths"]


def test_the_ccm_did_not_exist_in_2000_and_nobody_is_not_signed_to_it(client):  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/treaties/CCM/status/", {"as_of": "2000-07-01"}).json()
    assert body["treaty_adopted"] is False
    assert (body["not_signed"], body["states_parties"], body["signatories_not_consented"]) == (0, 0, 0)
    assert (body["did_not_exist"], body["unknown"]) == (0, 0)


def test_ccw_amended_protocol_ii_today_counts_its_106_parties(client):  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/treaties/CCW-APII/status/", {"as_of": "2026-11-30"}).json()
    # The protocol has no signature stage: the 91 others are "not a party", not "not signed".
    assert (body["states_parties"], body["unknown"], body["not_a_party"]) == (106, 0, 91)
    assert (body["not_signed"], body["signatories_not_consented"]) == (0, 0)


def test_ccw_amended_protocol_ii_in_2000_counts_the_undated_consents_apart(client):  # type: ignore[no-untyped-def]
    body = client.get("/api/v1/treaties/CCW-APII/status/", {"as_of": "2000-01-01"}).json()
    # Six of the ten dated consents were in force (Argentina, Australia, Austria, Canada,
    # Pakistan, the United Kingdom); of the 96 undated ones, 95 cannot be placed and one,
    # Montenegro, did not exist yet (nor did Timor-Leste, South Sudan and Palestine).
    counts = (body["states_parties"], body["consented"], body["unknown"], body["did_not_exist"])
    assert counts == (6, 6, 95, 4)
    assert (body["not_a_party"], body["not_signed"]) == (197 - 6 - 95 - 4, 0)
