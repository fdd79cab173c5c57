"""The policy record on the pages: a State's overview box, UN General Assembly votes,
meetings and policy facts by topic; the treaty page's vote tallies. Reference data loaded."""

import csv
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.policy_profile import tell_facts
from reports.profile import Footnotes, NarrativeSection
from states.models import Country, PolicyFact
from states.reference_data import REFERENCE_DIR

pytestmark = pytest.mark.django_db

AS_OF = "2026-11-22"


def page_text(client, url: str, **params: str) -> str:  # type: ignore[no-untyped-def]
    response = client.get(url, params or {"as_of": AS_OF})
    assert response.status_code == 200
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())).replace(" .", ".")


def by_testid(html: str, name: str, *, until: str = "p|dd|li") -> str:
    """The text of the element carrying ``data-testid=name`` (up to its closing ``until`` tag)."""
    match = re.search(rf'data-testid="{re.escape(name)}"[^>]*>(.*?)</(?:{until})>', html, re.S)
    assert match, f"no element with data-testid={name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def tally_cells(html: str, year: int | str) -> list[int]:
    """The figures of one year's row of the tally table, in column order."""
    row = re.search(rf'data-testid="tally-{year}"(.*?)</tr>', html, re.S)
    assert row, f"no tally row for {year}"
    return [int(n) for n in re.findall(r"<td>(\d+)</td>", row.group(1))]


def html_of(client, url: str, **params: str) -> str:  # type: ignore[no-untyped-def]
    return client.get(url, params or {"as_of": AS_OF}).content.decode()


# --- Viet Nam, the United States, the Russian Federation ---------------------------------------


def test_viet_nam_is_not_a_state_party_and_abstained_from_1998_on(client):
    html = html_of(client, "/states/VNM/")
    assert by_testid(html, "overview-status").startswith("Mine Ban Treaty: Not a State Party (not signed)")
    sentence = (
        "Abstained on every resolution from 53/77 N (1998) to 80/35 (2025); did not vote in 1996 and 1997."
    )
    assert by_testid(html, "overview-unga") == sentence
    assert by_testid(html, "unga-sentence") == sentence
    text = page_text(client, "/states/VNM/")
    # The full table: 65/48 of 8 December 2010 among the abstentions.
    assert "65/48 8 December 2010 Abstained" in text
    assert "51/45 S 10 December 1996 Did not vote" in text


def test_viet_nams_meetings_line_claims_no_more_than_the_record(client):
    html = html_of(client, "/states/VNM/")
    line = "Did not attend 10MSP (2010); attendance not on record for 26."
    assert by_testid(html, "overview-meetings") == line
    assert by_testid(html, "meetings-sentence") == line


def test_the_overview_never_calls_an_unknown_or_unjoined_protocol_status_not_signed(client):
    # Belgium's APII consent is on record without its date: in 2000 the record cannot say.
    html = html_of(client, "/states/BEL/", as_of="2000-01-01")
    items = re.findall(r'data-testid="overview-status">(.*?)</li>', html)
    statuses = [re.sub(r"<[^>]+>", "", item) for item in items]
    assert len(statuses) == 3, statuses
    assert statuses[-1] == "CCW Amended Protocol II: Unknown (consent date not on record)", statuses


def test_the_united_states_voted_in_favour_in_1996_then_abstained(client):
    html = html_of(client, "/states/USA/")
    assert by_testid(html, "overview-unga") == (
        "Voted in favour of 51/45 S (1996), then abstained on every resolution from 52/38 A (1997) "
        "to 80/35 (2025)."
    )
    assert by_testid(html, "overview-status").startswith("Mine Ban Treaty: Not a State Party (not signed)")


def test_russia_voted_against_the_last_three_resolutions(client):
    html = html_of(client, "/states/RUS/")
    assert by_testid(html, "overview-unga") == (
        "Abstained on every resolution from 51/45 S (1996) to 77/63 (2022), "
        "then voted against every resolution from 78/45 (2023) to 80/35 (2025)."
    )
    text = page_text(client, "/states/RUS/")
    for row in (
        "78/45 4 December 2023 Against",
        "79/34 2 December 2024 Against",
        "80/35 1 December 2025 Against",
    ):
        assert row in text


def test_serbias_record_names_its_former_seats_and_flags_the_inferred_votes(client):
    text = page_text(client, "/states/SRB/")
    assert "3 unconfirmed facts" in text  # the three votes as Serbia and Montenegro
    assert "did not vote in 1996–2000 (as Yugoslavia)" in text
    assert "58/53 8 December 2003 In favour (as Serbia and Montenegro) unconfirmed" in text


def test_a_state_outside_the_united_nations_has_no_vote_rather_than_absences(client):
    assert by_testid(html_of(client, "/states/VAT/"), "overview-unga") == (
        "Not a UN Member State: it has no vote in the General Assembly."
    )
    assert by_testid(html_of(client, "/states/MNE/"), "overview-unga") == (
        "Not a UN member until 2006; "
        "voted in favour of all 20 resolutions, from 61/84 (2006) to 80/35 (2025)."
    )


def test_a_state_party_shows_its_status_with_entry_into_force(client):
    html = html_of(client, "/states/AFG/")
    assert by_testid(html, "overview-status") == "Mine Ban Treaty: State Party since 1 March 2003"


# --- Policy facts by topic, "last updated" per section ---------------------------------------


def test_each_topic_section_is_dated_by_its_newest_fact(client):
    html = html_of(client, "/states/VNM/")
    assert by_testid(html, "updated-policy") == "Last updated 2 November 2011"
    assert by_testid(html, "updated-stockpiles") == "Last updated May 2008"
    assert by_testid(html, "updated-production") == "Last updated 2008"
    assert by_testid(html, "updated-transfers") == "Last updated 2 June 2008"
    # No fact on clearance: the section says so, with no date.
    assert 'data-testid="updated-contamination"' not in html
    assert by_testid(html, "no-facts-contamination").startswith("No facts on record")


def test_facts_are_told_with_numbered_footnotes_to_their_citations(client):
    html = html_of(client, "/states/USA/")
    stockpiles = html.split('id="n-stockpiles"', 1)[1].split("</section>", 1)[0]
    assert "November 2004: Stockpile of antipersonnel mines, the third largest" in stockpiles
    assert "Figure: 10,400,000 antipersonnel mines." in stockpiles
    numbers = re.findall(r'href="#source-(\d+)"', stockpiles)
    assert numbers
    sources = html.split('id="sources-heading"', 1)[1]
    assert re.search(
        rf'id="source-{numbers[0]}"><span[^>]*>Landmine Monitor Report 2004, pp\. 1,141-1,142', sources
    )


def test_as_of_leaves_out_facts_votes_and_meetings_after_the_date(client):
    html = html_of(client, "/states/VNM/", as_of="2008-12-31")
    assert by_testid(html, "updated-policy") == "Last updated 2 June 2008"
    assert "27 June 2011" not in html.split('id="narrative"', 1)[1]
    assert by_testid(html, "unga-sentence") == (
        "Abstained on every resolution from 53/77 N (1998) to 63/42 (2008); did not vote in 1996 and 1997."
    )
    # 10MSP (2010) had not taken place: nothing on record yet for the ten meetings held.
    assert by_testid(html, "meetings-sentence") == "Attendance at the 10 meetings is not on record."
    early = html_of(client, "/states/VNM/", as_of="2002-01-01")
    assert by_testid(early, "no-facts-stockpiles").startswith("No facts on record")


def test_the_stockpile_figure_from_the_article_4_notes_dates_the_section_without_repeating_it(client):
    html = html_of(client, "/states/AFG/")
    stockpiles = html.split('id="n-stockpiles"', 1)[1].split("</section>", 1)[0]
    assert by_testid(html, "updated-stockpiles") == "Last updated 2007"
    assert stockpiles.count("486,226 mines") == 1  # told once, by the obligation's sentence


def test_tell_facts_adds_a_transfers_section_after_stockpiles():
    sections = [NarrativeSection("policy", "Policy"), NarrativeSection("stockpiles", "Stockpiles")]
    usa = Country.objects.get(iso3="USA")
    facts = list(PolicyFact.objects.filter(country=usa, topic="transfer").order_by("known_from"))
    told = tell_facts(sections, facts, Footnotes())
    assert [s.slug for s in told] == ["policy", "stockpiles", "transfers"]
    assert [s.text for s in told[2].sentences] == [
        "1992: Prohibition on exports of antipersonnel mines in force since 1992.",
        "2004: Exported antivehicle mines to South Korea. Figure: 124,000 antivehicle mines.",
    ]
    assert told[2].last_updated is not None and told[2].last_updated.iso == "2004"


def test_the_profile_with_the_policy_record_stays_within_its_query_budget(client):
    for code in ("VNM", "USA", "RUS"):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"/states/{code}/", {"as_of": AS_OF}).status_code == 200
        # The page's own reads (17 for a State outside the treaties, the data version among
        # them) and three for the policy record: votes, meetings, facts; a constant, whatever
        # the number of States or votes.
        assert len(queries) <= 22, code


# --- The treaty page: the General Assembly's tallies ------------------------------------------


def _tallies_from_the_csv() -> dict[str, Counter[str]]:
    with (REFERENCE_DIR / "unga_apmbc_votes.csv").open(newline="", encoding="utf-8") as handle:
        counted: dict[str, Counter[str]] = {}
        for row in csv.DictReader(handle):
            counted.setdefault(row["symbol"], Counter())[row["vote"]] += 1
    return counted


def test_the_treaty_page_charts_every_years_tally_as_the_data_counts_it(client):
    html = html_of(client, "/treaties/APMBC/")
    assert html.count('data-testid="vote-bar"') == 30
    expected = _tallies_from_the_csv()
    with (REFERENCE_DIR / "unga_apmbc_resolutions.csv").open(newline="", encoding="utf-8") as handle:
        years = {row["symbol"]: row["year"] for row in csv.DictReader(handle)}
    for symbol, counts in expected.items():
        figures = tally_cells(html, years[symbol])[:4]
        assert figures == [counts["yes"], counts["no"], counts["abstain"], counts["absent"]], symbol
    assert "differs from the record" not in html


def test_each_bar_of_the_chart_stacks_the_years_counts(client):
    html = html_of(client, "/treaties/APMBC/")
    bars = re.findall(r'data-testid="vote-bar"><title>(.*?)</title>(.*?)</g>', html, re.S)
    first_title, first_rects = bars[0]
    assert first_title == "51/45 S (1996): 155 in favour, 0 against, 10 abstained, 20 did not vote"
    assert re.findall(r'class="bar--(\w+)"[^>]*data-count="(\d+)"', first_rects) == [
        ("yes", "155"), ("abstain", "10"), ("absent", "20"),
    ]  # fmt: skip
    last_title, last_rects = bars[-1]
    assert last_title == "80/35 (2025): 159 in favour, 1 against, 19 abstained, 14 did not vote"
    assert sum(int(n) for n in re.findall(r'data-count="(\d+)"', last_rects)) == 193


def test_the_treaty_page_says_how_the_states_outside_the_treaty_voted(client):
    text = page_text(client, "/treaties/APMBC/")
    assert "How each State outside the treaty voted on 80/35 (2025)" in text
    assert "Russian Federation : against" in text
    assert "United States of America : abstained" in text
    # On 1 December 2025, 162 of the 193 Member States were States Parties: 31 were outside.
    assert tally_cells(html_of(client, "/treaties/APMBC/"), 2025) == [159, 1, 19, 14, 15, 1, 13, 2]


def test_the_treaty_page_as_of_the_end_of_2010_shows_no_vote_after_65_48(client):
    html = html_of(client, "/treaties/APMBC/", as_of="2010-12-31")
    assert html.count('data-testid="vote-bar"') == 15
    assert 'data-testid="tally-2010"' in html
    assert 'data-testid="tally-2011"' not in html
    assert "66/29" not in html
    assert "How each State outside the treaty voted on 65/48 (2010)" in page_text(
        client, "/treaties/APMBC/", as_of="2010-12-31"
    )


def test_the_treaty_page_stays_within_its_query_budget(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):  # the data version, then the page's six
        assert client.get("/treaties/APMBC/", {"as_of": AS_OF}).status_code == 200


def test_a_treaty_without_resolutions_has_no_vote_section(client):
    assert 'id="unga-votes"' not in html_of(client, "/treaties/CCM/")
