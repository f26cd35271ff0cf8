"""The class import at 1366 px: a file whose dates all have a day of 12 or less is previewed with its values and a warning."""

import os
from pathlib import Path

import pytest

from classes.models import TrainingClass
from tests.browser.pages import ARTIFACTS, admin_login, vietnamese_page
from tests.classes.spreadsheets.helpers import class_row, csv_text
from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

SHOTS = Path(os.environ.get("I14_ARTEFACTS", ARTIFACTS))


def test_a_file_with_every_day_twelve_or_less_shows_its_values_and_the_day_month_warning(
    live_server, district_user, tmp_path
):
    rows = [
        class_row("CL-A", **{"Ngày khai giảng": "03/01/2024", "Ngày bế giảng": "05/01/2024"}),
        class_row("CL-B", **{"Ngày khai giảng": "02/05/2024", "Ngày bế giảng": "09/05/2024", "Số học viên": 1500}),
    ]
    upload = tmp_path / "lop.csv"
    upload.write_text(csv_text(rows), encoding="utf-8")
    with vietnamese_page() as page:
        page.set_viewport_size({"width": 1366, "height": 800})
        admin_login(page, live_server.url, "canloc", PASSWORD)
        page.goto(f"{live_server.url}/admin/classes/trainingclass/import/")
        page.set_input_files("input[name=import_file]", str(upload))
        page.click("#import-form input[type=submit]")
        page.wait_for_selector("#import-values")
        warning = page.locator("#import-value-warnings")
        assert warning.is_visible()
        assert "dòng 2: 03/01/2024 được đọc là ngày 03 tháng 01 năm 2024" in warning.inner_text()
        cells = [" ".join(text.split()) for text in page.locator("#import-values tbody tr").all_inner_texts()]
        assert "CL-A" in cells[0] and "03/01/2024" in cells[0] and "05/01/2024" in cells[0]
        assert "CL-B" in cells[1] and "02/05/2024" in cells[1] and "1.500" in cells[1]
        assert page.locator("#confirm-import input[name=confirm]").is_enabled()
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / "import-preview-day-month.png"), full_page=True)
    assert TrainingClass.objects.count() == 0
