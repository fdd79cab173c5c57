"""Save screenshots of every page at desktop (1280 px) and phone (390 px) widths.

    python tests/browser/screenshots.py                 # serves the app on 127.0.0.1:8101
    python tests/browser/screenshots.py http://host:port  # uses a running server

PNGs go to ``screenshots/`` (git-ignored). The local database needs the reference data
(``manage.py load_reference_data``). Uses Debian's Chromium, never a downloaded browser.
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402

OUT = ROOT / "screenshots"
PAGES = {
    "home": "/",
    "home-2000": "/?as_of=2000-07-01",
    "states": "/states/",
    "states-filtered": "/states/?treaty=APMBC&region=Africa&sort=-apmbc-eif",
    "profile-afg": "/states/AFG/",
    "profile-ukr": "/states/UKR/",
    "profile-vnm": "/states/VNM/",
    "profile-usa": "/states/USA/",
    "profile-rus": "/states/RUS/",
    "treaties": "/treaties/",
    "treaty-apmbc": "/treaties/APMBC/",
    "treaty-apmbc-2010": "/treaties/APMBC/?as_of=2010-12-31",
    "treaty-ccm-2012": "/treaties/CCM/?as_of=2012-01-01",
    "deadlines": "/deadlines/?status=pending",
    "not-found": "/states/XXX/",
    "bad-date": "/?as_of=2005-13-45",
}
WIDTHS = {"desktop": 1280, "phone": 390}


def _wait_for(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"server at {url} did not answer")


def main() -> None:
    base = sys.argv[1].rstrip("/") if len(sys.argv) > 1 else ""
    server = None
    if not base:
        base = "http://127.0.0.1:8101"
        env = {**os.environ, "DEBUG": os.environ.get("DEBUG", "1")}
        server = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "127.0.0.1:8101", "--noreload"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _wait_for(base + "/treaties/")
    OUT.mkdir(exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for label, width in WIDTHS.items():
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                for name, path in PAGES.items():
                    page.goto(base + path)
                    target = OUT / f"{name}-{label}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT))
                context.close()
            browser.close()
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
