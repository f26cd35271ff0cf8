from django.contrib import admin
from django.urls import include, path

from classes import planning_views

from . import health, views

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("", views.home, name="home"),
    path("admin/", admin.site.urls),
    path("reports/completeness/<int:year>/", planning_views.completeness, name="completeness"),
    path("", include("reports.urls")),
]
