"""Routes of the depositary actions API, under /api/v1/."""

from mineban.api import record_routes
from states.api import editing

urlpatterns = record_routes("depositary-actions", "depositary-action", editing.DepositaryActionViewSet)
