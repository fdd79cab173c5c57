from django.urls import path

from states.api import views

urlpatterns = [
    path("countries/", views.CountryList.as_view(), name="api-countries"),
    path("countries/<str:iso3>/", views.CountryDetail.as_view(), name="api-country"),
    path("treaties/", views.TreatyList.as_view(), name="api-treaties"),
    path("treaties/<str:code>/", views.TreatyDetail.as_view(), name="api-treaty"),
    path("treaties/<str:code>/status/", views.TreatyStatus.as_view(), name="api-treaty-status"),
    path("participations/", views.ParticipationList.as_view(), name="api-participations"),
]
