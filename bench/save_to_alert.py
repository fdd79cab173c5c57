"""Latency from an editor's save to the alert visible, through the real broker and worker.

Needs REDIS_URL and a PostgreSQL DATABASE_URL. Starts its own Celery worker, then edits
Cambodia's latest Art. 5 extension 100+ times, alternating its new deadline between two
days, and times each save until the matching "deadline approaching" alert is open.
"""

import os
import signal
import statistics
import subprocess
import sys
import time
from datetime import timedelta

import _setup

SAVES = 120


def main() -> None:
    if not os.environ.get("REDIS_URL"):
        sys.exit("save_to_alert needs REDIS_URL (and a PostgreSQL DATABASE_URL): run .ci/services.sh")
    _setup.ready()
    from mineban import clock
    from mineban.celery import app
    from obligations import services
    from obligations.models import Alert, Extension

    app.control.purge()
    log = open(_setup.ROOT / "var" / "bench-worker.log", "wb")  # noqa: SIM115
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "mineban", "worker", "--pool=solo", "-n", "bench@%h",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=_setup.ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    extension = Extension.objects.select_related("obligation").get(
        obligation__country__iso3="KHM", meeting="22MSP"
    )
    original = extension.new_deadline
    today = clock.today()
    choices = [today + timedelta(days=200), today + timedelta(days=201)]
    latencies: list[float] = []
    try:
        time.sleep(3)  # worker start-up
        for index in range(SAVES + 5):
            target = choices[index % 2]
            started = time.perf_counter()
            extension = services.extension_update(extension=extension, new_deadline=target)
            while not Alert.objects.filter(
                obligation_id=extension.obligation_id,
                kind="deadline_approaching",
                due_date=target,
                resolved_at__isnull=True,
            ).exists():
                if time.perf_counter() - started > 10:
                    raise SystemExit(f"no alert after 10 s (save {index}); see var/bench-worker.log")
                time.sleep(0.002)
            if index >= 5:  # the first few warm the worker's connections
                latencies.append(time.perf_counter() - started)
    finally:
        services.extension_update(extension=extension, new_deadline=original)
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=20)
    ms = [v * 1000 for v in latencies]
    print(f"save-to-alert over {len(ms)} saves: median {statistics.median(ms):.0f} ms, "
          f"p95 {_setup.percentile(ms, 0.95):.0f} ms, max {max(ms):.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
