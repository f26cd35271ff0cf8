"""The report as .xlsx (one sheet per table, native charts, figures as numbers) and as
.docx (the section the board edits in Word: title, paragraph, tables)."""

import datetime
import io

import xlsxwriter
from django.utils.translation import gettext as _
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt

from classes.text import for_export
from reports.presentation.formatting import (
    number,
    percent,
    percent_of,
    rounded,
    signed,
    signed_percent,
)


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


def xlsx_bytes(report: dict, history: list[dict]) -> bytes:
    report, history = exportable(report), exportable(history)
    output = io.BytesIO()
    # Names come from users: text that starts with '=' or looks like a link stays text.
    book = xlsxwriter.Workbook(
        output,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    header = book.add_format({"bold": True, "bg_color": "#E8ECF1", "border": 1, "text_wrap": True, "valign": "top"})
    whole = book.add_format({"num_format": "#,##0", "border": 1})
    decimal = book.add_format({"num_format": "0.0", "border": 1})
    text = book.add_format({"border": 1})
    whole_total = book.add_format({"num_format": "#,##0", "border": 1, "bold": True})
    decimal_total = book.add_format({"num_format": "0.0", "border": 1, "bold": True})
    text_total = book.add_format({"border": 1, "bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    year, previous = report["year"], report["previous_year"]

    sheet = book.add_worksheet(_("Tổng hợp"))
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 4, 16)
    sheet.write(0, 0, report_title(report), title)
    sheet.merge_range(1, 0, 1, 4, report["summary_text"], wrap)
    sheet.set_row(1, 120)
    sheet.write_row(
        3,
        0,
        [
            _("Chỉ tiêu"),
            _("Năm %(year)s") % {"year": year},
            _("Năm %(year)s") % {"year": previous},
            _("Tăng/giảm"),
            _("Tăng/giảm (%)"),
        ],
        header,
    )
    for offset, row in enumerate(totals_rows(report)):
        is_rate = offset == 3
        sheet.write(4 + offset, 0, row[0], text)
        for column, value in enumerate(row[1:], start=1):
            sheet.write(4 + offset, column, value, decimal if (is_rate or column == 4) else whole)
    start = 9
    sheet.write_row(
        start,
        0,
        [
            _("Kết quả học tập"),
            _("Năm %(year)s") % {"year": year},
            _("Tỉ lệ (%)"),
            _("Năm %(year)s") % {"year": previous},
            _("Tỉ lệ (%)"),
        ],
        header,
    )
    for offset, result in enumerate(report["results"], start=1):
        sheet.write(start + offset, 0, result["name"], text)
        sheet.write(start + offset, 1, result["count"], whole)
        sheet.write(start + offset, 2, result["share"], decimal)
        sheet.write(start + offset, 3, result["previous_count"], whole)
        sheet.write(start + offset, 4, result["previous_share"], decimal)

    for name, first, entries in breakdowns(report):
        sheet = book.add_worksheet(name)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 1, 40)
        sheet.set_column(2, 10, 13)
        sheet.write_row(0, 0, breakdown_headers(report, first), header)
        sheet.freeze_panes(1, 2)
        for row, entry in enumerate([*entries, total_entry(report)], start=1):
            is_total = row == len(entries) + 1
            for column, key in enumerate(BREAKDOWN_KEYS):
                value = entry[key]
                if key in ("code", "name"):
                    cell = text_total if is_total else text
                elif key.endswith("_pct"):
                    cell = decimal_total if is_total else decimal
                else:
                    cell = whole_total if is_total else whole
                sheet.write(row, column, value, cell)
        if name == _("Theo đơn vị") and entries:
            chart = book.add_chart({"type": "bar"})
            for column, label in ((2, _("Năm %(year)s") % {"year": year}), (3, _("Năm %(year)s") % {"year": previous})):
                chart.add_series(
                    {
                        "name": label,
                        "categories": [name, 1, 1, len(entries), 1],
                        "values": [name, 1, column, len(entries), column],
                        "fill": {"color": "#B3261E" if column == 2 else "#9AA5B1"},
                    }
                )
            chart.set_title({"name": _("Số lớp theo đơn vị")})
            chart.set_y_axis({"reverse": True})
            chart.set_size({"width": 720, "height": 40 + 24 * min(len(entries), 40)})
            sheet.insert_chart(len(entries) + 4, 1, chart)

    sheet = book.add_worksheet(_("Khen thưởng"))
    sheet.set_column(0, 1, 14)
    sheet.set_column(2, 2, 44)
    sheet.set_column(3, 5, 20)
    sheet.write_row(
        0,
        0,
        [
            _("Hình thức"),
            _("Đối tượng"),
            _("Tập thể / cá nhân"),
            _("Số quyết định"),
            _("Ngày quyết định"),
            _("Cơ quan ban hành"),
        ],
        header,
    )
    date_cell = book.add_format({"num_format": "dd/mm/yyyy", "border": 1})
    for row, item in enumerate(report["commendations"], start=1):
        sheet.write_row(
            row, 0, [item["form"], item["recipient_kind"], item["recipient"], item["decision_number"]], text
        )
        sheet.write_datetime(row, 4, datetime.datetime.fromisoformat(item["decision_date"]), date_cell)
        sheet.write(row, 5, item["issuer"], text)

    sheet = book.add_worksheet(_("Theo năm"))
    sheet.set_column(0, 2, 14)
    sheet.write_row(0, 0, [_("Năm"), _("Số lớp"), _("Số học viên")], header)
    for row, item in enumerate(history, start=1):
        sheet.write(row, 0, item["year"], text)
        sheet.write(row, 1, item["classes"], whole)
        sheet.write(row, 2, item["learners"], whole)
    if history:
        chart = book.add_chart({"type": "column"})
        chart.add_series(
            {
                "name": _("Số lớp"),
                "categories": [_("Theo năm"), 1, 0, len(history), 0],
                "values": [_("Theo năm"), 1, 1, len(history), 1],
                "fill": {"color": "#1F5F99"},
            }
        )
        line = book.add_chart({"type": "line"})
        line.add_series(
            {
                "name": _("Số học viên"),
                "categories": [_("Theo năm"), 1, 0, len(history), 0],
                "values": [_("Theo năm"), 1, 2, len(history), 2],
                "y2_axis": True,
                "marker": {"type": "circle"},
            }
        )
        chart.combine(line)
        chart.set_title({"name": _("Số lớp và số học viên theo năm")})
        sheet.insert_chart(1, 4, chart)
    book.close()
    return output.getvalue()


def docx_bytes(report: dict) -> bytes:
    report = exportable(report)
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "Times New Roman"
    style.font.size = Pt(13)
    document.add_heading(report_title(report), level=1)
    paragraph = document.add_paragraph(report["summary_text"])
    paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    year, previous = report["year"], report["previous_year"]

    document.add_heading(_("Tổng hợp"), level=2)
    rows = [
        [
            _("Chỉ tiêu"),
            _("Năm %(year)s") % {"year": year},
            _("Năm %(year)s") % {"year": previous},
            _("Tăng/giảm"),
            _("Tăng/giảm (%)"),
        ]
    ]
    for index, (label, current, earlier, change, pct) in enumerate(totals_rows(report)):
        if index == 3:
            rows.append(
                [label, percent(current), percent(earlier), signed(change, 1) if change is not None else "–", "–"]
            )
        else:
            rows.append([label, number(current), number(earlier), signed(change), signed_percent(pct)])
    _docx_table(document, rows)

    document.add_heading(_("Kết quả học tập"), level=2)
    rows = [
        [
            _("Kết quả"),
            _("Năm %(year)s") % {"year": year},
            _("Tỉ lệ"),
            _("Năm %(year)s") % {"year": previous},
            _("Tỉ lệ"),
        ]
    ]
    rows += [
        [r["name"], number(r["count"]), percent(r["share"]), number(r["previous_count"]), percent(r["previous_share"])]
        for r in report["results"]
    ]
    _docx_table(document, rows)

    for name, first, entries in breakdowns(report):
        document.add_heading(name, level=2)
        headers = breakdown_headers(report, first)
        rows = [[headers[1], headers[2], headers[3], _("Tăng/giảm"), headers[6], headers[7], _("Tăng/giảm")]]
        for entry in [*entries, total_entry(report)]:
            rows.append(
                [
                    entry["name"],
                    number(entry["classes"]),
                    number(entry["previous_classes"]),
                    f"{signed(entry['change_classes'])} ({signed_percent(entry['classes_pct'])})",
                    number(entry["learners"]),
                    number(entry["previous_learners"]),
                    f"{signed(entry['change_learners'])} ({signed_percent(entry['learners_pct'])})",
                ]
            )
        _docx_table(document, rows, bold_last=True)

    document.add_heading(_("Khen thưởng"), level=2)
    if report["commendations"]:
        rows = [[_("Hình thức"), _("Tập thể / cá nhân"), _("Số quyết định"), _("Ngày quyết định")]]
        for item in report["commendations"]:
            y, m, d = item["decision_date"].split("-")
            rows.append(
                [
                    item["form"],
                    f"{item['recipient']} ({item['recipient_kind'].lower()})",
                    item["decision_number"],
                    f"{d}/{m}/{y}",
                ]
            )
        _docx_table(document, rows)
    else:
        document.add_paragraph(_("Năm %(year)s chưa có khen thưởng.") % {"year": year})
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _docx_table(document, rows: list[list[str]], bold_last: bool = False) -> None:
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    table.style = "Table Grid"
    # One pass over rows and their cells: table.cell(r, c) rebuilds the grid on every call.
    for r, (row, values) in enumerate(zip(table.rows, rows)):
        bold = r == 0 or (bold_last and r == len(rows) - 1)
        for c, (cell, value) in enumerate(zip(row.cells, values)):
            paragraph = cell.paragraphs[0]
            run = paragraph.add_run(str(value))
            run.font.size = Pt(11)
            run.bold = bold
            if c > 0 and r > 0:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
