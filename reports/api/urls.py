"""Routes of the Art. 7 reports API, under /api/v1/."""

from django.urls import path

from reports.api import editing

urlpatterns = [
    path("article7-reports/", editing.Article7ReportListCreateView.as_view(), name="article7-report-list"),
    path(
        "article7-reports/<int:pk>/",
        editing.Article7ReportDetailView.as_view(),
        name="article7-report-detail",
    ),
]
