from django.urls import path

from states import views

app_name = "states"
urlpatterns = [
    path("", views.home, name="home"),
    path("states/", views.states_index, name="index"),
    path("states.csv", views.states_csv, name="index-csv"),
    path("states/<str:code>/", views.country_profile, name="profile"),
    path("states/<str:code>/history/", views.country_history, name="history"),
    path("treaties/", views.treaty_list, name="treaties"),
    path("treaties/<str:code>/", views.treaty_detail, name="treaty"),
    path("treaties/<str:code>.csv", views.treaty_csv, name="treaty-csv"),
]
