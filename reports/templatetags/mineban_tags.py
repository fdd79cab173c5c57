"""Links that keep the page's "as of" date and filters; status badges."""

import calendar
from typing import Any
from urllib.parse import urlencode

from django import template
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils.html import format_html

from mineban.rules.precision import PartialDate
from obligations.models import ObligationStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def as_of_url(context: dict[str, Any], url: str) -> str:
    """``url`` carrying the page's ``as_of`` when the reader chose one."""
    request = context.get("request")
    raw = getattr(request, "as_of_param", "") if request is not None else ""
    if not raw:
        return url
    return f"{url}{'&' if '?' in url else '?'}{urlencode({'as_of': raw})}"


@register.simple_tag(takes_context=True)
def url_as_of(context: dict[str, Any], name: str, *args: Any, **params: Any) -> str:
    """``{% url name args %}`` with ``params`` as its query string, keeping the page's ``as_of``."""
    return as_of_url(context, reverse(name, args=args) + (f"?{urlencode(params)}" if params else ""))


@register.simple_tag(takes_context=True)
def query(context: dict[str, Any], **changes: Any) -> str:
    """The current query string with ``changes`` applied (``None`` or "" removes a key)."""
    params = context["request"].GET.copy()
    params.pop("format", None)
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.inclusion_tag("reports/includes/_sort_header.html", takes_context=True)
def sort_header(context: dict[str, Any], key: str, label: str, current: str) -> dict[str, Any]:
    """A column header link that sorts by ``key``; a second click reverses the order."""
    active = current.lstrip("-") == key
    descending = current.startswith("-")
    new = f"-{key}" if active and not descending else key
    aria = ("descending" if descending else "ascending") if active else "none"
    return {"request": context["request"], "key": new, "label": label, "active": active, "aria": aria}


@register.filter
def status_class(status: Any) -> str:
    return f"badge badge--{getattr(status, 'value', status)}".replace("_", "-")


@register.filter
def deadline_label(status: str) -> str:
    label = dict(ObligationStatus.choices).get(str(status), str(status).replace("_", " "))
    return str(label).lower()


@register.filter
def dashed(value: Any) -> str:
    return str(getattr(value, "value", value)).replace("_", "-")


@register.filter
def absolute(value: int) -> int:
    return abs(value)


_ORDINAL_WORDS = [
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
]


@register.filter
def ordinal_word(value: int) -> str:
    """6 -> "sixth", 40 -> "40th", as the treaties write them."""
    n = int(value)
    if 1 <= n <= len(_ORDINAL_WORDS):
        return _ORDINAL_WORDS[n - 1]
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


@register.filter
def month_name(value: int) -> str:
    return calendar.month_name[int(value)]


@register.simple_tag
def status_badge(status: Any) -> str:
    """A participation status as a coloured badge that also says it in words."""
    return format_html('<span class="{}">{}</span>', status_class(status), status.label)


@register.simple_tag
def deadline_badge(row: Any) -> str:
    """A deadline's status; pending and overdue ones count the days."""
    days = row.days_left
    if row.status == "pending" and days is not None:
        text = f"in {days} day{pluralize(days)}"
    elif row.status == "overdue" and days is not None:
        text = f"overdue by {abs(days)} day{pluralize(abs(days))}"
    else:
        text = deadline_label(row.status)
    return format_html('<span class="badge badge--dl-{}">{}</span>', dashed(row.status), text)


@register.filter
def partial_date(value: str) -> str:
    """A reduced-precision date as the source gives it: "2006", "April 2002", "21 November 2005"."""
    if not value:
        return ""
    try:
        return PartialDate.parse(value).label
    except ValueError:
        return value


@register.simple_tag
def completion_words(completion: Any) -> str:
    """When a completion happened, at the precision on record, and the report that announced it."""
    if completion is None:
        return ""
    if completion.kind == "not_applicable":
        return "declared not applicable"
    parts = []
    if completion.completed_on:
        parts.append(
            ("on " if len(completion.completed_on) == 10 else "in ") + partial_date(completion.completed_on)
        )
    if completion.reported_on:
        prefix = "reported " if completion.completed_on else "by the report of "
        parts.append(prefix + partial_date(completion.reported_on))
    if completion.reopened_on:
        parts.append("re-opened " + partial_date(completion.reopened_on))
    if completion.second_completed_on:
        parts.append("completed again " + partial_date(completion.second_completed_on))
    return "; ".join(parts)
