"""Change history: who changed what, when, old and new values; the board sees
every class's history, district staff only their own unit's."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from classes import services
from classes.models import Commendation, Programme, TrainingClass
from tests.factories import make_class


def history_url(obj):
    return reverse(f"admin:classes_{obj._meta.model_name}_history", args=[obj.pk])


def version_url(obj, record):
    return reverse(f"admin:classes_{obj._meta.model_name}_simple_history", args=[obj.pk, record.history_id])


@pytest.fixture
def edited_class(district_user, unit_can_loc):
    """Created with 60 learners, then changed to 75 by the same district user."""
    training_class = services.class_create(
        user=district_user,
        code="CL-2024-01",
        name="Lớp Can Lộc",
        programme=Programme.objects.get(code="NTD"),
        unit=unit_can_loc,
        start_date=datetime.date(2024, 3, 5),
        learners=60,
        completed=58,
    )
    training_class.learners = 75
    services.class_save(user=district_user, training_class=training_class)
    return training_class


@pytest.fixture
def duc_tho_class(other_district_user, unit_duc_tho):
    return services.class_create(
        user=other_district_user,
        code="DT-2024-01",
        name="Lớp DT riêng",
        programme=Programme.objects.get(code="SC"),
        unit=unit_duc_tho,
        start_date=datetime.date(2024, 4, 1),
        learners=40,
        completed=40,
    )


def commendation(province_user, unit, recipient):
    return services.commendation_save(
        user=province_user,
        commendation=Commendation(
            year=2023,
            recipient=recipient,
            unit=unit,
            decision_number="125-QĐ/BTGTU",
            decision_date=datetime.date(2023, 11, 28),
        ),
    )


def test_create_change_and_delete_keep_who_when_and_the_old_and_new_values(edited_class, district_user):
    pk = edited_class.pk
    services.class_delete(user=district_user, training_class=edited_class)
    created, changed, deleted = TrainingClass.history.filter(id=pk).order_by("history_date", "history_id")
    assert [record.history_type for record in (created, changed, deleted)] == ["+", "~", "-"]
    assert {record.history_user for record in (created, changed, deleted)} == {district_user}
    assert created.history_date <= changed.history_date <= deleted.history_date
    delta = changed.diff_against(created)
    assert [(change.field, change.old, change.new) for change in delta.changes] == [("learners", 60, 75)]


def test_the_board_reads_a_class_history_with_old_and_new_values(client, province_user, edited_class):
    client.force_login(province_user)
    response = client.get(history_url(edited_class))
    assert response.status_code == 200
    page = response.content.decode()
    assert "canloc" in page  # who
    assert "60" in page and "75" in page  # old and new learners
    assert len(response.context["page_obj"].object_list) == 2


def test_district_staff_read_their_own_class_history(client, district_user, edited_class):
    client.force_login(district_user)
    assert client.get(history_url(edited_class)).status_code == 200
    record = edited_class.history.earliest()
    assert client.get(version_url(edited_class, record)).status_code == 200


def test_another_units_class_history_answers_404_without_its_data(client, district_user, duc_tho_class):
    client.force_login(district_user)
    record = duc_tho_class.history.get()
    for url in (history_url(duc_tho_class), version_url(duc_tho_class, record)):
        response = client.get(url)
        assert response.status_code == 404
        assert "Đức Thọ" not in response.content.decode() and "DT-2024-01" not in response.content.decode()


def test_the_history_of_another_units_deleted_class_stays_hidden(client, district_user, province_user, duc_tho_class):
    url = history_url(duc_tho_class)
    services.class_delete(user=province_user, training_class=duc_tho_class)
    client.force_login(district_user)
    assert client.get(url).status_code == 404
    client.force_login(province_user)
    response = client.get(url)
    assert response.status_code == 200 and "DT-2024-01" in response.content.decode()


def test_versions_from_before_the_board_moved_a_class_into_a_unit_stay_hidden(
    client, district_user, province_user, duc_tho_class, unit_can_loc
):
    duc_tho_class.unit = unit_can_loc
    duc_tho_class.centre = None
    services.class_save(user=province_user, training_class=duc_tho_class)
    client.force_login(district_user)
    response = client.get(history_url(duc_tho_class))
    assert response.status_code == 200
    assert [record.history_type for record in response.context["page_obj"].object_list] == ["~"]
    assert "Đức Thọ" not in response.content.decode()
    earliest = duc_tho_class.history.earliest()
    assert client.get(version_url(duc_tho_class, earliest)).status_code == 404


def test_district_staff_revert_their_own_class_and_the_revert_is_recorded(client, district_user, edited_class):
    client.force_login(district_user)
    first = edited_class.history.earliest()
    data = {
        "code": "CL-2024-01",
        "name": "Lớp Can Lộc",
        "programme": edited_class.programme_id,
        "unit": edited_class.unit_id,
        "centre": edited_class.centre_id,
        "venue": "tai_trung_tam",
        "status": "da_ket_thuc",
        "start_date": "05/03/2024",
        "end_date": "",
        "learners": "60",
        "completed": "58",
        "excellent": "0",
        "good": "0",
        "fair": "0",
        "average": "0",
        "failed": "0",
        "notes": "",
        "expected_version": str(edited_class.version),
    }
    response = client.post(version_url(edited_class, first), data)
    assert response.status_code == 302
    edited_class.refresh_from_db()
    assert (edited_class.learners, edited_class.version) == (60, 3)
    latest = edited_class.history.latest()
    assert (latest.history_type, latest.history_user, latest.learners) == ("~", district_user, 60)


def test_a_revert_posted_at_another_units_class_changes_nothing(client, district_user, duc_tho_class):
    client.force_login(district_user)
    record = duc_tho_class.history.get()
    response = client.post(version_url(duc_tho_class, record), {"name": "Đã sửa", "unit": district_user.unit_id})
    assert response.status_code == 404
    duc_tho_class.refresh_from_db()
    assert (duc_tho_class.name, duc_tho_class.unit.code) == ("Lớp DT riêng", "440")


def test_commendations_keep_the_boards_changes(province_user, unit_can_loc):
    item = commendation(province_user, unit_can_loc, "Trung tâm Chính trị huyện Can Lộc")
    item.decision_number = "126-QĐ/BTGTU"
    services.commendation_save(user=province_user, commendation=item)
    services.commendation_delete(user=province_user, commendation=item)
    records = list(Commendation.history.order_by("history_date", "history_id"))
    assert [(record.history_type, record.history_user) for record in records] == [
        ("+", province_user),
        ("~", province_user),
        ("-", province_user),
    ]
    assert [record.decision_number for record in records] == ["125-QĐ/BTGTU", "126-QĐ/BTGTU", "126-QĐ/BTGTU"]


def test_district_staff_read_their_units_commendation_history_but_cannot_revert(
    client, district_user, province_user, unit_can_loc, unit_duc_tho
):
    own = commendation(province_user, unit_can_loc, "Trung tâm Chính trị huyện Can Lộc")
    other = commendation(province_user, unit_duc_tho, "Tập thể riêng Đức Thọ")
    client.force_login(district_user)
    assert client.get(history_url(own)).status_code == 200
    record = own.history.get()
    assert client.get(version_url(own, record)).status_code == 200
    response = client.post(version_url(own, record), {"recipient": "Đã sửa", "year": "2023"})
    assert response.status_code == 302
    assert "không được khôi phục" in " ".join(str(m) for m in get_messages(response.wsgi_request))
    own.refresh_from_db()
    assert own.recipient == "Trung tâm Chính trị huyện Can Lộc"
    assert client.get(history_url(other)).status_code == 404
    assert client.get(version_url(other, other.history.get())).status_code == 404


def test_a_class_written_straight_to_the_database_has_a_creation_record(db):
    training_class = make_class("CL-1", "443")
    assert training_class.history.get().history_type == "+"


def test_the_history_page_costs_the_same_queries_for_3_or_30_versions(client, district_user, edited_class):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(district_user)

    def queries():
        with CaptureQueriesContext(connection) as context:
            assert client.get(history_url(edited_class)).status_code == 200
        return len(context)

    queries()  # warms the content-type cache
    few = queries()
    while edited_class.history.count() < 30:
        edited_class.learners += 1
        services.class_save(user=district_user, training_class=edited_class)
    assert queries() == few
