"""The yearly report in Chromium: the charts are drawn and the page prints on A4."""

import datetime

import pytest

from tests.browser.pages import ARTIFACTS, admin_login, vietnamese_page
from tests.factories import PASSWORD, make_class

# serialized_rollback: a transactional test flushes the reference data the migrations loaded.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_report_page_draws_its_charts_in_chromium(live_server, province_user):
    for year, count in ((2021, 2), (2022, 3), (2023, 5)):
        for index in range(count):
            unit = ("443", "440", "436")[index % 3]
            make_class(
                f"B-{year}-{index}", unit, start=datetime.date(year, 3, 1 + index), learners=40 + index, completed=40
            )
    problems = []
    with vietnamese_page() as page:
        page.on(
            "response", lambda response: response.status >= 400 and problems.append((response.status, response.url))
        )
        admin_login(page, live_server.url, "tinh", PASSWORD)
        page.goto(f"{live_server.url}/reports/yearly/2023/")
        assert "Năm 2023, toàn tỉnh mở được 5 lớp" in page.inner_text("#summary")
        # The stylesheet is the app's own file (no inline style under the CSP).
        assert page.eval_on_selector("header.site", "e => getComputedStyle(e).backgroundColor") == "rgb(179, 38, 30)"

        for chart in ("#chart-classes-per-year", "#chart-learners-per-year", "#chart-classes-by-unit"):
            assert page.locator(f"{chart} svg").is_visible(), chart
        years = page.locator("#chart-classes-per-year .bar")
        assert years.count() == 3
        heights = [years.nth(index).bounding_box()["height"] for index in range(3)]
        assert heights[0] < heights[1] < heights[2]  # 2, 3 and 5 classes
        units = page.locator("#chart-classes-by-unit .bar")
        assert units.count() == 2 * 13
        can_loc = page.locator('#chart-classes-by-unit .bar[data-value="2"]').first
        assert can_loc.is_visible() and can_loc.bounding_box()["width"] > 20
        # At most the printed width (6.3 in = 605 px), so its labels keep their printed size.
        assert page.locator("#chart-classes-by-unit svg").bounding_box()["width"] <= 606

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-yearly-2023.png"), full_page=True)

        page.select_option("#year", "2022")
        page.click(".year-picker button")
        page.wait_for_url("**/reports/yearly/2022/")
        assert "Năm 2022, toàn tỉnh mở được 3 lớp" in page.inner_text("#summary")

        page.emulate_media(media="print")
        assert not page.locator(".toolbar").is_visible()
        page.pdf(path=str(ARTIFACTS / "report-yearly-2022.pdf"), format="A4", prefer_css_page_size=True)
    assert problems == []
    assert (ARTIFACTS / "report-yearly-2022.pdf").read_bytes()[:5] == b"%PDF-"


def test_at_390_px_the_reports_tables_scroll_inside_their_own_box(live_server, province_user):
    for index in range(3):
        make_class(f"N-2023-{index}", ("443", "440", "436")[index], start=datetime.date(2023, 3, 1 + index))
    with vietnamese_page() as page:
        page.set_viewport_size({"width": 390, "height": 844})
        admin_login(page, live_server.url, "tinh", PASSWORD)
        page.goto(f"{live_server.url}/reports/yearly/2023/")
        # The page itself does not scroll sideways; the wide by-unit table scrolls in its box.
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        box = page.locator("#breakdown-2 .table-scroll")
        assert box.evaluate("e => getComputedStyle(e).overflowX") == "auto"
        assert box.evaluate("e => e.scrollWidth > e.clientWidth")
        assert page.locator("#logout").is_visible() and page.locator("#change-password").is_visible()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-390px.png"), full_page=True)


def test_the_board_opens_one_units_report_from_the_picker(live_server, province_user):
    make_class("P-2023-CL", "443", start=datetime.date(2023, 3, 1), learners=61, completed=60)
    make_class("P-2023-DT", "440", start=datetime.date(2023, 4, 1), learners=45, completed=45)
    with vietnamese_page() as page:
        page.set_viewport_size({"width": 1366, "height": 800})
        admin_login(page, live_server.url, "tinh", PASSWORD)
        page.goto(f"{live_server.url}/reports/yearly/2023/")
        assert "toàn tỉnh mở được 2 lớp với 106 học viên" in page.inner_text("#summary")
        page.select_option("#unit", label="Huyện Can Lộc")
        page.click(".unit-picker button")
        page.wait_for_url("**/reports/yearly/2023/?unit=443")
        assert "Huyện Can Lộc mở được 1 lớp với 61 học viên" in page.inner_text("#summary")
        assert page.get_attribute("a[href*='export.docx']", "href").endswith("?unit=443")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "report-one-unit-1366.png"), full_page=True)
