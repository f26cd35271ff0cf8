"""The year-end report (báo cáo tổng kết) as a Word document in the Party's format,
Hướng dẫn 36-HD/VPTW (03/4/2018) of the Central Party Office: A4 portrait, margins top and
bottom 20 mm, left 30 mm, right 15 mm; Times New Roman; the heading "ĐẢNG CỘNG SẢN VIỆT
NAM" 15 pt bold, issuing body 14 pt, number and place 14 pt, the type "BÁO CÁO" 16 pt bold,
its summary line 14 pt bold, the body 14 pt; page numbers from the second page, centred
at the top; then the signer's block and the recipients ("Nơi nhận:", 12 pt list).

Built from the report's JSON (reports.figures.yearly) so the document and the page hold the
same figures. The caller builds the report in Vietnamese: the document is filed as it is.
"""

import io

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from reports.presentation import charts
from reports.presentation.exports import exportable, total_entry, totals_rows
from reports.presentation.formatting import day, number, percent, signed, signed_percent
from reports.presentation.party import issuing_body

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = (12, 11, 10)  # tried in turn until a table fits the text width
MARGINS_MM = {"top": 20, "bottom": 20, "left": 30, "right": 15}
PAGE_MM = (210, 297)
TEXT_WIDTH_CM = (PAGE_MM[0] - MARGINS_MM["left"] - MARGINS_MM["right"]) / 10
CHART_WIDTH = Cm(16)
# Times New Roman advance widths in em (measured on its metric twin, Liberation Serif):
# enough to size a column to its longest entry.
EM_DIGIT, EM_UPPER, EM_LOWER, EM_SPACE = 0.5, 0.72, 0.48, 0.25
EM_SIGNS = {".": 0.25, ",": 0.25, "%": 0.833, "+": 0.564, "-": 0.333, "–": 0.5, "(": 0.333, ")": 0.333, "/": 0.278}
CELL_MARGIN_CM = 0.1
CELL_PADDING_CM = 2 * CELL_MARGIN_CM + 0.12  # both cell margins and a little air
TITLE = "ĐẢNG CỘNG SẢN VIỆT NAM"
TITLE_WIDTH_CM = 6.6  # the heading at 15 pt bold: its rule is as long as the heading


def summary_line(report: dict) -> str:
    return "kết quả công tác giáo dục lý luận chính trị năm {year}, phương hướng, nhiệm vụ năm {coming}".format(
        year=report["year"], coming=report["year"] + 1
    )


def _text_width_cm(text: str, points: float, bold: bool = False) -> float:
    ems = 0.0
    for char in text:
        if char in EM_SIGNS:
            ems += EM_SIGNS[char]
        elif char.isdigit():
            ems += EM_DIGIT
        elif char.isspace():
            ems += EM_SPACE
        elif char.isupper():
            ems += EM_UPPER
        else:
            ems += EM_LOWER
    return ems * points * (1.06 if bold else 1.0) / 72 * 2.54


def _fonts(run_properties) -> None:
    """Times New Roman for every script Word may pick (Vietnamese letters fall in several)."""
    fonts = run_properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        run_properties.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)


def _run(paragraph, text: str, size: float = BODY_PT, bold=False, italic=False, underline=False):
    run = paragraph.add_run(text)
    run.font.name = FONT
    _fonts(run._element.get_or_add_rPr())
    run.font.size = Pt(size)
    run.bold, run.italic, run.underline = bold, italic, underline
    return run


def _paragraph(container, text: str = "", *, size=BODY_PT, bold=False, italic=False, align=None, **format_):
    paragraph = container.add_paragraph()
    if text:
        _run(paragraph, text, size, bold, italic, format_.pop("underline", False))
    if align is not None:
        paragraph.alignment = align
    layout = paragraph.paragraph_format
    layout.space_before = Pt(format_.pop("before", 0))
    layout.space_after = Pt(format_.pop("after", 0))
    layout.keep_with_next = format_.pop("keep", False)
    for name, value in format_.items():
        setattr(layout, name, value)
    return paragraph


def _body(document, text: str, **format_):
    """A body paragraph: justified, first line indented, 6 pt between paragraphs."""
    return _paragraph(
        document,
        text,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=Cm(1.27),
        before=format_.pop("before", 6),
        **format_,
    )


def _heading(document, text: str, level: int = 1):
    """Section (I., II.) and item (1., 2.) headings: bold, never left alone at a page end."""
    return _paragraph(
        document,
        text,
        bold=True,
        align=WD_ALIGN_PARAGRAPH.JUSTIFY,
        first_line_indent=Cm(1.27),
        before=12 if level == 1 else 6,
        keep=True,
    )


def _page_setup(document) -> None:
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE_MM[0]), Mm(PAGE_MM[1])
    section.top_margin, section.bottom_margin = Mm(MARGINS_MM["top"]), Mm(MARGINS_MM["bottom"])
    section.left_margin, section.right_margin = Mm(MARGINS_MM["left"]), Mm(MARGINS_MM["right"])
    section.header_distance = Mm(10)
    # No number on the first page; from the second, centred at the top (the guide's place).
    section.different_first_page_header_footer = True
    number_paragraph = section.header.paragraphs[0]
    number_paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    properties = OxmlElement("w:rPr")
    _fonts(properties)
    size = OxmlElement("w:sz")
    size.set(qn("w:val"), str(BODY_PT * 2))
    properties.append(size)
    run.append(properties)
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    number_paragraph._p.append(field)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _fonts(normal.element.get_or_add_rPr())
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.line_spacing = 1.1


def _no_borders(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _bottom_rule(paragraph) -> None:
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _fixed_widths(table, widths_cm: list[float]) -> None:
    table.autofit = False
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    table._tbl.tblPr.append(layout)
    for column, width in zip(table.columns, widths_cm):
        column.width = Cm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, widths_cm):
            cell.width = Cm(width)


def _head(document, body) -> None:
    """The two-column head: the issuing body left with its star and number, the Party
    heading right with its rule and the place and date."""
    table = document.add_table(rows=2, cols=2)
    _no_borders(table)
    left, right = 7.6, TEXT_WIDTH_CM - 7.6
    _fixed_widths(table, [left, right])
    center = WD_ALIGN_PARAGRAPH.CENTER
    cell = table.cell(0, 0)
    cell.paragraphs[0].alignment = center
    _run(cell.paragraphs[0], body.upper, 14)
    _paragraph(cell, body.name, size=14, bold=True, align=center)
    _paragraph(cell, "*", size=14, align=center)
    cell = table.cell(0, 1)
    cell.paragraphs[0].alignment = center
    _run(cell.paragraphs[0], TITLE, 15, bold=True)
    # The rule under the heading is as long as the heading: the paragraph is indented to it.
    indent = Cm(max(0.0, (right - 0.4 - TITLE_WIDTH_CM - 1.0) / 2))
    _bottom_rule(cell.paragraphs[0])
    cell.paragraphs[0].paragraph_format.left_indent = indent
    cell.paragraphs[0].paragraph_format.right_indent = indent
    _run(table.cell(1, 0).paragraphs[0], f"Số     -{body.symbol}", 14)
    table.cell(1, 0).paragraphs[0].alignment = center
    _run(table.cell(1, 1).paragraphs[0], body.place, 14, italic=True)
    table.cell(1, 1).paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _no_wrap(cell) -> None:
    properties = cell._tc.get_or_add_tcPr()
    properties.append(OxmlElement("w:noWrap"))


def _row_flags(row, header: bool) -> None:
    properties = row._tr.get_or_add_trPr()
    properties.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
    if header:
        properties.append(OxmlElement("w:tblHeader"))  # repeated on every page


def _natural_widths(header_rows, body_rows, points) -> list[float]:
    """Each column as wide as its longest entry (entries never wrap) and its header's
    longest word."""
    columns = len(body_rows[0]) if body_rows else len(header_rows[-1])
    widths = []
    for column in range(columns):
        entries = [_text_width_cm(row[column], points) for row in body_rows] or [0]
        words = [
            _text_width_cm(word, points, bold=True)
            for row in header_rows
            if row[column] not in (None, "^") and (column + 1 >= columns or row[column + 1] is not None)
            for word in row[column].split()
        ]
        # A header over several columns (the next cell is None) does not size the first alone.
        widths.append(max([*entries, *words, 0.5]) + CELL_PADDING_CM)
    return widths


def _cell_margins(table) -> None:
    """Narrow cell margins (1 mm a side): ten columns of figures fit the text width."""
    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(int(CELL_MARGIN_CM / 2.54 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    table._tbl.tblPr.append(margins)


def _table(document, header_rows: list[list], body_rows: list[list[str]], *, bold_last=False, numbers_from=1):
    """A grid table. Header cells: text, None (merged into the cell to its left) or "^"
    (merged into the cell above). Body columns from `numbers_from` on hold numbers."""
    for points in TABLE_PT:
        widths = _natural_widths(header_rows, body_rows, points)
        fits = sum(widths) <= TEXT_WIDTH_CM
        if fits:
            break
    if fits:
        # The table spans the text width: half the spare to the names (an estimate errs
        # there first), half shared out.
        spare = TEXT_WIDTH_CM - sum(widths)
        widths = [width + spare / 2 / len(widths) for width in widths]
        widths[0] += spare / 2
    else:
        # Too wide even at the smallest size: the first column (names) wraps, the rest keep their width.
        widths = [max(2.5, TEXT_WIDTH_CM - sum(widths[1:])), *widths[1:]]
    table = document.add_table(rows=len(header_rows) + len(body_rows), cols=len(widths))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _cell_margins(table)
    _fixed_widths(table, widths)
    center, right = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT
    rows = table.rows
    for index, values in enumerate(header_rows):
        _row_flags(rows[index], header=True)
        for cell, value in zip(rows[index].cells, values):
            if value not in (None, "^"):
                cell.paragraphs[0].alignment = center
                _run(cell.paragraphs[0], value, points, bold=True)
    for index, values in enumerate(body_rows, start=len(header_rows)):
        _row_flags(rows[index], header=False)
        bold = bold_last and index == len(rows) - 1
        for column, (cell, value) in enumerate(zip(rows[index].cells, values)):
            paragraph = cell.paragraphs[0]
            _run(paragraph, value, points, bold=bold)
            if column >= numbers_from:
                paragraph.alignment = right
            if fits or column >= numbers_from:
                _no_wrap(cell)
    # Merges last: python-docx merges keep the first cell's text.
    for r, values in enumerate(header_rows):
        for c, value in enumerate(values):
            if value is None:
                start = c - 1
                while header_rows[r][start] is None:
                    start -= 1
                table.cell(r, start).merge(table.cell(r, c))
            elif value == "^":
                table.cell(r - 1, c).merge(table.cell(r, c))
    return table


def _caption(document, text: str):
    """ "Biểu 1. …": above its table, kept with it."""
    return _paragraph(document, text, size=13, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, after=3, keep=True)


def _chart(document, chart, caption: str) -> None:
    picture = _paragraph(document, align=WD_ALIGN_PARAGRAPH.CENTER, before=6, keep=True)
    picture.add_run().add_picture(io.BytesIO(charts.png(chart)), width=CHART_WIDTH)
    _paragraph(document, caption, size=13, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)


class _Numbering:
    def __init__(self, word: str):
        self.word, self.count = word, 0

    def __call__(self, title: str) -> str:
        self.count += 1
        return f"{self.word} {self.count}. {title}"


def _change_text(change, pct) -> str:
    """ "+2 (+66,7%)"; without the percentage where the previous year had none."""
    return signed(change) if pct is None else f"{signed(change)} ({signed_percent(pct)})"


def _change(change, pct) -> tuple[str, str]:
    return signed(change), signed_percent(pct)


def _breakdown(document, report, tables, title, first, entries) -> None:
    year, previous = str(report["year"]), str(report["previous_year"])
    header = [
        [first, "Số lớp", None, None, None, "Số học viên", None, None, None, f"Hoàn thành {year}"],
        ["^", year, previous, "Tăng/giảm", "%", year, previous, "Tăng/giảm", "%", "^"],
    ]
    rows = [
        [
            entry["name"],
            number(entry["classes"]),
            number(entry["previous_classes"]),
            *_change(entry["change_classes"], entry["classes_pct"]),
            number(entry["learners"]),
            number(entry["previous_learners"]),
            *_change(entry["change_learners"], entry["learners_pct"]),
            number(entry["completed"]),
        ]
        for entry in [*entries, total_entry(report)]
    ]
    _caption(document, tables(title))
    _table(document, header, rows, bold_last=True)


def _results_part(document, report, tables) -> None:
    year, previous = str(report["year"]), str(report["previous_year"])
    header = [["Kết quả", f"Năm {year}", "Tỉ lệ", f"Năm {previous}", "Tỉ lệ", "Tăng/giảm"]]
    rows = [
        [
            r["name"],
            number(r["count"]),
            percent(r["share"]),
            number(r["previous_count"]),
            percent(r["previous_share"]),
            signed(r["change"]),
        ]
        for r in report["results"]
    ]
    _caption(document, tables(f"Kết quả học tập năm {year} so với năm {previous}"))
    _table(document, header, rows)


def _plan_part(document, report, tables) -> None:
    plan, totals = report["plan"], report["totals"]
    if not (plan["classes"] or plan["learners"]):
        _body(document, f"Năm {report['year']} chưa có kế hoạch mở lớp được nhập vào hệ thống.")
        return
    _body(
        document,
        f"Số lớp mở được đạt {percent(plan['classes_pct'])} kế hoạch ({number(totals['classes'])}/"
        f"{number(plan['classes'])} lớp); số học viên đạt {percent(plan['learners_pct'])} kế hoạch "
        f"({number(totals['learners'])}/{number(plan['learners'])} học viên).",
    )
    header = [
        ["Đơn vị / chương trình", "Số lớp", None, None, "Số học viên", None, None],
        ["^", "Kế hoạch", "Thực hiện", "% kế hoạch", "Kế hoạch", "Thực hiện", "% kế hoạch"],
    ]
    planned = [
        entry
        for key in ("by_unit", "by_programme")
        for entry in report[key]
        if entry["plan"]["classes"] or entry["plan"]["learners"]
    ]
    rows = [
        [
            entry["name"],
            number(entry["plan"]["classes"]),
            number(entry["classes"]),
            percent(entry["plan"]["classes_pct"]),
            number(entry["plan"]["learners"]),
            number(entry["learners"]),
            percent(entry["plan"]["learners_pct"]),
        ]
        for entry in planned
    ]
    rows.append(
        [
            "Tổng cộng",
            number(plan["classes"]),
            number(totals["classes"]),
            percent(plan["classes_pct"]),
            number(plan["learners"]),
            number(totals["learners"]),
            percent(plan["learners_pct"]),
        ]
    )
    _caption(document, tables(f"Thực hiện kế hoạch năm {report['year']}"))
    _table(document, header, rows, bold_last=True)


def _needs_part(document, report, tables) -> None:
    needs = report["needs"]
    if not needs["people_needing"]:
        _body(document, f"Chưa có số liệu khảo sát nhu cầu học tập năm {report['year']}.")
        return
    _body(
        document,
        f"Qua khảo sát, {number(needs['people_needing'])} người có nhu cầu học tập; số học viên năm "
        f"{report['year']} đáp ứng {percent(needs['coverage_pct'])} nhu cầu.",
    )
    surveyed = [
        entry for key in ("by_unit", "by_programme") for entry in report[key] if entry["needs"]["people_needing"]
    ]
    rows = [
        [
            entry["name"],
            number(entry["needs"]["people_needing"]),
            number(entry["learners"]),
            percent(entry["needs"]["coverage_pct"]),
        ]
        for entry in surveyed
    ]
    rows.append(
        ["Tổng cộng", number(needs["people_needing"]), number(needs["learners"]), percent(needs["coverage_pct"])]
    )
    _caption(document, tables(f"Đáp ứng nhu cầu học tập năm {report['year']}"))
    _table(document, [["Đơn vị / chương trình", "Nhu cầu (người)", "Học viên", "% đáp ứng"]], rows, bold_last=True)


def _standards_part(document, report, tables) -> None:
    standards = report["standards"]
    if standards["threshold"] is None:
        _body(document, f"Năm {report['year']} chưa đặt điểm đạt chuẩn trung tâm chính trị.")
        return
    _body(
        document,
        f"Có {number(standards['count'])} trung tâm chính trị đạt chuẩn (năm {report['previous_year']}: "
        f"{number(standards['previous_count'])}; thay đổi {signed(standards['change'])}); điểm đạt chuẩn: "
        f"{number(standards['threshold'], 1)}.",
    )
    if standards["centres"]:
        rows = [[centre["name"], number(centre["total_score"], 1)] for centre in standards["centres"]]
        _caption(document, tables(f"Trung tâm chính trị đạt chuẩn năm {report['year']}"))
        _table(document, [["Trung tâm", "Tổng điểm"]], rows)


def _commendations_part(document, report, tables) -> None:
    if not report["commendations"]:
        _body(document, f"Năm {report['year']} chưa có khen thưởng.")
        return
    rows = []
    for item in report["commendations"]:
        rows.append(
            [
                item["form"],
                f"{item['recipient']} ({item['recipient_kind'].lower()})",
                item["decision_number"],
                day(item["decision_date"]),
            ]
        )
    _caption(document, tables(f"Khen thưởng năm {report['year']}"))
    _table(document, [["Hình thức", "Tập thể / cá nhân", "Số quyết định", "Ngày quyết định"]], rows, numbers_from=3)


def _results(document, report, history, tables) -> None:
    year, previous = report["year"], report["previous_year"]
    figures = _Numbering("Biểu đồ")
    drawn = {chart.key: chart for chart in charts.chart_definitions(report, history)}
    _heading(document, f"I. KẾT QUẢ CÔNG TÁC GIÁO DỤC LÝ LUẬN CHÍNH TRỊ NĂM {year}")

    _heading(document, "1. Số lớp, số học viên", level=2)
    totals, earlier, change = report["totals"], report["previous_totals"], report["change"]
    _body(
        document,
        f"Năm {year} mở được {number(totals['classes'])} lớp với {number(totals['learners'])} học viên "
        f"({number(totals['completed'])} học viên hoàn thành); so với năm {previous} "
        f"({number(earlier['classes'])} lớp, {number(earlier['learners'])} học viên), số lớp "
        f"{_change_text(change['classes'], change['classes_pct'])}, số học viên "
        f"{_change_text(change['learners'], change['learners_pct'])}.",
    )
    rows = []
    for index, (label, current, before, difference, pct) in enumerate(totals_rows(report)):
        if index == 3:
            rows.append([label, percent(current), percent(before), signed(difference, 1), "–"])
        else:
            rows.append([label, number(current), number(before), signed(difference), signed_percent(pct)])
    _caption(document, tables(f"Số lớp, số học viên năm {year} so với năm {previous}"))
    _table(document, [["Chỉ tiêu", f"Năm {year}", f"Năm {previous}", "Tăng/giảm", "Tăng/giảm (%)"]], rows)
    for key in ("classes_per_year", "learners_per_year"):
        if key in drawn:
            _chart(document, drawn[key], figures(drawn[key].title))

    _heading(document, "2. Theo địa bàn, đơn vị", level=2)
    _breakdown(document, report, tables, f"Số lớp, số học viên theo đơn vị năm {year}", "Đơn vị", report["by_unit"])
    if len(report.get("by_area") or []) > 1:
        # Across the 2025 reform the units change; the areas (compared under) stay comparable.
        _breakdown(
            document, report, tables, f"Số lớp, số học viên theo địa bàn năm {year}", "Địa bàn", report["by_area"]
        )
    if "classes_by_unit" in drawn:
        _chart(document, drawn["classes_by_unit"], figures(drawn["classes_by_unit"].title))

    _heading(document, "3. Theo chương trình", level=2)
    _breakdown(
        document,
        report,
        tables,
        f"Số lớp, số học viên theo chương trình năm {year}",
        "Chương trình",
        report["by_programme"],
    )

    _heading(document, "4. Mở lớp tại cơ sở, trực tuyến và theo nơi tổ chức", level=2)
    _breakdown(
        document,
        report,
        tables,
        f"Số lớp, số học viên theo hình thức tổ chức năm {year}",
        "Hình thức",
        report["by_venue"],
    )
    _breakdown(
        document, report, tables, f"Số lớp, số học viên theo trung tâm năm {year}", "Trung tâm", report["by_centre"]
    )

    _heading(document, "5. Kết quả học tập", level=2)
    _results_part(document, report, tables)

    _heading(document, "6. Thực hiện kế hoạch", level=2)
    _plan_part(document, report, tables)

    _heading(document, "7. Đáp ứng nhu cầu học tập", level=2)
    _needs_part(document, report, tables)

    _heading(document, "8. Trung tâm chính trị đạt chuẩn", level=2)
    _standards_part(document, report, tables)

    _heading(document, "9. Khen thưởng", level=2)
    _commendations_part(document, report, tables)


ROOM = "…………………………………………………………………………………………………………"


def _assessment(document, report) -> None:
    _heading(document, "II. ĐÁNH GIÁ CHUNG")
    _body(document, report["summary_text"])
    for label in ("1. Ưu điểm", "2. Hạn chế, nguyên nhân", "3. Bài học kinh nghiệm"):
        _heading(document, label, level=2)
        _body(document, ROOM)


def _outlook(document, report, outlook, tables) -> None:
    coming = report["year"] + 1
    _heading(document, f"III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM {coming}")
    plan, needs = (outlook or {}).get("plan") or {}, (outlook or {}).get("needs") or {}
    if plan.get("classes") or plan.get("learners"):
        _body(
            document,
            f"Năm {coming}, phấn đấu mở {number(plan['classes'])} lớp với {number(plan['learners'])} học viên "
            "theo kế hoạch đã đăng ký.",
        )
    else:
        _body(document, f"Năm {coming} chưa có kế hoạch mở lớp được nhập vào hệ thống.")
    if needs.get("people_needing"):
        _body(document, f"Nhu cầu học tập đã khảo sát cho năm {coming}: {number(needs['people_needing'])} người.")
    if outlook and outlook["by_programme"]:
        rows = [
            [item["name"], number(item["classes"]), number(item["learners"]), number(item["people_needing"])]
            for item in outlook["by_programme"]
        ]
        rows.append(
            [
                "Tổng cộng",
                number(plan.get("classes")),
                number(plan.get("learners")),
                number(needs.get("people_needing")),
            ]
        )
        _caption(document, tables(f"Kế hoạch và nhu cầu học tập năm {coming}"))
        _table(
            document, [["Chương trình", "Lớp kế hoạch", "Học viên kế hoạch", "Nhu cầu (người)"]], rows, bold_last=True
        )
    _body(document, ROOM)


def _signature(document, body) -> None:
    """Recipients left (12 pt list), the signer right: authority and title bold, room to
    sign, the name left for the signer."""
    table = document.add_table(rows=1, cols=2)
    _no_borders(table)
    _fixed_widths(table, [TEXT_WIDTH_CM / 2, TEXT_WIDTH_CM / 2])
    left, right = table.cell(0, 0), table.cell(0, 1)
    _run(left.paragraphs[0], "Nơi nhận:", 14, underline=True)
    for recipient in body.recipients:
        _paragraph(left, f"- {recipient}", size=12)
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = right.paragraphs[0]
    first.alignment = center
    _run(first, body.authority or body.title, 14, bold=True)
    if body.authority:
        _paragraph(right, body.title, size=14, bold=True, align=center)
    for _line in range(4):
        _paragraph(right, "", size=14)
    _paragraph(right, "……………………………", size=14, bold=True, align=center)


def document_bytes(report: dict, history: list[dict], outlook: dict | None = None) -> bytes:
    """The report as the Party document, ready to number, date and sign."""
    report, history, outlook = exportable(report), exportable(history), exportable(outlook)
    document = Document()
    _page_setup(document)
    body = issuing_body(report["scope"], report["year"])
    _head(document, body)
    _paragraph(document, "BÁO CÁO", size=16, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, before=18)
    _paragraph(document, summary_line(report), size=14, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph(document, "-----", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, after=6)
    tables = _Numbering("Biểu")
    _results(document, report, history, tables)
    _assessment(document, report)
    _outlook(document, report, outlook, tables)
    _paragraph(document, "", after=6, keep=True)
    _signature(document, body)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()
