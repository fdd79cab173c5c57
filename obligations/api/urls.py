from django.urls import path

from obligations.api import editing, views
from states.api.editing import record_routes

urlpatterns = [
    path("deadlines/", views.DeadlineList.as_view(), name="api-deadlines"),
    path("alerts/", views.AlertList.as_view(), name="api-alerts"),
    *record_routes(
        "extensions",
        "extension",
        records=editing.ExtensionListCreateView,
        record=editing.ExtensionDetailView,
        history=editing.ExtensionHistoryView,
        revert=editing.ExtensionRevertView,
        restore=editing.ExtensionRestoreView,
    ),
    *record_routes(
        "completions",
        "completion",
        records=editing.CompletionListCreateView,
        record=editing.CompletionDetailView,
        history=editing.CompletionHistoryView,
        revert=editing.CompletionRevertView,
        restore=editing.CompletionRestoreView,
    ),
]
