"""The one place that knows what day it is.

Rules and selectors take ``as_of`` as a parameter; only the outermost layer (views,
commands, periodic tasks) asks this module, so every rule can be tested for any date.
Treaty facts are dates at the depositary in New York, but "today" is taken in UTC: a few
hours' difference at midnight is immaterial for obligations counted in months and years.

``MINEBAN_TODAY`` (an ISO date in the environment) pins the day for a whole process tree:
the test suite sets it, so a test run next year gives the answers it gives today, and the
Celery workers the live tests start agree with the test process on the date. Timestamps
(``timezone.now()``) are never pinned: the outbox and its sweep run on real time.
"""

import os
from datetime import date

from django.utils import timezone


def today() -> date:
    pinned = os.environ.get("MINEBAN_TODAY")
    if pinned:
        return date.fromisoformat(pinned)
    return timezone.now().date()
