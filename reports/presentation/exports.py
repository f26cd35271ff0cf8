"""The report's tables as rows, shared by the page, the workbook (workbook.py) and the
Word report (word.py)."""

from django.utils.translation import gettext as _

from classes.text import for_export
from reports.presentation.formatting import percent_of, rounded


def report_title(report: dict) -> str:
    return _("Báo cáo kết quả giáo dục lý luận chính trị năm %(year)s — %(scope)s") % {
        "year": report["year"],
        "scope": report["scope"]["name"],
    }


def breakdowns(report: dict) -> list[tuple[str, str, list[dict]]]:
    """(sheet name, heading of the first column, entries), in the page's order."""
    return [
        (_("Theo đơn vị"), _("Đơn vị"), report["by_unit"]),
        (_("Theo địa bàn"), _("Địa bàn"), report["by_area"]),
        (_("Theo chương trình"), _("Chương trình"), report["by_programme"]),
        (_("Theo hình thức"), _("Hình thức"), report["by_venue"]),
        (_("Theo trung tâm"), _("Trung tâm"), report["by_centre"]),
    ]


def breakdown_headers(report: dict, first: str) -> list[str]:
    year, previous = report["year"], report["previous_year"]
    return [
        _("Mã"),
        first,
        _("Số lớp %(year)s") % {"year": year},
        _("Số lớp %(year)s") % {"year": previous},
        _("Tăng/giảm lớp"),
        _("Tăng/giảm lớp (%)"),
        _("Học viên %(year)s") % {"year": year},
        _("Học viên %(year)s") % {"year": previous},
        _("Tăng/giảm học viên"),
        _("Tăng/giảm học viên (%)"),
        _("Hoàn thành %(year)s") % {"year": year},
    ]


BREAKDOWN_KEYS = [
    "code",
    "name",
    "classes",
    "previous_classes",
    "change_classes",
    "classes_pct",
    "learners",
    "previous_learners",
    "change_learners",
    "learners_pct",
    "completed",
]


def total_entry(report: dict) -> dict:
    """The total row of every breakdown: each class is in exactly one unit, programme, venue and centre."""
    totals, previous, change = report["totals"], report["previous_totals"], report["change"]
    return {
        "code": "",
        "name": _("Tổng cộng"),
        "classes": totals["classes"],
        "previous_classes": previous["classes"],
        "change_classes": change["classes"],
        "classes_pct": change["classes_pct"],
        "learners": totals["learners"],
        "previous_learners": previous["learners"],
        "change_learners": change["learners"],
        "learners_pct": change["learners_pct"],
        "completed": totals["completed"],
    }


def totals_rows(report: dict) -> list[list]:
    """Indicator, this year, previous year, change, change in % (None where not defined)."""
    totals, previous, change, completion = (
        report["totals"],
        report["previous_totals"],
        report["change"],
        report["completion"],
    )
    completed_pct = percent_of(totals["completed"] - previous["completed"], previous["completed"])
    rate_change = None
    if completion["rate"] is not None and completion["previous_rate"] is not None:
        rate_change = rounded(completion["rate"] - completion["previous_rate"])
    return [
        [_("Số lớp mở được"), totals["classes"], previous["classes"], change["classes"], change["classes_pct"]],
        [_("Số học viên"), totals["learners"], previous["learners"], change["learners"], change["learners_pct"]],
        [
            _("Số học viên hoàn thành"),
            totals["completed"],
            previous["completed"],
            totals["completed"] - previous["completed"],
            completed_pct,
        ],
        [_("Tỉ lệ hoàn thành (%)"), completion["rate"], completion["previous_rate"], rate_change, None],
    ]


def exportable(value):
    """The report with every text as .xlsx and .docx can hold it, whatever is stored."""
    if isinstance(value, dict):
        return {key: exportable(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [exportable(item) for item in value]
    return for_export(value)
