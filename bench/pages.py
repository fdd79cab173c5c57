"""Query count and server time of each analyst page, on the real reference data.

Runs the pages through Django's test client (no network, no browser): the time is the
server's own, from request to rendered response. Median of 5 requests after one warm-up,
each a cache miss (the data version advanced before it, as a committed edit would), and the
median of 5 repeated requests (served from the response cache).
"""

import statistics
import time

import _setup

PAGES = [
    "/",
    "/?as_of=2000-07-01",
    "/states/",
    "/states/?as_of=2000-07-01",
    "/states.csv",
    "/states/AFG/",
    "/states/AFG/?as_of=2000-07-01",
    "/states/UKR/",
    "/treaties/",
    "/treaties/APMBC/",
    "/treaties/APMBC/?as_of=2000-07-01",
    "/treaties/APMBC.csv",
    "/deadlines/",
    "/deadlines/?as_of=2000-07-01",
    "/deadlines.ics",
    "/api/v1/participations/?treaty=APMBC",
    "/api/v1/treaties/APMBC/status/?as_of=2000-07-01",
    "/api/v1/deadlines/?treaty=APMBC",
    "/api/v1/alerts/?open=true",
]
RUNS = 5


def main() -> None:
    _setup.ready()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from mineban.cache import data_changed

    client = Client(HTTP_HOST="localhost")
    print(f"database: {connection.vendor}")
    print(f"{'page':<52} {'status':>6} {'queries':>7} {'miss ms':>9} {'hit ms':>7}")
    for url in PAGES:
        client.get(url)  # warm-up: templates and code paths loaded
        timings = []
        for _ in range(RUNS):
            data_changed()  # outside a transaction: a new version at once, every cache missed
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - started) * 1000)
        count, median = len(queries.captured_queries), statistics.median(timings)
        hits = []
        for _ in range(RUNS):
            started = time.perf_counter()
            client.get(url)
            hits.append((time.perf_counter() - started) * 1000)
        hit = statistics.median(hits)
        print(f"{url:<52} {response.status_code:>6} {count:>7} {median:>9.0f} {hit:>7.1f}")


if __name__ == "__main__":
    main()
