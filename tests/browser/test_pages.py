"""The pages in a real browser: load, filter, change the date, download."""

import csv
import re

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_counts_change_with_the_as_of_date(page):
    page.goto(page.base + "/?as_of=2026-11-22")
    expect(page.get_by_test_id("parties-APMBC")).to_contain_text("161")
    page.get_by_label("Show the record as of").fill("2000-07-01")
    page.get_by_role("button", name="Go").click()
    page.wait_for_url(re.compile(r"as_of=2000-07-01"))
    expect(page.get_by_test_id("parties-APMBC")).to_contain_text("90")
    # The date travels with the navigation.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="States").click()
    page.wait_for_url(re.compile(r"/states/\?as_of=2000-07-01"))
    expect(page.get_by_label("Show the record as of")).to_have_value("2000-07-01")


def test_skip_link_is_the_first_stop_for_the_keyboard(page):
    page.goto(page.base + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused.strip() == "Skip to content"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")


def test_states_filters_and_csv_download(page, tmp_path):
    page.goto(page.base + "/states/?as_of=2026-11-22")
    expect(page.get_by_test_id("result-count")).to_have_text("197")
    page.get_by_label("Treaty").select_option("APMBC")
    page.get_by_label("Status").select_option("not_signed")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("result-count")).to_have_text("31")
    page.get_by_label("Search names and codes").fill("united states")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("result-count")).to_have_text("1")

    page.get_by_label("Search names and codes").fill("")
    page.get_by_role("button", name="Filter").click()
    with page.expect_download() as info:
        page.get_by_test_id("csv-link").click()
    target = tmp_path / "states.csv"
    info.value.save_as(target)
    with target.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert len(rows) - 1 == 31
    assert {r[4] for r in rows[1:]} == {"Not signed"}


def test_sorting_by_a_column_header(page):
    page.goto(page.base + "/states/?as_of=2026-11-22&treaty=APMBC")
    page.get_by_role("link", name=re.compile(r"^APMBC in force")).click()
    page.get_by_role("link", name=re.compile(r"^APMBC in force")).click()
    page.wait_for_url(re.compile(r"sort=-apmbc-eif"))
    header = page.locator("th[aria-sort='descending']")
    expect(header).to_contain_text("APMBC in force")


def test_profile_and_treaty_pages(page):
    page.goto(page.base + "/states/afg/?as_of=2026-11-22")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Afghanistan")
    expect(page.get_by_test_id("deposit-APMBC")).to_contain_text("2002-09-11")
    expect(page.get_by_test_id("eif-APMBC")).to_contain_text("2003-03-01")
    expect(page.get_by_test_id("original-APMBC-art4")).to_have_text("2007-03-01")

    page.get_by_role("link", name="Mine Ban Treaty").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mine Ban Treaty")
    expect(page.get_by_role("img", name=re.compile("States Parties and instruments"))).to_be_visible()
    expect(page.get_by_role("img", name=re.compile("World map"))).to_be_visible()
    expect(page.get_by_test_id("treaty-parties")).to_have_text("161")
    page.get_by_label("Show the record as of").fill("2005-07-01")
    page.get_by_role("button", name="Go").click()
    expect(page.get_by_test_id("treaty-parties")).not_to_have_text("161")


def test_deadlines_filter_and_calendar_link(page):
    page.goto(page.base + "/deadlines/?as_of=2026-11-22")
    page.get_by_label("State").select_option("AFG")
    page.get_by_label("Treaty").select_option("APMBC")
    page.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("deadline-count")).to_have_text("4")
    href = page.get_by_test_id("ics-link").get_attribute("href")
    assert href and "state=AFG" in href and "treaty=APMBC" in href
    response = page.request.get(page.base + href)
    assert response.ok and response.text().count("BEGIN:VEVENT") == 4


def test_unknown_state_and_bad_date_pages(page):
    response = page.goto(page.base + "/states/XXX/")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    response = page.goto(page.base + "/?as_of=2005-13-45")
    assert response is not None and response.status == 400
    expect(page.locator("main")).to_contain_text("YYYY-MM-DD")


PAGES = [
    ("/", "Who has joined"),
    ("/states/", "States"),
    ("/states/UKR/", "Ukraine"),
    ("/states/UKR/history/", "History of Ukraine"),
    ("/treaties/", "Treaties"),
    ("/treaties/APMBC/", "Mine Ban Treaty"),
    ("/treaties/CCM/", "Convention on Cluster Munitions"),
    ("/deadlines/", "Deadlines"),
]


def test_every_page_loads_without_script_errors_and_styles_apply(page):
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    for path, heading in PAGES:
        response = page.goto(page.base + path + "?as_of=2026-11-22")
        assert response is not None and response.status == 200, path
        expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
        # The stylesheet is served (by the app itself) and applied: the header is dark green.
        colour = page.evaluate("getComputedStyle(document.querySelector('.site-header')).backgroundColor")
        assert colour == "rgb(35, 66, 47)", path
    assert errors == []


def test_phone_width_tables_scroll_instead_of_overflowing_the_page(browser, live_server, reference):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    tab.goto(live_server.url + "/states/?as_of=2026-11-22")
    page_width = tab.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 390
    scroller = tab.locator(".table-scroll").first
    assert scroller.evaluate("el => el.scrollWidth > el.clientWidth")
    context.close()


def test_the_overview_box_leads_to_the_policy_records_sections(page):
    page.goto(page.base + "/states/VNM/?as_of=2026-11-22")
    overview = page.get_by_test_id("overview")
    expect(overview).to_contain_text("Not a State Party (not signed)")
    expect(page.get_by_test_id("overview-unga")).to_have_text(
        "Abstained on every resolution from 53/77 N (1998) to 80/35 (2025); did not vote in 1996 and 1997."
    )
    overview.get_by_role("link", name="UN General Assembly").click()
    page.wait_for_url(re.compile(r"#unga-votes$"))
    row = page.get_by_test_id("unga-table").locator("tr", has_text="8 December 2010")
    expect(row).to_contain_text("65/48")
    expect(row).to_contain_text("Abstained")
    page.goto(page.base + "/treaties/APMBC/?as_of=2010-12-31")
    expect(page.get_by_role("img", name=re.compile("General Assembly votes"))).to_be_visible()
    expect(page.get_by_test_id("vote-bar")).to_have_count(15)


def test_the_policy_record_fits_a_phone(browser, live_server, reference):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    tab = context.new_page()
    for path in ("/states/VNM/", "/states/USA/", "/treaties/APMBC/"):
        tab.goto(live_server.url + path + "?as_of=2026-11-22")
        assert tab.evaluate("document.documentElement.scrollWidth") <= 390, path
    context.close()
