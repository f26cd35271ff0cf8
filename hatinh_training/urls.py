from django.contrib import admin
from django.urls import include, path

from hatinh_training import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
]
