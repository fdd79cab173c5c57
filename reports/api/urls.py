"""Routes of the Art. 7 reports API, under /api/v1/."""

from reports.api import editing
from states.api.editing import record_routes

urlpatterns = record_routes(
    "article7-reports",
    "article7-report",
    records=editing.Article7ReportListCreateView,
    record=editing.Article7ReportDetailView,
    history=editing.Article7ReportHistoryView,
    revert=editing.Article7ReportRevertView,
    restore=editing.Article7ReportRestoreView,
)
