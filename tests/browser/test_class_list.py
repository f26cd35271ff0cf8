"""The class list as unit staff use it at 1366 px: counts typed with the keyboard, a locked year."""

import datetime
import os
from pathlib import Path

import pytest

from classes import services
from classes.models import TrainingClass
from tests.browser.pages import ARTIFACTS, admin_login, vietnamese_page
from tests.factories import PASSWORD, make_class

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("I14_ARTEFACTS", ARTIFACTS))


def shot(page, name):
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / name))


def test_ten_counts_are_typed_with_tab_and_one_save_updates_the_foot_row(live_server, district_user):
    for number in range(10):
        make_class(
            f"CL-2024-{number:02}",
            "443",
            start=datetime.date(2024, 3, 1 + number),
            learners=0,
            completed=0,
            name=f"Lớp bồi dưỡng nhận thức về Đảng cho đảng viên mới, khóa {number + 1}",
        )
    with vietnamese_page() as page:
        page.set_viewport_size({"width": 1366, "height": 800})
        admin_login(page, live_server.url, "canloc", PASSWORD)
        page.goto(f"{live_server.url}/admin/classes/trainingclass/?year=2024")
        inputs = page.locator("#result_list input[name$=-learners], #result_list input[name$=-completed]")
        assert inputs.count() == 20
        # Inside the table's own box (which would clip and scroll it) and inside the window.
        results = page.locator("#changelist-form .results").bounding_box()
        right_edge = min(1366, results["x"] + results["width"])
        for index in range(20):
            box = inputs.nth(index).bounding_box()
            assert box["x"] + box["width"] <= right_edge, f"input {index} ends at x={box['x'] + box['width']}"
        assert page.evaluate("document.querySelector('#changelist-form .results').scrollWidth") <= results["width"]
        assert page.evaluate("document.documentElement.scrollWidth") <= 1366
        shot(page, "class-list-1366.png")
        inputs.first.focus()
        page.keyboard.press("Control+A")  # Tab selects what a cell holds; the first cell is clicked into
        for number in range(10):
            page.keyboard.type(str(100 + number))
            page.keyboard.press("Tab")
            page.keyboard.type(str(90 + number))
            page.keyboard.press("Tab")
        # After the last count, Tab has reached Save.
        assert page.evaluate("document.activeElement.name") == "_save"
        page.keyboard.press("Enter")
        page.wait_for_selector(".messagelist .success")
        foot = " ".join(page.inner_text("#class-totals-row").split())
        shot(page, "class-list-saved.png")
    assert foot == "Tổng theo bộ lọc: 10 lớp đã mở 1.045 945"
    assert sorted(TrainingClass.objects.values_list("learners", "completed")) == [(100 + n, 90 + n) for n in range(10)]


def test_a_locked_year_is_shown_read_only_with_its_reason_once(live_server, district_user, province_user):
    locked = make_class("CL-2023-01", "443", start=datetime.date(2023, 2, 1), learners=60, completed=58)
    report = services.unit_report_submit(user=district_user, unit=district_user.unit, year=2023)
    services.unit_report_accept(user=province_user, report=report)
    with vietnamese_page() as page:
        page.set_viewport_size({"width": 1366, "height": 800})
        admin_login(page, live_server.url, "canloc", PASSWORD)
        page.goto(f"{live_server.url}/admin/classes/trainingclass/?year=2023")
        learners = page.locator("#result_list input[name$=-learners]").first
        assert learners.get_attribute("readonly") is not None
        learners.press_sequentially("9")
        assert learners.input_value() == "60"
        assert page.locator("text=Đã duyệt báo cáo năm.").count() == 1
        shot(page, "class-list-locked.png")
        page.goto(f"{live_server.url}/admin/classes/trainingclass/{locked.pk}/change/")
        assert page.locator("input[name=learners]").count() == 0
        assert page.locator(".messagelist li").count() == 1
        assert "Please correct" not in page.content()
        shot(page, "class-locked-change-form.png")
