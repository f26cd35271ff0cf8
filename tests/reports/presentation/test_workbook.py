"""The workbook prints: A4 landscape, one page wide, header rows repeated, the title and page
number in the footer; names, never internal codes; every part of the report page."""

import io

import openpyxl
import pytest

from classes.models import Commendation, TrainingClass, UnitReport
from reports.figures.planning import NOT_SENT
from tests.browser.pages import ARTIFACTS
from tests.reports.presentation.test_word import planned  # noqa: F401 (fixture)
from tests.reports.test_yearly import empty_cache, report_data  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db

INTERNAL_CODES = {
    value
    for choices in (
        TrainingClass.Venue,
        TrainingClass.Status,
        UnitReport.Status,
        Commendation.Form,
        Commendation.RecipientKind,
    )
    for value in choices.values
} | {NOT_SENT}


@pytest.fixture
def workbook(planned, client, province_user):  # noqa: F811
    client.force_login(province_user)
    data = client.get("/api/reports/yearly/2023/").json()
    content = client.get("/reports/yearly/2023/export.xlsx").content
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bao-cao-2023-tinh.xlsx").write_bytes(content)
    return data, openpyxl.load_workbook(io.BytesIO(content))


def test_every_sheet_prints_a4_landscape_one_page_wide_with_its_header_rows_and_footer(workbook):
    _data, book = workbook
    for sheet in book.worksheets:
        setup = sheet.page_setup
        assert (setup.orientation, str(setup.paperSize)) == ("landscape", "9"), sheet.title
        # fitToWidth 1 is the format's default, which the file leaves out.
        assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth or 1, setup.fitToHeight) == (1, 0)
        assert "Báo cáo kết quả giáo dục lý luận chính trị năm 2023" in sheet.oddFooter.left.text
        assert "&P" in sheet.oddFooter.right.text and "&N" in sheet.oddFooter.right.text
        if sheet.title not in ("Tổng hợp", "Biểu đồ"):
            assert sheet.print_title_rows == "$1:$1", sheet.title


def test_no_visible_cell_holds_an_internal_code(workbook):
    _data, book = workbook
    shown = {
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    }
    assert shown and not shown & INTERNAL_CODES
    assert {"Tại trung tâm", "Tại cơ sở", "Trực tuyến", "Giấy khen", "Tập thể", "Chưa gửi"} <= shown
    assert not any(dimension.hidden for sheet in book.worksheets for dimension in sheet.column_dimensions.values())


def test_the_plan_standards_cycle_and_chart_sheets_hold_the_jsons_figures(workbook):
    data, book = workbook
    plan = list(book["Kế hoạch"].iter_rows(min_row=2, values_only=True))
    assert plan[0] == (
        "Tổng cộng",
        data["plan"]["classes"],
        data["totals"]["classes"],
        data["plan"]["classes_pct"],
        data["plan"]["learners"],
        data["totals"]["learners"],
        data["plan"]["learners_pct"],
        data["needs"]["people_needing"],
        data["needs"]["coverage_pct"],
    )
    assert plan[1][:7] == ("Huyện Can Lộc", 4, 3, 75.0, 200, 180, 90.0)
    cycle = list(book["Tiến độ"].iter_rows(min_row=2, values_only=True))
    assert [row[:2] for row in cycle[: len(data["cycle"]["units"])]] == [
        (step["label"], step["count"]) for step in data["cycle"]["units"]
    ]
    assert book["Đạt chuẩn"]["A1"].value == "Mã trung tâm"
    assert len(book["Biểu đồ"]._images) == 3
    assert book["Biểu đồ"].row_breaks.count == 2  # one chart a page
