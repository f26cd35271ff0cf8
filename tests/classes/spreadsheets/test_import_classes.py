"""Class import through the resource the admin uses: every bad input named by
row, column and reason; nothing partial written; scoping and year locks."""

import datetime

import pytest

from classes import services
from classes.models import TrainingClass
from tests.classes.spreadsheets.helpers import (
    class_row,
    import_both_steps,
    import_errors,
    run_import,
    totals,
    xlsx_bytes,
)
from tests.factories import make_class


def errors_of(user, rows, **kwargs):
    """Preview the rows, then try to confirm them anyway: both must refuse and write nothing."""
    data = xlsx_bytes(rows, **kwargs)
    before = TrainingClass.objects.count()
    preview = import_errors(run_import(user, data, dry_run=True))
    confirm = import_errors(run_import(user, data, dry_run=False))
    assert confirm == preview
    assert TrainingClass.objects.count() == before, "an invalid file wrote rows"
    return preview


def test_a_valid_file_is_previewed_without_writing_then_confirmed_with_audit_fields(district_user):
    data = xlsx_bytes(
        [class_row("CL-2024-01"), class_row("CL-2024-02", **{"Mã trung tâm": "", "Hình thức": "tại cơ sở"})]
    )
    preview = run_import(district_user, data, dry_run=True)
    assert totals(preview) == {"new": 2} and not import_errors(preview)
    assert TrainingClass.objects.count() == 0

    confirm = run_import(district_user, data, dry_run=False)
    assert totals(confirm) == {"new": 2}
    second = TrainingClass.objects.get(code="CL-2024-02")
    assert second.centre.code == "TTCT-443"  # the unit's district centre by default
    assert second.venue == TrainingClass.Venue.GRASSROOTS
    assert second.start_date == datetime.date(2024, 3, 5) and second.year == 2024
    assert (second.learners, second.completed, second.good) == (120, 118, 50)
    assert second.created_by == district_user and second.updated_by == district_user and second.version == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(district_user):
    data = xlsx_bytes([class_row("CL-2024-01"), class_row("CL-2024-02")])
    import_both_steps(district_user, data)
    stamps = dict(TrainingClass.objects.values_list("code", "updated_at"))
    history = TrainingClass.history.count()

    again = import_both_steps(district_user, data)
    assert totals(again) == {"skip": 2}
    assert dict(TrainingClass.objects.values_list("code", "updated_at")) == stamps
    assert TrainingClass.history.count() == history
    assert set(TrainingClass.objects.values_list("version", flat=True)) == {1}


def test_a_changed_row_shows_its_changed_fields_and_bumps_version_with_history(district_user):
    import_both_steps(district_user, xlsx_bytes([class_row("CL-2024-01"), class_row("CL-2024-02")]))
    changed = xlsx_bytes(
        [class_row("CL-2024-01", **{"Số học viên": 130, "Hình thức": "Trực tuyến"}), class_row("CL-2024-02")]
    )

    preview = run_import(district_user, changed, dry_run=True)
    assert totals(preview) == {"update": 1, "skip": 1}
    update = next(row for row in preview.rows if row.import_type == "update")
    assert update.line == 2
    assert update.changes == [("Hình thức", "Tại trung tâm", "Trực tuyến"), ("Số học viên", 120, 130)]

    run_import(district_user, changed, dry_run=False)
    training_class = TrainingClass.objects.get(code="CL-2024-01")
    assert (training_class.learners, training_class.version) == (130, 2)
    latest = training_class.history.first()
    assert latest.history_type == "~" and latest.learners == 130 and latest.history_user == district_user
    assert latest.history_change_reason == "Nhập từ tệp"
    assert training_class.history.count() == 2  # the import's creation and its change


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"Mã chương trình": "XYZ"}, "Dòng 2, cột Mã chương trình: Không có chương trình “XYZ”."),
        ({"Mã trung tâm": "TTCT-999"}, "Dòng 2, cột Mã trung tâm: Không có trung tâm “TTCT-999”."),
        ({"Số học viên": -5}, "Dòng 2, cột Số học viên: Số âm (-5) không hợp lệ; phải từ 0 trở lên."),
        ({"Số học viên": "mười"}, "Dòng 2, cột Số học viên: “mười” không phải số nguyên (viết 1234 hoặc 1.234)."),
        ({"Số học viên": 12.5}, "Dòng 2, cột Số học viên: “12,5” không phải số nguyên."),
        (
            {"Số học viên": 120, "Số hoàn thành": 130},
            "Dòng 2, cột Số hoàn thành: Số hoàn thành (130) lớn hơn số học viên (120).",
        ),
        (
            {"Số hoàn thành": 100, "Xuất sắc": 50, "Giỏi": 50, "Khá": 10, "Trung bình": 0},
            "Dòng 2, cột Kết quả (Xuất sắc, Giỏi, Khá, Trung bình, Không đạt): Tổng kết quả (110) lớn hơn số hoàn thành (100).",
        ),
        (
            {"Ngày bế giảng": "01/03/2024"},
            "Dòng 2, cột Ngày bế giảng: Ngày bế giảng (01/03/2024) không được trước ngày khai giảng (05/03/2024).",
        ),
        ({"Ngày khai giảng": "31/02/2024"}, "Dòng 2, cột Ngày khai giảng: Ngày “31/02/2024” không có trên lịch."),
        ({"Ngày khai giảng": "tháng 3"}, "Dòng 2, cột Ngày khai giảng: “tháng 3” không phải ngày dạng dd/mm/yyyy."),
        ({"Tên lớp": ""}, "Dòng 2, cột Tên lớp: Bắt buộc, đang để trống."),
        (
            {"Hình thức": "Hàm thụ"},
            "Dòng 2, cột Hình thức: “Hàm thụ” không có trong danh sách: Tại trung tâm, Tại cơ sở, Trực tuyến, Kết hợp.",
        ),
    ],
)
def test_each_bad_cell_is_named_by_row_column_and_reason(district_user, overrides, expected):
    assert errors_of(district_user, [class_row(**overrides)]) == [expected]


def test_every_error_of_the_file_is_listed_at_once_and_valid_rows_are_not_written(district_user):
    rows = [
        class_row("CL-2024-01"),
        class_row("CL-2024-02", **{"Số hoàn thành": 130}),
        class_row("CL-2024-03"),
        class_row("CL-2024-04", **{"Mã chương trình": "ABC", "Số học viên": -1}),
    ]
    assert errors_of(district_user, rows) == [
        "Dòng 3, cột Số hoàn thành: Số hoàn thành (130) lớn hơn số học viên (120).",
        "Dòng 5, cột Mã chương trình: Không có chương trình “ABC”.",
        "Dòng 5, cột Số học viên: Số âm (-1) không hợp lệ; phải từ 0 trở lên.",
    ]


def test_a_code_repeated_within_the_file_is_an_error_on_the_later_row(district_user):
    rows = [class_row("CL-2024-01"), class_row("CL-2024-02"), class_row("CL-2024-01", **{"Số học viên": 125})]
    assert errors_of(district_user, rows) == ["Dòng 4, cột Mã lớp: Trùng với dòng 2 trong cùng tệp."]


def test_codes_and_units_can_be_given_by_name_whatever_the_case_or_diacritics(district_user):
    rows = [
        class_row(
            "CL-2024-01",
            **{
                "Mã chương trình": "Sơ cấp lý luận chính trị",
                "Mã đơn vị": "huyen can loc",
                "Mã trung tâm": "ttct-443",
            },
        )
    ]
    import_both_steps(district_user, xlsx_bytes(rows))
    training_class = TrainingClass.objects.select_related("programme", "unit").get()
    assert (training_class.programme.code, training_class.unit.code) == ("SC", "443")


def test_a_row_of_another_unit_is_refused_and_nothing_of_the_file_is_written(district_user):
    rows = [class_row("CL-2024-01"), class_row("DT-2024-01", **{"Mã đơn vị": "440", "Mã trung tâm": ""})]
    assert errors_of(district_user, rows) == [
        "Dòng 3, cột Mã đơn vị: Đơn vị “440” không thuộc phạm vi của bạn: bạn chỉ được nhập số liệu của đơn vị mình.",
    ]


def test_another_units_centre_is_refused(district_user):
    assert errors_of(district_user, [class_row(**{"Mã trung tâm": "TTCT-440"})]) == [
        "Dòng 2, cột Mã trung tâm: Trung tâm “TTCT-440” không thuộc phạm vi của bạn: bạn chỉ được nhập số liệu của đơn vị mình.",
    ]


def test_the_code_of_another_units_class_cannot_be_overwritten(district_user, small_dataset):
    other = TrainingClass.objects.get(code="DT-2023-01")
    before = (other.name, other.unit_id, other.learners, other.version)
    rows = [
        class_row(
            "DT-2023-01",
            **{
                "Tên lớp": "Ghi đè",
                "Số học viên": 1,
                "Số hoàn thành": 0,
                "Xuất sắc": 0,
                "Giỏi": 0,
                "Khá": 0,
                "Trung bình": 0,
            },
        )
    ]
    assert errors_of(district_user, rows) == [
        "Dòng 2, cột Mã lớp: Mã lớp “DT-2023-01” đã là mã một lớp của đơn vị khác; không được ghi đè.",
    ]
    other.refresh_from_db()
    assert (other.name, other.unit_id, other.learners, other.version) == before


def test_district_staff_cannot_import_into_a_locked_year_but_the_board_can(district_user, province_user):
    services.year_lock(user=province_user, year=2024, reason="Đã công bố")
    [message] = errors_of(district_user, [class_row()])
    assert message.startswith("Dòng 2, cột Ngày khai giảng: Số liệu năm 2024 của toàn tỉnh đã khóa bởi")

    import_both_steps(province_user, xlsx_bytes([class_row()]))
    assert TrainingClass.objects.get().created_by == province_user


def test_a_class_in_a_locked_year_cannot_be_moved_out_of_it_by_import(district_user, province_user):
    make_class("CL-2023-01", "443", start=datetime.date(2023, 3, 6))
    services.year_lock(user=province_user, year=2023)
    rows = [class_row("CL-2023-01", **{"Ngày khai giảng": "06/03/2024", "Ngày bế giảng": "10/03/2024"})]
    [message] = errors_of(district_user, rows)
    assert message.startswith("Dòng 2, cột Mã lớp: Số liệu năm 2023 của toàn tỉnh đã khóa")
    assert TrainingClass.objects.get().start_date == datetime.date(2023, 3, 6)


def test_a_unit_lock_binds_only_that_unit(district_user, other_district_user, province_user, unit_duc_tho):
    services.year_lock(user=province_user, year=2024, unit=unit_duc_tho)
    import_both_steps(district_user, xlsx_bytes([class_row()]))
    [message] = errors_of(
        other_district_user, [class_row("DT-2024-01", **{"Mã đơn vị": "440", "Mã trung tâm": "TTCT-440"})]
    )
    assert "Số liệu năm 2024 của Huyện Đức Thọ đã khóa" in message


def test_a_user_without_role_or_unit_imports_nothing(db):
    from classes.models import User

    nobody = User.objects.create_user("khong-vai-tro", password="x-Mat-khau-2024")
    result = run_import(nobody, xlsx_bytes([class_row()]))
    assert import_errors(result) == [
        "Tài khoản của bạn chưa được gắn đơn vị hay vai trò nên không nhập được số liệu.",
    ]


def test_the_number_of_queries_does_not_grow_with_the_rows(district_user, province_user):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.year_lock(user=province_user, year=2020)
    make_class("CL-2023-01", "443")
    counts = []
    for size in (10, 300):
        rows = [class_row("CL-2023-01")] + [class_row(f"CL-2024-{index:03d}") for index in range(size)]
        data = xlsx_bytes(rows)
        with CaptureQueriesContext(connection) as queries:
            result = run_import(district_user, data, dry_run=True)
        assert totals(result) == {"new": size, "update": 1}
        counts.append(len(queries))
    assert counts[0] == counts[1] < 25


def test_a_database_refusal_at_confirm_is_one_vietnamese_message_and_nothing_is_written(district_user, monkeypatch):
    from django.db import IntegrityError

    from classes.spreadsheets import base as resources

    def refuse(objs, model, **kwargs):
        raise IntegrityError("duplicate key value violates unique constraint")

    monkeypatch.setattr(resources, "bulk_create_with_history", refuse)
    rows = [class_row(f"CL-2024-{index:04d}") for index in range(2500)]  # three batches
    result = run_import(district_user, xlsx_bytes(rows), dry_run=False)
    assert import_errors(result) == [
        "Không ghi được dữ liệu: cơ sở dữ liệu từ chối (có thể có người vừa sửa cùng lúc). "
        "Không dòng nào được ghi; hãy nhập lại tệp.",
    ]
    assert TrainingClass.objects.count() == 0
