from django.contrib import admin
from django.urls import include, path

from . import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("", include("reports.urls")),
]
