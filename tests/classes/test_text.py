"""Text at the way in (issue 11): line breaks pasted from Word become spaces in
single-line fields, other control characters are refused with the field named,
and class codes that read the same as another's are the same code."""

import datetime
import importlib

import pytest
import tablib
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from classes.models import Commendation, TrainingClass
from classes.spreadsheets.base import import_errors
from classes.spreadsheets.commendations import CommendationResource
from classes.spreadsheets.training import TrainingClassResource
from classes.text import error_text
from tests.classes.admin.test_class_entry import class_form
from tests.classes.spreadsheets.helpers import (
    HEADERS,
    class_row,
    csv_text,
    import_both_steps,
    run_import,
    totals,
    xlsx_bytes,
)
from tests.factories import make_class

ADD_URL = reverse("admin:classes_trainingclass_add")
COMMENDATION_ADD_URL = reverse("admin:classes_commendation_add")

migration = importlib.import_module("classes.migrations.0007_class_codes_as_read")


def commendation_form(**overrides):
    data = {
        "year": "2023",
        "form": "giay_khen",
        "recipient_kind": "tap_the",
        "recipient": "Trung tâm Chính trị huyện Can Lộc",
        "unit": "",
        "centre": "",
        "decision_number": "125-QĐ/BTGTU",
        "decision_date": "28/11/2023",
        "issuer": "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh",
        "achievement": "",
    }
    data.update(overrides)
    return data


def dataset_of(rows, headers=HEADERS):
    """Rows as a Dataset built in code: a cell can hold what no file writer would write (NUL)."""
    dataset = tablib.Dataset(headers=headers)
    for row in rows:
        dataset.append([row.get(header) for header in headers])
    return dataset


# --- line breaks and control characters in forms ------------------------------------


def test_a_line_break_pasted_into_a_class_name_becomes_a_space_and_notes_keep_lines(client, district_user):
    client.force_login(district_user)
    response = client.post(
        ADD_URL,
        class_form(
            unit=district_user.unit_id,
            name="Lớp bồi dưỡng\x0bkhóa 1\u2028năm 2024",
            notes="Dòng 1\r\nDòng 2\x0bDòng 3\x0c",
        ),
    )
    assert response.status_code == 302
    saved = TrainingClass.objects.get()
    assert saved.name == "Lớp bồi dưỡng khóa 1 năm 2024"
    assert saved.notes == "Dòng 1\nDòng 2\nDòng 3"


@pytest.mark.parametrize(
    ("field", "value", "label", "position"),
    [
        ("name", "Lớp\x01 khóa 1", "Tên lớp", 4),
        ("notes", "Ghi chú\x1b", "Ghi chú", 8),
        ("code", "CL-2024-\x7f01", "Mã lớp", 9),
        ("code", "CL-2024-\x8501x\x9f", "Mã lớp", 13),  # NEL is a line break: one space
    ],
)
def test_a_control_character_in_a_class_field_is_refused_with_the_field_named(
    client, district_user, field, value, label, position
):
    client.force_login(district_user)
    response = client.post(ADD_URL, class_form(unit=district_user.unit_id, **{field: value}))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"{label} có ký tự điều khiển không in được" in page and f"ở vị trí thứ {position};" in page
    assert not TrainingClass.objects.exists()


def test_a_nul_in_a_class_code_is_refused_in_vietnamese_without_a_server_error(client, district_user):
    client.force_login(district_user)
    response = client.post(ADD_URL, class_form(unit=district_user.unit_id, code="CL-2024\x0001"))
    assert response.status_code == 200
    assert "Có ký tự NUL (U+0000), không được phép" in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_commendation_text_fields_are_normalised_and_control_characters_refused(client, province_user):
    client.force_login(province_user)
    response = client.post(
        COMMENDATION_ADD_URL,
        commendation_form(
            recipient="Nguyễn Văn An\x0b(Can Lộc)",
            issuer="Ban Tuyên giáo\r\nTỉnh ủy",
            decision_number=" 125-QĐ/BTGTU\u2029",
        ),
    )
    assert response.status_code == 302
    saved = Commendation.objects.get()
    assert (saved.recipient, saved.issuer, saved.decision_number) == (
        "Nguyễn Văn An (Can Lộc)",
        "Ban Tuyên giáo Tỉnh ủy",
        "125-QĐ/BTGTU",
    )

    response = client.post(
        COMMENDATION_ADD_URL, commendation_form(recipient="Trần Thị Bình", decision_number="126-QĐ\x02")
    )
    assert "Số quyết định có ký tự điều khiển không in được (U+0002) ở vị trí thứ 7;" in response.content.decode()
    assert Commendation.objects.count() == 1


# --- the same rules in imports --------------------------------------------------------


def test_an_import_turns_pasted_line_breaks_into_spaces(district_user):
    data = csv_text([class_row(**{"Tên lớp": "Lớp khóa 1\x0bnăm 2024", "Ghi chú": "a\x0bb"})]).encode("utf-8")
    import_both_steps(district_user, data, "lop.csv")
    saved = TrainingClass.objects.get()
    assert (saved.name, saved.notes) == ("Lớp khóa 1 năm 2024", "a\nb")


@pytest.mark.parametrize(
    ("column", "value", "position"),
    [
        ("Tên lớp", "Lớp\x01 khóa 1", 4),
        ("Mã lớp", "CL-2024\x0001", 8),
        ("Ghi chú", "ghi\x7fchú", 4),
    ],
)
def test_an_import_names_the_row_and_column_of_a_control_character_and_writes_nothing(
    district_user, column, value, position
):
    dataset = dataset_of([class_row("CL-2024-01"), class_row("CL-2024-02", **{column: value})])
    result = TrainingClassResource(user=district_user).import_data(dataset, dry_run=False)
    expected = (
        f"Dòng 3, cột {column}: Có ký tự điều khiển không in được (U+{ord(value[position - 1]):04X}) ở vị trí thứ {position}; "
        "hãy xóa ký tự đó (thường do dán từ Word hay PDF) rồi nhập lại."
    )
    assert import_errors(result) == [expected]
    assert not TrainingClass.objects.exists()


def test_a_commendation_import_refuses_a_control_character_in_the_recipient(province_user):
    headers = ["Năm", "Tên tập thể / cá nhân", "Số quyết định", "Ngày quyết định"]
    dataset = tablib.Dataset(headers=headers)
    dataset.append([2023, "Nguyễn\x00Văn An", "125-QĐ/BTGTU", "28/11/2023"])
    result = CommendationResource(user=province_user).import_data(dataset, dry_run=False)
    assert [line.split(":")[0] for line in import_errors(result)] == ["Dòng 2, cột Tên tập thể / cá nhân"]
    assert not Commendation.objects.exists()


# --- class codes that read the same are the same code ---------------------------------


@pytest.mark.parametrize(
    "typed", ["cl-2023-01", " CL-2023-01 ", "CL\u200b-2023-01", "\ufeffCL-2023-01\u2060", "Cl-2023-01\u200d"]
)
def test_a_class_code_that_reads_like_a_stored_one_is_refused_in_the_form(client, district_user, typed):
    make_class("CL-2023-01", "443")
    client.force_login(district_user)
    response = client.post(ADD_URL, class_form(unit=district_user.unit_id, code=typed))
    assert response.status_code == 200 and "Mã lớp này đã có." in response.content.decode()
    assert list(TrainingClass.objects.values_list("code", flat=True)) == ["CL-2023-01"]


def test_a_new_class_code_is_stored_in_upper_case_without_invisible_characters(client, district_user):
    client.force_login(district_user)
    client.post(ADD_URL, class_form(unit=district_user.unit_id, code=" cl-2024\u200b-01 "))
    assert list(TrainingClass.objects.values_list("code", flat=True)) == ["CL-2024-01"]


@pytest.mark.parametrize("name", ["lop.xlsx", "lop.csv"])
def test_an_import_matches_a_look_alike_code_to_the_stored_class(district_user, name):
    make_class("CL-2024-01", "443", start=datetime.date(2024, 3, 5), learners=120, completed=118)
    rows = [class_row("cl-2024\u200b-01", **{"Số học viên": 130})]
    data = xlsx_bytes(rows) if name.endswith("xlsx") else csv_text(rows).encode("utf-8")
    result = import_both_steps(district_user, data, name)
    assert totals(result) == {"update": 1}
    assert list(TrainingClass.objects.values_list("code", "learners")) == [("CL-2024-01", 130)]


def test_two_look_alike_codes_in_one_file_are_duplicates(district_user):
    result = run_import(district_user, xlsx_bytes([class_row("CL-2024-01"), class_row("cl-2024-01 ")]))
    assert import_errors(result) == ["Dòng 3, cột Mã lớp: Trùng với dòng 2 trong cùng tệp."]


def test_the_migration_normalises_stored_codes_and_stops_at_codes_that_would_clash(db):
    make_class("cl-2023-07", "443")
    make_class("CL\u200b-2023-08 ", "443")
    migration.normalise_class_codes(apps, None)
    assert sorted(TrainingClass.objects.values_list("code", flat=True)) == ["CL-2023-07", "CL-2023-08"]

    make_class("cl-2023-08", "443")
    with pytest.raises(RuntimeError, match="'cl-2023-08' -> 'CL-2023-08'"):
        migration.normalise_class_codes(apps, None)


def test_an_errors_messages_are_joined_into_one_line():
    assert error_text(ValidationError(["Năm đã khóa.", "Đơn vị sai."])) == "Năm đã khóa. Đơn vị sai."
    assert error_text(PermissionDenied("Không có quyền.")) == "Không có quyền."
