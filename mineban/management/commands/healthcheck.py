"""Container healthchecks (docker-compose.yml): exit 0 when the named process is healthy.

``web``: the server answers /healthz (with a Host it accepts). ``worker``: a worker ran a task
lately (the beat sweep gives it one every minute). ``beat``: beat sent its every-minute sweep
lately. The last two read the marks the Celery signals leave in the cache (``mineban.celery``).
"""

import time
import urllib.request
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.management.base import BaseCommand, CommandError

from mineban.health import BEAT_SEEN_KEY, WORKER_SEEN_KEY, WORKER_SEEN_WITHIN_SECONDS


class Command(BaseCommand):
    help = "Exit 0 when the web server, the Celery worker or Celery beat is healthy."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("process", choices=["web", "worker", "beat"])
        parser.add_argument("--url", default="http://127.0.0.1:8000/healthz", help="web: what to ask")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["process"] == "web":
            host = next((h.lstrip(".") for h in settings.ALLOWED_HOSTS if h != "*"), "localhost")
            request = urllib.request.Request(options["url"], headers={"Host": host})
            try:
                with urllib.request.urlopen(request, timeout=5) as response:
                    status = response.status
            except OSError as exc:
                raise CommandError(f"{options['url']}: {exc}") from None
            if status != 200:
                raise CommandError(f"{options['url']} answered {status}")
            return
        key = WORKER_SEEN_KEY if options["process"] == "worker" else BEAT_SEEN_KEY
        seen = cache.get(key)
        if seen is None:
            raise CommandError(f"no {options['process']} seen")
        age = time.time() - float(seen)
        if age > WORKER_SEEN_WITHIN_SECONDS:
            raise CommandError(f"{options['process']} last seen {age:.0f} s ago")
        self.stdout.write(f"{options['process']} seen {age:.0f} s ago")
