"""Every API route, versioned under /api/v1/."""

from django.urls import include, path

urlpatterns = [
    path("", include("states.api.urls")),
    path("", include("states.api.editing_urls")),
    path("", include("states.api.policy_urls")),
    path("", include("obligations.api.urls")),
    path("", include("reports.api.urls")),
]
