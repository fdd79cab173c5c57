"""The analyst pages: home, States index, State profile, treaty page (reference data loaded)."""

import csv
import io
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from states.models import Country, DepositaryAction

pytestmark = pytest.mark.django_db

AS_OF = "2026-11-22"
# Per page, whatever the number of States (each treaty's participation is 2 queries); the
# headroom is for the obligations app's own reads. An N+1 over 197 States blows far past it.
MAX_QUERIES = 30


def text_of(response) -> str:  # type: ignore[no-untyped-def]
    return response.content.decode()


def by_testid(html: str, name: str) -> str:
    """The text inside the element carrying ``data-testid=name``, tags stripped."""
    match = re.search(rf'data-testid="{re.escape(name)}"[^>]*>(.*?)</(?:p|dd|td|strong)>', html, re.S)
    assert match, f"no element with data-testid={name}"
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", match.group(1))).strip()


def csv_rows(response) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return list(csv.reader(io.StringIO(response.content.decode())))


# --- Home ----------------------------------------------------------------------------------


def test_home_shows_161_apmbc_states_parties_on_the_data_date(client):
    response = client.get("/", {"as_of": AS_OF})
    assert response.status_code == 200
    html = text_of(response)
    assert by_testid(html, "parties-APMBC").startswith("161")
    assert "Consented, incl. waiting period" in html


def test_home_turned_to_2000_shows_90_states_parties(client):
    html = text_of(client.get("/", {"as_of": "2000-07-01"}))
    assert by_testid(html, "parties-APMBC").startswith("90")
    # The CCM did not exist yet: no figures, no "not signed" States, and the page says why.
    assert "parties-CCM" not in html
    assert "Not yet adopted on this date: the treaty was adopted on 30 May 2008" in html


def test_home_lists_deadlines_and_recent_changes(client):
    # Changes are listed as of the day they were recorded (the reference data's load).
    loaded = DepositaryAction.objects.latest("updated_at").updated_at.date().isoformat()
    html = text_of(client.get("/", {"as_of": loaded}))
    assert "Next deadlines" in html and "Overdue obligations" in html
    assert "Recently changed records" in html
    assert "/history/#action-" in html


def test_home_as_of_a_past_day_lists_no_change_recorded_later(client):
    html = text_of(client.get("/", {"as_of": "2000-07-01"}))
    assert "/history/#action-" not in html


def test_links_keep_the_as_of_date(client):
    html = text_of(client.get("/", {"as_of": "2005-07-01"}))
    assert 'href="/states/?as_of=2005-07-01"' in html
    assert 'href="/treaties/APMBC/?as_of=2005-07-01"' in html
    assert 'value="2005-07-01"' in html


@pytest.mark.parametrize(
    "url",
    ["/", "/states/", "/states/AFG/", "/treaties/", "/treaties/APMBC/", "/states.csv", "/treaties/APMBC.csv"],
)
def test_malformed_as_of_is_a_helpful_400(client, url):
    response = client.get(url, {"as_of": "2005-13-45"})
    assert response.status_code == 400
    assert "YYYY-MM-DD" in text_of(response)


@pytest.mark.parametrize("as_of", ["9999-12-31", "0001-01-01", "1900-01-01", "2101-01-01"])
def test_as_of_out_of_range_is_400_not_500(client, as_of):
    response = client.get("/treaties/APMBC/", {"as_of": as_of})
    assert response.status_code == 400
    assert "out of range" in text_of(response)


@pytest.mark.parametrize("as_of", ["1990-01-01", "2100-12-31"])
def test_extreme_but_valid_dates_render(client, as_of):
    for url in ("/", "/states/", "/states/AFG/", "/treaties/APMBC/", "/deadlines/"):
        assert client.get(url, {"as_of": as_of}).status_code == 200, url


def test_home_query_count_is_bounded(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/", {"as_of": AS_OF}).status_code == 200


# --- States index ----------------------------------------------------------------------------


def test_states_index_lists_every_state(client):
    response = client.get("/states/", {"as_of": AS_OF})
    assert response.status_code == 200
    assert by_testid(text_of(response), "result-count") == "197"


def test_states_csv_has_a_row_per_state(client):
    response = client.get("/states.csv", {"as_of": AS_OF})
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:3] == ["iso3", "name", "region"]
    assert len(rows) - 1 == 197


def test_states_csv_via_format_param_matches_the_csv_url(client):
    a = client.get("/states/", {"as_of": AS_OF, "format": "csv", "region": "Africa"})
    b = client.get("/states.csv", {"as_of": AS_OF, "region": "Africa"})
    assert a.content == b.content


def test_filters_narrow_the_states_and_the_csv(client):
    params = {"as_of": AS_OF, "treaty": "APMBC", "status": "not_signed"}
    html = text_of(client.get("/states/", params))
    assert by_testid(html, "result-count") == "31"
    rows = csv_rows(client.get("/states.csv", params))
    assert len(rows) - 1 == 31
    assert {r[4] for r in rows[1:]} == {"Not signed"}
    assert "United States of America" in {r[1] for r in rows[1:]}


def test_search_matches_names_and_codes(client):
    for q in ("ukr", "Ukraine", "UA"):
        rows = csv_rows(client.get("/states.csv", {"as_of": AS_OF, "q": q}))
        assert "UKR" in [r[0] for r in rows[1:]], q
    rows = csv_rows(client.get("/states.csv", {"as_of": AS_OF, "q": "AFG"}))
    assert [r[0] for r in rows[1:]] == ["AFG"]


def test_region_filter(client):
    rows = csv_rows(client.get("/states.csv", {"as_of": AS_OF, "region": "Oceania"}))
    assert rows[1:] and {r[2] for r in rows[1:]} == {"Oceania"}


def test_sorting_by_entry_into_force_descending(client):
    rows = csv_rows(client.get("/states.csv", {"as_of": AS_OF, "treaty": "APMBC", "sort": "-apmbc-eif"}))
    dates = [r[5] for r in rows[1:] if r[5]]
    assert dates == sorted(dates, reverse=True)


def test_states_index_is_2_queries_per_treaty_whatever_the_number_of_states(
    client, django_assert_max_num_queries
):
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/states/", {"as_of": AS_OF}).status_code == 200
    with django_assert_max_num_queries(MAX_QUERIES):
        assert client.get("/states.csv", {"as_of": AS_OF}).status_code == 200


# --- Profile ---------------------------------------------------------------------------------


def test_afghanistan_profile_shows_deposit_entry_into_force_and_article_4_deadline(client):
    response = client.get("/states/AFG/", {"as_of": AS_OF})
    assert response.status_code == 200
    html = text_of(response)
    assert by_testid(html, "deposit-APMBC").startswith("2002-09-11 (accession)")
    assert by_testid(html, "eif-APMBC").startswith("2003-03-01")
    assert by_testid(html, "original-APMBC-art4") == "2007-03-01"
    assert by_testid(html, "original-APMBC-art5") == "2013-03-01"


def test_profile_code_is_case_insensitive(client):
    assert client.get("/states/afg/").status_code == 200


def test_profile_has_sections_footnotes_and_history(client):
    html = text_of(client.get("/states/UKR/", {"as_of": AS_OF}))
    for heading in ("Timeline", "Obligations", "Alerts", "Transparency reporting", "Policy", "Stockpiles"):
        assert heading in html
    assert 'id="source-1"' in html and 'href="#source-1"' in html
    assert "unconfirmed" in html
    assert reverse("reports:history", args=["UKR"]) in html


def test_profile_as_of_before_joining_shows_no_deadlines(client):
    html = text_of(client.get("/states/AFG/", {"as_of": "2000-01-01"}))
    assert "Not signed" in html
    assert "2007-03-01" not in html


def test_unknown_state_is_a_helpful_404(client):
    response = client.get("/states/XXX/")
    assert response.status_code == 404
    assert "No State has the code" in text_of(response)


def test_profile_query_count_is_bounded(client, django_assert_max_num_queries):
    # The profile reads the most: participation, obligations, requests, alerts, reports and the
    # policy record (votes, meetings, facts), each once, whatever the number of States.
    with django_assert_max_num_queries(MAX_QUERIES + 2):
        assert client.get("/states/UKR/", {"as_of": AS_OF}).status_code == 200


def test_history_page_lists_versions(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        response = client.get("/states/AFG/history/")
    assert response.status_code == 200
    assert "2002-09-11" in text_of(response)


# --- Treaty page -----------------------------------------------------------------------------


def test_treaty_page_explains_rules_and_draws_chart_and_map(client):
    response = client.get("/treaties/APMBC/", {"as_of": AS_OF})
    assert response.status_code == 200
    html = text_of(response)
    assert by_testid(html, "treaty-parties") == "161"
    assert "first day of the sixth month after the month in which the 40th instrument" in html
    assert "4 years after entry into force" in html
    assert html.count('role="img"') == 3  # participation chart, map, General Assembly votes
    assert "<figcaption>" in html
    assert 'class="dot dot--state-party"' in html


def test_treaty_page_turns_to_an_earlier_date(client):
    html = text_of(client.get("/treaties/APMBC/", {"as_of": "2000-07-01"}))
    assert by_testid(html, "treaty-parties") == "90"
    assert "2000-07-01" in html  # the chart cursor


def test_treaty_code_is_case_insensitive_and_unknown_is_404(client):
    assert client.get("/treaties/apmbc/").status_code == 200
    assert client.get("/treaties/NOPE/").status_code == 404


def test_treaty_participant_csv(client):
    rows = csv_rows(client.get("/treaties/APMBC.csv", {"as_of": AS_OF, "sort": "consent"}))
    assert rows[0][:5] == ["iso3", "participant", "status", "signature", "consent"]
    afg = next(r for r in rows if r[0] == "AFG")
    assert afg[4:7] == ["2002-09-11", "Accession", "2003-03-01"]
    consents = [r[4] for r in rows[1:] if r[4]]
    assert consents == sorted(consents)


def test_treaty_list_page(client):
    response = client.get("/treaties/", {"as_of": AS_OF})
    assert response.status_code == 200
    assert "Convention on Cluster Munitions" in text_of(response)


def test_treaty_page_query_count_is_bounded(client, django_assert_max_num_queries):
    # The data version, then participation, terms and the vote tallies: none per State.
    with django_assert_max_num_queries(7):
        assert client.get("/treaties/APMBC/", {"as_of": AS_OF}).status_code == 200
    with django_assert_max_num_queries(7):
        assert client.get("/treaties/APMBC.csv", {"as_of": AS_OF}).status_code == 200


def test_every_page_has_the_as_of_control_skip_link_and_nav(client):
    for url in ("/", "/states/", "/states/AFG/", "/treaties/", "/treaties/CCM/", "/deadlines/"):
        html = text_of(client.get(url, {"as_of": AS_OF}))
        assert '<label for="as-of">' in html, url
        assert 'name="as_of"' in html and 'type="date"' in html, url
        assert 'class="skip-link" href="#main"' in html, url
        assert "/api/v1/docs/" in html, url
        assert "Reference data compiled 2026-11-22" in html, url


def test_footnotes_are_numbered_once_per_source(client):
    html = text_of(client.get("/states/UKR/", {"as_of": AS_OF}))
    policy = html.split('id="n-policy"', 1)[1].split("</section>", 1)[0]
    first_sentence = policy.split("</sup> ", 1)[0] + "</sup>"
    numbers = re.findall(r'href="#source-(\d+)"', policy.split("Other notification")[0])
    assert numbers and len(numbers) == len(set(numbers)), first_sentence


def test_unknown_address_uses_the_site_404_template(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def _more_states(apmbc, how_many: int) -> None:
    """Add States with a signature and a consent each, as a bigger world would have."""
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    taken = set(Country.objects.values_list("iso2", flat=True))
    free_iso2 = [a + b for a in "XZ" for b in letters if a + b not in taken]
    countries = Country.objects.bulk_create(
        Country(
            iso3=f"X{letters[i // 26]}{letters[i % 26]}",
            iso2=free_iso2[i],
            m49_code="999",
            name=f"Testland {i}",
            region="Oceania",
            sub_region="Polynesia",
            latitude=-10,
            longitude=170,
        )
        for i in range(how_many)
    )
    DepositaryAction.objects.bulk_create(
        DepositaryAction(
            country=c, treaty=apmbc, kind="consent", consent_type="accession", action_date=date(2003, 9, 25)
        )
        for c in countries
    )


def test_query_counts_do_not_grow_with_the_number_of_states(client, apmbc, data_version):
    urls = ["/", "/states/", "/states.csv", "/treaties/APMBC/", "/treaties/APMBC.csv", "/deadlines/"]

    def counts() -> list[int]:
        found = []
        for url in urls:
            with CaptureQueriesContext(connection) as queries:
                assert client.get(url, {"as_of": AS_OF}).status_code == 200
            found.append(len(queries))
        return found

    before = counts()
    _more_states(apmbc, 40)
    data_version()  # the bulk insert bypassed the services, which would have said so
    assert counts() == before
    assert by_testid(text_of(client.get("/", {"as_of": AS_OF})), "parties-APMBC").startswith("201")


def test_treaty_without_records_says_so(client):
    from states.models import Treaty

    Treaty.objects.create(
        code="TEST", short_name="Test treaty", name="A treaty made up for this test",
        adopted_on=date(1990, 1, 1), eif_threshold=1, eif_rule="same_day", eif_months=6,
    )  # fmt: skip
    html = text_of(client.get("/treaties/TEST/", {"as_of": AS_OF}))
    assert "No participation is on record for this treaty yet" in html


def test_profile_renders_extensions_completions_alerts_and_reports(client):
    """Afghanistan's real record: two Art. 5 extensions, an Art. 4 completion known only by
    year, and, once one report is on record, the alert for the updates still missing."""
    from obligations import services as obligation_services
    from obligations import services as report_services
    from states.models import Treaty

    afghanistan = Country.objects.get(iso3="AFG")
    apmbc = Treaty.objects.get(code="APMBC")
    report_services.article7_report_record(
        country=afghanistan,
        treaty=apmbc,
        kind="initial",
        submitted_on=date(2003, 8, 20),
        today=date(2026, 11, 22),
        source_urls=["https://example.org/afg-initial-report"],
    )
    obligation_services.obligations_recompute(country=afghanistan, as_of=date(2026, 11, 22))
    # An editor says Afghanistan's reports are kept on record from 2024 on.
    obligation_services.obligation_record(
        country=afghanistan, treaty=apmbc, code="art7-annual", reports_tracked_from=2024
    )
    obligation_services.obligations_recompute(country=afghanistan, as_of=date(2026, 11, 22))

    raw = text_of(client.get("/states/AFG/", {"as_of": AS_OF}))
    html = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", raw))
    assert "2012-12-07: to 2023-03-01 (12MSP)" in html
    assert "2022-11-25: to 2025-03-01 (20MSP)" in html
    assert "Art. 5 deadline extended" in html
    # A year stays a year: the completion is "2006", never a day picked in it.
    assert "2006 APMBC Art. 4 completed in 2006 (reported on 30 April 2007)" in html
    assert "2006-12-31" not in html
    assert "completed (reported in 2007 Article 7 report)" in html
    assert "completed on time" in html
    assert "Initial 2003-08-28 2003-08-20 completed on time" in html
    assert "Annual covering 2024 2025-04-30 — overdue" in html
    assert "annual transparency reports missing" in html
    assert "https://new.apminebanconvention.org/en/membership/afghanistan/" in raw


def test_pages_turned_to_a_past_date_leave_out_later_actions(client):
    html = text_of(client.get("/states/AFG/", {"as_of": "2005-07-01"}))
    assert "2008-12-03" not in html  # CCM signature, three years later
    assert "2011-09-08" not in html  # CCM ratification
    rows = csv_rows(client.get("/treaties/CCM.csv", {"as_of": "2010-01-01"}))
    consents = [r[4] for r in rows[1:] if r[4]]
    assert consents and max(consents) <= "2010-01-01"
    assert all(not r[6] or r[4] for r in rows[1:])  # no entry into force without a consent on record
    states = csv_rows(client.get("/states.csv", {"as_of": "2000-07-01", "treaty": "APMBC"}))
    assert all(r[5] == "" or r[4] != "Not signed" for r in states[1:])


def test_scheduled_entry_into_force_is_marked(client):
    # Afghanistan deposited on 2002-09-11; the Convention entered into force for it on 2003-03-01.
    html = text_of(client.get("/states/AFG/", {"as_of": "2002-12-01"}))
    assert by_testid(html, "eif-APMBC").startswith("2003-03-01 scheduled")


# --- Existence in time; consents whose date is not on record --------------------------------


def test_south_sudans_profile_the_day_before_independence_says_it_did_not_exist(client):
    html = text_of(client.get("/states/SSD/", {"as_of": "2011-07-08"}))
    assert "South Sudan did not exist on 8 July 2011; it exists from 9 July 2011 (independence)." in html
    assert "has not joined" not in html


def test_the_ccm_page_in_2000_says_it_did_not_exist_and_lists_no_state(client):
    html = text_of(client.get("/treaties/CCM/", {"as_of": "2000-07-01"}))
    assert by_testid(html, "treaty-not-adopted").startswith(
        "The Convention on Cluster Munitions did not yet exist on 1 July 2000: it was adopted on 30 May 2008."
    )
    assert "Not signed" not in html


def test_the_treaty_list_in_2000_shows_no_ccm_state_as_not_signed(client):
    html = text_of(client.get("/treaties/", {"as_of": "2000-07-01"}))
    assert "56 not signed" in html and "4 did not exist yet" in html
    assert "Not yet adopted on this date: no State could sign or join it." in html
    assert "193 not signed" not in html and "197 not signed" not in html


def test_the_ccw_apii_page_shows_undated_consents_and_sorts_them_last(client):
    html = text_of(client.get("/treaties/CCW-APII/", {"as_of": AS_OF, "sort": "-consent"}))
    assert by_testid(html, "treaty-parties") == "106"
    assert "date not on record" in html
    assert "96 instruments whose date is not on record are not drawn." in html
    # Newest dated instrument first (Afghanistan 2017), the undated ones after every dated one.
    rows = re.findall(r'href="/states/([A-Z]{3})/', html.split("<tbody")[1])
    dated = ["AFG", "BLR", "ALB", "BGD", "PAK", "GBR", "ARG", "AUT", "CAN", "AUS"]
    assert rows[:10] == dated and len(rows) == 106


def test_the_ccw_apii_page_calls_the_others_not_a_party_as_it_has_no_signature_stage(client):
    html = text_of(client.get("/treaties/CCW-APII/", {"as_of": AS_OF}))
    assert by_testid(html, "treaty-not-a-party") == "91"
    assert "Not signed" not in html and "Signatories" not in html
    assert "Not a party: <strong>91</strong>" in html and html.count("dot--not-a-party") == 92  # map, legend
    listing = text_of(client.get("/treaties/", {"as_of": AS_OF}))
    assert "91 not a party" in listing and "91 not signed" not in listing


def test_the_ccw_apii_page_in_2000_counts_the_unknown_apart(client):
    html = text_of(client.get("/treaties/CCW-APII/", {"as_of": "2000-01-01"}))
    assert by_testid(html, "treaty-unknown") == "95"
    assert by_testid(html, "treaty-parties") == "6"


def test_a_profile_says_when_a_consent_date_is_not_on_record(client):
    today = text_of(client.get("/states/BEL/", {"as_of": AS_OF}))
    assert "date not on record (listed as bound on 2026-11-22)" in today
    assert "the date of its consent is not on record" in today
    in_2000 = text_of(client.get("/states/BEL/", {"as_of": "2000-01-01"}))
    assert "Whether Belgium was bound by the CCW Amended Protocol II on 1 January 2000 is unknown" in in_2000
    # Three treaty cards; the protocol's, with no signature stage, has no signature row.
    assert today.count("<dt>Consent to be bound</dt>") == 3 and today.count("<dt>Signature</dt>") == 2


def test_a_profile_of_a_state_that_joined_again_tells_the_participation_of_the_day(client):
    """Estonia's withdrawal took effect on 2025-12-27; its new accession is MADE UP here."""
    from states import services
    from states.models import Treaty
    from tests.conftest import TEST_SOURCE

    services.depositary_action_record(
        country=Country.objects.get(iso3="EST"), treaty=Treaty.objects.get(code="APMBC"), kind="consent",
        action_date=date(2026, 3, 2), consent_type="accession", source_citation=TEST_SOURCE,
    )  # fmt: skip
    gap = text_of(client.get("/states/EST/", {"as_of": "2026-01-01"}))
    assert "Estonia acceded to the Mine Ban Treaty on 12 May 2004" in gap
    assert "it took effect on 27 December 2025" in gap
    again = text_of(client.get("/states/EST/", {"as_of": "2026-11-30"}))
    assert "Estonia acceded to the Mine Ban Treaty on 2 March 2026" in again
    assert "the Convention entered into force for it on 1 September 2026" in again
    assert again.count("Withdrawal takes effect") == 1


@pytest.mark.parametrize(
    "url",
    [
        "/treaties/CCW-APII/?sort=consent", "/treaties/CCW-APII/?sort=-eif",
        "/treaties/CCW-APII/?sort=status", "/treaties/CCW-APII.csv", "/states/?sort=-ccw-apii-eif",
        "/states/?sort=ccw-apii-status", "/states/?status=unknown&as_of=2000-01-01",
        "/states.csv?as_of=2000-01-01", "/states/BEL/history/", "/states/MNE/?as_of=2000-01-01",
        "/treaties/?as_of=1990-01-01", "/?as_of=1990-01-01", "/api/v1/depositary-actions/?treaty=CCW-APII",
        "/api/v1/participations/?treaty=CCW-APII&as_of=1990-01-01",
        "/api/v1/treaties/CCW-APII/status/?as_of=1990-01-01",
    ],
)  # fmt: skip
def test_pages_that_meet_a_date_not_on_record_answer(client, url):
    """Nothing sorts on, compares or draws a consent date that is not on record."""
    assert client.get(url).status_code == 200, url


def test_a_csv_of_the_ccw_apii_says_when_a_consent_date_is_not_on_record(client):
    rows = {row[0]: row for row in csv_rows(client.get("/treaties/CCW-APII.csv", {"as_of": AS_OF}))}
    assert rows["BEL"][4] == "not on record"
    assert rows["CAN"][4] == "1998-01-05"


def test_a_profiles_queries_do_not_grow_with_the_number_of_treaties(client, analyst):
    """A made-up treaty with the same terms as the APMBC, and Ukraine a party to it: the
    profile shows one treaty more for the same number of queries. (A logged-in reader:
    every request renders, none is served from the response cache.)"""
    client.force_login(analyst)
    from states.models import Treaty, TreatyObligation
    from states.services import depositary_action_record
    from tests.conftest import TEST_SOURCE

    def profile_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/states/UKR/", {"as_of": AS_OF}).status_code == 200
        # The data version is not read inside a transaction that has written (this test's).
        return sum(1 for q in queries.captured_queries if "mineban_dataversion" not in q["sql"])

    before = profile_queries()
    apmbc = Treaty.objects.get(code="APMBC")
    copy = Treaty.objects.create(
        **{
            f.name: getattr(apmbc, f.name)
            for f in Treaty._meta.concrete_fields
            if f.name not in ("id", "code")
        },
        code="TEST-COPY",
    )
    for terms in TreatyObligation.objects.filter(treaty=apmbc):
        terms.pk = None
        terms.treaty = copy
        terms.save()
    depositary_action_record(
        country=Country.objects.get(iso3="UKR"),
        treaty=copy,
        kind="consent",
        consent_type="accession",
        action_date=date(2005, 12, 27),
        today=date(2026, 11, 30),
        source_citation=TEST_SOURCE,
    )
    html = client.get("/states/UKR/", {"as_of": AS_OF}).content.decode()
    assert "TEST-COPY" in html
    assert profile_queries() == before
