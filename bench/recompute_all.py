"""Time to recompute every State's obligations and alerts on the real reference data."""

import statistics
import time
from datetime import date

import _setup

AS_OF = date(2026, 11, 22)
RUNS = 7


def main() -> None:
    _setup.ready()
    from django.db import connection

    from obligations import services
    from obligations.models import Alert, Obligation
    from states.models import Country

    cold_start = time.perf_counter()
    first = services.obligations_recompute_all(as_of=AS_OF)
    cold = time.perf_counter() - cold_start
    timings = []
    for _ in range(RUNS):
        started = time.perf_counter()
        services.obligations_recompute_all(as_of=AS_OF)
        timings.append(time.perf_counter() - started)
    per_state = []
    for country in Country.objects.filter(iso3__in=["UKR", "KHM", "GRC", "AFG", "FRA"]):
        started = time.perf_counter()
        services.obligations_recompute(country=country, as_of=AS_OF)
        per_state.append(time.perf_counter() - started)
    print(f"database: {connection.vendor}")
    print(
        f"recompute all: {first.states} States, {Obligation.objects.count()} obligations, "
        f"{Alert.objects.filter(resolved_at__isnull=True).count()} open alerts"
    )
    print(f"  first run (may open/resolve alerts): {cold * 1000:.0f} ms ", end="")
    print(f"({first.opened} opened, {first.resolved} resolved)")
    median, worst = statistics.median(timings) * 1000, max(timings) * 1000
    print(f"  unchanged world, median of {RUNS}: {median:.0f} ms (max {worst:.0f} ms)")
    print(f"  one State (per-State path), median: {statistics.median(per_state) * 1000:.1f} ms")


if __name__ == "__main__":
    main()
