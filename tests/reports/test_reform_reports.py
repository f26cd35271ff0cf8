"""Reports across the 2025 reform: a year lists the units in force during it, areas compare
across the change, partial years are marked, and the paragraph tells the takeover."""

import datetime
import io

import openpyxl
import pytest
from django.core.cache import cache

from reports.figures import yearly as selectors
from tests.factories import make_class

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def commune_class(code, unit_code, start, learners):
    return make_class(
        code, unit_code, start=start, learners=learners, completed=learners, centre_code=f"DU-{unit_code}"
    )


@pytest.fixture
def reform_data(db):
    """Known sums. Areas: Can Lộc (443) holds 18406 Xã Can Lộc and 18418 Xã Tùng Lộc;
    Thạch Hà (445) holds Lộc Hà (448, until 2024) and 18568 Xã Lộc Hà.
    2023: 443 1 class / 40. 2024: 443 2 classes / 100, 448 1 / 30, 445 1 / 50.
    2025 Jan–Jun: 443 1 / 40, 445 1 / 20. Jul–Dec: 18406 2 / 60, 18418 1 / 25, 18568 1 / 35.
    2026: 18406 4 / 120, 18418 1 / 25, 18568 2 / 50."""
    make_class("CL-23-1", "443", start=D(2023, 3, 1), learners=40, completed=40)
    make_class("CL-24-1", "443", start=D(2024, 3, 1), learners=40, completed=40)
    make_class("CL-24-2", "443", start=D(2024, 9, 1), learners=60, completed=60)
    make_class("LH-24-1", "448", start=D(2024, 5, 1), learners=30, completed=30)
    make_class("TH-24-1", "445", start=D(2024, 6, 1), learners=50, completed=50)
    make_class("CL-25-1", "443", start=D(2025, 3, 2), learners=40, completed=40)
    make_class("TH-25-1", "445", start=D(2025, 4, 1), learners=20, completed=20)
    commune_class("XCL-25-1", "18406", D(2025, 8, 1), 30)
    commune_class("XCL-25-2", "18406", D(2025, 10, 1), 30)
    commune_class("TL-25-1", "18418", D(2025, 9, 1), 25)
    commune_class("XLH-25-1", "18568", D(2025, 11, 1), 35)
    for number in range(4):
        commune_class(f"XCL-26-{number}", "18406", D(2026, 3, 1 + number), 30)
    commune_class("TL-26-1", "18418", D(2026, 4, 1), 25)
    commune_class("XLH-26-1", "18568", D(2026, 5, 1), 25)
    commune_class("XLH-26-2", "18568", D(2026, 6, 1), 25)


def by_code(entries):
    return {entry["code"]: entry for entry in entries}


def compared(entry):
    return (entry["classes"], entry["learners"], entry["previous_classes"], entry["previous_learners"])


def test_the_2025_report_lists_both_halves_and_its_totals_add_up_across_them(
    reform_data, province_user, django_assert_num_queries
):
    # The same queries as any year's report (tests/reports/test_yearly.py): no more for the areas.
    selectors.yearly_report(user=province_user, year=2025)  # gives the years their stamps
    cache.clear()
    with django_assert_num_queries(6 + 7 + 2):  # the caveat: the province-wide lock, the units sent
        report = selectors.yearly_report(user=province_user, year=2025)
    assert report["totals"] == {"classes": 6, "learners": 180, "completed": 180}
    assert report["previous_totals"] == {"classes": 4, "learners": 180, "completed": 180}
    units = by_code(report["by_unit"])
    # The 12 districts of January–June, the 69 communes and wards of July–December, and
    # Lộc Hà for its 2024 figures.
    assert len(units) == 12 + 69 + 1
    assert compared(units["443"]) == (1, 40, 2, 100) and compared(units["445"]) == (1, 20, 1, 50)
    assert compared(units["18406"]) == (2, 60, 0, 0) and compared(units["18568"]) == (1, 35, 0, 0)
    assert sum(entry["classes"] for entry in report["by_unit"]) == 6
    assert sum(entry["learners"] for entry in report["by_unit"]) == 180


def test_by_area_compares_2025_with_2024_with_lo_c_ha_under_thach_ha(reform_data, province_user):
    areas = by_code(selectors.yearly_report(user=province_user, year=2025)["by_area"])
    assert len(areas) == 12  # the 12 districts of 2025 are the areas; Lộc Hà is not its own
    assert compared(areas["443"]) == (4, 125, 2, 100) and compared(areas["445"]) == (2, 55, 2, 80)
    assert areas["443"]["name"] == "Huyện Can Lộc" and areas["443"]["change_learners"] == 25
    assert compared(areas["436"]) == (0, 0, 0, 0)
    assert not any(area["previous_partial"] for area in areas.values())


def test_by_area_compares_2026_with_2025_area_by_area(reform_data, province_user):
    report = selectors.yearly_report(user=province_user, year=2026)
    assert report["totals"] == {"classes": 7, "learners": 195, "completed": 195}
    areas = by_code(report["by_area"])
    assert compared(areas["443"]) == (5, 145, 4, 125) and compared(areas["445"]) == (2, 50, 2, 55)
    assert (areas["443"]["change_classes"], areas["443"]["classes_pct"]) == (1, 25.0)
    assert sum(area["classes"] for area in areas.values()) == 7
    assert sum(area["previous_learners"] for area in areas.values()) == 180
    # The class figures of by_unit (plans and needs stay per unit and programme).
    assert set(report["by_area"][0]) == set(report["by_unit"][0]) - {"plan", "needs"}


def test_a_unit_not_in_force_all_of_the_previous_year_is_marked_partial(reform_data, province_user):
    units_2026 = by_code(selectors.yearly_report(user=province_user, year=2026)["by_unit"])
    # The communes began on 1/7/2025; the districts listed for their 2025 figures ended on 30/06/2025.
    assert units_2026["18406"]["previous_partial"] and units_2026["443"]["previous_partial"]
    assert len(units_2026) == 69 + 2  # and 443, 445 for their January–June figures
    units_2025 = by_code(selectors.yearly_report(user=province_user, year=2025)["by_unit"])
    assert not units_2025["443"]["previous_partial"] and not units_2025["448"]["previous_partial"]
    assert units_2025["18406"]["previous_partial"]
    units_2024 = selectors.yearly_report(user=province_user, year=2024)["by_unit"]
    assert len(units_2024) == 13 and not any(unit["previous_partial"] for unit in units_2024)


def test_the_2025_paragraph_says_the_communes_and_wards_took_over(reform_data, province_user):
    report = selectors.yearly_report(user=province_user, year=2025)
    assert report["takeover"] == {
        "date": "2025-07-01",
        "units": 69,
        "kinds": [{"kind": "xa", "name": "xã", "units": 60}, {"kind": "phuong", "name": "phường", "units": 9}],
        "ended": 12,
    }
    assert (
        "Từ ngày 01/07/2025, 60 xã và 9 phường tiếp nhận địa bàn của 12 đơn vị hết hiệu lực ngày 30/06/2025; "
        "số liệu năm 2025 cộng cả hai giai đoạn." in report["summary_text"]
    )
    # Told by area: Can Lộc grew by 2 classes, no commune is named.
    assert "Theo địa bàn, tăng nhiều nhất là Huyện Can Lộc (tăng 2 lớp)." in report["summary_text"]
    assert "Xã" not in report["summary_text"]


def test_from_2026_the_comparison_is_told_by_area_and_no_partial_unit_is_named(reform_data, province_user):
    report = selectors.yearly_report(user=province_user, year=2026)
    text = report["summary_text"]
    assert report["takeover"] is None and "tiếp nhận" not in text
    assert "tăng 1 lớp (16,7%) so với năm 2025" in text
    assert "Theo địa bàn, tăng nhiều nhất là Huyện Can Lộc (tăng 1 lớp)" in text
    assert "giảm" not in text.split("Theo địa bàn")[1].split(".")[0]  # Thạch Hà stayed at 2 classes
    assert "Xã Can Lộc" not in text  # +2 classes, but it was not in force all of 2025


def test_the_2024_paragraph_is_told_by_unit_as_before(reform_data, province_user):
    report = selectors.yearly_report(user=province_user, year=2024)
    assert report["takeover"] is None
    text = report["summary_text"]
    assert "Trong các đơn vị, tăng nhiều nhất là Huyện Can Lộc, Huyện Thạch Hà và Huyện Lộc Hà (tăng 1 lớp)." in text
    assert "Theo địa bàn" not in text


def test_the_page_marks_partial_units_and_shows_the_areas(reform_data, client, province_user):
    client.force_login(province_user)
    page = client.get("/reports/yearly/2026/").content.decode()
    assert "Theo địa bàn" in page and page.count('<abbr class="partial"') == 69 + 2
    assert "Đơn vị không có hiệu lực trọn năm 2025" in page
    unmarked = client.get("/reports/yearly/2024/").content.decode()
    assert '<abbr class="partial"' not in unmarked and "partial-note" not in unmarked


def test_the_json_and_the_xlsx_carry_the_areas(reform_data, client, province_user):
    client.force_login(province_user)
    data = client.get("/api/reports/yearly/2026/").json()
    assert compared(by_code(data["by_area"])["443"]) == (5, 145, 4, 125)
    assert by_code(data["by_unit"])["18406"]["previous_partial"] is True
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/yearly/2026/export.xlsx").content))
    rows = {row[0]: row for row in book["Theo địa bàn"].iter_rows(min_row=2, values_only=True)}
    assert rows["443"][1:5] == ("Huyện Can Lộc", 5, 4, 1) and rows[None][1:4] == ("Tổng cộng", 7, 6)


def test_a_commune_user_sees_its_own_commune_and_its_area_marked_partial(reform_data, client):
    from classes import services
    from classes.models import AdministrativeUnit
    from tests.factories import PASSWORD

    user = services.user_save(
        username="xacanloc", role="district", unit=AdministrativeUnit.objects.get(code="18406"), password=PASSWORD
    )
    report = selectors.yearly_report(user=user, year=2026)
    assert report["totals"]["classes"] == 4 and [unit["code"] for unit in report["by_unit"]] == ["18406"]
    # Its area holds only its own classes, and its own half of 2025: not comparable.
    assert [
        (area["code"], area["classes"], area["previous_classes"], area["previous_partial"])
        for area in report["by_area"]
    ] == [("443", 4, 2, True)]
    assert report["takeover"] is None
