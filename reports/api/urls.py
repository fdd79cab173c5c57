"""Routes of the Art. 7 reports API, under /api/v1/."""

from reports.api import editing
from states.api.editing import record_routes

urlpatterns = record_routes("article7-reports", "article7-report", editing.Article7ReportViewSet)
