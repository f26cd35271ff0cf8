"""The unit sends its year with one button on its start page; the board accepts or returns it
from the completeness board, whose year picker and unit links lead on."""

import datetime

from django.urls import reverse

from classes import selectors
from classes.models import AdministrativeUnit, ReportingPeriod, TrainingClass, UnitReport
from tests.factories import make_class

SEND_URL = "/admin/classes/unitreport/send-year/"


def commune_classes():
    make_class("XCL-2026-01", "18406", start=datetime.date(2026, 3, 9), learners=64, centre_code="TCT-HT")
    make_class(
        "XCL-2026-02", "18406", "DVM", start=datetime.date(2026, 4, 6), learners=50, completed=50, centre_code="TCT-HT"
    )
    make_class(
        "XCL-2026-03",
        "18406",
        start=datetime.date(2026, 5, 4),
        learners=40,
        completed=0,
        centre_code="TCT-HT",
        status=TrainingClass.Status.PLANNED,
    )


def test_the_start_page_sums_the_opened_classes_and_sends_the_year_with_one_post(client, commune_user, province_user):
    commune_classes()
    client.force_login(commune_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Gửi báo cáo năm 2026" in page
    assert ">2</th>" in page and ">114</th>" in page  # the planned class is not sent
    assert "send_note" not in page
    response = client.post(SEND_URL, follow=True)
    assert "Đã gửi báo cáo năm 2026" in response.content.decode()
    report = UnitReport.objects.get()
    assert (report.unit.code, report.year, report.status) == ("18406", 2026, UnitReport.Status.SUBMITTED)
    assert "Trạng thái báo cáo năm 2026: Đã gửi" in client.get(reverse("admin:index")).content.decode()
    client.force_login(province_user)
    board = client.get("/reports/completeness/2026/")
    row = next(row for row in board.context["rows"] if row.code == "18406")
    assert row.cycle_status == UnitReport.Status.SUBMITTED
    assert 'href="/reports/yearly/2026/?unit=18406"' in board.content.decode()


def test_an_empty_year_asks_for_a_note_and_without_one_nothing_is_sent(client, commune_user):
    client.force_login(commune_user)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Năm 2026 chưa có lớp nào được mở: ghi rõ lý do" in page and 'name="send_note"' in page
    response = client.post(SEND_URL, {"send_note": "  "}, follow=True)
    assert "Chưa gửi được báo cáo năm 2026. Năm 2026 chưa có lớp nào được mở" in response.content.decode()
    assert not UnitReport.objects.exists()
    client.post(SEND_URL, {"send_note": "Xã mới sáp nhập, chưa mở lớp."})
    assert UnitReport.objects.get().send_note == "Xã mới sáp nhập, chưa mở lớp."


def test_the_board_accepts_and_returns_from_the_board(client, commune_user, district_user, province_user):
    commune_classes()
    client.force_login(commune_user)
    client.post(SEND_URL)
    client.force_login(province_user)
    report = UnitReport.objects.get()
    board = client.get("/reports/completeness/2026/").content.decode()
    assert f"/admin/classes/unitreport/{report.pk}/board-accept/" in board and "Chấp nhận" in board
    refused = client.post(f"/admin/classes/unitreport/{report.pk}/board-return/", {"return_reason": ""}, follow=True)
    assert "Trả lại báo cáo phải ghi lý do." in refused.content.decode()
    returned = client.post(
        f"/admin/classes/unitreport/{report.pk}/board-return/", {"return_reason": "Thiếu lớp tháng 6"}
    )
    assert returned.url == "/reports/completeness/2026/"
    report.refresh_from_db()
    assert (report.status, report.return_reason) == (UnitReport.Status.RETURNED, "Thiếu lớp tháng 6")
    client.force_login(commune_user)
    client.post(SEND_URL)
    client.force_login(province_user)
    accepted = client.post(f"/admin/classes/unitreport/{report.pk}/board-accept/", follow=True)
    assert "Đã chấp nhận báo cáo năm 2026 của" in accepted.content.decode()
    report.refresh_from_db()
    assert report.status == UnitReport.Status.ACCEPTED


def test_a_unit_user_cannot_accept_from_the_board(client, commune_user):
    commune_classes()
    client.force_login(commune_user)
    client.post(SEND_URL)
    report = UnitReport.objects.get()
    assert client.post(f"/admin/classes/unitreport/{report.pk}/board-accept/").status_code == 403
    assert (
        client.post(f"/admin/classes/unitreport/{report.pk}/board-return/", {"return_reason": "x"}).status_code == 403
    )
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED


def test_the_year_picker_leads_to_the_years_board_and_offers_the_years_with_data(client, province_user, small_dataset):
    client.force_login(province_user)
    assert client.get("/reports/completeness/?year=2023").url == "/reports/completeness/2023/"
    years = client.get("/reports/completeness/2023/").context["years"]
    assert years[0] == 2026 and 2022 in years and 2023 in years


def test_the_units_report_page_leads_to_the_send_panel_until_the_year_is_sent(client, commune_user):
    commune_classes()
    client.force_login(commune_user)
    assert 'href="/admin/#send-year"' in client.get("/reports/yearly/2026/").content.decode()
    assert 'id="send-year-link"' not in client.get("/reports/yearly/2025/").content.decode()
    client.post(SEND_URL)
    assert 'id="send-year-link"' not in client.get("/reports/yearly/2026/").content.decode()


def test_a_former_districts_start_page_has_no_send_panel_for_a_year_its_successors_report(client, district_user):
    client.force_login(district_user)
    assert client.get(reverse("admin:index")).status_code == 200
    assert 'id="send-year"' not in client.get(reverse("admin:index")).content.decode()
    assert client.post(SEND_URL, {"send_note": "Thử"}).status_code == 302
    assert not UnitReport.objects.exists()


def test_the_board_counts_the_classes_the_report_counts(client, province_user, small_dataset):
    """Can Lộc's 2023: three opened classes (180 learners) and one cancelled (20 learners)."""
    client.force_login(province_user)
    board = {row.code: row for row in client.get("/reports/completeness/2023/").context["rows"]}
    report = client.get("/api/reports/yearly/2023/").json()
    by_unit = {entry["code"]: entry for entry in report["by_unit"]}

    assert (board["443"].classes_entered, board["443"].learners_entered) == (3, 180)
    assert (board["440"].classes_entered, board["440"].learners_entered) == (2, 90)
    for code in ("443", "440"):
        assert (board[code].classes_entered, board[code].learners_entered) == (
            by_unit[code]["classes"],
            by_unit[code]["learners"],
        )


def test_2025_is_reported_by_the_69_communes_and_wards_unless_the_board_lists_others(client, province_user):
    client.force_login(province_user)
    today = datetime.date(2026, 12, 1)
    by_default = selectors.units_required_to_report(user=province_user, year=2025, today=today)
    assert by_default.count() == 69
    assert not by_default.filter(code="443").exists()  # Huyện Can Lộc ended on 30/06/2025

    period = ReportingPeriod.objects.create(year=2025)
    period.required_units.set(AdministrativeUnit.objects.filter(code__in=("443", "18406")))

    chosen = selectors.units_required_to_report(user=province_user, year=2025, today=today)
    assert sorted(chosen.values_list("code", flat=True)) == ["18406", "443"]
    assert selectors.reporting_progress(user=province_user, year=2025, today=today) == {"sent": 0, "required": 2}
    rows = client.get("/reports/completeness/2025/").context["rows"]
    assert sorted(row.code for row in rows) == ["18406", "443"]
