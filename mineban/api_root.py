"""The front doors of the API: ``/api/v1/`` lists the resources, ``/api/v1/docs/`` documents
them with Redoc served from the app's own static files (drf-spectacular-sidecar)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from drf_spectacular.views import SpectacularRedocView
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

# URL name of each resource's list (or only) route, by the name clients know it by.
RESOURCES = {
    "countries": "api-countries",
    "treaties": "api-treaties",
    "participations": "api-participations",
    "deadlines": "api-deadlines",
    "alerts": "api-alerts",
    "changes": "change-feed",
    "depositary-actions": "depositary-action-list",
    "extensions": "extension-list",
    "completions": "completion-list",
    "article7-reports": "article7-report-list",
    "schema": "api-schema",
    "docs": "api-docs",
}

# Redoc styles itself at run time and parses the schema in a worker it builds from a blob:
# this page alone allows inline styles and blob: workers. Scripts still come only from here.
DOCS_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'"
)


class ApiRoot(APIView):
    """Every resource of the API, with its URL."""

    @extend_schema(
        operation_id="api_root",
        responses=inline_serializer("ApiRoot", {name: serializers.URLField() for name in RESOURCES}),
    )
    def get(self, request: Request) -> Response:
        return Response({name: request.build_absolute_uri(reverse(url)) for name, url in RESOURCES.items()})


class ApiDocs(SpectacularRedocView):
    template_name = "api/docs.html"

    @extend_schema(exclude=True)
    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        response["Content-Security-Policy"] = DOCS_POLICY
        return response
