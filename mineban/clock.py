"""The one place that knows what day it is.

Rules and selectors take ``as_of`` as a parameter; only the outermost layer (views,
commands, periodic tasks) asks this module, so every rule can be tested for any date.
Treaty facts are dates at the depositary in New York, but "today" is taken in UTC: a few
hours' difference at midnight is immaterial for obligations counted in months and years.
"""

from datetime import date

from django.utils import timezone


def today() -> date:
    return timezone.now().date()
