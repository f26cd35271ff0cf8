"""The import preview's values for every row and the warnings a file's values raise."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from classes.models import TrainingClass
from classes.spreadsheets.preview import file_warnings
from tests.classes.spreadsheets.helpers import class_row, csv_text, import_both_steps

TODAY = datetime.date(2025, 6, 1)
IMPORT_URL = reverse("admin:classes_trainingclass_import")


def row(line, start, end=None, completed=100, results=100):
    return {
        "line": line,
        "start_date": start,
        "end_date": end,
        "completed_count": completed,
        "results_count": results,
        "completed": f"{completed:,}".replace(",", "."),
        "results": f"{results:,}".replace(",", "."),
    }


def test_dates_all_day_twelve_or_less_with_varying_months_warn_of_a_month_day_file():
    rows = [row(7, datetime.date(2024, 1, 3)), row(8, datetime.date(2024, 5, 11), datetime.date(2024, 6, 2))]
    (warning,) = file_warnings(rows, today=TODAY)
    assert "tháng/ngày" in warning
    assert "dòng 7: 03/01/2024 được đọc là ngày 03 tháng 01 năm 2024" in warning


def test_one_day_above_twelve_means_no_swap_warning():
    rows = [row(2, datetime.date(2024, 1, 3)), row(3, datetime.date(2024, 5, 13))]
    assert file_warnings(rows, today=TODAY) == []


def test_the_same_month_everywhere_means_no_swap_warning():
    rows = [row(2, datetime.date(2024, 3, 3)), row(3, datetime.date(2024, 3, 5))]
    assert file_warnings(rows, today=TODAY) == []


def test_one_row_whose_start_and_end_months_differ_is_no_month_change_across_rows():
    rows = [row(2, datetime.date(2024, 3, 5), datetime.date(2024, 4, 9))]
    assert file_warnings(rows, today=TODAY) == []


def test_start_dates_after_today_name_their_rows():
    rows = [row(2, datetime.date(2025, 7, 20)), row(3, datetime.date(2025, 5, 20)), row(4, datetime.date(2025, 8, 21))]
    (warning,) = file_warnings(rows, today=TODAY)
    assert "sau hôm nay (01/06/2025) ở dòng 2, 4;" in warning


def test_results_that_do_not_add_up_to_the_completed_count_name_the_row_and_both_figures():
    rows = [row(2, datetime.date(2024, 5, 20), completed=1200, results=1180), row(3, datetime.date(2024, 5, 21))]
    assert file_warnings(rows, today=TODAY) == ["Dòng 2: tổng kết quả (1.180) không bằng số hoàn thành (1.200)."]


def test_the_preview_page_shows_new_rows_values_and_the_warnings_and_still_offers_the_confirm(
    client, district_user, unit_can_loc
):
    client.force_login(district_user)
    rows = [
        class_row("CL-A", **{"Ngày khai giảng": "03/01/2024", "Ngày bế giảng": "05/01/2024"}),
        class_row(
            "CL-B",
            **{"Ngày khai giảng": "02/05/2024", "Ngày bế giảng": "09/05/2024", "Trung bình": 0, "Số học viên": 1500},
        ),
    ]
    data = csv_text(rows).encode()
    page = client.post(IMPORT_URL, {"import_file": SimpleUploadedFile("lop.csv", data), "resource": "0"})
    html = page.content.decode()
    assert page.status_code == 200 and "Xác nhận nhập" in html
    assert 'id="import-value-warnings"' in html
    assert "dòng 2: 03/01/2024 được đọc là ngày 03 tháng 01 năm 2024" in html
    assert "Dòng 3: tổng kết quả (110) không bằng số hoàn thành (118)." in html
    table = html.split('id="import-values"')[1].split("</table>")[0]
    assert "<td>CL-A</td>" in table and "<td>03/01/2024</td>" in table and "<td>05/01/2024</td>" in table
    assert "<td>02/05/2024</td>" in table and '<td class="number">1.500</td>' in table
    assert f"<td>{unit_can_loc.name}</td>" in table
    assert TrainingClass.objects.count() == 0


def test_the_preview_warnings_read_in_english_for_an_english_interface(client, district_user):
    client.force_login(district_user)
    rows = [
        class_row("CL-A", **{"Ngày khai giảng": "03/01/2024", "Ngày bế giảng": "05/01/2024"}),
        class_row("CL-B", **{"Ngày khai giảng": "02/05/2024", "Ngày bế giảng": "09/05/2024"}),
    ]
    data = csv_text(rows).encode()
    page = client.post(
        IMPORT_URL, {"import_file": SimpleUploadedFile("lop.csv", data), "resource": "0"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    html = page.content.decode()
    assert "line 2: 03/01/2024 was read as day 03 of month 01, 2024." in html
    assert "Check before confirming (this does not block the import):" in html
    assert "được đọc là" not in html


def test_an_updated_row_shows_its_values_too(client, district_user):
    dates = {"Ngày khai giảng": "15/03/2024", "Ngày bế giảng": "20/03/2024"}
    import_both_steps(district_user, csv_text([class_row("CL-A", **dates)]).encode(), name="lop.csv")
    client.force_login(district_user)
    changed = csv_text([class_row("CL-A", **dates, **{"Số học viên": 2400})]).encode()
    page = client.post(IMPORT_URL, {"import_file": SimpleUploadedFile("lop.csv", changed), "resource": "0"})
    html = page.content.decode()
    assert "0 dòng mới, 1 dòng thay đổi, 0 dòng không đổi." in html
    table = html.split('id="import-values"')[1].split("</table>")[0]
    assert "<td>CL-A</td>" in table and "<td>15/03/2024</td>" in table and '<td class="number">2.400</td>' in table
    assert TrainingClass.objects.get().learners == 120
