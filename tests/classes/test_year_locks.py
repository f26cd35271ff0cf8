"""Year locks (khóa số liệu): once the board locks a year, district staff cannot
add, change or delete its classes through any admin path, and are told who
locked it and since when; the board's own corrections go through and are kept."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from classes import access, services
from classes.models import Programme, TrainingClass, YearLock
from tests.factories import make_class

LIST_URL = reverse("admin:classes_trainingclass_changelist")
ADD_URL = reverse("admin:classes_trainingclass_add")
LOCK_LIST_URL = reverse("admin:classes_yearlock_changelist")
LOCK_ADD_URL = reverse("admin:classes_yearlock_add")


def change_url(obj):
    return reverse("admin:classes_trainingclass_change", args=[obj.pk])


def delete_url(obj):
    return reverse("admin:classes_trainingclass_delete", args=[obj.pk])


def form_data(training_class=None, **overrides):
    """The change form as the browser would post it."""
    data = {
        "code": "CL-2023-MOI",
        "name": "Lớp mới",
        "programme": Programme.objects.get(code="NTD").pk,
        "unit": "",
        "centre": "",
        "venue": "tai_trung_tam",
        "status": "da_ket_thuc",
        "start_date": "06/03/2023",
        "end_date": "10/03/2023",
        "learners": "60",
        "completed": "58",
        "excellent": "0",
        "good": "0",
        "fair": "0",
        "average": "0",
        "failed": "0",
        "notes": "",
    }
    if training_class is not None:
        data.update(
            {
                "code": training_class.code,
                "name": training_class.name,
                "programme": training_class.programme_id,
                "unit": training_class.unit_id,
                "centre": training_class.centre_id,
                "start_date": training_class.start_date.strftime("%d/%m/%Y"),
                "end_date": training_class.end_date.strftime("%d/%m/%Y") if training_class.end_date else "",
                "learners": str(training_class.learners),
                "completed": str(training_class.completed),
                # The version as stored now, as the page would carry it.
                "expected_version": str(TrainingClass.objects.get(pk=training_class.pk).version),
            }
        )
    data.update(overrides)
    return data


def list_edit_data(*rows):
    data = {
        "form-TOTAL_FORMS": str(len(rows)),
        "form-INITIAL_FORMS": str(len(rows)),
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Lưu",
    }
    for index, (pk, learners, completed) in enumerate(rows):
        data.update(
            {
                f"form-{index}-id": pk,
                f"form-{index}-learners": learners,
                f"form-{index}-completed": completed,
                f"form-{index}-expected_version": str(TrainingClass.objects.get(pk=pk).version),
            }
        )
    return data


def page_messages(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def expected_lock_text(lock):
    when = date_format(timezone.localtime(lock.locked_at), "SHORT_DATETIME_FORMAT")
    return f"đã khóa bởi Ban Tuyên giáo từ {when}"


@pytest.fixture
def canloc_2023(db):
    return make_class("CL-2023-01", "443", start=datetime.date(2023, 3, 6))


@pytest.fixture
def unit_lock(province_user, unit_can_loc):
    return services.year_lock(user=province_user, year=2023, unit=unit_can_loc, reason="Đã công bố")


@pytest.fixture
def province_lock(province_user):
    return services.year_lock(user=province_user, year=2023)


@pytest.fixture
def district_client(client, district_user):
    client.force_login(district_user)
    return client


@pytest.fixture
def province_client(client, province_user):
    client.force_login(province_user)
    return client


def test_the_lock_message_names_the_year_the_scope_who_and_since_when(unit_lock, province_lock):
    when = date_format(timezone.localtime(unit_lock.locked_at), "SHORT_DATETIME_FORMAT")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", when)
    assert (
        access.year_lock_message(unit_lock)
        == f"Số liệu năm 2023 của Huyện Can Lộc đã khóa bởi Ban Tuyên giáo từ {when}."
    )
    assert access.year_lock_message(province_lock).startswith(
        "Số liệu năm 2023 của toàn tỉnh đã khóa bởi Ban Tuyên giáo"
    )


@pytest.mark.parametrize("lock_fixture", ["unit_lock", "province_lock"])
def test_district_staff_cannot_add_a_class_in_a_locked_year(request, district_client, district_user, lock_fixture):
    lock = request.getfixturevalue(lock_fixture)
    response = district_client.post(ADD_URL, form_data(unit=district_user.unit_id))
    assert response.status_code == 200
    assert expected_lock_text(lock) in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_a_lock_of_another_unit_does_not_stop_district_staff(
    district_client, district_user, province_user, unit_duc_tho
):
    services.year_lock(user=province_user, year=2023, unit=unit_duc_tho)
    response = district_client.post(ADD_URL, form_data(unit=district_user.unit_id))
    assert response.status_code == 302
    assert TrainingClass.objects.get().code == "CL-2023-MOI"


def test_a_locked_class_opens_read_only_with_the_reason(district_client, canloc_2023, unit_lock):
    response = district_client.get(change_url(canloc_2023))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert expected_lock_text(unit_lock) in response.content.decode()
    assert 'name="learners"' not in response.content.decode()


@pytest.mark.parametrize("lock_fixture", ["unit_lock", "province_lock"])
def test_changing_a_locked_class_is_refused_with_the_reason(request, district_client, canloc_2023, lock_fixture):
    lock = request.getfixturevalue(lock_fixture)
    response = district_client.post(change_url(canloc_2023), form_data(canloc_2023, learners="99", completed="90"))
    assert response.status_code == 302 and response["Location"] == change_url(canloc_2023)
    assert expected_lock_text(lock) in page_messages(response)
    canloc_2023.refresh_from_db()
    assert (canloc_2023.learners, canloc_2023.version) == (60, 1)


def test_moving_an_open_class_into_a_locked_year_is_refused(district_client, district_user, unit_lock):
    open_class = make_class("CL-2024-01", "443", start=datetime.date(2024, 4, 1))
    response = district_client.post(
        change_url(open_class), form_data(open_class, start_date="01/04/2023", end_date="05/04/2023")
    )
    assert response.status_code == 200
    assert expected_lock_text(unit_lock) in response.content.decode()
    open_class.refresh_from_db()
    assert open_class.year == 2024


@pytest.mark.parametrize("method", ["get", "post"])
def test_deleting_a_locked_class_is_refused_with_the_reason(district_client, canloc_2023, unit_lock, method):
    response = getattr(district_client, method)(delete_url(canloc_2023), {"post": "yes"} if method == "post" else None)
    assert response.status_code == 302
    assert expected_lock_text(unit_lock) in page_messages(response)
    assert TrainingClass.objects.filter(pk=canloc_2023.pk).exists()


@pytest.mark.parametrize("confirmed", [False, True])
def test_a_bulk_delete_touching_a_locked_year_deletes_nothing_and_names_the_classes(
    district_client, canloc_2023, unit_lock, confirmed
):
    open_class = make_class("CL-2024-01", "443", start=datetime.date(2024, 4, 1))
    data = {"action": "delete_selected", "_selected_action": [canloc_2023.pk, open_class.pk]}
    if confirmed:
        data["post"] = "yes"
    response = district_client.post(LIST_URL, data)
    assert response.status_code == 302
    text = page_messages(response)
    assert "Không xóa lớp nào." in text and "lớp CL-2023-01:" in text and expected_lock_text(unit_lock) in text
    assert "CL-2024-01" not in text
    assert TrainingClass.objects.count() == 2


def test_a_bulk_delete_of_open_years_asks_then_deletes_and_keeps_the_author(district_client, district_user):
    first = make_class("CL-2024-01", "443", start=datetime.date(2024, 4, 1))
    second = make_class("CL-2024-02", "443", start=datetime.date(2024, 5, 1))
    data = {"action": "delete_selected", "_selected_action": [first.pk, second.pk]}
    assert district_client.post(LIST_URL, data).status_code == 200  # the confirmation page
    assert TrainingClass.objects.count() == 2
    response = district_client.post(LIST_URL, {**data, "post": "yes"})
    assert response.status_code == 302
    assert not TrainingClass.objects.exists()
    deletions = TrainingClass.history.filter(history_type="-")
    assert sorted(deletions.values_list("code", flat=True)) == ["CL-2024-01", "CL-2024-02"]
    assert {record.history_user for record in deletions} == {district_user}


def test_list_editing_a_locked_row_saves_no_row_and_says_why(district_client, canloc_2023, unit_lock):
    open_class = make_class("CL-2024-01", "443", start=datetime.date(2024, 4, 1))
    response = district_client.post(LIST_URL, list_edit_data((canloc_2023.pk, "99", "90"), (open_class.pk, "70", "70")))
    assert response.status_code == 200
    assert expected_lock_text(unit_lock) in response.content.decode()
    assert list(TrainingClass.objects.order_by("code").values_list("learners", flat=True)) == [60, 60]


def test_reverting_a_locked_class_to_an_old_version_is_refused(
    district_client, district_user, province_user, unit_can_loc
):
    training_class = services.class_create(
        user=district_user,
        code="CL-2023-01",
        name="Tên cũ",
        programme=Programme.objects.get(code="NTD"),
        unit=unit_can_loc,
        start_date=datetime.date(2023, 3, 6),
        learners=60,
        completed=58,
    )
    training_class.name = "Tên mới"
    services.class_save(user=district_user, training_class=training_class)
    lock = services.year_lock(user=province_user, year=2023)
    old_version = training_class.history.earliest()
    url = reverse("admin:classes_trainingclass_simple_history", args=[training_class.pk, old_version.history_id])
    assert district_client.get(url).status_code == 200
    response = district_client.post(url, form_data(training_class, name="Tên cũ"))
    assert response.status_code == 302
    assert expected_lock_text(lock) in page_messages(response)
    training_class.refresh_from_db()
    assert training_class.name == "Tên mới"


def test_the_board_corrects_a_locked_year_and_the_history_says_so(
    province_client, province_user, canloc_2023, unit_lock
):
    response = province_client.post(change_url(canloc_2023), form_data(canloc_2023, learners="65", completed="60"))
    assert response.status_code == 302 and response["Location"] == LIST_URL
    canloc_2023.refresh_from_db()
    assert (canloc_2023.learners, canloc_2023.version) == (65, 2)
    record = canloc_2023.history.latest()
    assert (record.history_type, record.history_user, record.learners) == ("~", province_user, 65)
    assert record.history_change_reason == "Sửa số liệu năm 2023 đã khóa"
    assert record.prev_record.learners == 60


def test_the_board_may_bulk_delete_in_a_locked_year(province_client, province_user, canloc_2023, province_lock):
    response = province_client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": [canloc_2023.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert not TrainingClass.objects.exists()
    record = TrainingClass.history.get(history_type="-")
    assert (record.history_user, record.history_change_reason) == (province_user, "Xóa lớp của năm 2023 đã khóa")


def test_the_services_refuse_district_writes_in_a_locked_year(district_user, canloc_2023, unit_lock):
    from django.core.exceptions import ValidationError

    canloc_2023.learners = 10
    canloc_2023.completed = 10
    with pytest.raises(ValidationError, match="đã khóa bởi"):
        services.class_save(user=district_user, training_class=canloc_2023)
    with pytest.raises(ValidationError, match="đã khóa bởi"):
        services.class_delete(user=district_user, training_class=canloc_2023)
    with pytest.raises(ValidationError, match="Không xóa lớp nào"):
        services.classes_delete(user=district_user, queryset=TrainingClass.objects.all())
    canloc_2023.refresh_from_db()
    assert canloc_2023.learners == 60


# --- the lock screens ---


def test_the_board_locks_the_whole_province_from_the_admin(province_client, province_user):
    response = province_client.post(
        LOCK_ADD_URL, {"year": "2023", "unit": "", "reason": "Đã công bố tại hội nghị 28/11/2023"}
    )
    assert response.status_code == 302
    lock = YearLock.objects.get()
    assert (lock.year, lock.unit, lock.locked_by) == (2023, None, province_user)
    assert "Số liệu năm 2023 của toàn tỉnh đã khóa bởi Ban Tuyên giáo" in page_messages(response)


def test_the_board_locks_one_unit_and_a_second_lock_of_the_same_year_is_refused(province_client, unit_can_loc):
    assert province_client.post(LOCK_ADD_URL, {"year": "2023", "unit": unit_can_loc.pk}).status_code == 302
    response = province_client.post(LOCK_ADD_URL, {"year": "2023", "unit": unit_can_loc.pk})
    assert response.status_code == 200
    assert "Khóa số liệu năm với thông tin Năm và Đơn vị đã tồn tại" in response.content.decode()
    response = province_client.post(LOCK_ADD_URL, {"year": "2024", "unit": ""})
    response = province_client.post(LOCK_ADD_URL, {"year": "2024", "unit": ""})
    assert "Năm này đã được khóa cho toàn tỉnh." in response.content.decode()
    assert YearLock.objects.count() == 2


def test_reopening_a_year_lets_district_staff_change_it_again(province_client, district_user, canloc_2023, unit_lock):
    url = reverse("admin:classes_yearlock_delete", args=[unit_lock.pk])
    assert province_client.post(url, {"post": "yes"}).status_code == 302
    assert not YearLock.objects.exists()
    canloc_2023.learners = 70
    services.class_save(user=district_user, training_class=canloc_2023)
    assert TrainingClass.objects.get().learners == 70


def test_district_staff_see_only_the_locks_that_bind_them_and_cannot_change_them(
    district_client, province_user, unit_lock, province_lock, unit_duc_tho
):
    other = services.year_lock(user=province_user, year=2022, unit=unit_duc_tho)
    response = district_client.get(LOCK_LIST_URL)
    assert response.status_code == 200
    assert sorted(lock.pk for lock in response.context["cl"].result_list) == sorted([unit_lock.pk, province_lock.pk])
    assert "Đức Thọ" not in response.content.decode()
    assert district_client.get(LOCK_ADD_URL).status_code == 403
    assert district_client.post(LOCK_ADD_URL, {"year": "2024", "unit": ""}).status_code == 403
    assert (
        district_client.post(reverse("admin:classes_yearlock_delete", args=[unit_lock.pk]), {"post": "yes"}).status_code
        == 403
    )
    assert district_client.get(reverse("admin:classes_yearlock_change", args=[other.pk])).status_code == 404
    assert YearLock.objects.count() == 3


def test_a_lock_set_while_a_bulk_delete_is_confirmed_deletes_nothing_and_logs_nothing(
    district_client, province_user, unit_can_loc, monkeypatch
):
    from django.contrib.admin.models import LogEntry

    training_class = make_class("CL-2024-01", "443", start=datetime.date(2024, 4, 1))
    real_delete = services.classes_delete

    def lock_first(*, user, queryset):
        services.year_lock(user=province_user, year=2024, unit=unit_can_loc)
        return real_delete(user=user, queryset=queryset)

    monkeypatch.setattr(services, "classes_delete", lock_first)
    response = district_client.post(
        LIST_URL, {"action": "delete_selected", "_selected_action": [training_class.pk], "post": "yes"}
    )
    assert response.status_code == 302
    assert "lớp CL-2024-01: Số liệu năm 2024 của Huyện Can Lộc đã khóa bởi Ban Tuyên giáo" in page_messages(response)
    assert TrainingClass.objects.filter(pk=training_class.pk).exists()
    assert not LogEntry.objects.exists()


def test_a_locked_row_left_untouched_in_the_list_does_not_block_the_other_rows(district_client, canloc_2023, unit_lock):
    open_class = make_class("CL-2024-01", "443", start=datetime.date(2024, 4, 1))
    # What the browser posts: every row of the page with every field of its form.
    formset = district_client.get(LIST_URL).context["cl"].formset
    data = {f"form-{key}": value for key, value in formset.management_form.initial.items()}
    for form in formset.forms:
        data.update({form.add_prefix(name): form[name].value() for name in form.fields})
        if form.instance == open_class:
            data[form.add_prefix("learners")], data[form.add_prefix("completed")] = "70", "70"
    response = district_client.post(LIST_URL, {**data, "_save": "Lưu"})
    assert response.status_code == 302
    open_class.refresh_from_db()
    canloc_2023.refresh_from_db()
    assert (open_class.learners, canloc_2023.learners, canloc_2023.version) == (70, 60, 1)


def test_the_class_list_names_the_locks_that_bind_the_user_and_no_others(
    district_client, unit_lock, province_user, unit_duc_tho
):
    services.year_lock(user=province_user, year=2022, unit=unit_duc_tho)
    page = district_client.get(LIST_URL).content.decode()
    notes = re.search(r'<ul class="messagelist" id="year-locks">(.*?)</ul>', page, re.S).group(1)
    assert access.year_lock_message(unit_lock) in notes
    assert "Đức Thọ" not in notes
