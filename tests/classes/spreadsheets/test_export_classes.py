"""Export: the import's columns, typed cells, formula text defused, scoped
through the selectors, and an export that imports back unchanged."""

import codecs
import datetime
import io

import openpyxl
import pytest
from django.urls import reverse

from classes.models import TrainingClass
from classes.spreadsheets.files import CSVFormat, XLSXFormat
from classes.spreadsheets.training import TrainingClassResource
from tests.classes.spreadsheets.helpers import (
    HEADERS,
    import_both_steps,
    import_errors,
    run_import,
    totals,
)
from tests.factories import make_class

EXPORT_URL = reverse("admin:classes_trainingclass_export")


def export_bytes(user, file_format):
    dataset = TrainingClassResource(user=user).export(TrainingClass.objects.all())
    return file_format.export_data(dataset)


def sheet_rows(data):
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return sheet, list(sheet.iter_rows(values_only=True))


@pytest.fixture
def tricky_class(db):
    return make_class(
        "CL-2023-09",
        "443",
        name='=HYPERLINK("http://x","Bấm")',
        notes="+84 912 345 678",
        learners=1234,
        completed=1200,
        good=1000,
        start=datetime.date(2023, 3, 6),
    )


def test_exported_xlsx_has_the_import_columns_typed_cells_and_defused_formulas(district_user, tricky_class):
    make_class("CL-2023-10", "443", notes="@SUM(A1:A9)", name="-1+2")
    make_class("CL-2023-11", "443", notes="\tthụt đầu dòng", name="\rxuống dòng")
    sheet, rows = sheet_rows(export_bytes(district_user, XLSXFormat()))
    assert list(rows[0]) == HEADERS
    by_code = {row[0]: dict(zip(HEADERS, row)) for row in rows[1:]}
    tricky = by_code["CL-2023-09"]
    # Text cells hold the stored text exactly, typed as text (never as a formula).
    assert tricky["Tên lớp"] == '=HYPERLINK("http://x","Bấm")' and tricky["Ghi chú"] == "+84 912 345 678"
    assert by_code["CL-2023-10"]["Ghi chú"] == "@SUM(A1:A9)" and by_code["CL-2023-10"]["Tên lớp"] == "-1+2"
    assert by_code["CL-2023-11"]["Ghi chú"] == "\tthụt đầu dòng" and by_code["CL-2023-11"]["Tên lớp"] == "\rxuống dòng"
    assert tricky["Số học viên"] == 1234 and isinstance(tricky["Số học viên"], int)
    assert tricky["Ngày khai giảng"] == datetime.datetime(2023, 3, 6)  # a date cell, not text
    cells = {cell.column_letter: cell for cell in next(sheet.iter_rows(min_row=2, max_row=2))}
    assert cells["G"].is_date and cells["G"].number_format == "DD/MM/YYYY"
    assert cells["I"].data_type == "n"
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    assert (tricky["Mã chương trình"], tricky["Mã đơn vị"], tricky["Mã trung tâm"], tricky["Hình thức"]) == (
        "NTD",
        "443",
        "TTCT-443",
        "Tại trung tâm",
    )


def test_exported_csv_is_utf8_with_bom_day_first_dates_and_defused_formulas(district_user, tricky_class):
    data = export_bytes(district_user, CSVFormat())
    assert data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == ",".join(HEADERS)
    assert '"\'=HYPERLINK(""http://x"",""Bấm"")"' in text and "'+84 912 345 678" in text
    assert ",06/03/2023,10/03/2023,1234,1200," in text


def test_district_staff_export_only_their_unit_whatever_queryset_is_passed(district_user, small_dataset):
    _sheet, rows = sheet_rows(export_bytes(district_user, XLSXFormat()))
    assert {row[3] for row in rows[1:]} == {"443"}
    assert len(rows) - 1 == TrainingClass.objects.filter(unit__code="443").count()


@pytest.mark.parametrize(("file_format", "name"), [(XLSXFormat(), "lop.xlsx"), (CSVFormat(), "lop.csv")])
def test_an_export_imports_back_with_nothing_changed(district_user, small_dataset, tricky_class, file_format, name):
    data = export_bytes(district_user, file_format)
    before = list(TrainingClass.objects.order_by("code").values())
    result = import_both_steps(district_user, data, name)
    assert totals(result) == {"skip": TrainingClass.objects.filter(unit__code="443").count()}
    assert list(TrainingClass.objects.order_by("code").values()) == before


def test_the_board_round_trips_the_whole_province(province_user, small_dataset):
    data = export_bytes(province_user, XLSXFormat())
    result = run_import(province_user, data, "lop.xlsx", dry_run=True)
    assert not import_errors(result) and totals(result) == {"skip": len(small_dataset)}


def test_export_from_the_admin_needs_only_view_permission_and_is_scoped(
    client, admin_role_user, district_user, small_dataset
):
    client.force_login(admin_role_user)  # the administrator role may only view classes
    response = client.post(EXPORT_URL, {"format": "0", "resource": "0"})
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="lop-')
    _sheet, rows = sheet_rows(response.content)
    assert len(rows) - 1 == len(small_dataset)

    client.force_login(district_user)
    response = client.post(EXPORT_URL + "?year=2023", {"format": "1", "resource": "0"})
    codes = {line.split(",")[0] for line in response.content.decode("utf-8-sig").splitlines()[1:]}
    assert codes == {"CL-2023-01", "CL-2023-02", "CL-2023-03", "CL-2023-HUY"}
