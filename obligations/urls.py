from django.urls import path

from obligations import views

app_name = "obligations"
urlpatterns = [
    path("deadlines/", views.deadlines, name="deadlines"),
    path("deadlines.csv", views.deadlines_csv, name="deadlines-csv"),
    path("deadlines.ics", views.deadlines_ics, name="deadlines-ics"),
]
