"""Data entry through the admin screens."""

import re

import pytest
from django.urls import reverse

from classes.models import Programme, TrainingCentre, TrainingClass
from tests.conftest import make_class

ADD_URL = reverse("admin:classes_trainingclass_add")
LIST_URL = reverse("admin:classes_trainingclass_changelist")


def class_form(**overrides):
    data = {
        "code": "CL-2024-01",
        "name": "Lớp bồi dưỡng nhận thức về Đảng khóa 1",
        "programme": Programme.objects.get(code="NTD").pk,
        "unit": "",
        "centre": "",
        "venue": "tai_trung_tam",
        "status": "da_ket_thuc",
        "start_date": "05/03/2024",
        "end_date": "09/03/2024",
        "learners": "120",
        "completed": "118",
        "excellent": "10",
        "good": "50",
        "fair": "50",
        "average": "8",
        "failed": "0",
        "notes": "",
    }
    data.update(overrides)
    return data


@pytest.fixture
def district_client(client, district_user):
    client.force_login(district_user)
    return client


def test_anonymous_visitors_are_sent_to_the_login(client, db):
    response = client.get("/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    login = client.get("/admin/login/")
    assert "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh" in login.content.decode()


def test_a_logged_in_user_starts_on_the_yearly_report(district_client):
    assert district_client.get("/")["Location"] == reverse("reports:home")


def test_district_staff_add_a_class_and_get_their_unit_and_centre(district_client, district_user):
    response = district_client.post(ADD_URL, class_form(unit=district_user.unit_id))
    assert response.status_code == 302, response.content.decode()[:3000]
    created = TrainingClass.objects.get(code="CL-2024-01")
    assert created.start_date.isoformat() == "2024-03-05"  # read day first
    assert created.year == 2024
    assert created.centre.code == "TTCT-443"
    assert created.created_by == district_user and created.updated_by == district_user


def test_the_add_form_offers_only_the_users_own_unit_and_centres(district_client, district_user):
    form = district_client.get(ADD_URL).context["adminform"].form
    assert list(form.fields["unit"].queryset.values_list("code", flat=True)) == ["443"]
    assert list(form.fields["centre"].queryset.values_list("code", flat=True)) == ["TTCT-443"]
    assert form.fields["unit"].initial == district_user.unit_id


def test_district_staff_cannot_put_another_unit_in_the_form(district_client, unit_duc_tho):
    response = district_client.post(ADD_URL, class_form(unit=unit_duc_tho.pk))
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not TrainingClass.objects.exists()


def test_bad_values_show_vietnamese_messages_and_save_nothing(district_client, district_user):
    response = district_client.post(
        ADD_URL, class_form(unit=district_user.unit_id, learners="120", completed="130", end_date="01/03/2024")
    )
    page = response.content.decode()
    assert "Số hoàn thành (130) lớn hơn số học viên (120)." in page
    assert "Ngày bế giảng (01/03/2024) không được trước ngày khai giảng (05/03/2024)." in page
    assert not TrainingClass.objects.exists()


def test_the_class_list_shows_the_totals_of_the_current_filter(client, province_user, small_dataset):
    client.force_login(province_user)
    page = client.get(LIST_URL, {"year": "2023"}).content.decode()
    totals = re.sub(r"\s+", " ", re.search(r'id="class-totals">(.*?)</p>', page, re.S).group(1))
    # 2023: six classes (one cancelled), 60+70+50+40+50+20 learners.
    assert "<strong>6</strong> lớp, <strong>290</strong> học viên" in totals


def test_learner_counts_are_editable_in_the_list(client, province_user, db):
    training_class = make_class("CL-1", "443", learners=60, completed=58)
    client.force_login(province_user)
    response = client.post(
        LIST_URL,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": training_class.pk,
            "form-0-expected_version": "1",
            "form-0-learners": "1.234",
            "form-0-completed": "1.200",
            "_save": "Lưu",
        },
    )
    assert response.status_code == 302
    training_class.refresh_from_db()
    assert (training_class.learners, training_class.completed) == (1234, 1200)
    assert training_class.version == 2


def test_list_editing_still_checks_the_rules(client, province_user, db):
    training_class = make_class("CL-1", "443", learners=60, completed=58)
    client.force_login(province_user)
    response = client.post(
        LIST_URL,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-MIN_NUM_FORMS": "0",
            "form-MAX_NUM_FORMS": "1000",
            "form-0-id": training_class.pk,
            "form-0-expected_version": "1",
            "form-0-learners": "50",
            "form-0-completed": "58",
            "_save": "Lưu",
        },
    )
    assert response.status_code == 200
    assert "Số hoàn thành (58) lớn hơn số học viên (50)." in response.content.decode()
    training_class.refresh_from_db()
    assert training_class.learners == 60


def test_the_admin_speaks_vietnamese(client, province_user):
    client.force_login(province_user)
    page = client.get(ADD_URL).content.decode()
    for label in ("Mã lớp", "Chương trình", "Ngày khai giảng", "Số học viên", "Hình thức"):
        assert label in page
    assert TrainingCentre.objects.count() == 83  # 13 district centres, the school, 69 party committees


def test_the_class_list_drills_down_by_year_and_month_of_the_start_date(client, province_user, small_dataset):
    client.force_login(province_user)
    page = client.get(LIST_URL).content.decode()
    assert 'href="?start_date__year=2023"' in page
    response = client.get(LIST_URL, {"start_date__year": "2023", "start_date__month": "5"})
    codes = {training_class.code for training_class in response.context["cl"].result_list}
    assert codes == {"CL-2023-02"}
    page = response.content.decode()
    assert "<strong>Tháng 5/2023</strong>" in page and "‹ Mọi năm" in page
    # The drill-down narrows the list, so its totals show: 70 learners in May 2023.
    assert "<strong>1</strong> lớp, <strong>70</strong> học viên" in re.sub(r"\s+", " ", page)
