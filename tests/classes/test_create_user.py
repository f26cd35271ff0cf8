"""`manage.py create_user`: accounts for each role, refused cleanly when wrong."""

import io

import pytest
from django.contrib.auth import authenticate
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from classes.models import User
from tests.factories import PASSWORD


def run(*args):
    out = io.StringIO()
    call_command("create_user", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def env_password(monkeypatch):
    monkeypatch.setenv("HATINH_PASSWORD", PASSWORD)


@pytest.fixture
def terminal(monkeypatch):
    """A terminal whose prompts answer from `answers` in order."""
    monkeypatch.delenv("HATINH_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = []
    monkeypatch.setattr("getpass.getpass", lambda prompt="": answers.pop(0))
    return answers


def test_a_district_account_is_created_with_its_unit_group_and_password(db, env_password):
    output = run("canloc", "--role", "district", "--unit", "443")
    user = User.objects.get(username="canloc")
    assert (user.role, user.unit.code, user.is_staff, user.is_superuser) == ("district", "443", True, False)
    assert list(user.groups.values_list("name", flat=True)) == ["Cán bộ huyện"]
    assert authenticate(username="canloc", password=PASSWORD) == user
    assert "Đã tạo tài khoản canloc (Cán bộ huyện, Huyện Can Lộc)." in output


def test_province_and_admin_accounts_get_their_groups(db, env_password):
    run("bantuyengiao", "--role", "province")
    run("quantri", "--role", "admin")
    assert User.objects.get(username="bantuyengiao").groups.get().name == "Ban Tuyên giáo Tỉnh ủy"
    admin = User.objects.get(username="quantri")
    assert (admin.role, admin.unit, admin.groups.get().name) == ("admin", None, "Quản trị hệ thống")


def test_running_again_updates_the_account_instead_of_duplicating_it(db, env_password, monkeypatch):
    run("canloc", "--role", "district", "--unit", "443")
    monkeypatch.setenv("HATINH_PASSWORD", "Mot-mat-khau-khac-2025")
    output = run("canloc", "--role", "district", "--unit", "440")
    user = User.objects.get(username="canloc")
    assert User.objects.filter(username="canloc").count() == 1
    assert user.unit.code == "440" and user.groups.count() == 1
    assert authenticate(username="canloc", password="Mot-mat-khau-khac-2025") == user
    assert "Đã cập nhật tài khoản canloc" in output


def test_the_password_is_asked_twice_at_the_prompt(db, terminal):
    terminal.extend([PASSWORD, PASSWORD])
    run("ductho", "--role", "district", "--unit", "440")
    assert authenticate(username="ductho", password=PASSWORD).unit.code == "440"


def test_two_different_answers_at_the_prompt_create_nothing(db, terminal):
    terminal.extend([PASSWORD, PASSWORD + "x"])
    with pytest.raises(CommandError, match="Hai lần nhập mật khẩu không khớp"):
        run("ductho", "--role", "district", "--unit", "440")
    assert not User.objects.filter(username="ductho").exists()


def test_an_empty_answer_keeps_an_existing_users_password(db, env_password, monkeypatch):
    run("tinh", "--role", "province")
    monkeypatch.delenv("HATINH_PASSWORD")
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "")
    run("tinh", "--role", "admin")
    user = authenticate(username="tinh", password=PASSWORD)
    assert user is not None and user.role == "admin"


def test_without_a_terminal_or_the_variable_the_command_refuses(db, monkeypatch):
    monkeypatch.delenv("HATINH_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    with pytest.raises(CommandError, match="đặt biến môi trường HATINH_PASSWORD"):
        run("tinh", "--role", "province")
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "args, message",
    [
        ([], "Thiếu vai trò: thêm --role district, --role province, --role admin hoặc --role centre."),
        (["--role", "district"], "Cán bộ huyện phải gắn với một đơn vị: thêm --unit MÃ"),
        (["--role", "district", "--unit", "999"], "Không có đơn vị mã “999”"),
        (
            ["--role", "huyen", "--unit", "443"],
            "Vai trò không hợp lệ: “huyen”. Chọn một trong: district, province, admin, centre.",
        ),
        (["--role", "province", "--unit", "443"], "Chỉ cán bộ huyện gắn với đơn vị; bỏ --unit với vai trò province."),
        (
            ["--role", "centre"],
            "Cán bộ trung tâm phải gắn với một trung tâm: thêm --centre MÃ (ví dụ --centre TCT-HT).",
        ),
        (["--role", "centre", "--centre", "TCT-XX"], "Không có trung tâm mã “TCT-XX”"),
        (
            ["--role", "centre", "--centre", "TCT-HT", "--unit", "443"],
            "Chỉ cán bộ huyện gắn với đơn vị; bỏ --unit với vai trò centre.",
        ),
        (
            ["--role", "district", "--unit", "443", "--centre", "TCT-HT"],
            "Chỉ cán bộ trung tâm gắn với trung tâm; bỏ --centre với vai trò district.",
        ),
    ],
)
def test_wrong_arguments_are_refused_in_vietnamese_and_create_nothing(db, env_password, args, message):
    with pytest.raises(CommandError) as error:
        run("canloc", *args)
    assert message in str(error.value)
    assert not User.objects.exists()


def test_a_weak_password_is_refused_by_djangos_validators(db, monkeypatch):
    monkeypatch.setenv("HATINH_PASSWORD", "12345678")
    with pytest.raises(CommandError) as error:
        run("canloc", "--role", "district", "--unit", "443")
    assert "Mật khẩu chưa đạt" in str(error.value)
    assert "quá phổ biến" in str(error.value) or "hoàn toàn là số" in str(error.value)
    assert not User.objects.exists()


def test_a_password_like_the_username_is_refused(db, monkeypatch):
    monkeypatch.setenv("HATINH_PASSWORD", "canloc443")
    with pytest.raises(CommandError, match="Mật khẩu chưa đạt"):
        run("canloc443", "--role", "district", "--unit", "443")
    assert not User.objects.exists()


def test_a_refused_update_leaves_the_existing_account_as_it_was(db, env_password):
    run("canloc", "--role", "district", "--unit", "443")
    with pytest.raises(CommandError):
        run("canloc", "--role", "district", "--unit", "999")
    user = User.objects.get(username="canloc")
    assert user.unit.code == "443" and user.role == "district"


# --- accounts edited in the admin screens ---


def test_an_account_made_in_the_admin_gets_the_group_of_its_role(client, admin_role_user, unit_can_loc):
    client.force_login(admin_role_user)
    response = client.post(
        reverse("admin:classes_user_add"),
        {
            "username": "loc-ha",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "district",
            "unit": unit_can_loc.pk,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="loc-ha")
    assert (user.is_staff, list(user.groups.values_list("name", flat=True))) == (True, ["Cán bộ huyện"])


def test_changing_the_role_in_the_admin_changes_the_group_and_offers_no_permission_boxes(
    client, province_user, district_user
):
    client.force_login(province_user)
    url = reverse("admin:classes_user_change", args=[district_user.pk])
    form = client.get(url).context["adminform"].form
    assert not {"groups", "user_permissions", "is_superuser", "is_staff"} & set(form.fields)
    response = client.post(
        url,
        {
            "username": "canloc",
            "first_name": "",
            "last_name": "",
            "email": "",
            "role": "province",
            "unit": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    district_user.refresh_from_db()
    assert (district_user.role, district_user.is_superuser) == ("province", False)
    assert list(district_user.groups.values_list("name", flat=True)) == ["Ban Tuyên giáo Tỉnh ủy"]


def test_a_district_role_without_a_unit_is_refused_in_the_admin(client, admin_role_user, district_user):
    client.force_login(admin_role_user)
    response = client.post(
        reverse("admin:classes_user_change", args=[district_user.pk]),
        {
            "username": "canloc",
            "role": "district",
            "unit": "",
            "is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "Cán bộ huyện phải gắn với một đơn vị." in response.content.decode()
    district_user.refresh_from_db()
    assert district_user.unit.code == "443"


def test_the_administrator_role_cannot_take_over_a_superuser(client, admin_role_user):
    root = User.objects.create_superuser("root", password=PASSWORD)
    client.force_login(admin_role_user)
    assert (
        client.post(
            reverse("admin:auth_user_password_change", args=[root.pk]),
            {
                "password1": "Mot-mat-khau-moi-2025",
                "password2": "Mot-mat-khau-moi-2025",
            },
        ).status_code
        == 404
    )
    assert client.post(reverse("admin:classes_user_delete", args=[root.pk]), {"post": "yes"}).status_code == 404
    assert User.objects.filter(pk=root.pk).exists()
    root.refresh_from_db()
    assert root.check_password(PASSWORD)


def test_a_centre_account_is_created_with_its_centre_and_no_unit(db, env_password):
    output = run("truongtinh", "--role", "centre", "--centre", "TCT-HT")
    user = User.objects.get(username="truongtinh")
    assert (user.role, user.centre.code, user.unit, user.is_staff) == ("centre", "TCT-HT", None, True)
    assert list(user.groups.values_list("name", flat=True)) == ["Cán bộ trung tâm"]
    assert "Đã tạo tài khoản truongtinh (Cán bộ trung tâm, Trường Chính trị Trần Phú)." in output


def test_a_unit_staff_account_takes_a_communes_new_code(db, env_password):
    output = run("xacanloc", "--role", "district", "--unit", "18406")
    assert User.objects.get(username="xacanloc").unit.name == "Xã Can Lộc"
    assert "Xã Can Lộc" in output


def test_a_centre_role_without_a_centre_is_refused_in_the_admin(client, admin_role_user, district_user):
    client.force_login(admin_role_user)
    url = reverse("admin:classes_user_change", args=[district_user.pk])
    response = client.post(url, {"username": "canloc", "role": "centre", "unit": "", "centre": "", "is_active": "on"})
    assert response.status_code == 200
    assert "Cán bộ trung tâm phải gắn với một trung tâm." in response.content.decode()
    from classes.models import TrainingCentre

    school = TrainingCentre.objects.get(code="TCT-HT")
    response = client.post(
        url, {"username": "canloc", "role": "centre", "unit": "", "centre": school.pk, "is_active": "on"}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    district_user.refresh_from_db()
    assert (district_user.role, district_user.centre, list(district_user.groups.values_list("name", flat=True))) == (
        "centre",
        school,
        ["Cán bộ trung tâm"],
    )
