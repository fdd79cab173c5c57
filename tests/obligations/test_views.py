"""The deadlines page and its iCalendar feed."""

import pytest
from icalendar import Calendar

pytestmark = pytest.mark.django_db

AS_OF = "2026-11-22"
# Per page, whatever the number of States (each treaty's participation is 2 queries); the
# headroom is for the obligations app's own reads. An N+1 over 197 States blows far past it.
MAX_QUERIES = 30


def test_deadlines_page_lists_afghanistan_article_4(client):
    response = client.get("/deadlines/", {"as_of": AS_OF, "state": "AFG"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2007-03-01" in html
    assert "Afghanistan" in html


def test_deadlines_filters_narrow_the_rows(client):
    def count(**params: str) -> int:
        html = client.get("/deadlines/", {"as_of": AS_OF, **params}).content.decode()
        marker = 'data-testid="deadline-count">'
        return int(html.split(marker, 1)[1].split("<", 1)[0])

    everything = count()
    apmbc = count(treaty="APMBC")
    assert 0 < apmbc < everything
    assert 0 < count(treaty="APMBC", obligation="stockpile_destruction") < apmbc
    # Art. 4, Art. 5, the initial report and the annual reports.
    assert count(state="AFG", treaty="APMBC") == 4
    assert count(region="Oceania") < everything
    assert count(status="pending") < everything


def test_deadlines_as_of_changes_what_was_pending(client):
    early = client.get("/deadlines/", {"as_of": "2005-07-01", "state": "AFG", "status": "pending"})
    html = early.content.decode()
    assert "2007-03-01" in html  # Art. 4 still ahead in 2005


def test_deadlines_ics_matches_the_page_filter(client):
    response = client.get("/deadlines.ics", {"as_of": AS_OF, "state": "AFG", "treaty": "APMBC"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    cal = Calendar.from_ical(response.content)
    events = list(cal.walk("VEVENT"))
    assert len(events) == 4
    starts = sorted(e.decoded("dtstart").isoformat() for e in events)
    # Art. 5 runs to its third extension's deadline (5RC: 2030-03-01); Art. 4 kept its own.
    assert "2007-03-01" in starts
    assert "2030-03-01" in starts
    assert all(str(e["uid"]).endswith("@mineban") for e in events)
    assert "/states/AFG/" in str(events[0]["url"])


def test_deadlines_page_links_to_the_same_filter_as_ics(client):
    html = client.get("/deadlines/", {"as_of": AS_OF, "treaty": "CCM"}).content.decode()
    assert 'href="/deadlines.ics?as_of=2026-11-22&amp;treaty=CCM"' in html


@pytest.mark.parametrize("url", ["/deadlines/", "/deadlines.ics"])
def test_malformed_as_of_is_400(client, url):
    assert client.get(url, {"as_of": "2005-13-45"}).status_code == 400


def test_deadlines_query_count_is_bounded(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/deadlines/", {"as_of": AS_OF}).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/deadlines.ics", {"as_of": AS_OF}).status_code == 200


def test_deadlines_csv_has_the_rows_the_page_shows(client):
    params = {"as_of": AS_OF, "treaty": "APMBC", "state": "AFG"}
    response = client.get("/deadlines.csv", params)
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().strip().splitlines()
    assert lines[0].startswith("iso3,state,treaty,article")
    assert len(lines) - 1 == 4
    assert any("2007-03-01" in line for line in lines)
    art5 = next(line for line in lines if ",5," in line)
    assert art5.endswith("2013-03-01,2030-03-01,3,pending,1195")
    assert client.get("/deadlines/", {**params, "format": "csv"}).content == response.content


def test_deadlines_page_shows_pending_and_overdue_first_a_page_at_a_time(client):
    html = client.get("/deadlines/", {"as_of": AS_OF}).content.decode()
    total = int(html.split('data-testid="deadline-count">', 1)[1].split("<", 1)[0])
    assert total > 100
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert body.count("<tr>") == 100
    badges = [chunk.split('"', 1)[0] for chunk in body.split('class="badge badge--dl-')[1:]]
    # Pending and overdue first (soonest first among them), the settled ones after.
    first_settled = next(i for i, b in enumerate(badges) if b not in {"pending", "overdue"})
    assert all(b not in {"pending", "overdue"} for b in badges[first_settled:])
    assert f"Page 1 of {(total + 99) // 100}" in html
    last = client.get("/deadlines/", {"as_of": AS_OF, "page": (total + 99) // 100}).content.decode()
    last_body = last.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    assert last_body.count("<tr>") == total - 100 * ((total - 1) // 100)
    assert 'rel="prev"' in last
