"""Load benchmark: the production shape on loopback, driven by wrk.

Starts gunicorn (4 sync workers, ``DEBUG=0``) against the PostgreSQL and Redis in
``DATABASE_URL`` / ``REDIS_URL`` (migrated and loaded with the real reference data first),
warms every URL up, then for each concurrency (8 and 32) runs ``/healthz`` — one database
query: the floor — right before each URL, for a bounded time each. Then a mixed run over every
URL with an editor's write committed every second. Prints req/s, p50, p99, errors and each
URL's throughput as a share of the floor just measured, and appends the table to
``bench/README.md`` (``--no-append`` to skip).

    DATABASE_URL=postgres://... REDIS_URL=redis://... python bench/load.py --label after

Then (``--scale 10``, the default; 0 skips it) nine synthetic treaties copying APMBC's
records are added (committed, removed at the end) and the pages measured again at
concurrency 8: they should stay flat.
wrk is a Debian package (``apt-get install wrk``).
"""

import argparse
import os
import re
import secrets
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import _setup

ROOT = _setup.ROOT
URLS = [
    "/",
    "/?as_of=2005-07-01",
    "/states/",
    "/states/?as_of=2005-07-01",
    "/states/AFG/",
    "/treaties/APMBC/",
    "/deadlines/",
    "/deadlines/?as_of=2005-07-01",
    "/deadlines.ics",
    "/api/v1/participations/?treaty=APMBC",
    "/api/v1/treaties/APMBC/status/",
    "/api/v1/deadlines/?treaty=APMBC",
    "/api/v1/alerts/?open=true",
    "/api/v1/countries/",
]
# The pages measured again at 10x the data.
SCALE_URLS = ["/", "/states/", "/states/AFG/", "/deadlines/", "/deadlines.ics", "/api/v1/deadlines/"]
FLOOR = "/healthz"


@dataclass
class Result:
    url: str
    concurrency: int
    rps: float
    p50_ms: float
    p99_ms: float
    errors: int
    floor_rps: float | None = None

    @property
    def ratio(self) -> str:
        return f"{self.rps / self.floor_rps:.0%}" if self.floor_rps else ""


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(number) * _UNITS[unit]


def wrk(base: str, url: str, *, concurrency: int, seconds: int, script: str | None = None) -> Result:
    command = ["wrk", "-t", "2", "-c", str(concurrency), "-d", f"{seconds}s", "--timeout", "10s", "--latency"]
    if script:
        command += ["-s", script]
    output = subprocess.run([*command, base + url], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\s50%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\s99%\s+(\S+)", output).group(1))  # type: ignore[union-attr]
    errors = 0
    if found := re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output):
        errors += int(found.group(1))
    if found := re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output):
        # Gunicorn's sync workers close every connection; wrk counts those as read errors.
        errors += int(found.group(1)) + int(found.group(3)) + int(found.group(4))
    return Result(url, concurrency, rps, p50, p99, errors)


def _environment(port: int, var_dir: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SESSION_COOKIE_SECURE="0",
        CSRF_COOKIE_SECURE="0",
        SECURE_HSTS_SECONDS="0",
        MINEBAN_VAR_DIR=var_dir,
        LOG_LEVEL="WARNING",
    )
    env.pop("MINEBAN_TODAY", None)
    return env


def serve(port: int, var_dir: str) -> subprocess.Popen[bytes]:
    env = _environment(port, var_dir)
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "collectstatic", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True)
    gunicorn = [
        str(Path(sys.executable).parent / "gunicorn"),
        "mineban.wsgi",
        "-w",
        "4",
        "-b",
        f"127.0.0.1:{port}",
        # Not the image's gunicorn.conf.py (read from the working directory by default): no
        # access log line per request, as in the runs before it existed.
        "-c",
        str(Path(var_dir) / "gunicorn.bench.py"),
    ]
    (Path(var_dir) / "gunicorn.bench.py").write_text("")
    server = subprocess.Popen([*gunicorn, "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}{FLOOR}", timeout=2).read()
            return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not answer /healthz")


def warm(base: str, urls: list[str]) -> None:
    for url in urls:
        for _ in range(3):
            with urllib.request.urlopen(base + url, timeout=60) as response:
                response.read()


def settle(base: str) -> None:
    """Wait until the workers have drained what the previous run left queued (wrk stops
    sending, gunicorn still answers the requests already accepted): a floor measured in that
    backlog would be the previous page's tail."""
    fast = 0
    deadline = time.monotonic() + 180
    while fast < 3 and time.monotonic() < deadline:
        started = time.monotonic()
        try:
            urllib.request.urlopen(base + FLOOR, timeout=120).read()
        except OSError:  # still queued behind the backlog: keep waiting
            fast = 0
            continue
        fast = fast + 1 if time.monotonic() - started < 0.05 else 0


def measure(base: str, urls: list[str], concurrencies: list[int], seconds: int) -> list[Result]:
    results = []
    for concurrency in concurrencies:
        for url in urls:
            settle(base)
            floor = wrk(base, FLOOR, concurrency=concurrency, seconds=seconds)
            result = wrk(base, url, concurrency=concurrency, seconds=seconds)
            result.floor_rps = floor.rps
            results.append(result)
            print(_row(result), flush=True)
    return results


def _write_every_second(stop: threading.Event, written: list[int]) -> None:
    """An editor's save each second, committed, as the API would make it."""
    import mineban.celery  # noqa: F401  (the app the recompute task is enqueued on)
    import obligations.tasks  # noqa: F401
    from obligations import services
    from obligations.models import Extension

    extension = Extension.objects.order_by("pk").first()
    assert extension is not None
    original = extension.notes
    try:
        while not stop.wait(1.0):
            services.extension_update(
                extension=extension, notes=f"{original} (load benchmark {len(written)})"
            )
            written.append(1)
    finally:
        services.extension_update(extension=extension, notes=original)


def mixed(base: str, urls: list[str], concurrency: int, seconds: int) -> Result:
    script = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False)  # noqa: SIM115
    paths = ", ".join(f'"{u}"' for u in urls)
    script.write(
        f"paths = {{{paths}}}\ncounter = 0\n"
        "request = function()\n  counter = counter + 1\n"
        "  return wrk.format('GET', paths[(counter % #paths) + 1])\nend\n"
    )
    script.close()
    stop, written = threading.Event(), []  # type: ignore[var-annotated]
    writer = threading.Thread(target=_write_every_second, args=(stop, written))
    writer.start()
    try:
        result = wrk(base, "/", concurrency=concurrency, seconds=seconds, script=script.name)
    finally:
        stop.set()
        writer.join()
        os.unlink(script.name)
    result.url = f"mixed, every URL, {len(written)} writes"
    return result


def _row(r: Result) -> str:
    return (
        f"| `{r.url}` | {r.concurrency} | {r.rps:,.1f} | {r.p50_ms:,.1f} | {r.p99_ms:,.1f} | {r.errors} "
        f"| {r.floor_rps or 0:,.0f} | {r.ratio} |"
    )


HEADER = "| URL | concurrency | req/s | p50 ms | p99 ms | errors | floor req/s | share of floor |\n" + (
    "| --- | --- | --- | --- | --- | --- | --- | --- |"
)


def scaled(factor: int) -> tuple[int, int]:
    """Commit ``factor - 1`` synthetic copies of APMBC's records; returns the treaty id range."""
    from django.db import transaction
    from scale import clone_treaties

    from states.models import Treaty

    with transaction.atomic():
        clone_treaties(factor - 1, 1)
        _advance_version()
    ids = list(Treaty.objects.filter(code__startswith="SYN").values_list("pk", flat=True))
    return min(ids), max(ids)


def unscale() -> None:
    from django.db import transaction

    from obligations.models import Alert, Article7Report, Completion, Extension, Obligation
    from states.models import DepositaryAction, Treaty, TreatyObligation

    with transaction.atomic():
        synthetic = Treaty.objects.filter(code__startswith="SYN")
        for model in (Alert, Completion, Extension):
            field = "treaty__in" if model is Alert else "obligation__treaty__in"
            model.objects.filter(**{field: synthetic}).delete()
        for model in (Article7Report, Obligation, DepositaryAction, TreatyObligation):
            model.objects.filter(treaty__in=synthetic).delete()  # type: ignore[attr-defined]
        synthetic.delete()
        _advance_version()


def _advance_version() -> None:
    """Bulk inserts bypass the services: say the data changed (when the code tracks it)."""
    try:
        from mineban.cache import data_changed
    except ImportError:
        return
    data_changed()


def main() -> int:
    # The server is on loopback: urllib must not send it to a proxy the environment names.
    os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="run", help="names the run in bench/README.md")
    parser.add_argument("--seconds", type=int, default=5, help="per URL and per floor run")
    parser.add_argument("--port", type=int, default=8111)
    parser.add_argument("--scale", type=int, default=10, help="then at this many times the data (0: not)")
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    parser.add_argument("--start-at", default="", help="skip the URLs before this one (resume a run)")
    parser.add_argument("--no-mixed", action="store_true", help="skip the mixed run")
    parser.add_argument("--no-append", action="store_true")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        print("load.py skipped: wrk is not installed (apt-get install wrk)")
        return 0
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("load.py skipped: needs DATABASE_URL (PostgreSQL) and REDIS_URL (.ci/services.sh)")
        return 0
    # The writer runs the services in this process with in-process tasks; the server gets Redis.
    redis_url = os.environ.pop("REDIS_URL", "")
    _setup.ready()
    os.environ["REDIS_URL"] = redis_url
    # The real data: synthetic treaties an interrupted run left behind would make it 10x.
    unscale()
    base = f"http://127.0.0.1:{args.port}"
    started = datetime.now(UTC)
    load_before = os.getloadavg()[0]
    var_dir = tempfile.mkdtemp(prefix="mineban-load-")
    server = serve(args.port, var_dir)
    lines = [HEADER]
    try:
        warm(base, URLS)
        print(HEADER, flush=True)
        urls = URLS[URLS.index(args.start_at) :] if args.start_at else URLS
        results = measure(base, urls, args.concurrency, args.seconds)
        if not args.no_mixed:
            results.append(mixed(base, URLS, 32, args.seconds * 2))
            print(_row(results[-1]), flush=True)
        lines += [_row(r) for r in results]
        if args.scale > 1:
            scaled(args.scale)
            try:
                warm(base, SCALE_URLS)
                print(f"at {args.scale}x the treaties:", flush=True)
                scale_results = measure(base, SCALE_URLS, [8], args.seconds)
            finally:
                unscale()
            lines += [
                "",
                f"At {args.scale}x the treaties (synthetic copies of APMBC, concurrency 8):",
                "",
                HEADER,
            ]
            lines += [_row(r) for r in scale_results]
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(var_dir, ignore_errors=True)
    if not args.no_append:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
        )
        title = (
            f"\n### load.py, {args.label}: {started:%Y-%m-%d %H:%M} UTC, commit {commit.stdout.strip()}\n\n"
        )
        note = (
            f"gunicorn 4 sync workers, DEBUG=0, PostgreSQL and Redis on loopback, wrk -t2, {args.seconds} s "
            "per URL, `/healthz` run right before each URL as its floor; 2 shared cores, load average "
            f"{load_before:.1f} at the start and {os.getloadavg()[0]:.1f} at the end.\n\n"
        )
        with open(ROOT / "bench" / "README.md", "a", encoding="utf-8") as readme:
            readme.write(title + note + "\n".join(lines) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
