"""The administrator sees every unit but is not the board: board actions refuse it."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from classes import access, roles, services
from classes.models import Commendation, YearLock


def test_the_administrator_role_cannot_lock_a_year(admin_role_user):
    with pytest.raises(PermissionDenied):
        services.year_lock(user=admin_role_user, year=2023)
    assert not YearLock.objects.exists()


def test_the_administrator_role_cannot_enter_a_commendation(admin_role_user):
    commendation = Commendation(
        year=2023,
        recipient="Trung tâm Chính trị huyện Can Lộc",
        decision_number="12-QĐ/BTGTU",
        decision_date=datetime.date(2023, 12, 20),
    )
    with pytest.raises(PermissionDenied):
        services.commendation_save(user=admin_role_user, commendation=commendation)
    assert not Commendation.objects.exists()


def test_the_board_may_correct_a_locked_year_but_the_administrator_may_not(
    province_user, admin_role_user, unit_can_loc
):
    services.year_lock(user=province_user, year=2023)
    access.unit_year_check_writable(user=province_user, unit_id=unit_can_loc.pk, year=2023)
    with pytest.raises(ValidationError) as refused:
        access.unit_year_check_writable(user=admin_role_user, unit_id=unit_can_loc.pk, year=2023)
    assert "đã khóa" in " ".join(refused.value.messages)


def test_the_administrator_role_cannot_open_the_completeness_board(client, admin_role_user, province_user):
    client.force_login(admin_role_user)
    refused = client.get("/reports/completeness/2023/")
    assert refused.status_code == 403
    assert "Chỉ Ban Tuyên giáo Tỉnh ủy xem được bảng theo dõi báo cáo của các đơn vị." in refused.content.decode()
    client.force_login(province_user)
    assert client.get("/reports/completeness/2023/").status_code == 200


def _group_permissions():
    return {
        role: set(
            Group.objects.get(name=name).permissions.values_list(
                "content_type__app_label", "content_type__model", "codename"
            )
        )
        for role, name in roles.GROUP_NAMES.items()
    }


def _table_permissions():
    return {
        role: {(app, model, f"{action}_{model}") for (app, model), actions in table.items() for action in actions}
        for role, table in roles.PERMISSIONS.items()
    }


def test_after_migrate_each_role_group_has_exactly_the_permissions_of_the_table(db):
    assert _group_permissions() == _table_permissions()


def test_migrate_puts_back_a_permission_taken_from_a_group_by_hand(db):
    district = Group.objects.get(name=roles.GROUP_NAMES["district"])
    district.permissions.remove(Permission.objects.get(codename="add_trainingclass"))
    district.permissions.add(Permission.objects.get(codename="add_yearlock"))
    call_command("migrate", verbosity=0)
    assert _group_permissions() == _table_permissions()
