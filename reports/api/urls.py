"""Routes of the read-only analysts' API (the change feed), under /api/v1/."""

from django.urls import path

from reports.api import changes

urlpatterns = [
    path("changes/", changes.ChangeFeedView.as_view(), name="change-feed"),
]
