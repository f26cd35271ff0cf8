"""The import and export pages in the admin: Vietnamese throughout, preview
before confirm, permissions, the blank template."""

import io

import openpyxl
import pytest
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from classes import services
from classes.models import TrainingClass
from classes.spreadsheets.files import ImportUploadStorage
from tests.classes.spreadsheets.helpers import HEADERS, class_row, xlsx_bytes

IMPORT_URL = reverse("admin:classes_trainingclass_import")
CONFIRM_URL = reverse("admin:classes_trainingclass_process_import")
TEMPLATE_URL = reverse("admin:classes_trainingclass_import_template")
LIST_URL = reverse("admin:classes_trainingclass_changelist")
NOT_FOR_USERS = ("Traceback", "ValidationError", "ConversionSyntax", "decimal", "Exception", "Line number", "Errors")


def upload(client, data, name="lop.xlsx"):
    return client.post(IMPORT_URL, {"import_file": SimpleUploadedFile(name, data), "resource": "0"})


def confirm(client, preview_response):
    form = preview_response.context["confirm_form"]
    fields = ("import_file_name", "original_file_name", "format", "resource")
    return client.post(CONFIRM_URL, {name: form.initial.get(name, "") for name in fields})


def page_text(response):
    return response.content.decode()


@pytest.fixture
def district_client(client, district_user):
    client.force_login(district_user)
    return client


def test_district_staff_preview_then_confirm_a_file(district_client, district_user):
    page = district_client.get(LIST_URL)
    assert "Nhập từ tệp" in page_text(page) and "Xuất ra tệp" in page_text(page)

    form_page = district_client.get(IMPORT_URL)
    assert "Tải tệp mẫu (.xlsx)" in page_text(form_page) and "<strong>Mã lớp</strong>" in page_text(form_page)

    preview = upload(district_client, xlsx_bytes([class_row("CL-2024-01"), class_row("CL-2024-02")]))
    html = page_text(preview)
    assert "2 dòng mới, 0 dòng thay đổi, 0 dòng không đổi." in html and "Xác nhận nhập" in html
    assert TrainingClass.objects.count() == 0

    done = confirm(district_client, preview)
    assert done.status_code == 302 and done["Location"] == LIST_URL
    assert TrainingClass.objects.count() == 2
    messages = [str(message) for message in district_client.get(LIST_URL).context["messages"]]
    assert messages == ["Đã nhập xong: 2 mới, 0 thay đổi, 0 không đổi."]


def test_the_export_page_is_in_vietnamese_and_offers_xlsx_and_csv(district_client):
    page = district_client.get(reverse("admin:classes_trainingclass_export"))
    html = page_text(page)
    assert "Xuất lớp ra tệp" in html and "Excel (.xlsx)" in html and "CSV (UTF-8)" in html
    assert not any(word in html for word in ("This exporter", "Select all", "Submit"))


def test_the_preview_shows_the_changed_fields(district_client, district_user):
    confirm(district_client, upload(district_client, xlsx_bytes([class_row("CL-2024-01")])))
    preview = upload(district_client, xlsx_bytes([class_row("CL-2024-01", **{"Số học viên": "1.250"})]))
    html = page_text(preview)
    assert "0 dòng mới, 1 dòng thay đổi, 0 dòng không đổi." in html
    assert "Số học viên: 120 → 1.250" in html  # shown with Vietnamese grouping


def test_an_invalid_file_lists_every_error_in_vietnamese_and_offers_no_confirm(district_client):
    rows = [class_row("CL-1", **{"Số hoàn thành": 130}), class_row("CL-2", **{"Số học viên": "abc"}), class_row("CL-1")]
    response = upload(district_client, xlsx_bytes(rows))
    html = page_text(response)
    assert "Xác nhận nhập" not in html
    assert "Tệp có 3 lỗi; chưa ghi gì." in html
    assert "Dòng 2, cột Số hoàn thành: Số hoàn thành (130) lớn hơn số học viên (120)." in html
    assert "Dòng 3, cột Số học viên: “abc” không phải số nguyên (viết 1234 hoặc 1.234)." in html
    assert "Dòng 4, cột Mã lớp: Trùng với dòng 2 trong cùng tệp." in html
    assert not any(word in html for word in NOT_FOR_USERS)
    assert TrainingClass.objects.count() == 0


def test_an_unreadable_file_gets_a_vietnamese_reason_on_the_form(district_client):
    response = upload(district_client, b"M\xe3 l\xf4p\n\x81\x8d\n", "lop.csv")
    html = page_text(response)
    assert "Tệp CSV không phải UTF-8, UTF-16 hay Windows-1258" in html
    assert not any(word in html for word in NOT_FOR_USERS)
    response = upload(district_client, b"abc", "lop.pdf")
    assert "Chỉ nhận tệp .xlsx, .xls, .csv hoặc .txt (Unicode text)." in page_text(response)


def test_a_lock_set_between_preview_and_confirm_writes_nothing(district_client, province_user):
    preview = upload(district_client, xlsx_bytes([class_row("CL-2024-01")]))
    services.year_lock(user=province_user, year=2024)
    response = confirm(district_client, preview)
    html = page_text(response)
    assert response.status_code == 200
    assert "Chưa ghi gì: tệp có lỗi khi xác nhận." in html and "Số liệu năm 2024 của toàn tỉnh đã khóa" in html
    assert TrainingClass.objects.count() == 0


def test_a_second_click_on_confirm_is_told_the_file_is_gone_and_writes_nothing_twice(district_client):
    preview = upload(district_client, xlsx_bytes([class_row()]))
    confirm(district_client, preview)
    again = confirm(district_client, preview)
    assert again.status_code == 302 and again["Location"] == IMPORT_URL
    messages = [str(message) for message in district_client.get(IMPORT_URL).context["messages"]]
    assert "Tệp này đã được nhập hoặc đã hết hạn; hãy tải tệp lên lại." in messages
    assert TrainingClass.objects.count() == 1


def test_importing_needs_the_add_permission(client, admin_role_user):
    client.force_login(admin_role_user)  # may view classes, not add them
    assert client.get(IMPORT_URL).status_code == 403
    assert (
        client.post(IMPORT_URL, {"import_file": SimpleUploadedFile("lop.xlsx", xlsx_bytes([class_row()]))}).status_code
        == 403
    )
    assert client.get(TEMPLATE_URL).status_code == 403
    assert "Nhập từ tệp" not in page_text(client.get(LIST_URL))
    assert TrainingClass.objects.count() == 0


def test_district_staff_cannot_import_commendations(district_client):
    assert district_client.get(reverse("admin:classes_commendation_import")).status_code == 403


def test_the_uploaded_file_waits_in_the_imports_cache_and_is_removed_after_confirm(district_client):
    preview = upload(district_client, xlsx_bytes([class_row()]))
    name = preview.context["confirm_form"].initial["import_file_name"].rpartition(".")[0]
    key = ImportUploadStorage.prefix + name
    assert caches[ImportUploadStorage.alias].get(key) is not None
    confirm(district_client, preview)
    assert caches[ImportUploadStorage.alias].get(key) is None
    assert TrainingClass.objects.count() == 1


def test_an_expired_preview_says_so_and_writes_nothing(district_client):
    preview = upload(district_client, xlsx_bytes([class_row()]))
    name = preview.context["confirm_form"].initial["import_file_name"].rpartition(".")[0]
    caches[ImportUploadStorage.alias].delete(ImportUploadStorage.prefix + name)  # as after a day
    done = confirm(district_client, preview)
    assert "Tệp này đã được nhập hoặc đã hết hạn; hãy tải tệp lên lại." in page_text(district_client.get(done.url))
    assert TrainingClass.objects.count() == 0


def test_the_blank_template_has_the_columns_an_example_and_drop_down_lists_of_the_users_codes(district_client):
    response = district_client.get(TEMPLATE_URL)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-nhap-lop.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Lớp", "Danh mục"]
    sheet, lists = workbook["Lớp"], workbook["Danh mục"]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == HEADERS and len(rows) == 2
    example = dict(zip(HEADERS, rows[1]))
    assert (example["Mã đơn vị"], example["Mã trung tâm"], example["Số học viên"]) == ("443", "TTCT-443", 120)
    listed = list(lists.iter_rows(values_only=True))
    assert listed[0][:8] == (
        "Mã chương trình",
        "Tên chương trình",
        None,
        "Mã đơn vị",
        "Tên đơn vị",
        None,
        "Mã trung tâm",
        "Tên trung tâm",
    )
    assert [row[3] for row in listed[1:] if row[3]] == ["443"]  # a district sees its own unit only
    assert [row[6] for row in listed[1:] if row[6]] == ["TTCT-443"]
    assert {row[0] for row in listed[1:] if row[0]} >= {"NTD", "DVM", "SC", "TC"}
    validations = {str(validation.sqref): validation.formula1 for validation in sheet.data_validations.dataValidation}
    assert validations["C2:C5001"] == "='Danh mục'!$A$2:$A$10"
    assert validations["D2:D5001"] == "='Danh mục'!$D$2:$D$2"
    assert validations["E2:E5001"] == "='Danh mục'!$G$2:$G$2"
    assert validations["F2:F5001"] == "='Danh mục'!$J$2:$J$5"


def test_the_blank_template_with_its_example_filled_in_imports(district_client, district_user):
    from tests.classes.spreadsheets.helpers import import_both_steps

    import_both_steps(district_user, district_client.get(TEMPLATE_URL).content)
    assert TrainingClass.objects.get().code == "443-2024-001"


def confirm_fields(preview_response, **changes):
    form = preview_response.context["confirm_form"]
    fields = ("import_file_name", "original_file_name", "format", "resource")
    return {**{name: form.initial.get(name, "") for name in fields}, **changes}


@pytest.mark.parametrize("garbage", ["99", "-1", "xlsx", "١", ""])
def test_a_confirm_with_an_unknown_format_gets_a_vietnamese_message_and_writes_nothing(district_client, garbage):
    preview = upload(district_client, xlsx_bytes([class_row()]))
    done = district_client.post(CONFIRM_URL, confirm_fields(preview, format=garbage), follow=True)
    assert done.status_code == 200
    assert [str(message) for message in done.context["messages"]] == [
        "Định dạng tệp không hợp lệ; hãy tải tệp lên lại."
    ]
    assert not any(word in page_text(done) for word in NOT_FOR_USERS)
    assert TrainingClass.objects.count() == 0


def test_another_user_who_learns_the_file_name_cannot_confirm_the_import(client, district_user, other_district_user):
    client.force_login(district_user)
    preview = upload(client, xlsx_bytes([class_row()]))
    fields = confirm_fields(preview)
    stored_name = fields["import_file_name"].rpartition(".")[0]
    client.force_login(other_district_user)
    for stolen in (fields["import_file_name"], stored_name):
        done = client.post(CONFIRM_URL, {**fields, "import_file_name": stolen}, follow=True)
        assert [str(message) for message in done.context["messages"]] == [
            "Tệp này không phải do bạn tải lên; hãy tự tải tệp lên lại."
        ]
    assert TrainingClass.objects.count() == 0
    client.force_login(district_user)  # the owner still can
    assert client.post(CONFIRM_URL, fields).status_code == 302
    assert TrainingClass.objects.count() == 1


def test_a_second_confirm_says_the_file_is_gone(district_client):
    preview = upload(district_client, xlsx_bytes([class_row()]))
    assert confirm(district_client, preview).status_code == 302
    again = district_client.post(CONFIRM_URL, confirm_fields(preview), follow=True)
    assert [str(message) for message in again.context["messages"]][-1] == (
        "Tệp này đã được nhập hoặc đã hết hạn; hãy tải tệp lên lại."
    )
    assert TrainingClass.objects.count() == 1
