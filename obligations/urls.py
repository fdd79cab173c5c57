from django.urls import path

from obligations import views

app_name = "obligations"
urlpatterns = [
    path("deadlines/", views.deadlines, name="deadlines"),
    path("deadlines.ics", views.deadlines_ics, name="deadlines-ics"),
]
