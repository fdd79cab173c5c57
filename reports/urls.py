from django.urls import path

from reports import views

app_name = "reports"
urlpatterns = [
    path("", views.home, name="home"),
    path("states/", views.states_index, name="index"),
    path("states.csv", views.states_csv, name="index-csv"),
    path("states/<str:code>/", views.country_profile, name="profile"),
    path("states/<str:code>/history/", views.country_history, name="history"),
    path("treaties/", views.treaty_list, name="treaties"),
    path("treaties/<str:code>/", views.treaty_detail, name="treaty"),
    path("treaties/<str:code>.csv", views.treaty_csv, name="treaty-csv"),
    path("deadlines/", views.deadlines, name="deadlines"),
    path("deadlines.csv", views.deadlines_csv, name="deadlines-csv"),
    path("deadlines.ics", views.deadlines_ics, name="deadlines-ics"),
]
