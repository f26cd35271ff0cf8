"""The reporting cycle in the browser at 1366 px: a commune enters a 2026 class and finds it in
its 2026 report, sends its year with one button on its start page, and the board finds the
commune on the 2026 completeness board and accepts it there."""

import datetime
import os
from pathlib import Path

import pytest

from classes.models import TrainingClass, UnitReport
from tests.browser.pages import ARTIFACTS, admin_login, vietnamese_page
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("I14_ARTEFACTS", ARTIFACTS))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_a_commune_enters_a_2026_class_sends_its_year_and_the_board_accepts_it_on_the_board(
    live_server, commune_user, province_user
):
    with vietnamese_page() as page:
        page.set_viewport_size({"width": 1366, "height": 800})
        admin_login(page, live_server.url, "dv18406", PASSWORD)
        page.goto(f"{live_server.url}/admin/classes/trainingclass/add/")
        page.fill("#id_code", "XCL-2026-01")
        page.fill("#id_name", "Lớp bồi dưỡng nhận thức về Đảng")
        page.select_option("#id_programme", label="NTD — Bồi dưỡng nhận thức về Đảng")
        page.fill("#id_start_date", "09/03/2026")
        page.fill("#id_end_date", "13/03/2026")
        page.fill("#id_learners", "64")
        page.fill("#id_completed", "64")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")
        page.goto(f"{live_server.url}/reports/yearly/2026/")
        assert "Năm 2026, Xã Can Lộc mở được 1 lớp với 64 học viên" in page.inner_text("#summary")
        shot(page, "cycle-commune-report-2026-1366.png")
        page.goto(f"{live_server.url}/admin/")
        page.wait_for_selector("#send-year")
        assert "Gửi báo cáo năm 2026" in page.inner_text("#send-year h2")
        shot(page, "cycle-send-year-1366.png")
        page.click("#send-year button[type=submit]")
        page.wait_for_selector(".messagelist .success")
        assert "Trạng thái báo cáo năm 2026: Đã gửi" in page.inner_text("#send-year")
        shot(page, "cycle-sent-1366.png")
        page.context.clear_cookies()
        admin_login(page, live_server.url, "tinh", PASSWORD)
        page.goto(f"{live_server.url}/reports/completeness/2026/")
        row = page.locator("tr[data-unit='18406']")
        assert "Đã gửi" in row.inner_text()
        shot(page, "cycle-board-sent-1366.png")
        row.locator("form.accept button").click()
        page.wait_for_selector("ul.messages .success")
        assert "Đã duyệt" in page.locator("tr[data-unit='18406']").inner_text()
        shot(page, "cycle-board-accepted-1366.png")
    assert UnitReport.objects.get().status == UnitReport.Status.ACCEPTED
    saved = TrainingClass.objects.get(code="XCL-2026-01")
    assert (saved.unit.code, saved.start_date, saved.learners) == ("18406", datetime.date(2026, 3, 9), 64)
