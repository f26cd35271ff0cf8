"""The completeness board: which units have sent their year, for the board."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from classes import access, selectors
from classes.models import UnitReport
from hatinh_training.params import report_year


def _require_board(user):
    # Chasing units for their reports is the board's work, not a district's or the administrator's.
    if not access.user_is_board(user):
        raise PermissionDenied(_("Chỉ Ban Tuyên giáo Tỉnh ủy xem được bảng theo dõi báo cáo của các đơn vị."))


@require_GET
@login_required
def completeness_pick(request):
    """The year picker submits here (?year=)."""
    _require_board(request.user)
    year = report_year(request.GET.get("year"))
    return redirect("reports:completeness", year=year if year is not None else timezone.localdate().year)


@require_GET
@login_required
def completeness(request, year: int):
    _require_board(request.user)
    if report_year(year) is None:
        raise Http404
    today = timezone.localdate()
    rows = list(selectors.completeness_board(user=request.user, year=year, today=today))
    labels = {None: _("Chưa gửi"), **dict(UnitReport.Status.choices)}
    for row in rows:
        row.step_label = labels.get(row.cycle_status, row.cycle_status)
    years = set(selectors.years_with_data(access.classes_visible_to(request.user))) | {year}
    period = selectors.reporting_period_for(year)
    context = {
        "title": _("Theo dõi báo cáo năm %(year)s của các đơn vị") % {"year": year},
        "year": year,
        "rows": rows,
        "years": sorted(years, reverse=True),
        "deadline": getattr(period, "deadline", None),
        "published_at": getattr(period, "published_at", None),
        "not_reported": sum(1 for row in rows if row.step == selectors.NOT_REPORTED),
        "awaiting": sum(1 for row in rows if row.step == selectors.AWAITING),
        "accepted": sum(1 for row in rows if row.step == selectors.ACCEPTED),
        "late": sum(1 for row in rows if row.is_late),
    }
    return render(request, "reports/completeness.html", context)
