"""Browser tests: Playwright (sync API) driving Debian's Chromium against ``live_server``.

One browser for the whole session. ``live_server`` tests are transactional: the tables are
flushed after each one, so each test reloads the reference data (``reference``), from a
dump of the session database taken once.
"""

import os
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command

from mineban import clock
from obligations.management.commands.load_reference_data import reference_steps
from obligations.services import recompute_deferred
from states import reference_data
from states.models import Country, UNGAVote
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.conftest import IN_CI

# Playwright's sync API keeps an event loop in the main thread; the test's own ORM calls
# (loading data) are still synchronous, so Django's async guard must stand aside here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        message = f"Chromium not found at {CHROMIUM} (run .ci/services.sh)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


# The General Assembly's votes are thousands of rows: ``loaddata`` saves one at a time, so they
# travel beside the dump and are bulk-inserted (their history is not needed in the browser).
BULK_MODELS = ("states.UNGAVote", "states.HistoricalUNGAVote")


@pytest.fixture(scope="session")
def reference_dump(django_db_setup, django_db_blocker, tmp_path_factory):  # type: ignore[no-untyped-def]
    """The session database's reference data as a fixture file: reloading it is far faster
    than running the loaders (which validate every row) again for each test."""
    target = tmp_path_factory.mktemp("reference") / "reference.json"
    with django_db_blocker.unblock():
        if not Country.objects.exists():  # a transactional test ran first and emptied the tables
            with recompute_deferred(as_of=clock.today()):
                for _label, step in reference_steps(reference_data.REFERENCE_DIR, clock.today()):
                    step()
        call_command(
            "dumpdata", "states", "obligations", "reports", exclude=list(BULK_MODELS), output=str(target),
            verbosity=0,
        )  # fmt: skip
        votes = list(UNGAVote.objects.values())
    return target, votes


@pytest.fixture
def reference(transactional_db, reference_dump):  # type: ignore[no-untyped-def]
    """The full reference data, loaded into the (flushed) tables of a live_server test."""
    if not Country.objects.exists():
        target, votes = reference_dump
        call_command("loaddata", str(target), verbosity=0)
        UNGAVote.objects.bulk_create([UNGAVote(**values) for values in votes], batch_size=500)


@pytest.fixture
def page(browser, live_server, reference):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(15_000)
    tab = context.new_page()
    tab.base = live_server.url  # type: ignore[attr-defined]
    yield tab
    context.close()
