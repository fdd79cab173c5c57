"""How the browser tests and the screenshot script start Debian's Chromium.

Never a downloaded browser: Playwright drives /usr/bin/chromium, which .ci/services.sh
installs. Background networking stays off because this machine's network is closed.
"""

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
