"""Every workbook the app writes keeps users' text as text, an export imports back
exactly, and every export opens whatever text is already stored (issue 11)."""

import datetime
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.urls import reverse
from docx import Document

from classes.models import AdministrativeUnit, Commendation, Programme, TrainingClass
from classes.spreadsheets.commendations import CommendationResource
from classes.spreadsheets.files import (
    CSVFormat,
    XLSXFormat,
    escape_formula,
    unescape_formula,
)
from classes.spreadsheets.training import TrainingClassResource
from tests.classes.spreadsheets.helpers import import_both_steps, totals, xlsx_bytes
from tests.factories import make_class

CLASS_EXPORT_URL = reverse("admin:classes_trainingclass_export")
COMMENDATION_EXPORT_URL = reverse("admin:classes_commendation_export")
ROUND_TRIP_TEXTS = ["=1+1", "'quoted", "+84 912", "-", "@x", "'=1+1", "''", "'"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def text_cells(data):
    """(value, data type) of every cell of every sheet."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    return [(cell.value, cell.data_type) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def commendation(recipient="Trung tâm Chính trị huyện Can Lộc", issuer="Ban Tuyên giáo Tỉnh ủy Hà Tĩnh", **extra):
    return Commendation.objects.create(
        year=2023,
        recipient=recipient,
        issuer=issuer,
        unit=AdministrativeUnit.objects.get(code="443"),
        decision_number=extra.pop("decision_number", "125-QĐ/BTGTU"),
        decision_date=datetime.date(2023, 11, 28),
        **extra,
    )


@pytest.mark.parametrize("trigger", ["=", "+", "-", "@"])
def test_the_report_workbook_keeps_names_that_start_like_a_formula_as_text(
    client, province_user, small_dataset, trigger
):
    unit_name, programme_name = f'{trigger}HYPERLINK("http://x","Bấm")', f"{trigger}SUM(1,2)"
    recipient, issuer = f"{trigger}1+1", f"{trigger}cmd|' /C calc'!A0"
    AdministrativeUnit.objects.filter(code="443").update(name=unit_name)
    Programme.objects.filter(code="NTD").update(name=programme_name)
    commendation(recipient=recipient, issuer=issuer)
    client.force_login(province_user)
    response = client.get("/reports/yearly/2023/export.xlsx")
    assert response.status_code == 200
    cells = text_cells(response.content)
    assert not [cell for cell in cells if cell[1] == "f"]
    for text in (unit_name, programme_name, recipient, issuer):
        assert (text, "s") in cells, text


def test_the_class_export_writes_formula_looking_text_as_text_cells(district_user):
    make_class("CL-2023-20", "443", name='=HYPERLINK("http://x")', notes="@SUM(A1)")
    data = XLSXFormat().export_data(TrainingClassResource(user=district_user).export(TrainingClass.objects.all()))
    cells = text_cells(data)
    assert ('=HYPERLINK("http://x")', "s") in cells and ("@SUM(A1)", "s") in cells
    assert not [cell for cell in cells if cell[1] == "f"]


@pytest.mark.parametrize("text", ROUND_TRIP_TEXTS)
def test_the_csv_escape_is_taken_off_exactly_once(text):
    assert unescape_formula(escape_formula(text)) == text


@pytest.mark.parametrize(("file_format", "name"), [(XLSXFormat(), "lop.xlsx"), (CSVFormat(), "lop.csv")])
def test_a_class_export_imports_back_to_the_same_stored_text(district_user, file_format, name):
    for number, text in enumerate(ROUND_TRIP_TEXTS, 1):
        make_class(f"CL-2023-{number:02d}", "443", name=text, notes=text)
    before = list(TrainingClass.objects.order_by("code").values("code", "name", "notes"))
    data = file_format.export_data(TrainingClassResource(user=district_user).export(TrainingClass.objects.all()))
    result = import_both_steps(district_user, data, name)
    assert totals(result) == {"skip": len(ROUND_TRIP_TEXTS)}
    assert list(TrainingClass.objects.order_by("code").values("code", "name", "notes")) == before


def test_the_csv_export_puts_one_apostrophe_before_formula_looking_text(district_user):
    make_class("CL-2023-01", "443", name="=1+1", notes="'=1+1")
    make_class("CL-2023-02", "443", name="'quoted", notes="+84 912")
    text = (
        CSVFormat()
        .export_data(TrainingClassResource(user=district_user).export(TrainingClass.objects.all()))
        .decode("utf-8-sig")
    )
    assert "CL-2023-01,'=1+1," in text and text.splitlines()[1].endswith(",''=1+1")
    assert "CL-2023-02,'quoted," in text and text.splitlines()[2].endswith(",'+84 912")


@pytest.mark.parametrize(("file_format", "name"), [(XLSXFormat(), "khen.xlsx"), (CSVFormat(), "khen.csv")])
def test_a_commendation_export_imports_back_to_the_same_stored_text(province_user, file_format, name):
    for number, text in enumerate(ROUND_TRIP_TEXTS, 1):
        commendation(recipient=f"{text}", issuer=text, decision_number=f"{number}-QĐ", achievement=text)
    fields = ("recipient", "issuer", "decision_number", "achievement")
    before = list(Commendation.objects.order_by("decision_number").values(*fields))
    data = file_format.export_data(CommendationResource(user=province_user).export(Commendation.objects.all()))
    result = import_both_steps(province_user, data, name, resource_class=CommendationResource)
    assert totals(result) == {"skip": len(ROUND_TRIP_TEXTS)}
    assert list(Commendation.objects.order_by("decision_number").values(*fields)) == before


def test_an_xlsx_import_stores_a_cells_apostrophe_as_the_user_wrote_it(province_user):
    headers = ["Năm", "Tên tập thể / cá nhân", "Số quyết định", "Ngày quyết định", "Cơ quan ban hành"]
    row = {
        "Năm": 2023,
        "Tên tập thể / cá nhân": "'=Nguyễn Văn An",
        "Số quyết định": "'+12-QĐ",
        "Ngày quyết định": "28/11/2023",
        "Cơ quan ban hành": "'@Ban Tuyên giáo",
    }
    import_both_steps(
        province_user, xlsx_bytes([row], headers=headers), "khen.xlsx", resource_class=CommendationResource
    )
    stored = Commendation.objects.get()
    assert (stored.recipient, stored.decision_number, stored.issuer) == (
        "'=Nguyễn Văn An",
        "'+12-QĐ",
        "'@Ban Tuyên giáo",
    )


# --- text stored before the rules: every export still opens -------------------------

STORED_NAME = "Lớp A\x0bkhóa\x01 1\x1f"
STORED_NOTES = "dòng 1\x0cdòng 2\x08"


@pytest.fixture
def stored_control_characters(small_dataset):
    TrainingClass.objects.filter(code="CL-2023-01").update(name=STORED_NAME, notes=STORED_NOTES)
    AdministrativeUnit.objects.filter(code="443").update(name="Huyện\x0bCan Lộc\x02")
    commendation(recipient="Nguyễn\x0bVăn An\x01", issuer="Ban\x0cTuyên giáo\x1b", achievement="Thành\x0btích\x07")


@pytest.mark.parametrize("file_format", ["0", "1"])
def test_the_class_export_opens_whatever_text_is_stored(client, province_user, stored_control_characters, file_format):
    client.force_login(province_user)
    response = client.post(CLASS_EXPORT_URL, {"format": file_format, "resource": "0"})
    assert response.status_code == 200
    if file_format == "0":
        names = [value for value, _kind in text_cells(response.content)]
    else:
        names = response.content.decode("utf-8-sig")
        assert "\x01" not in names and "\x0b" not in names
    assert "Lớp A khóa 1" in names and "dòng 1 dòng 2" in names


@pytest.mark.parametrize("file_format", ["0", "1"])
def test_the_commendation_export_opens_whatever_text_is_stored(
    client, province_user, stored_control_characters, file_format
):
    client.force_login(province_user)
    response = client.post(COMMENDATION_EXPORT_URL, {"format": file_format, "resource": "0"})
    assert response.status_code == 200
    if file_format == "0":
        values = [value for value, _kind in text_cells(response.content)]
    else:
        values = response.content.decode("utf-8-sig")
    assert "Nguyễn Văn An" in values and "Ban Tuyên giáo" in values and "Thành tích" in values


def test_the_report_workbook_opens_whatever_text_is_stored(client, province_user, stored_control_characters):
    client.force_login(province_user)
    response = client.get("/reports/yearly/2023/export.xlsx")
    assert response.status_code == 200
    values = [value for value, _kind in text_cells(response.content)]
    assert "Huyện Can Lộc" in values and "Nguyễn Văn An" in values and "Ban Tuyên giáo" in values


def test_the_report_document_opens_whatever_text_is_stored(client, province_user, stored_control_characters):
    client.force_login(province_user)
    response = client.get("/reports/yearly/2023/export.docx")
    assert response.status_code == 200
    document = Document(io.BytesIO(response.content))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Huyện Can Lộc" in cells and any(text.startswith("Nguyễn Văn An (") for text in cells)


def test_the_import_template_lists_stored_names_as_text_whatever_they_hold(client, district_user):
    AdministrativeUnit.objects.filter(code="443").update(name='=HYPERLINK("http://x")\x0b')
    Programme.objects.filter(code="NTD").update(name="@SUM(1)\x01")
    client.force_login(district_user)
    response = client.get(reverse("admin:classes_trainingclass_import_template"))
    assert response.status_code == 200
    cells = text_cells(response.content)
    assert ('=HYPERLINK("http://x") ', "s") in cells and ("@SUM(1)", "s") in cells
    assert not [cell for cell in cells if cell[1] == "f"]
