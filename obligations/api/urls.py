from django.urls import path

from obligations.api import editing, views
from states.api.editing import record_routes

urlpatterns = [
    path("deadlines/", views.DeadlineList.as_view(), name="api-deadlines"),
    path("alerts/", views.AlertList.as_view(), name="api-alerts"),
    *record_routes("extensions", "extension", editing.ExtensionViewSet),
    *record_routes("completions", "completion", editing.CompletionViewSet),
]
