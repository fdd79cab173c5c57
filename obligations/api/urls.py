from django.urls import path

from obligations.api import editing, views

urlpatterns = [
    path("deadlines/", views.DeadlineList.as_view(), name="api-deadlines"),
    path("alerts/", views.AlertList.as_view(), name="api-alerts"),
    path("extensions/", editing.ExtensionListCreateView.as_view(), name="extension-list"),
    path("extensions/<int:pk>/", editing.ExtensionDetailView.as_view(), name="extension-detail"),
    path("completions/", editing.CompletionListCreateView.as_view(), name="completion-list"),
    path("completions/<int:pk>/", editing.CompletionDetailView.as_view(), name="completion-detail"),
]
