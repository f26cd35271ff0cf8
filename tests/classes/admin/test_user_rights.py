"""No role turns into another: who may create, edit, reset or delete which account."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from classes.models import User
from classes.roles import user_may_manage
from tests.factories import PASSWORD

NEW_PASSWORD = "Mot-mat-khau-moi-2025!"


def change_url(user):
    return reverse("admin:classes_user_change", args=[user.pk])


def password_url(user):
    return reverse("admin:auth_user_password_change", args=[user.pk])


def account_form(user, **changes):
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "role": user.role,
        "unit": user.unit_id or "",
        "is_active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def state(user):
    user = User.objects.get(pk=user.pk)
    return (
        user.role,
        user.unit_id,
        user.is_active,
        user.is_staff,
        user.is_superuser,
        user.password,
        sorted(user.groups.values_list("name", flat=True)),
    )


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password=PASSWORD)


# --- the rule itself ---


def test_only_the_board_or_a_superuser_may_touch_board_accounts(
    admin_role_user, province_user, district_user, superuser
):
    assert not user_may_manage(admin_role_user, province_user)
    assert not user_may_manage(admin_role_user, None, "province")
    assert not user_may_manage(admin_role_user, district_user, "province")
    assert user_may_manage(admin_role_user, district_user, "admin")
    assert user_may_manage(admin_role_user, None, "district")
    assert user_may_manage(province_user, district_user, "province")
    assert user_may_manage(province_user, admin_role_user)
    assert not user_may_manage(province_user, superuser)
    assert user_may_manage(superuser, province_user, "district")
    assert not user_may_manage(district_user, None, "district")
    assert not user_may_manage(district_user, district_user)


def test_nobody_changes_their_own_role_or_deletes_themselves(admin_role_user, province_user, superuser):
    for user, other_role in ((admin_role_user, "province"), (province_user, "admin"), (superuser, "province")):
        assert user_may_manage(user, user)
        assert not user_may_manage(user, user, other_role)
        assert not user_may_manage(user, user, deleting=True)


# --- the administrator role ---


def test_the_administrator_cannot_make_itself_the_board(client, admin_role_user):
    before = state(admin_role_user)
    client.force_login(admin_role_user)
    response = client.post(change_url(admin_role_user), account_form(admin_role_user, role="province"))
    assert response.status_code == 403
    assert state(admin_role_user) == before


def test_the_administrator_cannot_change_its_own_unit_or_deactivate_itself(client, admin_role_user, unit_can_loc):
    before = state(admin_role_user)
    client.force_login(admin_role_user)
    form = client.get(change_url(admin_role_user)).context["adminform"].form
    assert not {"role", "unit", "is_active"} & set(form.fields)
    response = client.post(
        change_url(admin_role_user), account_form(admin_role_user, role=None, unit=unit_can_loc.pk, is_active=None)
    )
    assert response.status_code == 302
    assert state(admin_role_user) == before


def test_the_administrator_cannot_create_a_board_account(client, admin_role_user):
    client.force_login(admin_role_user)
    choices = dict(client.get(reverse("admin:classes_user_add")).context["adminform"].form.fields["role"].choices)
    assert "province" not in choices and "district" in choices
    response = client.post(
        reverse("admin:classes_user_add"),
        {
            "username": "bantuyengiao2",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "province",
        },
    )
    assert response.status_code == 403
    assert not User.objects.filter(username="bantuyengiao2").exists()


def test_the_administrator_cannot_promote_a_district_account_to_the_board(client, admin_role_user, district_user):
    before = state(district_user)
    client.force_login(admin_role_user)
    response = client.post(change_url(district_user), account_form(district_user, role="province", unit=""))
    assert response.status_code == 403
    assert state(district_user) == before


def test_the_administrator_cannot_reset_demote_or_delete_a_board_member(client, admin_role_user, province_user):
    before = state(province_user)
    client.force_login(admin_role_user)
    assert (
        client.post(
            password_url(province_user),
            {
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "usable_password": "true",
            },
        ).status_code
        == 404
    )
    assert client.post(change_url(province_user), account_form(province_user, role="district")).status_code == 404
    assert client.get(change_url(province_user)).status_code == 404
    assert (
        client.post(reverse("admin:classes_user_delete", args=[province_user.pk]), {"post": "yes"}).status_code == 404
    )
    assert client.get(reverse("admin:classes_user_history", args=[province_user.pk])).status_code == 404
    response = client.post(
        reverse("admin:classes_user_changelist"),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [province_user.pk],
            "post": "yes",
        },
    )
    assert response.status_code == 403
    assert state(province_user) == before
    assert User.objects.get(pk=province_user.pk).check_password(PASSWORD)


def test_the_administrator_lists_and_manages_only_the_other_accounts(
    client, admin_role_user, province_user, district_user, superuser
):
    client.force_login(admin_role_user)
    listed = {user.username for user in client.get(reverse("admin:classes_user_changelist")).context["cl"].result_list}
    assert listed == {"quantri", "canloc"}
    response = client.post(
        password_url(district_user),
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(pk=district_user.pk).check_password(NEW_PASSWORD)
    assert client.post(change_url(district_user), account_form(district_user, role="admin", unit="")).status_code == 302
    assert state(district_user)[0] == "admin"


def test_a_bulk_delete_that_includes_oneself_deletes_nobody(client, admin_role_user, district_user):
    client.force_login(admin_role_user)
    client.post(
        reverse("admin:classes_user_changelist"),
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: [admin_role_user.pk, district_user.pk],
            "post": "yes",
        },
    )
    assert User.objects.filter(pk__in=[admin_role_user.pk, district_user.pk]).count() == 2


# --- district staff and the board ---


def test_district_staff_cannot_open_or_change_any_account(client, district_user, other_district_user):
    before = state(district_user), state(other_district_user)
    client.force_login(district_user)
    assert client.get(reverse("admin:classes_user_changelist")).status_code == 403
    assert client.post(
        change_url(district_user), account_form(district_user, role="province", unit="")
    ).status_code in (403, 404)
    assert client.post(
        password_url(other_district_user),
        {
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
        },
    ).status_code in (403, 404)
    assert (
        client.post(
            reverse("admin:classes_user_add"),
            {
                "username": "moi",
                "usable_password": "true",
                "password1": PASSWORD,
                "password2": PASSWORD,
                "role": "district",
            },
        ).status_code
        == 403
    )
    assert (state(district_user), state(other_district_user)) == before
    assert not User.objects.filter(username="moi").exists()


def test_the_board_may_create_and_promote_board_accounts_but_not_change_its_own_role(
    client, province_user, district_user
):
    client.force_login(province_user)
    response = client.post(
        reverse("admin:classes_user_add"),
        {
            "username": "bantuyengiao2",
            "usable_password": "true",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "role": "province",
        },
    )
    assert response.status_code == 302
    assert User.objects.get(username="bantuyengiao2").groups.get().name == "Ban Tuyên giáo Tỉnh ủy"
    assert (
        client.post(change_url(district_user), account_form(district_user, role="province", unit="")).status_code == 302
    )
    assert state(district_user)[0] == "province"
    before = state(province_user)
    assert client.post(change_url(province_user), account_form(province_user, role="admin")).status_code == 403
    assert state(province_user) == before


def test_the_board_cannot_reset_a_superusers_password(client, province_user, superuser):
    client.force_login(province_user)
    assert (
        client.post(
            password_url(superuser),
            {
                "password1": NEW_PASSWORD,
                "password2": NEW_PASSWORD,
                "usable_password": "true",
            },
        ).status_code
        == 404
    )
    assert User.objects.get(pk=superuser.pk).check_password(PASSWORD)


def test_the_accounts_history_shows_who_changed_its_role_and_from_what(client, province_user, district_user):
    client.force_login(province_user)
    client.post(change_url(district_user), account_form(district_user, role="province", unit=""))
    client.post(
        password_url(district_user), {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"}
    )
    page = client.get(reverse("admin:classes_user_history", args=[district_user.pk])).content.decode()
    assert "<td>tinh (Ban Tuyên giáo)</td>" in page
    assert "Vai trò: Cán bộ huyện → Ban Tuyên giáo Tỉnh ủy; Đơn vị: Huyện Can Lộc → —." in page
    assert page.count("<td>tinh (Ban Tuyên giáo)</td>") == 2  # the role change and the password reset
