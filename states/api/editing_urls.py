"""Routes of the write API (depositary actions) and the change feed, under /api/v1/."""

from django.urls import path

from states.api import editing

urlpatterns = [
    path(
        "depositary-actions/", editing.DepositaryActionListCreateView.as_view(), name="depositary-action-list"
    ),
    path(
        "depositary-actions/<int:pk>/",
        editing.DepositaryActionDetailView.as_view(),
        name="depositary-action-detail",
    ),
    path(
        "depositary-actions/<int:pk>/history/",
        editing.DepositaryActionHistoryView.as_view(),
        name="depositary-action-history",
    ),
    path(
        "depositary-actions/<int:pk>/revert/",
        editing.DepositaryActionRevertView.as_view(),
        name="depositary-action-revert",
    ),
    path("changes/", editing.ChangeFeedView.as_view(), name="change-feed"),
]
