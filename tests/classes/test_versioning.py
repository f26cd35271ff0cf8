"""No lost edits: a save made from a stale form is refused with who changed what."""

import re
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.urls import reverse

from classes import services
from classes.models import AdministrativeUnit, AnnualPlan, Commendation, Programme, TrainingClass
from classes.versioning import EditConflict
from tests.classes.admin.test_class_entry import class_form
from tests.factories import PASSWORD, make_class

CONFLICT = "vừa được"


def change_url(training_class):
    return reverse("admin:classes_trainingclass_change", args=[training_class.pk])


def loaded_version(client, url):
    page = client.get(url).content.decode()
    return int(re.search(r'name="expected_version" value="(\d+)"', page).group(1))


def edit_form(training_class, version, **changes):
    data = class_form(
        code=training_class.code,
        name=training_class.name,
        unit=training_class.unit_id,
        centre=training_class.centre_id,
        start_date="06/03/2023",
        end_date="10/03/2023",
        learners="60",
        completed="58",
        excellent="0",
        good="0",
        fair="0",
        average="0",
        failed="0",
    )
    data.update(expected_version=str(version), **changes)
    return data


@pytest.fixture
def two_staff(district_user, province_user):
    first, second = Client(), Client()
    first.force_login(district_user)
    second.force_login(province_user)
    return first, second


def test_the_second_of_two_overlapping_edits_is_refused_and_told_what_changed(two_staff, db):
    training_class = make_class("CL-2023-01", "443", learners=60, completed=58)
    first, second = two_staff
    url = change_url(training_class)
    first_version, second_version = loaded_version(first, url), loaded_version(second, url)
    assert first_version == second_version == 1

    assert first.post(url, edit_form(training_class, first_version, learners="75", completed="70")).status_code == 302
    response = second.post(url, edit_form(training_class, second_version, notes="Bổ sung ghi chú"))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Lớp «CL-2023-01» vừa được canloc sửa lúc" in page
    assert "số học viên: 60 → 75" in page and "số hoàn thành: 58 → 70" in page
    assert "Hãy tải lại trang" in page
    training_class.refresh_from_db()
    assert (training_class.learners, training_class.completed, training_class.notes) == (75, 70, "")
    assert training_class.version == 2
    assert training_class.history.count() == 2


def test_after_reloading_the_second_editor_saves_on_top_of_the_first(two_staff, db):
    training_class = make_class("CL-2023-01", "443", learners=60, completed=58)
    first, second = two_staff
    url = change_url(training_class)
    stale = loaded_version(second, url)
    first.post(url, edit_form(training_class, loaded_version(first, url), learners="75", completed="70"))
    assert CONFLICT in second.post(url, edit_form(training_class, stale, notes="x")).content.decode()
    fresh = loaded_version(second, url)
    assert fresh == 2
    response = second.post(url, edit_form(training_class, fresh, learners="75", completed="70", notes="Đã đối chiếu"))
    assert response.status_code == 302
    training_class.refresh_from_db()
    assert (training_class.learners, training_class.notes, training_class.version) == (75, "Đã đối chiếu", 3)


def list_edit(client, training_class, version, learners):
    return client.post(
        reverse("admin:classes_trainingclass_changelist"),
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": training_class.pk,
            "form-0-expected_version": str(version),
            "form-0-learners": learners,
            "form-0-completed": "58",
            "_save": "Lưu",
        },
    )


def test_the_editable_list_carries_each_rows_version_and_refuses_a_stale_save(two_staff, db):
    training_class = make_class("CL-2023-01", "443", learners=60, completed=58)
    first, second = two_staff
    page = second.get(reverse("admin:classes_trainingclass_changelist")).content.decode()
    assert re.search(
        rf'name="form-0-id" value="{training_class.pk}"[^>]*>\s*<input type="hidden" name="form-0-expected_version" value="1"',
        page,
    )

    assert first.post(change_url(training_class), edit_form(training_class, 1, learners="80")).status_code == 302
    response = list_edit(second, training_class, 1, "90")
    assert response.status_code == 200
    assert "Lớp «CL-2023-01» vừa được canloc sửa" in response.content.decode()
    training_class.refresh_from_db()
    assert (training_class.learners, training_class.version) == (80, 2)
    assert list_edit(second, training_class, 2, "90").status_code == 302
    training_class.refresh_from_db()
    assert (training_class.learners, training_class.version) == (90, 3)


def test_the_service_refuses_a_stale_version_on_every_path(district_user, db):
    training_class = make_class("CL-2023-01", "443", learners=60, completed=58)
    copy_a = TrainingClass.objects.get(pk=training_class.pk)
    copy_b = TrainingClass.objects.get(pk=training_class.pk)
    copy_a.learners = 65
    services.class_save(user=district_user, training_class=copy_a, expected_version=1)
    copy_b.notes = "muộn"
    with pytest.raises(EditConflict) as refused:
        services.class_save(user=district_user, training_class=copy_b, expected_version=1)
    assert "số học viên: 60 → 65" in refused.value.messages[0]
    training_class.refresh_from_db()
    assert (training_class.learners, training_class.notes, training_class.version) == (65, "", 2)


def test_a_race_past_the_check_is_still_caught_by_the_conditional_update(district_user, db):
    training_class = make_class("CL-2023-01", "443")
    stale = TrainingClass.objects.get(pk=training_class.pk)
    TrainingClass.objects.filter(pk=training_class.pk).update(version=2)  # someone saved meanwhile
    from classes import versioning

    with pytest.raises(EditConflict):
        versioning.claim_version(stale)
    assert TrainingClass.objects.get(pk=training_class.pk).version == 2


def test_commendations_are_protected_the_same_way(province_user, db):
    colleague = services.user_save(username="tinh2", role="province", password=PASSWORD)
    commendation = Commendation.objects.create(
        year=2023,
        recipient="Trung tâm Chính trị huyện Can Lộc",
        decision_number="12-QĐ/BTGTU",
        decision_date="2023-12-20",
    )
    url = reverse("admin:classes_commendation_change", args=[commendation.pk])
    first, second = Client(), Client()
    first.force_login(province_user)
    second.force_login(colleague)
    form = {
        "year": "2023",
        "form": "giay_khen",
        "recipient_kind": "tap_the",
        "recipient": "Trung tâm Chính trị huyện Can Lộc",
        "unit": "",
        "centre": "",
        "decision_number": "12-QĐ/BTGTU",
        "decision_date": "20/12/2023",
        "issuer": "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh",
        "achievement": "",
    }
    stale = loaded_version(second, url)
    assert (
        first.post(
            url, {**form, "expected_version": loaded_version(first, url), "decision_number": "15-QĐ/BTGTU"}
        ).status_code
        == 302
    )
    response = second.post(url, {**form, "expected_version": stale, "achievement": "Xuất sắc"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Khen thưởng «Trung tâm Chính trị huyện Can Lộc» vừa được" in page
    assert "số quyết định: 12-QĐ/BTGTU → 15-QĐ/BTGTU" in page
    commendation.refresh_from_db()
    assert (commendation.decision_number, commendation.achievement, commendation.version) == ("15-QĐ/BTGTU", "", 2)


def test_a_stale_plan_save_is_refused_in_vietnamese_and_nothing_is_written(two_staff, db):
    plan = AnnualPlan.objects.create(
        year=2023,
        unit=AdministrativeUnit.objects.get(code="443"),
        programme=Programme.objects.get(code="NTD"),
        planned_classes=4,
        planned_learners=250,
    )
    url = reverse("admin:classes_annualplan_change", args=[plan.pk])
    first, second = two_staff
    form = {"year": "2023", "unit": plan.unit_id, "programme": plan.programme_id, "note": ""}
    stale = loaded_version(second, url)
    fresh = {**form, "planned_classes": "5", "planned_learners": "250", "expected_version": loaded_version(first, url)}
    assert first.post(url, fresh).status_code == 302
    late = {**form, "planned_classes": "4", "planned_learners": "300", "expected_version": stale}
    response = second.post(url, late)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Kế hoạch năm «{plan.pk}» vừa được" in page
    assert "số lớp kế hoạch: 4 → 5" in page
    assert "bản của bạn chưa được lưu" in page
    plan.refresh_from_db()
    assert (plan.planned_classes, plan.planned_learners, plan.version) == (5, 250, 2)
    assert plan.history.count() == 2


# Two real sessions at once: each thread has its own database connection. SQLite's
# in-memory test database locks whole tables instead of waiting, so this runs on
# PostgreSQL, the production database; the tests above cover the same rules on both.
@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_sessions_on_postgresql_one_save_wins_the_other_is_refused(district_user, province_user):
    training_class = make_class("CL-2023-01", "443", learners=60, completed=58)
    url = change_url(training_class)
    clients = [Client(), Client()]
    clients[0].force_login(district_user)
    clients[1].force_login(province_user)
    versions = [loaded_version(client, url) for client in clients]
    edits = [{"learners": "75", "completed": "70"}, {"learners": "90", "completed": "88"}]
    start = threading.Barrier(2)
    responses = [None, None]

    def save(index):
        try:
            start.wait()
            responses[index] = clients[index].post(url, edit_form(training_class, versions[index], **edits[index]))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=save, args=(index,)) for index in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [200, 302]
    winner = next(index for index, response in enumerate(responses) if response.status_code == 302)
    loser = responses[1 - winner].content.decode()
    assert "vừa được" in loser and "Hãy tải lại trang" in loser
    training_class.refresh_from_db()
    assert training_class.learners == int(edits[winner]["learners"])
    assert training_class.version == 2 and training_class.history.count() == 2
    assert connection.vendor == "postgresql"


def test_reverting_from_the_history_page_carries_the_current_version_not_the_old_ones(two_staff, db):
    training_class = make_class("CL-2023-01", "443", learners=60, completed=58)
    first, _second = two_staff
    url = change_url(training_class)
    assert first.post(url, edit_form(training_class, 1, learners="75", completed="70")).status_code == 302
    earliest = training_class.history.earliest()
    revert_url = reverse("admin:classes_trainingclass_simple_history", args=[training_class.pk, earliest.history_id])
    version = loaded_version(first, revert_url)
    assert version == 2
    response = first.post(revert_url, edit_form(training_class, version))
    assert response.status_code == 302
    training_class.refresh_from_db()
    assert (training_class.learners, training_class.version) == (60, 3)
