"""The app's URLs plus two floors the benchmark compares against:
- /bench/trivial/: a view doing nothing (no session, no database), for requests per second;
- /bench/admin/: Django's admin with a bare ModelAdmin of the classes, 100 rows a page, for
  the cost of rendering a change list with nothing of ours on it."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse
from django.urls import path

from classes.models import TrainingClass
from hatinh_training.urls import urlpatterns as app_urlpatterns

bare_site = admin.AdminSite(name="bench_admin")


@admin.register(TrainingClass, site=bare_site)
class BareClassAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "programme", "unit", "start_date", "venue", "status", "learners", "completed")
    list_select_related = ("programme", "unit")
    list_per_page = 100
    # One COUNT(*) for the paginator, none for the unfiltered total.
    show_full_result_count = False


@login_not_required
def trivial(request):
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/trivial/", trivial),
    path("bench/admin/", bare_site.urls),
    *app_urlpatterns,
]
