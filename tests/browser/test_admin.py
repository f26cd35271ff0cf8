import pytest

from classes.models import TrainingClass
from tests.browser.pages import ARTIFACTS, admin_login, vietnamese_page
from tests.factories import PASSWORD

# serialized_rollback: a transactional test flushes the reference data the migrations loaded.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_district_staff_log_in_and_add_a_class_in_chromium(live_server, district_user):
    with vietnamese_page() as page:
        admin_login(page, live_server.url, "canloc", PASSWORD)
        assert "Quản lý giáo dục lý luận chính trị" in page.content()
        page.goto(f"{live_server.url}/admin/classes/trainingclass/add/")
        page.fill("#id_code", "CL-2024-TD")
        page.fill("#id_name", "Lớp bồi dưỡng nhận thức về Đảng")
        page.select_option("#id_programme", label="NTD — Bồi dưỡng nhận thức về Đảng")
        page.fill("#id_start_date", "05/03/2024")
        page.fill("#id_end_date", "09/03/2024")
        page.fill("#id_learners", "1.250")
        page.fill("#id_completed", "1.200")
        page.click("input[name=_save]")
        page.wait_for_selector(".messagelist .success")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "admin-class-added.png"), full_page=True)
    created = TrainingClass.objects.get(code="CL-2024-TD")
    assert (created.unit.code, created.centre.code) == ("443", "TTCT-443")
    assert (created.learners, created.completed, created.start_date.isoformat()) == (1250, 1200, "2024-03-05")
