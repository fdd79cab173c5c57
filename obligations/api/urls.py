from django.urls import path

from mineban.api import record_routes
from obligations.api import editing, views

urlpatterns = [
    path("deadlines/", views.DeadlineList.as_view(), name="api-deadlines"),
    path("alerts/", views.AlertList.as_view(), name="api-alerts"),
    *record_routes("extensions", "extension", editing.ExtensionViewSet),
    *record_routes("completions", "completion", editing.CompletionViewSet),
    *record_routes("extension-requests", "extension-request", editing.ExtensionRequestViewSet),
    *record_routes("article7-reports", "article7-report", editing.Article7ReportViewSet),
]
