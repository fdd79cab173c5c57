import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [
        # Before anyone could sign.
        (
            "1997-12-02",
            {"states_parties": 0, "consented": 0, "signatories_not_consented": 0, "not_signed": 197},
        ),
        # The day the treaty entered into force: 45 instruments of Sept 1998 or earlier are in force.
        (
            "1999-03-01",
            {"states_parties": 45, "consented": 67, "signatories_not_consented": 68, "not_signed": 62},
        ),
        (
            "2000-07-01",
            {"states_parties": 90, "consented": 99, "signatories_not_consented": 38, "not_signed": 60},
        ),
        (
            "2005-07-01",
            {"states_parties": 144, "consented": 145, "signatories_not_consented": 8, "not_signed": 44},
        ),
        (
            "2026-11-22",
            {"states_parties": 161, "consented": 161, "signatories_not_consented": 0, "not_signed": 31},
        ),
    ],
)
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
