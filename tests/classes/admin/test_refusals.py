"""Bad values, locks and stale edits through the admin: each answered with a Vietnamese
reason and nothing written, never a server error."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from classes import access, services
from classes.models import (
    MAX_COUNT,
    AnnualPlan,
    Commendation,
    LearningNeedsSurvey,
    Programme,
    TrainingClass,
)
from tests.classes.test_year_locks import (
    ADD_URL,
    LIST_URL,
    change_url,
    form_data,
    list_edit_data,
)
from tests.factories import make_class

ADMIN = "admin:classes_{}_{}"


def page_messages(response):
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.fixture
def district_client(client, district_user):
    client.force_login(district_user)
    return client


@pytest.fixture
def province_client(client, province_user):
    client.force_login(province_user)
    return client


# --- list edit -------------------------------------------------------------------------------


def test_a_list_edit_with_completed_below_the_results_gets_the_row_error(district_client, db):
    training_class = make_class("CL-2023-01", "443", learners=60, completed=58, excellent=30)
    response = district_client.post(LIST_URL, list_edit_data((training_class.pk, "60", "20")))
    assert response.status_code == 200
    assert "Tổng kết quả (30) lớn hơn số hoàn thành (20)." in response.content.decode()
    training_class.refresh_from_db()
    assert training_class.completed == 58


# --- history revert ----------------------------------------------------------------------------


def test_reverting_to_a_version_in_a_locked_year_is_refused_with_the_lock(
    district_client, district_user, province_user, unit_can_loc
):
    training_class = services.class_create(
        user=district_user,
        code="CL-2023-01",
        name="Lớp",
        programme=Programme.objects.get(code="NTD"),
        unit=unit_can_loc,
        start_date=datetime.date(2023, 3, 6),
        learners=60,
        completed=58,
    )
    training_class.start_date = datetime.date(2024, 3, 6)
    training_class.end_date = None
    services.class_save(user=district_user, training_class=training_class)
    lock = services.year_lock(user=province_user, year=2023, unit=unit_can_loc)
    old_version = training_class.history.earliest()
    url = reverse("admin:classes_trainingclass_simple_history", args=[training_class.pk, old_version.history_id])
    assert district_client.get(url).status_code == 200
    response = district_client.post(url, form_data(training_class, start_date="06/03/2023", expected_version="2"))
    assert response.status_code in (200, 302)
    text = page_messages(response) + response.content.decode()
    assert access.year_lock_message(lock) in text
    training_class.refresh_from_db()
    assert (training_class.start_date, training_class.version) == (datetime.date(2024, 3, 6), 2)
    assert training_class.history.count() == 2


# --- counts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("field", TrainingClass.COUNT_FIELDS)
def test_a_count_above_the_ceiling_is_refused_by_the_form(district_client, district_user, field):
    values = dict.fromkeys(TrainingClass.RESULT_FIELDS, "0") | {"learners": "60", "completed": "58"}
    values[field] = str(2**63 - 1)
    response = district_client.post(ADD_URL, form_data(unit=district_user.unit_id, **values))
    assert response.status_code == 200
    assert "không được lớn hơn 100.000" in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_a_count_above_the_ceiling_is_refused_by_the_list_edit(district_client, db):
    training_class = make_class("CL-2023-01", "443")
    response = district_client.post(LIST_URL, list_edit_data((training_class.pk, str(MAX_COUNT + 1), "58")))
    assert response.status_code == 200
    assert "không được lớn hơn 100.000" in response.content.decode()
    training_class.refresh_from_db()
    assert training_class.learners == 60


@pytest.mark.parametrize(
    "model, field",
    [
        (TrainingClass, "learners"),
        (AnnualPlan, "planned_learners"),
        (AnnualPlan, "planned_classes"),
        (LearningNeedsSurvey, "people_needing"),
    ],
)
def test_the_database_refuses_a_count_above_the_ceiling(db, model, field):
    assert model._meta.get_field(field).validators  # the form and import refuse it first
    if model is TrainingClass:
        row = make_class("CL-2023-01", "443")
    elif model is AnnualPlan:
        row = AnnualPlan.objects.create(year=2023, unit_id=1, programme=Programme.objects.first())
    else:
        row = LearningNeedsSurvey.objects.create(
            year=2023,
            unit_id=1,
            programme=Programme.objects.first(),
            people_needing=1,
            survey_date=datetime.date(2023, 1, 1),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        model.objects.filter(pk=row.pk).update(**{field: MAX_COUNT + 1})


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("day", ["01/01/0001", "31/12/1944", "01/01/2101", "01/01/9999"])
def test_a_start_date_outside_1945_to_2100_is_refused(district_client, district_user, day):
    response = district_client.post(ADD_URL, form_data(unit=district_user.unit_id, start_date=day, end_date=""))
    assert response.status_code == 200
    assert "phải trong khoảng 1945–2100" in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_a_commendation_decision_dated_year_one_is_refused(province_client, unit_can_loc):
    response = province_client.post(
        reverse(ADMIN.format("commendation", "add")),
        {
            "year": "2023",
            "form": "giay_khen",
            "recipient_kind": "tap_the",
            "recipient": "Huyện ủy Can Lộc",
            "unit": unit_can_loc.pk,
            "centre": "",
            "decision_number": "1-QĐ",
            "decision_date": "01/01/0001",
            "issuer": "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh",
            "achievement": "",
        },
    )
    assert response.status_code == 200
    assert "phải trong khoảng 1945–2100" in response.content.decode()
    assert not Commendation.objects.exists()


def test_the_database_refuses_a_class_dated_year_one(db):
    training_class = make_class("CL-2023-01", "443")
    with pytest.raises(IntegrityError), transaction.atomic():
        TrainingClass.objects.filter(pk=training_class.pk).update(
            start_date=datetime.date(1, 1, 1), end_date=None, year=1
        )


# --- digits of other scripts -------------------------------------------------------------------


@pytest.mark.parametrize("digits", ["٣", "１２", "६०", "٣٠"])
def test_digits_of_other_scripts_are_refused_by_the_form(district_client, district_user, digits):
    response = district_client.post(ADD_URL, form_data(unit=district_user.unit_id, learners=digits, completed="0"))
    assert response.status_code == 200
    assert "chỉ gồm chữ số 0–9" in response.content.decode()
    assert not TrainingClass.objects.exists()


def test_digits_of_other_scripts_are_refused_by_the_list_edit(district_client, db):
    training_class = make_class("CL-2023-01", "443")
    response = district_client.post(LIST_URL, list_edit_data((training_class.pk, "６０", "58")))
    assert response.status_code == 200
    assert "chỉ gồm chữ số 0–9" in response.content.decode()


def test_grouped_ascii_numbers_still_read_as_thousands(district_client, district_user):
    response = district_client.post(ADD_URL, form_data(unit=district_user.unit_id, learners="1.234", completed="1.200"))
    assert response.status_code == 302
    assert TrainingClass.objects.get().learners == 1234


# --- edit conflicts ----------------------------------------------------------------------------


def test_a_class_change_posted_without_the_version_is_refused(district_client, db):
    training_class = make_class("CL-2023-01", "443")
    data = form_data(training_class, name="Tên mới")
    data.pop("expected_version", None)
    response = district_client.post(change_url(training_class), data)
    assert response.status_code == 200
    assert "phiên bản" in response.content.decode()
    training_class.refresh_from_db()
    assert (training_class.name, training_class.version) == ("Lớp CL-2023-01", 1)


def test_a_list_edit_posted_without_the_version_is_refused(district_client, db):
    training_class = make_class("CL-2023-01", "443")
    data = list_edit_data((training_class.pk, "70", "58"))
    del data["form-0-expected_version"]
    response = district_client.post(LIST_URL, data)
    assert response.status_code == 200
    assert "phiên bản" in response.content.decode()
    training_class.refresh_from_db()
    assert training_class.learners == 60


def test_a_commendation_change_posted_without_the_version_is_refused(province_client, unit_can_loc):
    commendation = Commendation.objects.create(
        year=2023,
        recipient="Huyện ủy Can Lộc",
        unit=unit_can_loc,
        decision_number="1-QĐ",
        decision_date=datetime.date(2023, 5, 1),
    )
    response = province_client.post(
        reverse(ADMIN.format("commendation", "change"), args=[commendation.pk]),
        {
            "year": "2023",
            "form": "giay_khen",
            "recipient_kind": "tap_the",
            "recipient": "Tên khác",
            "unit": unit_can_loc.pk,
            "centre": "",
            "decision_number": "1-QĐ",
            "decision_date": "01/05/2023",
            "issuer": "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh",
            "achievement": "",
        },
    )
    assert response.status_code == 200
    assert "phiên bản" in response.content.decode()
    commendation.refresh_from_db()
    assert commendation.recipient == "Huyện ủy Can Lộc"


def test_a_plan_change_posted_without_the_version_is_refused(district_client, unit_can_loc):
    plan = AnnualPlan.objects.create(
        year=2023,
        unit=unit_can_loc,
        programme=Programme.objects.get(code="NTD"),
        planned_classes=2,
        planned_learners=100,
    )
    response = district_client.post(
        reverse(ADMIN.format("annualplan", "change"), args=[plan.pk]),
        {
            "year": "2023",
            "unit": unit_can_loc.pk,
            "programme": plan.programme_id,
            "planned_classes": "3",
            "planned_learners": "150",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "phiên bản" in response.content.decode()
    plan.refresh_from_db()
    assert plan.planned_classes == 2


# --- bulk actions: all or nothing --------------------------------------------------------------


def plan_row(unit, code, year=2024):
    return AnnualPlan.objects.create(
        year=year, unit=unit, programme=Programme.objects.get(code=code), planned_classes=1, planned_learners=50
    )


def survey_row(unit, code, year=2024):
    return LearningNeedsSurvey.objects.create(
        year=year,
        unit=unit,
        programme=Programme.objects.get(code=code),
        people_needing=80,
        survey_date=datetime.date(2023, 11, 1),
    )


@pytest.mark.parametrize("model, make", [(AnnualPlan, plan_row), (LearningNeedsSurvey, survey_row)])
def test_a_lock_set_between_the_confirmation_and_the_bulk_delete_deletes_nothing(
    district_client, province_user, unit_can_loc, model, make
):
    from django.contrib.admin.models import LogEntry

    rows = [make(unit_can_loc, "NTD"), make(unit_can_loc, "DVM")]
    url = reverse(ADMIN.format(model._meta.model_name, "changelist"))
    selection = {"action": "delete_selected", "_selected_action": [row.pk for row in rows]}
    assert district_client.post(url, selection).status_code == 200  # the confirmation page
    lock = services.year_lock(user=province_user, year=2024, unit=unit_can_loc)
    response = district_client.post(url, {**selection, "post": "yes"})
    assert response.status_code == 302
    assert access.year_lock_message(lock) in page_messages(response)
    assert model.objects.count() == 2
    assert not LogEntry.objects.exists()


@pytest.mark.parametrize(
    "model, make, service",
    [
        (AnnualPlan, plan_row, "plan_delete"),
        (LearningNeedsSurvey, survey_row, "survey_delete"),
    ],
)
def test_a_lock_set_during_a_bulk_delete_rolls_back_the_rows_already_deleted(
    district_client, province_user, unit_can_loc, monkeypatch, model, make, service
):
    rows = [make(unit_can_loc, "NTD"), make(unit_can_loc, "DVM")]
    real_delete = getattr(services, service)
    calls = []

    def lock_after_the_first(**kwargs):
        if calls:
            services.year_lock(user=province_user, year=2024, unit=unit_can_loc)
        calls.append(kwargs)
        return real_delete(**kwargs)

    monkeypatch.setattr(services, service, lock_after_the_first)
    url = reverse(ADMIN.format(model._meta.model_name, "changelist"))
    response = district_client.post(
        url, {"action": "delete_selected", "_selected_action": [row.pk for row in rows], "post": "yes"}
    )
    assert response.status_code == 302
    assert "đã khóa bởi Ban Tuyên giáo" in page_messages(response)
    assert len(calls) == 2
    assert model.objects.count() == 2


def test_accepting_reports_is_all_or_nothing(province_client, province_user, district_user, unit_can_loc, unit_duc_tho):
    from classes.models import UnitReport

    first = services.unit_report_submit(user=province_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    second = services.unit_report_submit(user=province_user, unit=unit_duc_tho, year=2023, note="Năm thử chưa nhập lớp")
    services.unit_report_accept(user=province_user, report=second)
    response = province_client.post(
        reverse(ADMIN.format("unitreport", "changelist")),
        {
            "action": "accept",
            "_selected_action": [first.pk, second.pk],
        },
    )
    assert response.status_code == 302
    assert "Không thực hiện với báo cáo nào." in page_messages(response)
    first.refresh_from_db()
    assert first.status == UnitReport.Status.SUBMITTED


@pytest.mark.parametrize("model_name", ["centreassessment", "trainingclass", "programme", "annualplan"])
def test_an_action_on_a_selection_that_is_not_a_row_id_is_refused_with_a_message(province_client, model_name):
    response = province_client.post(
        reverse(ADMIN.format(model_name, "changelist")),
        {
            "action": "delete_selected",
            "_selected_action": ["", "١"],
            "post": "yes",
        },
    )
    assert response.status_code == 302
    assert "có mục được chọn không hợp lệ" in page_messages(response)
