from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from mineban import health
from mineban.api_root import ApiDocs, ApiRoot

urlpatterns = [
    # Liveness (the process and one database query) and readiness (every dependency).
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", ApiRoot.as_view(), name="api-root"),
    path("api/v1/", include("mineban.api_urls")),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", ApiDocs.as_view(url_name="api-schema"), name="api-docs"),
    # The analyst web interface (server-rendered pages).
    path("", include("reports.urls")),
]

handler400 = "mineban.web.handler400"
handler404 = "mineban.web.handler404"
handler500 = "mineban.web.handler500"
