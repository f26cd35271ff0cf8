"""The report as a workbook that prints: one sheet per part of the report page, figures as
numbers, names (never internal codes) in the visible columns. Every sheet prints on A4
landscape, one page wide, its header rows repeated, the report's title and the page
number in the footer. The charts are the page's own (reports.presentation.charts), as
pictures on a sheet of their own, one chart a page."""

import datetime
import io
import math

import xlsxwriter
from django.utils.translation import gettext as _

from reports.presentation import charts
from reports.presentation.exports import (
    BREAKDOWN_KEYS,
    breakdown_headers,
    breakdowns,
    exportable,
    report_title,
    total_entry,
    totals_rows,
)

A4 = 9  # Excel's paper code
CHART_DPI_SHOWN = 96  # Excel lays out rows at 96 pixels an inch
ROW_PIXELS = 20  # the default row (15 pt)
# The printable height of an A4 landscape page with default margins, in inches.
PRINTABLE_HEIGHT_INCHES = 6.6


class _Book:
    def __init__(self, report: dict):
        self.output = io.BytesIO()
        # Names come from users: text that starts with '=' or looks like a link stays text.
        self.book = xlsxwriter.Workbook(
            self.output,
            {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False, "strings_to_numbers": False},
        )
        add = self.book.add_format
        self.title = add({"bold": True, "font_size": 14})
        self.header = add(
            {"bold": True, "bg_color": "#E8ECF1", "border": 1, "text_wrap": True, "valign": "top", "align": "center"}
        )
        self.whole = add({"num_format": "#,##0", "border": 1})
        self.decimal = add({"num_format": "0.0", "border": 1})
        self.text = add({"border": 1})
        self.whole_total = add({"num_format": "#,##0", "border": 1, "bold": True})
        self.decimal_total = add({"num_format": "0.0", "border": 1, "bold": True})
        self.text_total = add({"border": 1, "bold": True})
        self.date = add({"num_format": "dd/mm/yyyy", "border": 1})
        self.wrap = add({"text_wrap": True, "valign": "top"})
        # "&" starts a field code in headers and footers.
        self.footer = "&L&8{title}&R&8{page}".format(
            title=report_title(report).replace("&", "&&"), page=_("Trang &P/&N")
        )

    def sheet(self, name: str, header_rows: int = 1, widths=()):
        sheet = self.book.add_worksheet(name)
        sheet.set_paper(A4)
        sheet.set_landscape()
        sheet.fit_to_pages(1, 0)  # one page wide, as many pages down as it takes
        sheet.set_footer(self.footer)
        sheet.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
        if header_rows:
            sheet.repeat_rows(0, header_rows - 1)
        for column, width in enumerate(widths):
            sheet.set_column(column, column, width)
        return sheet

    def header_row(self, sheet, values) -> None:
        """The first row: column headings, two lines high so wrapped headings show whole."""
        sheet.write_row(0, 0, values, self.header)
        sheet.set_row(0, 32)

    def close(self) -> bytes:
        self.book.close()
        return self.output.getvalue()


def _name_width(names, at_least: int = 16) -> int:
    """Wide enough for the longest name on one line."""
    return max([at_least, *(len(str(name)) + 2 for name in names)])


def _summary(book: _Book, report: dict) -> None:
    """The first sheet: the report's title, its paragraph, the totals and the results."""
    year, previous = report["year"], report["previous_year"]
    sheet = book.sheet(_("Tổng hợp"), header_rows=0, widths=(34, 16, 16, 16, 16))
    sheet.write(0, 0, report_title(report), book.title)
    sheet.merge_range(1, 0, 1, 4, report["summary_text"], book.wrap)
    # Tall enough for the paragraph at about 100 characters a line across the five columns.
    sheet.set_row(1, 15 * max(4, math.ceil(len(report["summary_text"]) / 95) + 1))
    year_label, previous_label = _("Năm %(year)s") % {"year": year}, _("Năm %(year)s") % {"year": previous}
    sheet.write_row(3, 0, [_("Chỉ tiêu"), year_label, previous_label, _("Tăng/giảm"), _("Tăng/giảm (%)")], book.header)
    for offset, row in enumerate(totals_rows(report)):
        is_rate = offset == 3
        sheet.write(4 + offset, 0, row[0], book.text)
        for column, value in enumerate(row[1:], start=1):
            sheet.write(4 + offset, column, value, book.decimal if (is_rate or column == 4) else book.whole)
    start = 9
    sheet.write_row(
        start, 0, [_("Kết quả học tập"), year_label, _("Tỉ lệ (%)"), previous_label, _("Tỉ lệ (%)")], book.header
    )
    for offset, result in enumerate(report["results"], start=1):
        sheet.write(start + offset, 0, result["name"], book.text)
        sheet.write(start + offset, 1, result["count"], book.whole)
        sheet.write(start + offset, 2, result["share"], book.decimal)
        sheet.write(start + offset, 3, result["previous_count"], book.whole)
        sheet.write(start + offset, 4, result["previous_share"], book.decimal)


def _breakdowns(book: _Book, report: dict) -> None:
    for name, first, entries in breakdowns(report):
        # The venue's code is an internal value: that sheet shows its names only.
        with_code = entries is not report["by_venue"]
        keys = BREAKDOWN_KEYS if with_code else BREAKDOWN_KEYS[1:]
        headers = breakdown_headers(report, first)[0 if with_code else 1 :]
        widths = ([10] if with_code else []) + [_name_width(e["name"] for e in entries)] + [13] * 9
        sheet = book.sheet(name, widths=widths)
        book.header_row(sheet, headers)
        sheet.freeze_panes(1, 2 if with_code else 1)
        for row, entry in enumerate([*entries, total_entry(report)], start=1):
            is_total = row == len(entries) + 1
            for column, key in enumerate(keys):
                if key in ("code", "name"):
                    cell = book.text_total if is_total else book.text
                elif key.endswith("_pct"):
                    cell = book.decimal_total if is_total else book.decimal
                else:
                    cell = book.whole_total if is_total else book.whole
                sheet.write(row, column, entry[key], cell)


def _plan(book: _Book, report: dict) -> None:
    """Plan against actual and the needs covered, for the total, each unit and each programme."""
    headers = [
        _("Đơn vị / chương trình"),
        _("Lớp kế hoạch"),
        _("Lớp thực hiện"),
        _("% kế hoạch (lớp)"),
        _("Học viên kế hoạch"),
        _("Học viên thực hiện"),
        _("% kế hoạch (học viên)"),
        _("Nhu cầu (khảo sát)"),
        _("% đáp ứng nhu cầu"),
    ]
    entries = [
        {"name": _("Tổng cộng"), **report["totals"], "plan": report["plan"], "needs": report["needs"]},
        *(
            entry
            for key in ("by_unit", "by_programme")
            for entry in report[key]
            if entry["plan"]["classes"] or entry["plan"]["learners"] or entry["needs"]["people_needing"]
        ),
    ]
    sheet = book.sheet(_("Kế hoạch"), widths=[_name_width(e["name"] for e in entries)] + [14] * 8)
    book.header_row(sheet, headers)
    for row, entry in enumerate(entries, start=1):
        plan, needs = entry["plan"], entry["needs"]
        whole, decimal, text = (
            (book.whole_total, book.decimal_total, book.text_total)
            if row == 1
            else (book.whole, book.decimal, book.text)
        )
        sheet.write(row, 0, entry["name"], text)
        no_plan = _("chưa có kế hoạch")
        for column, (value, cell) in enumerate(
            (
                (plan["classes"] or no_plan, whole if plan["classes"] else text),
                (entry["classes"], whole),
                (plan["classes_pct"], decimal),
                (plan["learners"] or no_plan, whole if plan["learners"] else text),
                (entry["learners"], whole),
                (plan["learners_pct"], decimal),
                (needs["people_needing"], whole),
                (needs["coverage_pct"], decimal),
            ),
            start=1,
        ):
            sheet.write(row, column, value, cell)


def _standards(book: _Book, report: dict) -> None:
    standards = report["standards"]
    centres = standards["centres"]
    sheet = book.sheet(_("Đạt chuẩn"), widths=(12, _name_width(c["name"] for c in centres), 14))
    book.header_row(sheet, [_("Mã trung tâm"), _("Trung tâm đạt chuẩn"), _("Tổng điểm")])
    for row, centre in enumerate(centres, start=1):
        sheet.write(row, 0, centre["code"], book.text)
        sheet.write(row, 1, centre["name"], book.text)
        sheet.write(row, 2, centre["total_score"], book.decimal)
    below = len(centres) + 2
    for offset, (label, value) in enumerate(
        (
            (_("Điểm đạt chuẩn"), standards["threshold"]),
            (_("Số trung tâm đạt chuẩn năm %(year)s") % {"year": report["year"]}, standards["count"]),
            (_("Số trung tâm đạt chuẩn năm %(year)s") % {"year": report["previous_year"]}, standards["previous_count"]),
        )
    ):
        sheet.write(below + offset, 1, label, book.text)
        sheet.write(below + offset, 2, value if value is not None else "–", book.decimal if offset == 0 else book.whole)


def _cycle(book: _Book, report: dict) -> None:
    """The reporting cycle by its labels (the statuses' codes stay internal)."""
    cycle = report["cycle"]
    sheet = book.sheet(_("Tiến độ"), widths=(34, 16))
    deadline = cycle.get("deadline")
    if cycle.get("units") is not None:
        book.header_row(sheet, [_("Trạng thái báo cáo"), _("Số đơn vị")])
        for row, step in enumerate(cycle["units"], start=1):
            sheet.write(row, 0, step["label"], book.text)
            sheet.write(row, 1, step["count"], book.whole)
        last = len(cycle["units"]) + 2
    else:
        book.header_row(sheet, [_("Trạng thái báo cáo"), _("Ngày")])
        sheet.write(1, 0, cycle["label"], book.text)
        sent = cycle.get("submitted_at")
        if sent:
            sheet.write_datetime(1, 1, datetime.datetime.fromisoformat(sent[:10]), book.date)
        else:
            sheet.write(1, 1, "", book.text)
        last = 3
    if deadline:
        sheet.write(last, 0, _("Hạn gửi báo cáo"), book.text)
        sheet.write_datetime(last, 1, datetime.datetime.fromisoformat(deadline), book.date)


def _commendations(book: _Book, report: dict) -> None:
    items = report["commendations"]
    sheet = book.sheet(
        _("Khen thưởng"),
        widths=(
            14,
            14,
            _name_width((i["recipient"] for i in items), 30),
            20,
            16,
            _name_width((i["issuer"] for i in items), 20),
        ),
    )
    book.header_row(
        sheet,
        [
            _("Hình thức"),
            _("Đối tượng"),
            _("Tập thể / cá nhân"),
            _("Số quyết định"),
            _("Ngày quyết định"),
            _("Cơ quan ban hành"),
        ],
    )
    for row, item in enumerate(items, start=1):
        sheet.write_row(
            row, 0, [item["form"], item["recipient_kind"], item["recipient"], item["decision_number"]], book.text
        )
        sheet.write_datetime(row, 4, datetime.datetime.fromisoformat(item["decision_date"]), book.date)
        sheet.write(row, 5, item["issuer"], book.text)


def _history(book: _Book, history: list[dict]) -> None:
    sheet = book.sheet(_("Theo năm"), widths=(14, 14, 14))
    book.header_row(sheet, [_("Năm"), _("Số lớp"), _("Số học viên")])
    for row, item in enumerate(history, start=1):
        sheet.write(row, 0, item["year"], book.text)
        sheet.write(row, 1, item["classes"], book.whole)
        sheet.write(row, 2, item["learners"], book.whole)


def _charts(book: _Book, report: dict, history: list[dict]) -> None:
    """Each chart on a page of its own, scaled to fit it, its title above it."""
    drawn = charts.chart_definitions(report, history)
    if not drawn:
        return
    sheet = book.sheet(_("Biểu đồ"), header_rows=0, widths=(120,))
    row, breaks = 0, []
    for chart in drawn:
        picture = charts.png(chart)
        height_inches = _png_height(picture) / charts.PNG_DPI
        # The PNG says its resolution, so Excel already shows it at its size in inches.
        scale = min(1.0, PRINTABLE_HEIGHT_INCHES / height_inches)
        sheet.write(row, 0, chart.title, book.title)
        sheet.insert_image(
            row + 1, 0, f"{chart.key}.png", {"image_data": io.BytesIO(picture), "x_scale": scale, "y_scale": scale}
        )
        row += 2 + math.ceil(height_inches * CHART_DPI_SHOWN * scale / ROW_PIXELS)
        breaks.append(row)
    sheet.set_h_pagebreaks(breaks[:-1])


def _png_height(picture: bytes) -> int:
    # The PNG header: width and height, big-endian, at bytes 16-24.
    return int.from_bytes(picture[20:24], "big")


def workbook_bytes(report: dict, history: list[dict]) -> bytes:
    report, history = exportable(report), exportable(history)
    book = _Book(report)
    _summary(book, report)
    _breakdowns(book, report)
    _plan(book, report)
    _standards(book, report)
    _cycle(book, report)
    _commendations(book, report)
    _history(book, history)
    _charts(book, report, history)
    return book.close()
