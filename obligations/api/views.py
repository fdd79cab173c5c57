"""Thin API views: validate the query, call a selector, serialize."""

from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from mineban import clock
from mineban.api import RecordPagination, parse_as_of
from mineban.filters import filterset_parameters
from obligations import selectors
from obligations.api.filters import AlertFilter, DeadlineFilter
from obligations.api.serializers import AlertOut, AlertPage, DeadlineOut, DeadlinePage

AS_OF = OpenApiParameter("as_of", str, description="YYYY-MM-DD; today when absent.")
AS_OF_ALERTS = OpenApiParameter(
    "as_of",
    str,
    description="YYYY-MM-DD: the alert conditions the rules give on that day, from the record as it "
    "stood then (computed: no id, never opened or resolved). Absent or today: the stored alerts.",
)


class DeadlineList(APIView):
    """Every obligation's original and current deadline and status, as of a date."""

    @extend_schema(parameters=[*filterset_parameters(DeadlineFilter), AS_OF], responses=DeadlinePage)
    def get(self, request: Request) -> Response:
        as_of = parse_as_of(request.query_params.get("as_of"))
        params: dict[str, Any] = DeadlineFilter.validated(request.query_params)
        rows = selectors.deadlines(
            as_of=as_of, treaty=params.get("treaty"), country=params.get("state"), status=params.get("status")
        )
        return Response({"as_of": as_of, "count": len(rows), "results": DeadlineOut(rows, many=True).data})


class AlertList(APIView):
    """Stored alerts, by due date: open and resolved ones unless ``open`` says which.

    To follow alerts, ask with ``changed_since`` = the time of your last read.
    """

    @extend_schema(parameters=[*filterset_parameters(AlertFilter), AS_OF_ALERTS], responses=AlertPage)
    def get(self, request: Request) -> Response:
        params: dict[str, Any] = AlertFilter.validated(request.query_params)
        if params["open"] is not None:
            params["open"] = params["open"] == "true"
        pages = RecordPagination()
        if request.query_params.get("as_of"):
            as_of = parse_as_of(request.query_params.get("as_of"))
            if as_of != clock.today():
                # A past (or future) day: the conditions the rules give then, not today's rows.
                computed = [
                    a
                    for a in selectors.alerts_on(
                        as_of=as_of,
                        thresholds=settings.ALERT_APPROACHING_DAYS,
                        country=params.get("state"),
                        treaty=params.get("treaty"),
                    )
                    if (not params.get("kind") or a.kind == params["kind"])
                    and (not params.get("severity") or a.severity == params["severity"])
                ]
                page = pages.paginate_queryset(computed, request, view=self)  # type: ignore[arg-type]
                return pages.get_paginated_response(AlertOut(page, many=True).data)
        found = selectors.alerts(
            open=params.get("open"),
            severity=params.get("severity"),
            kind=params.get("kind"),
            country=params.get("state"),
            treaty=params.get("treaty"),
            changed_since=params.get("changed_since"),
        )
        page = pages.paginate_queryset(found, request, view=self)
        return pages.get_paginated_response(AlertOut(page, many=True).data)
