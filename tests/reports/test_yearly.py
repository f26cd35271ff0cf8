"""The yearly report: figures, wording, scoping, exports and caching, on data with known sums."""

import datetime
import io

import openpyxl
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from docx import Document

from classes import services
from classes.models import (
    AdministrativeUnit,
    Commendation,
    Programme,
    TrainingCentre,
    TrainingClass,
)
from reports import stamps
from reports.figures import yearly as selectors
from tests.factories import make_class

pytestmark = pytest.mark.django_db

RESULTS = {
    "CL-2023-01": {"excellent": 10, "good": 20, "fair": 20, "average": 8, "failed": 2},
    "DT-2023-02": {"excellent": 5, "good": 10, "fair": 20, "average": 10, "failed": 3},
    "CL-2022-01": {"excellent": 5, "good": 15, "fair": 20, "average": 10, "failed": 0},
}


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def report_data(small_dataset):
    """small_dataset (2023: 5 opened classes, 270 learners, 263 completed; 2022: 3, 150, 150),
    with results on three classes, a planned 2023 class and two commendations."""
    for code, results in RESULTS.items():
        TrainingClass.objects.filter(code=code).update(**results)
    make_class("DT-2023-KH", "440", "SC", datetime.date(2023, 12, 20), 30, 0, status=TrainingClass.Status.PLANNED)
    Commendation.objects.create(
        year=2023,
        recipient="Trung tâm Chính trị huyện Can Lộc",
        unit=AdministrativeUnit.objects.get(code="443"),
        decision_number="125-QĐ/BTGTU",
        decision_date=datetime.date(2023, 11, 28),
    )
    Commendation.objects.create(
        year=2023,
        recipient="Trung tâm Chính trị huyện Đức Thọ",
        unit=AdministrativeUnit.objects.get(code="440"),
        form=Commendation.Form.PROVINCE_CERTIFICATE,
        decision_number="4021-QĐ/UBND",
        decision_date=datetime.date(2023, 12, 5),
    )
    return small_dataset


def entry(entries, code):
    return next(item for item in entries if item["code"] == code)


def figures(item):
    return (
        item["classes"],
        item["learners"],
        item["completed"],
        item["previous_classes"],
        item["previous_learners"],
        item["change_classes"],
        item["change_learners"],
        item["classes_pct"],
        item["learners_pct"],
    )


def test_province_totals_count_opened_classes_only_and_compare_with_the_previous_year(report_data, province_user):
    report = selectors.yearly_report(user=province_user, year=2023)
    assert report["year"] == 2023 and report["previous_year"] == 2022
    assert report["scope"] == {"level": "province", "code": "42", "name": "Tỉnh Hà Tĩnh"}
    # The cancelled class (20 learners) and the planned one (30) are not counted.
    assert report["totals"] == {"classes": 5, "learners": 270, "completed": 263}
    assert report["previous_totals"] == {"classes": 3, "learners": 150, "completed": 150}
    assert report["change"] == {"classes": 2, "learners": 120, "classes_pct": 66.7, "learners_pct": 80.0}
    assert report["completion"] == {"rate": 97.4, "previous_rate": 100.0}


def test_results_are_counted_with_their_share_of_completed_learners(report_data, province_user):
    results = {item["code"]: item for item in selectors.yearly_report(user=province_user, year=2023)["results"]}
    assert [(code, results[code]["count"], results[code]["share"]) for code in TrainingClass.RESULT_FIELDS] == [
        ("excellent", 15, 5.7),
        ("good", 30, 11.4),
        ("fair", 40, 15.2),
        ("average", 18, 6.8),
        ("failed", 5, 1.9),
    ]
    assert [
        (results[code]["previous_count"], results[code]["previous_share"]) for code in TrainingClass.RESULT_FIELDS
    ] == [
        (5, 3.3),
        (15, 10.0),
        (20, 13.3),
        (10, 6.7),
        (0, 0.0),
    ]
    assert results["excellent"]["name"] == "Xuất sắc" and results["excellent"]["change"] == 10


def test_by_unit_lists_all_13_units_with_their_figures_and_changes(report_data, province_user):
    by_unit = selectors.yearly_report(user=province_user, year=2023)["by_unit"]
    assert [item["code"] for item in by_unit] == [
        "436",
        "437",
        "439",
        "440",
        "441",
        "442",
        "443",
        "444",
        "445",
        "446",
        "447",
        "448",
        "449",
    ]
    assert figures(entry(by_unit, "443")) == (3, 180, 175, 1, 50, 2, 130, 200.0, 260.0)
    assert figures(entry(by_unit, "440")) == (2, 90, 88, 2, 100, 0, -10, 0.0, -10.0)
    assert figures(entry(by_unit, "436")) == (0, 0, 0, 0, 0, 0, 0, None, None)
    assert entry(by_unit, "443")["name"] == "Huyện Can Lộc"
    assert sum(item["classes"] for item in by_unit) == 5


def test_by_programme_venue_and_centre_carry_the_previous_year_and_the_change(report_data, province_user):
    report = selectors.yearly_report(user=province_user, year=2023)
    assert [item["code"] for item in report["by_programme"]] == ["NTD", "DVM", "SC"]
    assert figures(entry(report["by_programme"], "NTD")) == (3, 150, 150, 2, 95, 1, 55, 50.0, 57.9)
    assert figures(entry(report["by_programme"], "DVM")) == (1, 70, 65, 1, 55, 0, 15, 0.0, 27.3)
    assert figures(entry(report["by_programme"], "SC")) == (1, 50, 48, 0, 0, 1, 50, None, None)
    assert [item["code"] for item in report["by_venue"]] == ["tai_trung_tam", "tai_co_so", "truc_tuyen", "ket_hop"]
    assert [item["name"] for item in report["by_venue"]] == ["Tại trung tâm", "Tại cơ sở", "Trực tuyến", "Kết hợp"]
    assert figures(entry(report["by_venue"], "tai_trung_tam")) == (3, 150, 148, 2, 95, 1, 55, 50.0, 57.9)
    assert figures(entry(report["by_venue"], "tai_co_so")) == (1, 70, 65, 1, 55, 0, 15, 0.0, 27.3)
    assert figures(entry(report["by_venue"], "truc_tuyen")) == (1, 50, 50, 0, 0, 1, 50, None, None)
    assert figures(entry(report["by_venue"], "ket_hop")) == (0, 0, 0, 0, 0, 0, 0, None, None)
    assert [item["code"] for item in report["by_centre"]] == ["TTCT-440", "TTCT-443"]
    assert figures(entry(report["by_centre"], "TTCT-443")) == (3, 180, 175, 1, 50, 2, 130, 200.0, 260.0)
    for key in ("by_unit", "by_programme", "by_venue", "by_centre"):
        assert sum(item["learners"] for item in report[key]) == 270
        assert sum(item["previous_learners"] for item in report[key]) == 150


def test_commendations_of_the_year_are_listed_with_decision_number_and_date(report_data, province_user):
    commendations = selectors.yearly_report(user=province_user, year=2023)["commendations"]
    assert [
        (c["form"], c["recipient_kind"], c["recipient"], c["decision_number"], c["decision_date"])
        for c in commendations
    ] == [
        ("Giấy khen", "Tập thể", "Trung tâm Chính trị huyện Can Lộc", "125-QĐ/BTGTU", "2023-11-28"),
        ("Bằng khen", "Tập thể", "Trung tâm Chính trị huyện Đức Thọ", "4021-QĐ/UBND", "2023-12-05"),
    ]
    assert selectors.yearly_report(user=province_user, year=2022)["commendations"] == []


def test_the_paragraph_reports_an_increase_in_the_boards_style(report_data, province_user):
    text = selectors.yearly_report(user=province_user, year=2023)["summary_text"]
    assert text == (
        "Năm 2023, toàn tỉnh mở được 5 lớp với 270 học viên, tăng 2 lớp (66,7%) so với năm 2022; "
        "số học viên tăng 120 (80,0%); 263 học viên hoàn thành chương trình (đạt 97,4%); "
        "kết quả: xuất sắc 15 (5,7%), giỏi 30 (11,4%), khá 40 (15,2%), trung bình 18 (6,8%), không đạt 5 (1,9%). "
        "Trong các đơn vị, tăng nhiều nhất là Huyện Can Lộc (tăng 2 lớp). "
        "Trong các chương trình, tăng nhiều nhất là Bồi dưỡng nhận thức về Đảng và Sơ cấp lý luận chính trị (tăng 1 lớp). "
        "Số liệu của 0/13 đơn vị đã gửi; 13 đơn vị chưa gửi báo cáo."
    )


def test_the_paragraph_reports_a_decrease_and_the_units_that_fell(report_data, province_user):
    make_class("DT-2024-01", "440", "NTD", datetime.date(2024, 1, 15), 40, 40)
    text = selectors.yearly_report(user=province_user, year=2024)["summary_text"]
    assert text.startswith(
        "Năm 2024, toàn tỉnh mở được 1 lớp với 40 học viên, giảm 4 lớp (80,0%) so với năm 2023; "
        "số học viên giảm 230 (85,2%); 40 học viên hoàn thành chương trình (đạt 100,0%)."
    )
    assert "Trong các đơn vị, tăng nhiều nhất" not in text
    assert "Trong các đơn vị, giảm nhiều nhất là Huyện Can Lộc (giảm 3 lớp)." in text


def test_the_paragraph_says_equal_when_the_count_did_not_change(db, province_user):
    make_class("A-2022", "443", start=datetime.date(2022, 5, 1), learners=50, completed=50)
    make_class("A-2023", "440", start=datetime.date(2023, 5, 1), learners=50, completed=50)
    text = selectors.yearly_report(user=province_user, year=2023)["summary_text"]
    assert text.startswith(
        "Năm 2023, toàn tỉnh mở được 1 lớp với 50 học viên, số lớp bằng năm 2022; số học viên bằng năm 2022; "
    )
    assert (
        "Trong các đơn vị, tăng nhiều nhất là Huyện Đức Thọ (tăng 1 lớp), giảm nhiều nhất là Huyện Can Lộc (giảm 1 lớp)."
        in text
    )


def test_the_paragraph_says_when_there_is_no_earlier_year_to_compare(report_data, province_user):
    report = selectors.yearly_report(user=province_user, year=2022)
    assert report["change"] == {"classes": 3, "learners": 150, "classes_pct": None, "learners_pct": None}
    assert report["summary_text"].startswith(
        "Năm 2022, toàn tỉnh mở được 3 lớp với 150 học viên (năm 2021 chưa có số liệu để so sánh); "
        "150 học viên hoàn thành chương trình (đạt 100,0%)"
    )
    assert "nhiều nhất" not in report["summary_text"]


def test_a_year_without_data_renders_cleanly(db, province_user, client):
    report = selectors.yearly_report(user=province_user, year=2030)
    assert report["totals"] == {"classes": 0, "learners": 0, "completed": 0}
    assert report["summary_text"] == (
        "Năm 2030, toàn tỉnh chưa có lớp nào được mở. Số liệu của 0/69 đơn vị đã gửi; 69 đơn vị chưa gửi báo cáo."
    )
    client.force_login(province_user)
    response = client.get("/reports/yearly/2030/")
    assert response.status_code == 200
    assert "chưa có lớp nào được mở" in response.content.decode()


def test_district_staff_get_their_own_unit_only(report_data, district_user):
    report = selectors.yearly_report(user=district_user, year=2023)
    assert report["scope"] == {"level": "unit", "code": "443", "name": "Huyện Can Lộc"}
    assert report["totals"] == {"classes": 3, "learners": 180, "completed": 175}
    assert report["previous_totals"] == {"classes": 1, "learners": 50, "completed": 50}
    assert [item["code"] for item in report["by_unit"]] == ["443"]
    assert [item["code"] for item in report["by_centre"]] == ["TTCT-443"]
    assert [item["recipient"] for item in report["commendations"]] == ["Trung tâm Chính trị huyện Can Lộc"]
    assert report["summary_text"].startswith(
        "Năm 2023, Huyện Can Lộc mở được 3 lớp với 180 học viên, tăng 2 lớp (200,0%) so với năm 2022; "
    )
    assert "Trong các đơn vị" not in report["summary_text"]


def test_the_json_has_the_contract_keys_and_the_district_only_its_unit(
    report_data, client, district_user, other_district_user
):
    client.force_login(district_user)
    response = client.get("/api/reports/yearly/2023/")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    data = response.json()
    assert {
        "year",
        "previous_year",
        "scope",
        "totals",
        "previous_totals",
        "change",
        "by_unit",
        "by_programme",
        "by_venue",
        "commendations",
        "summary_text",
    } <= set(data)
    assert set(data["change"]) == {"classes", "learners", "classes_pct", "learners_pct"}
    assert {
        "code",
        "name",
        "classes",
        "learners",
        "completed",
        "previous_classes",
        "previous_learners",
        "change_classes",
        "change_learners",
    } <= set(data["by_unit"][0])
    assert data["totals"]["learners"] == 180 and "Đức Thọ" not in response.content.decode()
    client.force_login(other_district_user)
    data = client.get("/api/reports/yearly/2023/").json()
    assert data["scope"]["code"] == "440" and data["totals"] == {"classes": 2, "learners": 90, "completed": 88}
    assert "Can Lộc" not in data["summary_text"] and [c["recipient"] for c in data["commendations"]] == [
        "Trung tâm Chính trị huyện Đức Thọ"
    ]


def test_the_page_shows_the_figures_the_vietnamese_way(report_data, client, province_user):
    TrainingClass.objects.filter(code="CL-2023-01").update(learners=99_000, completed=60)
    client.force_login(province_user)
    response = client.get("/reports/yearly/2023/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Năm 2023, toàn tỉnh mở được 5 lớp với 99.210 học viên, tăng 2 lớp (66,7%) so với năm 2022" in page
    assert "99.210" in page and "+66,7%" in page and "Huyện Hương Khê" in page
    assert "Không tính lớp đã hủy và lớp còn trong kế hoạch" in page
    assert "125-QĐ/BTGTU" in page and "28/11/2023" in page
    assert page.count('<svg class="chart"') == 3 and page.count('class="bar"') > 0 and " style=" not in page
    assert 'href="/reports/yearly/2023/export.xlsx"' in page and '<option value="2022"' in page


def test_district_page_and_exports_hold_no_other_district(report_data, client, district_user):
    client.force_login(district_user)
    page = client.get("/reports/yearly/2023/").content.decode()
    assert "Huyện Can Lộc mở được 3 lớp" in page and "Đức Thọ" not in page
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/yearly/2023/export.xlsx").content))
    cells = [
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    ]
    assert "Huyện Can Lộc" in cells and not any("Đức Thọ" in cell for cell in cells)
    document = Document(io.BytesIO(client.get("/reports/yearly/2023/export.docx").content))
    text = "\n".join(
        [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]
    )
    assert "Huyện Can Lộc mở được 3 lớp" in text and "Đức Thọ" not in text


def test_the_xlsx_holds_the_same_numbers_as_the_json(report_data, client, province_user):
    client.force_login(province_user)
    data = client.get("/api/reports/yearly/2023/").json()
    response = client.get("/reports/yearly/2023/export.xlsx")
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="bao-cao-2023-42.xlsx"'
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == [
        "Tổng hợp",
        "Theo đơn vị",
        "Theo địa bàn",
        "Theo chương trình",
        "Theo hình thức",
        "Theo trung tâm",
        "Kế hoạch",
        "Đạt chuẩn",
        "Tiến độ",
        "Khen thưởng",
        "Theo năm",
        "Biểu đồ",
    ]
    summary = book["Tổng hợp"]
    assert summary["A2"].value == data["summary_text"]
    assert [cell.value for cell in summary[5]] == ["Số lớp mở được", 5, 3, 2, 66.7]
    assert [cell.value for cell in summary[6]] == ["Số học viên", 270, 150, 120, 80.0]
    assert [cell.value for cell in summary[11]] == ["Xuất sắc", 15, 5.7, 5, 3.3]
    for sheet_name, key in (
        ("Theo đơn vị", "by_unit"),
        ("Theo địa bàn", "by_area"),
        ("Theo chương trình", "by_programme"),
        ("Theo hình thức", "by_venue"),
        ("Theo trung tâm", "by_centre"),
    ):
        rows = list(book[sheet_name].iter_rows(min_row=2, values_only=True))
        if key == "by_venue":  # the venue's code is internal: that sheet has no code column
            rows = [("", *row) for row in rows]
        assert [row[1:] for row in rows[:-1]] == [
            (
                e["name"],
                e["classes"],
                e["previous_classes"],
                e["change_classes"],
                e["classes_pct"],
                e["learners"],
                e["previous_learners"],
                e["change_learners"],
                e["learners_pct"],
                e["completed"],
            )
            for e in data[key]
        ]
        if key != "by_venue":
            assert [row[0] for row in rows[:-1]] == [e["code"] for e in data[key]]
        assert rows[-1][1:] == ("Tổng cộng", 5, 3, 2, 66.7, 270, 150, 120, 80.0, 263)
    # The page's three charts, as pictures on their own sheet.
    assert len(book["Biểu đồ"]._images) == 3
    commendations = list(book["Khen thưởng"].iter_rows(min_row=2, values_only=True))
    assert commendations[0][3] == "125-QĐ/BTGTU" and commendations[0][4] == datetime.datetime(2023, 11, 28)
    assert list(book["Theo năm"].iter_rows(min_row=2, values_only=True)) == [(2022, 3, 150), (2023, 5, 270)]


def test_reports_home_opens_the_current_year_and_the_picker_goes_to_a_year(report_data, client, district_user):
    client.force_login(district_user)
    assert client.get("/").url == "/reports/"
    # The current year, even with no class yet (the caveat says who has not sent it), not 2023.
    assert client.get("/reports/").url == f"/reports/yearly/{timezone.localdate().year}/"
    assert client.get("/reports/?year=2021").url == "/reports/yearly/2021/"
    assert client.get("/reports/?year=2021&unit=443").url == "/reports/yearly/2021/?unit=443"


def test_reports_need_a_logged_in_user_with_a_role(report_data, client, django_user_model):
    for url in (
        "/reports/",
        "/reports/yearly/2023/",
        "/api/reports/yearly/2023/",
        "/reports/yearly/2023/export.xlsx",
        "/reports/yearly/2023/export.docx",
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/admin/login/" in response.url
    nobody = django_user_model.objects.create_user(username="khong-vai-tro", password="x-Mat-khau-2024!", is_staff=True)
    client.force_login(nobody)
    assert client.get("/api/reports/yearly/2023/").status_code == 403
    assert client.get("/").url == "/admin/"


def _queries(client, url):
    cache.clear()  # the cold page: the figures computed, not read from the cache
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


def _add_classes(units, per_unit, prefix):
    """Classes in 2022 and 2023 spread over programmes and venues, written in bulk."""
    programmes = list(Programme.objects.all())
    centres = {centre.unit_id: centre for centre in TrainingCentre.objects.filter(unit__in=units)}
    rows = []
    for number, unit in enumerate(units):
        for index in range(per_unit):
            year = (2022, 2023)[index % 2]
            rows.append(
                TrainingClass(
                    code=f"{prefix}-{unit.code}-{index}",
                    name="Lớp thử",
                    programme=programmes[(number + index) % len(programmes)],
                    unit=unit,
                    centre=centres[unit.pk],
                    venue=TrainingClass.Venue.choices[index % 4][0],
                    start_date=datetime.date(year, 3, 1),
                    year=year,
                    learners=30,
                    completed=30,
                )
            )
    TrainingClass.objects.bulk_create(rows)
    stamps.years_changed({2022, 2023})  # bulk_create sends no signals: the writer renews the stamps
    return len(rows)


def test_the_number_of_queries_does_not_grow_with_units_or_classes(
    db, client, province_user, django_assert_num_queries
):
    client.force_login(province_user)
    urls = [
        "/api/reports/yearly/2023/",
        "/reports/yearly/2023/",
        "/reports/yearly/2023/export.xlsx",
        "/reports/yearly/2023/export.docx",
    ]
    districts = list(AdministrativeUnit.objects.filter(valid_from__isnull=True))  # the 13 before the 2025 reform
    assert len(districts) == 13 and _add_classes(districts, 8, "A") == 104
    _queries(client, urls[0])  # the first report gives the reference data a stamp (written in bulk)
    small = [_queries(client, url) for url in urls]

    communes = []
    for number in range(60):
        commune = AdministrativeUnit.objects.create(code=f"9{number:03d}", name=f"Xã thử {number}", kind="xa")
        TrainingCentre.objects.create(code=f"TTCT-9{number:03d}", name=f"Trung tâm xã {number}", unit=commune)
        communes.append(commune)
    assert _add_classes(districts + communes, 20, "B") == 1460
    large = [_queries(client, url) for url in urls]
    assert large == small
    # The stamps, the four breakdowns (venue, unit, programme, centre) in one statement, the
    # names of the units, programmes and centres, and the commendations.
    # Then the planning cycle's (reports/planning.py): the year's settings, plans and needs
    # by unit and by programme, the centres meeting the standard, the units' steps.
    cache.clear()
    with django_assert_num_queries(6 + 7 + 2):  # the caveat: the province-wide lock, the units sent
        report = selectors.yearly_report(user=province_user, year=2023)
    assert report["totals"]["classes"] == 52 + 730 and len(report["by_unit"]) == 13 + 60


def test_a_cold_report_reads_the_classes_once_for_its_four_breakdowns(report_data, province_user):
    with CaptureQueriesContext(connection) as context:
        report = selectors.build_yearly_report(user=province_user, year=2023)
    reads = [q["sql"] for q in context.captured_queries if 'FROM "classes_trainingclass"' in q["sql"]]
    assert len(reads) == 1
    # Each breakdown adds up to the totals.
    for breakdown in ("by_venue", "by_unit", "by_programme", "by_centre"):
        assert sum(entry["learners"] for entry in report[breakdown]) == 270, breakdown
        assert sum(entry["previous_learners"] for entry in report[breakdown]) == 150, breakdown


def test_an_open_year_is_served_from_the_cache_until_a_write_renews_its_stamp(
    report_data, client, province_user, django_assert_num_queries
):
    client.force_login(province_user)
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["learners"] == 270
    with django_assert_num_queries(1):  # a hit: the stamps only
        assert selectors.yearly_report(user=province_user, year=2023)["totals"]["learners"] == 270

    correction = TrainingClass.objects.get(code="CL-2023-01")
    correction.learners = 100
    services.class_save(user=province_user, training_class=correction)
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["learners"] == 310


def test_the_history_recounts_only_the_years_whose_stamp_changed(report_data, province_user, django_assert_num_queries):
    expected = [{"year": 2022, "classes": 3, "learners": 150}, {"year": 2023, "classes": 5, "learners": 270}]
    assert selectors.yearly_history(user=province_user) == expected
    current = selectors.current_stamps()
    with django_assert_num_queries(0):
        assert selectors.yearly_history(user=province_user, stamps=current) == expected

    services.class_delete(user=province_user, training_class=TrainingClass.objects.get(code="CL-2022-01"))
    with CaptureQueriesContext(connection) as context:
        history = selectors.yearly_history(user=province_user)
    assert history[0] == {"year": 2022, "classes": 2, "learners": 100}
    (recount,) = [q["sql"] for q in context.captured_queries if "classes_trainingclass" in q["sql"]]
    assert " IN (2022)" in recount


def test_a_locked_year_is_served_from_the_cache_and_a_correction_shows_at_once(
    report_data, client, province_user, django_assert_num_queries
):
    client.force_login(province_user)
    selectors.yearly_report(user=province_user, year=2023)  # cached before the lock
    services.year_lock(user=province_user, year=2023)
    with django_assert_num_queries(1 + 5 + 7 + 1):  # the stamps, the figures once (planning: 7, the lock)
        selectors.yearly_report(user=province_user, year=2023)
    with django_assert_num_queries(1):  # a hit: one read of the stamps
        assert selectors.yearly_report(user=province_user, year=2023)["totals"]["learners"] == 270
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["learners"] == 270

    correction = TrainingClass.objects.get(code="CL-2023-01")
    correction.learners = 100
    services.class_save(user=province_user, training_class=correction)
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["learners"] == 310

    services.class_delete(user=province_user, training_class=TrainingClass.objects.get(code="DT-2023-01"))
    assert client.get("/api/reports/yearly/2023/").json()["totals"] == {"classes": 4, "learners": 270, "completed": 223}

    services.commendation_save(
        user=province_user,
        commendation=Commendation(
            year=2023,
            recipient="Đồng chí Nguyễn Văn A",
            recipient_kind=Commendation.RecipientKind.INDIVIDUAL,
            decision_number="130-QĐ/BTGTU",
            decision_date=datetime.date(2023, 12, 20),
        ),
    )
    assert "130-QĐ/BTGTU" in client.get("/reports/yearly/2023/").content.decode()


def test_a_correction_of_the_previous_year_changes_the_locked_years_comparison(report_data, client, province_user):
    client.force_login(province_user)
    services.year_lock(user=province_user, year=2023)
    assert client.get("/api/reports/yearly/2023/").json()["previous_totals"]["classes"] == 3
    services.class_delete(user=province_user, training_class=TrainingClass.objects.get(code="CL-2022-01"))
    assert client.get("/api/reports/yearly/2023/").json()["previous_totals"]["classes"] == 2


def test_reopening_a_year_serves_fresh_figures(report_data, client, province_user):
    client.force_login(province_user)
    lock = services.year_lock(user=province_user, year=2023)
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["classes"] == 5
    services.year_unlock(user=province_user, lock=lock)
    TrainingClass.objects.filter(code="CL-2023-01").update(learners=61)
    stamps.years_changed({2023})  # a bulk write sends no signal: its writer renews the stamp
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["learners"] == 271


def test_cached_reports_of_the_province_and_each_district_never_mix(
    report_data, client, province_user, district_user, other_district_user, django_assert_num_queries
):
    services.year_lock(user=province_user, year=2023)
    client.force_login(province_user)
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["classes"] == 5
    client.force_login(district_user)
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["classes"] == 3
    with django_assert_num_queries(1):  # a district's hit reads no unit either
        assert selectors.yearly_report(user=district_user, year=2023)["scope"]["code"] == "443"
    client.force_login(other_district_user)
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["classes"] == 2
    assert selectors.yearly_report(user=province_user, year=2023)["totals"]["classes"] == 5


def test_a_confirmed_admin_import_into_a_locked_year_shows_at_once(report_data, client, province_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.classes.spreadsheets.helpers import class_row, xlsx_bytes

    services.year_lock(user=province_user, year=2023)
    client.force_login(province_user)
    assert client.get("/api/reports/yearly/2023/").json()["totals"]["learners"] == 270
    # The import writes in bulk (no model signals); the admin then sends post_import.
    data = xlsx_bytes([class_row("CL-2023-NHAP", **{"Ngày khai giảng": "05/03/2023", "Ngày bế giảng": "09/03/2023"})])
    preview = client.post(
        "/admin/classes/trainingclass/import/", {"import_file": SimpleUploadedFile("lop.xlsx", data), "resource": "0"}
    )
    form = preview.context["confirm_form"]
    fields = ("import_file_name", "original_file_name", "format", "resource")
    done = client.post(
        "/admin/classes/trainingclass/process_import/", {name: form.initial.get(name, "") for name in fields}
    )
    assert done.status_code == 302 and TrainingClass.objects.filter(code="CL-2023-NHAP").exists()
    assert client.get("/api/reports/yearly/2023/").json()["totals"] == {"classes": 6, "learners": 390, "completed": 381}
