"""The reporting cycle in the browser at 1366 px: the unit sends its year with one button on
its start page, the board accepts it from the completeness board."""

import datetime
import os
from pathlib import Path

import pytest

from classes.models import UnitReport
from tests.browser.pages import ARTIFACTS, admin_login, vietnamese_page
from tests.conftest import PASSWORD, make_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("I14_ARTEFACTS", ARTIFACTS))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_the_unit_sends_its_year_with_one_button_and_the_board_accepts_it_on_the_board(
    live_server, commune_user, province_user
):
    make_class("XCL-2026-01", "18406", start=datetime.date(2026, 3, 9), learners=64, centre_code="TCT-HT")
    with vietnamese_page() as page:
        page.set_viewport_size({"width": 1366, "height": 800})
        admin_login(page, live_server.url, "dv18406", PASSWORD)
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
