"""Thin views: the figures come from reports.figures, which scope through classes.access."""

import hashlib
import json

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from classes import access
from hatinh_training.params import report_year
from reports.figures import planning
from reports.figures import yearly as selectors
from reports.figures.outlook import next_year_outlook
from reports.figures.yearly import report_scope
from reports.presentation import charts, exports, word, workbook


def _tables_key(report: dict) -> str:
    """The page's tables are a pure function of the report's figures and the language: at
    national scale rendering them is nine tenths of the page (33,000 template variables for
    700 units), so they are kept in the cache under a digest of both."""
    figures = json.dumps(report, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(f"{translation.get_language()}|{figures}".encode()).hexdigest()


def _checked_year(year: int) -> int:
    if report_year(year) is None:
        raise Http404
    return year


def _viewer(request):
    """Whom the report is read as: `?unit=CODE` narrows it to one unit the user sees (classes.access);
    an unknown or out-of-scope code is not found, for unit staff and the board alike."""
    viewer = access.report_viewer(request.user, request.GET.get("unit", "").strip())
    if viewer is None:
        raise Http404
    return viewer


@require_GET
@login_required
def report_home(request):
    """The year picker submits here (keeping `?unit=`); without a year, the current year."""
    year = report_year(request.GET.get("year")) or timezone.localdate().year
    target = reverse("reports:yearly", kwargs={"year": year})
    unit = request.GET.get("unit", "").strip()
    return redirect(f"{target}?{urlencode({'unit': unit})}" if unit else target)


@require_GET
@login_required
def yearly(request, year):
    viewer = _viewer(request)
    stamps = selectors.current_stamps()  # one read for the report and its history
    report = selectors.yearly_report(user=viewer, year=_checked_year(year), stamps=stamps)
    history = selectors.yearly_history(user=viewer, stamps=stamps)
    unit_code = request.GET.get("unit", "").strip() if viewer is not request.user else ""
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
            "tables_key": _tables_key(report),
            "partial_units": any(entry["previous_partial"] for entry in report["by_unit"]),
            "title": exports.report_title(report),
            "unit_code": unit_code,
            "caveat": planning.caveat_sentence(report),
            "units_to_pick": access.report_units_to_pick(request.user).values("code", "name"),
        },
    )


@require_GET
@login_required
def yearly_json(request, year):
    report = selectors.yearly_report(user=_viewer(request), year=_checked_year(year))
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
    viewer = _viewer(request)
    stamps = selectors.current_stamps()
    report = selectors.yearly_report(user=viewer, year=_checked_year(year), stamps=stamps)
    history = selectors.yearly_history(user=viewer, stamps=stamps)
    return _attachment(
        workbook.workbook_bytes(report, history),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        _filename(report, "xlsx"),
    )


@require_GET
@login_required
def yearly_docx(request, year):
    # A Party document is filed in Vietnamese, whatever the interface language.
    viewer = _viewer(request)
    with translation.override("vi"):
        report = selectors.yearly_report(user=viewer, year=_checked_year(year))
        history = selectors.yearly_history(user=viewer)
        content = word.document_bytes(report, history, next_year_outlook(user=viewer, year=year))
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
