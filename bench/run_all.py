"""Run every benchmark and print its numbers (``make bench``)."""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    scripts = ["pages.py", "recompute_all.py", "scale.py"]
    if os.environ.get("REDIS_URL"):
        # load.py says itself when wrk or PostgreSQL is missing; it appends to bench/README.md.
        scripts += ["save_to_alert.py", "load.py"]
    else:
        print("save_to_alert.py and load.py skipped: need REDIS_URL and PostgreSQL (.ci/services.sh)")
    status = 0
    for script in scripts:
        print(f"== {script}", flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script)], cwd=HERE.parent)
    return status


if __name__ == "__main__":
    sys.exit(main())
