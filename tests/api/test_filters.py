"""An unknown State or treaty in a filter is the same 400 on every list (issue 10): an empty
list would read as "nothing on record" for what is only a typo."""

import pytest

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/depositary-actions/",
    "/api/v1/extensions/",
    "/api/v1/completions/",
    "/api/v1/article7-reports/",
    "/api/v1/deadlines/",
    "/api/v1/alerts/",
    "/api/v1/changes/",
    "/api/v1/participations/",
]


@pytest.mark.parametrize("url", LISTS)
def test_an_unknown_state_is_a_400_naming_the_filter(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url, {"state": "ZZZ"})
    assert response.status_code == 400, response.content
    assert response.json() == {"state": ["Unknown State 'ZZZ'; use an ISO 3166-1 alpha-3 code."]}


@pytest.mark.parametrize("url", [u for u in LISTS if "participations" not in u])
def test_an_unknown_treaty_is_a_400_naming_the_filter(client, url):  # type: ignore[no-untyped-def]
    response = client.get(url, {"treaty": "XYZ"})
    assert response.status_code == 400, response.content
    assert response.json()["treaty"][0].startswith("Unknown treaty 'XYZ'; use one of APMBC, ")


@pytest.mark.parametrize("url", LISTS)
def test_a_known_state_in_any_case_filters(client, url):  # type: ignore[no-untyped-def]
    assert client.get(url, {"state": "afg"}).status_code == 200


def test_participations_name_each_unknown_state_and_region(client):  # type: ignore[no-untyped-def]
    response = client.get("/api/v1/participations/", {"state": "AFG,ZZZ,QQQ"})
    assert response.json() == {
        "state": [
            "Unknown State 'QQQ'; use an ISO 3166-1 alpha-3 code.",
            "Unknown State 'ZZZ'; use an ISO 3166-1 alpha-3 code.",
        ]
    }
    region = client.get("/api/v1/participations/", {"region": "Atlantis"})
    assert region.status_code == 400
    assert region.json()["region"][0].startswith("Unknown region 'Atlantis'; use one of Africa, Americas")


def test_countries_refuse_an_unknown_region_and_match_a_known_one_in_any_case(client):  # type: ignore[no-untyped-def]
    refused = client.get("/api/v1/countries/", {"region": "Atlantis"})
    assert refused.status_code == 400
    assert refused.json()["region"][0].startswith("Unknown region 'Atlantis'; use one of Africa, Americas")
    africa = client.get("/api/v1/countries/", {"region": "africa"})
    assert africa.status_code == 200
    assert {row["region"] for row in africa.json()} == {"Africa"}
    assert client.get("/api/v1/countries/", {"sub_region": "Nowhere"}).status_code == 400
