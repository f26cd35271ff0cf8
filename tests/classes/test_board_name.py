import datetime

import pytest

from classes.models import BoardName
from classes.selectors import board_name_on


@pytest.mark.django_db
def test_the_boards_name_in_force_changes_with_the_2025_merger():
    assert board_name_on(datetime.date(2024, 12, 31)) == ("Ban Tuyên giáo Tỉnh ủy Hà Tĩnh", "BTGTU")
    assert board_name_on(datetime.date(2025, 3, 1)) == ("Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh", "BTGDVTU")
    assert board_name_on()[1] == "BTGDVTU"


@pytest.mark.django_db
def test_the_board_moving_the_merger_date_moves_the_name_in_force():
    BoardName.objects.filter(short_symbol="BTGDVTU").update(valid_from=datetime.date(2025, 2, 15))

    assert board_name_on(datetime.date(2025, 2, 14))[1] == "BTGTU"
    assert board_name_on(datetime.date(2025, 2, 15))[1] == "BTGDVTU"


@pytest.mark.django_db
def test_the_board_edits_the_names_and_the_administrator_only_sees_them(
    client, province_user, admin_role_user, district_user
):
    client.force_login(province_user)
    row = BoardName.objects.get(short_symbol="BTGDVTU")
    page = client.get(f"/admin/classes/boardname/{row.pk}/change/")
    assert page.status_code == 200
    response = client.post(
        f"/admin/classes/boardname/{row.pk}/change/",
        {"name": "Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh", "short_symbol": "BTGDVTU", "valid_from": "01/04/2025"},
    )
    assert response.status_code == 302
    assert BoardName.objects.get(pk=row.pk).valid_from == datetime.date(2025, 4, 1)

    client.force_login(admin_role_user)
    assert client.get("/admin/classes/boardname/").status_code == 200
    assert client.get("/admin/classes/boardname/add/").status_code == 403
    client.force_login(district_user)
    assert client.get("/admin/classes/boardname/").status_code == 403


@pytest.mark.django_db
def test_a_new_commendation_is_issued_by_default_under_the_name_in_force_and_headers_show_it(client, province_user):
    client.force_login(province_user)

    form = client.get("/admin/classes/commendation/add/")
    assert form.context["adminform"].form.initial["issuer"] == "Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh"
    assert "Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh — Quản lý giáo dục lý luận chính trị" in form.content.decode()
