"""The board opens one unit's report with ?unit=CODE; nobody gets another unit's figures."""

import io

import openpyxl
import pytest
from docx import Document


def figures_of(report):
    return {key: report[key] for key in ("scope", "totals", "previous_totals", "change", "by_unit", "by_programme")}


def test_the_boards_unit_report_is_that_units_own_report(small_dataset, client, province_user, district_user):
    client.force_login(district_user)
    own = client.get("/api/reports/yearly/2023/").json()
    client.force_login(province_user)
    narrowed = client.get("/api/reports/yearly/2023/", {"unit": "443"}).json()
    province = client.get("/api/reports/yearly/2023/").json()
    assert narrowed["scope"]["code"] == "443" and narrowed["scope"]["level"] == "unit"
    assert figures_of(narrowed) == figures_of(own)
    assert narrowed["summary_text"] == own["summary_text"]
    assert narrowed["totals"]["classes"] < province["totals"]["classes"]


@pytest.mark.parametrize("code", ["440", "KHONG-CO", "42"])
def test_a_unit_user_asking_for_another_or_an_unknown_unit_gets_404(small_dataset, client, district_user, code):
    client.force_login(district_user)
    for url in (
        "/api/reports/yearly/2023/",
        "/reports/yearly/2023/",
        "/reports/yearly/2023/export.xlsx",
        "/reports/yearly/2023/export.docx",
    ):
        assert client.get(url, {"unit": code}).status_code == 404, url


def test_a_unit_user_naming_their_own_unit_gets_their_report(small_dataset, client, district_user):
    client.force_login(district_user)
    assert client.get("/api/reports/yearly/2023/", {"unit": "443"}).json()["scope"]["code"] == "443"


@pytest.mark.parametrize("code", ["KHONG-CO", "42"])
def test_the_board_asking_for_an_unknown_unit_or_the_province_gets_404(small_dataset, client, province_user, code):
    client.force_login(province_user)
    assert client.get("/api/reports/yearly/2023/", {"unit": code}).status_code == 404
    assert client.get("/reports/yearly/2023/", {"unit": code}).status_code == 404


def test_the_exports_follow_the_unit(small_dataset, client, province_user, district_user):
    client.force_login(district_user)
    own_book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/yearly/2023/export.xlsx").content))
    own_word = Document(io.BytesIO(client.get("/reports/yearly/2023/export.docx").content))
    client.force_login(province_user)
    response = client.get("/reports/yearly/2023/export.xlsx", {"unit": "443"})
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2023-443.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    for name in own_book.sheetnames:
        if name == "Biểu đồ":
            continue
        assert list(book[name].values) == list(own_book[name].values), name
    response = client.get("/reports/yearly/2023/export.docx", {"unit": "443"})
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2023-443.docx"'
    word = Document(io.BytesIO(response.content))
    assert [p.text for p in word.paragraphs] == [p.text for p in own_word.paragraphs]


def test_the_boards_page_has_a_unit_picker_and_its_export_links_keep_the_unit(
    small_dataset, client, province_user, district_user
):
    client.force_login(province_user)
    page = client.get("/reports/yearly/2023/", {"unit": "443"}).content.decode()
    assert '<select id="unit" name="unit">' in page
    assert '<option value="443" selected>' in page
    for link in ("export.xlsx?unit=443", "export.docx?unit=443", "/api/reports/yearly/2023/?unit=443"):
        assert link in page
    assert '<input type="hidden" name="unit" value="443">' in page
    client.force_login(district_user)
    page = client.get("/reports/yearly/2023/").content.decode()
    assert 'name="unit"' not in page and "?unit=" not in page
