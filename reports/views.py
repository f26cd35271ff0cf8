"""Thin views: the figures come from reports.figures, which scope through classes.access."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone, translation
from django.views.decorators.http import require_GET

from hatinh_training.params import report_year
from reports.figures import yearly as selectors
from reports.figures.outlook import next_year_outlook
from reports.figures.yearly import report_scope
from reports.presentation import charts, exports, word, workbook


def _checked_year(year: int) -> int:
    if report_year(year) is None:
        raise Http404
    return year


@require_GET
@login_required
def report_home(request):
    """The year picker submits here; without a year, the latest year with data."""
    picked = report_year(request.GET.get("year"))
    if picked is not None:
        return redirect("reports:yearly", year=picked)
    year = selectors.latest_year(user=request.user) or timezone.localdate().year
    return redirect("reports:yearly", year=year)


@require_GET
@login_required
def yearly(request, year):
    stamps = selectors.current_stamps()  # one read for the report and its history
    report = selectors.yearly_report(user=request.user, year=_checked_year(year), stamps=stamps)
    history = selectors.yearly_history(user=request.user, stamps=stamps)
    years = sorted({row["year"] for row in history} | {year, timezone.localdate().year}, reverse=True)
    return render(
        request,
        "reports/yearly.html",
        {
            "report": report,
            "charts": charts.report_charts(report, history),
            "has_history": bool(history),
            "years": years,
            "total": exports.total_entry(report),
            "totals_rows": exports.totals_rows(report),
            "breakdowns": exports.breakdowns(report),
            "partial_units": any(entry["previous_partial"] for entry in report["by_unit"]),
            "title": exports.report_title(report),
        },
    )


@require_GET
@login_required
def yearly_json(request, year):
    report = selectors.yearly_report(user=request.user, year=_checked_year(year))
    return JsonResponse(report, json_dumps_params={"ensure_ascii": False})


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(report: dict, extension: str) -> str:
    return f"bao-cao-{report['year']}-{report['scope']['code']}.{extension}"


@require_GET
@login_required
def yearly_xlsx(request, year):
    stamps = selectors.current_stamps()
    report = selectors.yearly_report(user=request.user, year=_checked_year(year), stamps=stamps)
    history = selectors.yearly_history(user=request.user, stamps=stamps)
    return _attachment(
        workbook.workbook_bytes(report, history),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(report, "xlsx"),
    )


@require_GET
@login_required
def yearly_docx(request, year):
    # A Party document is filed in Vietnamese, whatever the interface language.
    with translation.override("vi"):
        report = selectors.yearly_report(user=request.user, year=_checked_year(year))
        history = selectors.yearly_history(user=request.user)
        content = word.document_bytes(report, history, next_year_outlook(user=request.user, year=year))
    return _attachment(
        content,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        _filename(report, "docx"),
    )


@login_required
def start(request):
    """A logged-in user's start page: the yearly report, or data entry for a user without a role."""
    if report_scope(request.user) is None:
        return redirect("admin:index")
    return redirect("reports:home")
