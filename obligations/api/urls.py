from django.urls import path

from obligations.api import views

urlpatterns = [
    path("deadlines/", views.DeadlineList.as_view(), name="api-deadlines"),
    path("alerts/", views.AlertList.as_view(), name="api-alerts"),
]
