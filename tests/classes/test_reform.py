"""After 1/7/2025: communes and wards enter their classes, former districts are refused with
their successors named, and plans, surveys and year reports follow the units' validity."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from classes import access, selectors, services
from classes.models import (
    AdministrativeUnit,
    AnnualPlan,
    LearningNeedsSurvey,
    Programme,
    TrainingCentre,
    TrainingClass,
)
from classes.spreadsheets.base import import_errors
from classes.spreadsheets.plans import AnnualPlanResource
from tests.classes.spreadsheets.helpers import (
    class_row,
    csv_text,
    import_both_steps,
    run_import,
    xlsx_bytes,
)
from tests.factories import PASSWORD, make_class

ADD_URL = reverse("admin:classes_trainingclass_add")
LIST_URL = reverse("admin:classes_trainingclass_changelist")
PLAN_ADD_URL = reverse("admin:classes_annualplan_add")
CAN_LOC_SUCCESSORS = (
    "Huyện Can Lộc không còn từ 01/07/2025; lớp khai giảng sau ngày này thuộc một trong các đơn vị: "
    "18406 Xã Can Lộc, 18418 Xã Tùng Lộc, 18436 Xã Trường Lưu, 18466 Xã Gia Hanh, 18481 Xã Xuân Lộc, 18484 Xã Đồng Lộc."
)


@pytest.fixture
def xa_can_loc(db):
    return AdministrativeUnit.objects.get(code="18406")


@pytest.fixture
def commune_user(xa_can_loc):
    return services.user_save(username="dv18406", role="district", unit=xa_can_loc, password=PASSWORD)


def class_form(**overrides):
    data = {
        "code": "XCL-2026-01",
        "name": "Lớp bồi dưỡng nhận thức về Đảng khóa 1",
        "programme": Programme.objects.get(code="NTD").pk,
        "unit": "",
        "centre": "",
        "venue": "tai_co_so",
        "status": "da_ket_thuc",
        "start_date": "09/03/2026",
        "end_date": "13/03/2026",
        "learners": "64",
        "completed": "62",
        "excellent": "5",
        "good": "30",
        "fair": "25",
        "average": "2",
        "failed": "0",
        "notes": "",
    }
    data.update(overrides)
    return data


def commune_rows(school="TCT-HT"):
    """Xã Can Lộc, 2026: 2 classes, 64 + 41 = 105 learners; the second named by name only."""
    return [
        class_row(
            "XCL-2026-01",
            **{
                "Mã đơn vị": "18406",
                "Mã trung tâm": "",
                "Ngày khai giảng": "09/03/2026",
                "Ngày bế giảng": "13/03/2026",
                "Số học viên": 64,
                "Số hoàn thành": 62,
                "Xuất sắc": 5,
                "Giỏi": 30,
                "Khá": 25,
                "Trung bình": 2,
            },
        ),
        class_row(
            "XCL-2026-02",
            **{
                "Mã đơn vị": "Can Lộc",
                "Mã trung tâm": school,
                "Ngày khai giảng": "04/05/2026",
                "Ngày bế giảng": "08/05/2026",
                "Số học viên": 41,
                "Số hoàn thành": 41,
                "Xuất sắc": 1,
                "Giỏi": 20,
                "Khá": 20,
                "Trung bình": 0,
            },
        ),
    ]


# --- the class form ---------------------------------------------------------------


def test_a_commune_user_saves_a_2026_class_through_the_form_and_gets_its_party_committee(client, commune_user):
    client.force_login(commune_user)
    response = client.post(ADD_URL, class_form(unit=commune_user.unit_id))
    assert response.status_code == 302, response.content.decode()[:3000]
    saved = TrainingClass.objects.get(code="XCL-2026-01")
    assert (saved.unit.code, saved.centre.code, saved.year, saved.learners) == ("18406", "DU-18406", 2026, 64)


def test_the_board_saves_a_communes_2026_class_run_by_the_provincial_school(client, province_user, xa_can_loc):
    client.force_login(province_user)
    school = TrainingCentre.objects.get(code="TCT-HT")
    response = client.post(ADD_URL, class_form(unit=xa_can_loc.pk, centre=school.pk))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert TrainingClass.objects.get(code="XCL-2026-01").centre == school


def test_the_board_is_refused_a_former_districts_2026_class_with_its_successors_named(
    client, province_user, unit_can_loc
):
    client.force_login(province_user)
    response = client.post(ADD_URL, class_form(unit=unit_can_loc.pk))
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["unit"] == [CAN_LOC_SUCCESSORS]
    assert not TrainingClass.objects.exists()


def test_the_form_offers_the_units_and_centres_in_force_on_the_start_date(client, province_user, db):
    client.force_login(province_user)
    make_class("CL-2024-01", "443", start=datetime.date(2024, 3, 5))
    old = TrainingClass.objects.get(code="CL-2024-01")
    response = client.get(reverse("admin:classes_trainingclass_change", args=[old.pk]))
    form = response.context["adminform"].form
    page = response.content.decode()
    assert (
        ">Huyện Lộc Hà</option>" in page
        and ">Xã Can Lộc</option>" not in page
        and ">Đảng ủy Xã Can Lộc</option>" not in page
    )
    units = set(form.fields["unit"].queryset.values_list("code", flat=True))
    assert "443" in units and "448" in units and "18406" not in units and len(units) == 13
    centres = set(form.fields["centre"].queryset.values_list("code", flat=True))
    assert "TTCT-443" in centres and "TCT-HT" in centres and "DU-18406" not in centres
    # No date yet: every unit the board may write.
    assert client.get(ADD_URL).context["adminform"].form.fields["unit"].queryset.count() == 82


def test_a_bound_form_of_2026_offers_the_69_communes_and_wards(province_user, xa_can_loc):
    from classes.admin.training import TrainingClassForm

    form = type("Form", (TrainingClassForm,), {"user": province_user})(data=class_form(unit=xa_can_loc.pk))
    assert form.fields["unit"].queryset.count() == 69
    assert not form.fields["centre"].queryset.filter(kind="ttct").exists()


def test_a_commune_user_sees_only_its_units_classes_in_the_list(client, commune_user, xa_can_loc):
    services.class_create(
        user=commune_user,
        code="XCL-2026-01",
        name="Lớp A",
        programme=Programme.objects.get(code="NTD"),
        unit=xa_can_loc,
        start_date=datetime.date(2026, 3, 9),
        learners=64,
        completed=62,
    )
    services.class_create(
        user=services.user_save(username="tinh2", role="province", password=PASSWORD),
        code="TL-2026-01",
        name="Lớp B",
        programme=Programme.objects.get(code="NTD"),
        unit=AdministrativeUnit.objects.get(code="18418"),
        start_date=datetime.date(2026, 4, 1),
        learners=40,
        completed=40,
    )
    make_class("CL-2024-01", "443", start=datetime.date(2024, 3, 5))
    client.force_login(commune_user)
    page = client.get(LIST_URL)
    assert [row.code for row in page.context["cl"].result_list] == ["XCL-2026-01"]
    assert list(access.classes_visible_to(commune_user).values_list("code", flat=True)) == ["XCL-2026-01"]


def test_the_default_centre_follows_the_start_date(db, unit_can_loc):
    assert selectors.default_centre_for(unit_can_loc.pk, datetime.date(2025, 6, 30)).code == "TTCT-443"
    xa = AdministrativeUnit.objects.get(code="18406")
    assert selectors.default_centre_for(xa.pk, datetime.date(2025, 7, 1)).code == "DU-18406"
    assert selectors.default_centre_for(xa.pk, datetime.date(2025, 6, 30)) is None


def test_lo_ha_in_2025_is_refused_naming_thach_ha(db):
    loc_ha = AdministrativeUnit.objects.get(code="448")
    assert loc_ha.validity_error_on(datetime.date(2025, 2, 3)) == (
        "Huyện Lộc Hà không còn từ 01/01/2025; lớp khai giảng sau ngày này thuộc một trong các đơn vị: 445 Huyện Thạch Hà."
    )


# --- the class import -------------------------------------------------------------


def test_a_commune_user_imports_its_2026_classes_by_code_and_by_a_shared_name(commune_user):
    result = import_both_steps(commune_user, xlsx_bytes(commune_rows(school="")))
    assert not import_errors(result)
    saved = TrainingClass.objects.filter(year=2026).order_by("code")
    assert [(c.code, c.unit.code, c.centre.code, c.learners) for c in saved] == [
        ("XCL-2026-01", "18406", "DU-18406", 64),
        ("XCL-2026-02", "18406", "DU-18406", 41),
    ]
    assert sum(c.learners for c in saved) == 105


def test_the_board_imports_a_communes_classes_run_by_the_provincial_school(province_user):
    import_both_steps(province_user, csv_text(commune_rows()).encode("utf-8"), name="lop.csv")
    saved = TrainingClass.objects.filter(unit__code="18406", year=2026).order_by("code")
    assert [c.centre.code for c in saved] == ["DU-18406", "TCT-HT"]


def test_a_shared_name_resolves_to_the_district_before_the_reform(province_user):
    row = class_row("CL-2024-09", **{"Mã đơn vị": "Can Lộc", "Mã trung tâm": ""})
    import_both_steps(province_user, xlsx_bytes([row]))
    saved = TrainingClass.objects.get(code="CL-2024-09")
    assert (saved.unit.code, saved.centre.code) == ("443", "TTCT-443")


def test_a_former_districts_2026_row_is_refused_naming_its_successors_and_nothing_is_written(province_user):
    rows = commune_rows() + [
        class_row("CL-2026-01", **{"Mã trung tâm": "", "Ngày khai giảng": "02/02/2026", "Ngày bế giảng": ""})
    ]
    result = run_import(province_user, xlsx_bytes(rows), dry_run=False)
    assert import_errors(result) == [f"Dòng 4, cột Mã đơn vị: {CAN_LOC_SUCCESSORS}"]
    assert not TrainingClass.objects.exists()


# --- plans, surveys and year reports ----------------------------------------------


def test_a_2027_plan_of_a_former_district_is_refused_by_the_service(province_user, unit_can_loc):
    plan = AnnualPlan(
        year=2027,
        unit=unit_can_loc,
        programme=Programme.objects.get(code="NTD"),
        planned_classes=3,
        planned_learners=150,
    )
    with pytest.raises(ValidationError) as error:
        services.plan_save(user=province_user, plan=plan)
    assert error.value.message_dict["unit"] == [
        "Huyện Can Lộc không còn từ 01/07/2025; số liệu năm 2027 thuộc một trong các đơn vị: "
        "18406 Xã Can Lộc, 18418 Xã Tùng Lộc, 18436 Xã Trường Lưu, 18466 Xã Gia Hanh, 18481 Xã Xuân Lộc, 18484 Xã Đồng Lộc."
    ]
    assert not AnnualPlan.objects.exists()


def test_plans_of_2025_take_both_a_district_and_a_commune(province_user, unit_can_loc, xa_can_loc):
    for unit in (unit_can_loc, xa_can_loc):
        services.plan_save(
            user=province_user,
            plan=AnnualPlan(
                year=2025,
                unit=unit,
                programme=Programme.objects.get(code="NTD"),
                planned_classes=2,
                planned_learners=100,
            ),
        )
    assert AnnualPlan.objects.filter(year=2025).count() == 2
    with pytest.raises(ValidationError) as error:
        services.plan_save(
            user=province_user,
            plan=AnnualPlan(
                year=2024,
                unit=xa_can_loc,
                programme=Programme.objects.get(code="NTD"),
                planned_classes=1,
                planned_learners=30,
            ),
        )
    assert error.value.message_dict["unit"] == ["Đơn vị Xã Can Lộc không có hiệu lực trong năm 2024."]


def test_a_2027_plan_of_a_former_district_is_refused_in_the_plan_form(client, province_user, unit_can_loc):
    client.force_login(province_user)
    response = client.post(
        PLAN_ADD_URL,
        {
            "year": "2027",
            "unit": unit_can_loc.pk,
            "programme": Programme.objects.get(code="NTD").pk,
            "planned_classes": "3",
            "planned_learners": "150",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "Huyện Can Lộc không còn từ 01/07/2025; số liệu năm 2027" in " ".join(
        response.context["adminform"].form.errors["unit"]
    )
    assert not AnnualPlan.objects.exists()


def test_the_plan_import_refuses_a_former_district_and_resolves_a_shared_name_by_year(province_user):
    headers = ["Năm", "Mã đơn vị", "Mã chương trình", "Số lớp kế hoạch", "Số học viên kế hoạch"]
    good = [
        {
            "Năm": "2026",
            "Mã đơn vị": "Can Lộc",
            "Mã chương trình": "NTD",
            "Số lớp kế hoạch": "4",
            "Số học viên kế hoạch": "220",
        }
    ]
    bad = good + [
        {
            "Năm": "2027",
            "Mã đơn vị": "443",
            "Mã chương trình": "SC",
            "Số lớp kế hoạch": "1",
            "Số học viên kế hoạch": "40",
        }
    ]
    result = run_import(
        province_user,
        csv_text(bad, headers=headers).encode("utf-8"),
        "kh.csv",
        dry_run=False,
        resource_class=AnnualPlanResource,
    )
    errors = import_errors(result)
    assert len(errors) == 1 and errors[0].startswith(
        "Dòng 3, cột Mã đơn vị: Huyện Can Lộc không còn từ 01/07/2025; số liệu năm 2027"
    )
    assert not AnnualPlan.objects.exists()
    import_both_steps(
        province_user, csv_text(good, headers=headers).encode("utf-8"), "kh.csv", resource_class=AnnualPlanResource
    )
    plan = AnnualPlan.objects.get()
    assert (plan.unit.code, plan.planned_learners) == ("18406", 220)


def test_a_survey_and_a_year_report_of_a_former_district_after_its_end_are_refused(
    province_user, district_user, unit_can_loc
):
    survey = LearningNeedsSurvey(
        year=2026,
        unit=unit_can_loc,
        programme=Programme.objects.get(code="NTD"),
        people_needing=90,
        survey_date=datetime.date(2025, 11, 3),
    )
    with pytest.raises(ValidationError, match="Huyện Can Lộc không còn từ 01/07/2025; số liệu năm 2026"):
        services.survey_save(user=province_user, survey=survey)
    with pytest.raises(ValidationError, match="Huyện Can Lộc không còn từ 01/07/2025; số liệu năm 2026"):
        services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2026, note="Năm thử chưa nhập lớp")
    with pytest.raises(ValidationError, match="Huyện Can Lộc không còn từ 01/07/2025; số liệu năm 2026"):
        services.plan_draft_generate(user=province_user, unit=unit_can_loc, year=2026)
    assert (
        services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2025, note="Năm thử chưa nhập lớp").year
        == 2025
    )


# --- accounts for the units in force ----------------------------------------------


def run_accounts(*args):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("create_unit_accounts", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def read_workbook(path):
    import openpyxl

    sheet = openpyxl.load_workbook(path).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_create_unit_accounts_makes_one_account_per_unit_in_force_and_is_idempotent(tmp_path, commune_user):
    from django.contrib.auth import authenticate

    from classes.models import User

    first = tmp_path / "tai-khoan.xlsx"
    output = run_accounts("--on", "2025-07-01", "--out", str(first))
    assert "Ngày 01/07/2025: đã tạo 68 tài khoản; 1 đơn vị đã có tài khoản." in output
    rows = read_workbook(first)
    assert rows[0] == ["Tên đăng nhập", "Mã đơn vị", "Tên đơn vị", "Mật khẩu dùng một lần"]
    assert len(rows) == 69 and rows[1][:3] == ["dv18073", "18073", "Phường Thành Sen"]
    assert all(isinstance(value, str) for row in rows for value in row)
    passwords = {row[0]: row[3] for row in rows[1:]}
    tung_loc = User.objects.get(username="dv18418")
    assert (tung_loc.role, tung_loc.unit.code, tung_loc.must_change_password) == ("district", "18418", True)
    assert authenticate(username="dv18418", password=passwords["dv18418"]) == tung_loc
    assert not User.objects.filter(unit__code="443").exists()  # Can Lộc was not in force that day

    # A second run creates nothing and shows no password.
    again = tmp_path / "lan-2.xlsx"
    output = run_accounts("--on", "2025-07-01", "--out", str(again))
    assert "đã tạo 0 tài khoản; 69 đơn vị đã có tài khoản." in output and not again.exists()
    assert not any(password in run_accounts("--on", "2025-07-01") for password in passwords.values())

    # One account removed: only that one is made again, and the workbook holds only its password.
    User.objects.filter(username="dv18466").delete()
    run_accounts("--on", "2025-07-01", "--out", str(again))
    rows = read_workbook(again)
    assert [row[:3] for row in rows[1:]] == [["dv18466", "18466", "Xã Gia Hanh"]]
    assert rows[1][3] not in passwords.values()
    assert User.objects.filter(role="district").count() == 69


def test_without_out_the_accounts_are_printed_once(db):
    output = run_accounts("--on", "2024-12-31")
    assert "dv443" in output and "Huyện Can Lộc" in output and "đã tạo 13 tài khoản" in output
    assert "dv18406" not in output
    assert "dv443" not in run_accounts("--on", "2024-12-31")


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "Thiếu ngày: thêm --on YYYY-MM-DD"),
        (["--on", "01/07/2025"], "Ngày “01/07/2025” không hợp lệ; viết dạng YYYY-MM-DD"),
        (["--on", "2025-07-01", "--out", "tai-khoan.csv"], "phải có đuôi .xlsx"),
    ],
)
def test_create_unit_accounts_refuses_bad_arguments_in_vietnamese(db, args, message):
    from django.core.management.base import CommandError

    from classes.models import User

    with pytest.raises(CommandError, match=message):
        run_accounts(*args)
    assert not User.objects.exists()


def test_an_existing_workbook_is_never_overwritten(db, tmp_path):
    from django.core.management.base import CommandError

    from classes.models import User

    old = tmp_path / "cu.xlsx"
    old.write_bytes(b"old passwords")
    with pytest.raises(CommandError, match="đã có; chọn tên khác"):
        run_accounts("--on", "2025-07-01", "--out", str(old))
    assert old.read_bytes() == b"old passwords" and not User.objects.exists()


def test_an_account_with_a_one_time_password_must_change_it_at_first_login(client, xa_can_loc):
    from classes.models import User

    result = services.unit_accounts_create(day=datetime.date(2025, 7, 1))
    user, _unit, password = next(entry for entry in result["created"] if entry[1] == xa_can_loc)
    assert client.login(username=user.username, password=password)
    change = reverse("admin:password_change")
    for url in (reverse("reports:home"), LIST_URL, "/admin/"):
        response = client.get(url)
        assert (response.status_code, response["Location"]) == (302, change), url
    page = client.get(LIST_URL, follow=True).content.decode()
    assert "Tài khoản đang dùng mật khẩu một lần: hãy đặt mật khẩu của riêng bạn trước khi làm việc." in page
    response = client.post(change, {"old_password": password, "new_password1": PASSWORD, "new_password2": PASSWORD})
    assert response.status_code == 302
    assert User.objects.get(pk=user.pk).must_change_password is False
    assert client.get(LIST_URL).status_code == 200
