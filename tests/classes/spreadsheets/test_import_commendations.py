"""Commendations are imported and exported the same way; only the board writes them."""

import datetime

import pytest

from classes.models import AdministrativeUnit, Commendation
from classes.spreadsheets.commendations import CommendationResource
from classes.spreadsheets.files import XLSXFormat
from tests.classes.spreadsheets.helpers import (
    import_both_steps,
    import_errors,
    run_import,
    totals,
    xlsx_bytes,
)

HEADERS = [
    "Năm",
    "Hình thức khen thưởng",
    "Đối tượng",
    "Tên tập thể / cá nhân",
    "Mã đơn vị",
    "Mã trung tâm",
    "Số quyết định",
    "Ngày quyết định",
    "Cơ quan ban hành",
    "Thành tích",
]


def commendation_row(recipient="Trung tâm Chính trị huyện Can Lộc", **overrides):
    row = {
        "Năm": 2023,
        "Hình thức khen thưởng": "Giấy khen",
        "Đối tượng": "Tập thể",
        "Tên tập thể / cá nhân": recipient,
        "Mã đơn vị": "443",
        "Mã trung tâm": "TTCT-443",
        "Số quyết định": "125-QĐ/BTGTU",
        "Ngày quyết định": "28/11/2023",
        "Cơ quan ban hành": "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh",
        "Thành tích": "Hoàn thành xuất sắc nhiệm vụ năm 2023",
    }
    row.update(overrides)
    return row


def run(user, rows, dry_run=True):
    return run_import(user, xlsx_bytes(rows, headers=HEADERS), dry_run=dry_run, resource_class=CommendationResource)


def test_the_board_imports_commendations_and_a_second_import_changes_nothing(province_user):
    rows = [commendation_row(), commendation_row("Nguyễn Văn An", **{"Đối tượng": "Cá nhân", "Mã trung tâm": ""})]
    data = xlsx_bytes(rows, headers=HEADERS)
    assert totals(import_both_steps(province_user, data, resource_class=CommendationResource)) == {"new": 2}
    person = Commendation.objects.get(recipient="Nguyễn Văn An")
    assert person.recipient_kind == "ca_nhan" and person.decision_date == datetime.date(2023, 11, 28)
    assert person.history.first().history_user == province_user

    assert totals(import_both_steps(province_user, data, resource_class=CommendationResource)) == {"skip": 2}
    assert set(Commendation.objects.values_list("version", flat=True)) == {1}


def test_a_changed_commendation_is_updated_with_a_new_version(province_user):
    import_both_steps(
        province_user, xlsx_bytes([commendation_row()], headers=HEADERS), resource_class=CommendationResource
    )
    result = run(province_user, [commendation_row(**{"Hình thức khen thưởng": "Bằng khen"})], dry_run=False)
    assert totals(result) == {"update": 1}
    commendation = Commendation.objects.get()
    assert (commendation.form, commendation.version, commendation.history.count()) == ("bang_khen", 2, 2)


def test_district_staff_cannot_import_commendations(district_user):
    assert import_errors(run(district_user, [commendation_row()])) == [
        "Chỉ Ban Tuyên giáo Tỉnh ủy được nhập khen thưởng."
    ]
    assert not Commendation.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"Ngày quyết định": "30/02/2023"}, "Dòng 2, cột Ngày quyết định: Ngày “30/02/2023” không có trên lịch."),
        ({"Mã đơn vị": "999"}, "Dòng 2, cột Mã đơn vị: Không có đơn vị “999”."),
        (
            {"Mã trung tâm": "TTCT-440"},
            "Dòng 2, cột Mã trung tâm: Trung tâm Trung tâm Chính trị huyện Đức Thọ không thuộc đơn vị Huyện Can Lộc.",
        ),
        ({"Năm": "năm nay"}, "Dòng 2, cột Năm: “năm nay” không phải số nguyên (viết 1234 hoặc 1.234)."),
        ({"Số quyết định": ""}, "Dòng 2, cột Số quyết định: Bắt buộc, đang để trống."),
    ],
)
def test_each_bad_commendation_cell_is_named(province_user, overrides, expected):
    assert import_errors(run(province_user, [commendation_row(**overrides)], dry_run=False)) == [expected]
    assert not Commendation.objects.exists()


def test_the_same_recipient_twice_in_one_decision_is_a_duplicate(province_user):
    result = run(province_user, [commendation_row(), commendation_row()])
    assert import_errors(result) == ["Dòng 3, cột Số quyết định: Trùng với dòng 2 trong cùng tệp."]


def test_commendations_export_scoped_and_import_back_unchanged(province_user, district_user):
    import_both_steps(
        province_user,
        xlsx_bytes(
            [
                commendation_row(),
                commendation_row(
                    "Trung tâm Chính trị huyện Đức Thọ", **{"Mã đơn vị": "440", "Mã trung tâm": "TTCT-440"}
                ),
            ],
            headers=HEADERS,
        ),
        resource_class=CommendationResource,
    )

    district_export = CommendationResource(user=district_user).export(Commendation.objects.all())
    assert [row[3] for row in district_export] == ["Trung tâm Chính trị huyện Can Lộc"]

    data = XLSXFormat().export_data(CommendationResource(user=province_user).export(Commendation.objects.all()))
    assert totals(import_both_steps(province_user, data, resource_class=CommendationResource)) == {"skip": 2}
    assert AdministrativeUnit.objects.filter(commendations__isnull=False).count() == 2
