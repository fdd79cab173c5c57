"""Routes of the write API (depositary actions) and the change feed, under /api/v1/."""

from django.urls import path

from states.api import editing

urlpatterns = [
    *editing.record_routes("depositary-actions", "depositary-action", editing.DepositaryActionViewSet),
    path("changes/", editing.ChangeFeedView.as_view(), name="change-feed"),
]
