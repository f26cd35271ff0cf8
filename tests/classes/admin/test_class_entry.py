"""Data entry through the admin screens."""

import datetime
import re

import pytest
from django.urls import reverse

from classes.models import Programme, TrainingCentre, TrainingClass
from tests.factories import make_class

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
    # The board's name in force today (since 2025).
    assert "Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh" in login.content.decode()


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


def foot_row(page: str) -> str:
    text = re.sub(r"<[^>]+>", " ", re.search(r'<tfoot id="class-totals-row">(.*?)</tfoot>', page, re.S).group(1))
    return " ".join(text.split())


def test_the_class_list_foot_row_counts_opened_classes_and_shows_the_cancelled_apart(
    client, province_user, small_dataset
):
    client.force_login(province_user)
    page = client.get(LIST_URL, {"year": "2023"}).content.decode()
    # 2023: five opened classes, 60+70+50+40+50 learners; the cancelled one (20) apart.
    assert foot_row(page) == (
        "Tổng theo bộ lọc: 5 lớp đã mở (không tính: 0 lớp kế hoạch, 0 học viên; 1 lớp đã hủy, 20 học viên) 270 263"
    )


def test_the_class_list_totals_match_the_report_and_the_completeness_board(client, district_user, small_dataset):
    from reports.figures.yearly import build_yearly_report

    make_class("CL-2023-KH", "443", "NTD", datetime.date(2023, 12, 1), 35, 0, status=TrainingClass.Status.PLANNED)
    client.force_login(district_user)
    response = client.get(LIST_URL, {"year": "2023"})
    totals = response.context["cl"].class_totals
    report = build_yearly_report(user=district_user, year=2023)["totals"]
    # Can Lộc 2023: three opened classes, 180 learners; one planned (35) and one cancelled (20) apart.
    assert (totals["classes"], totals["learners"], totals["completed"]) == (3, 180, 175)
    assert (report["classes"], report["learners"], report["completed"]) == (3, 180, 175)
    assert (totals["planned"], totals["planned_learners"], totals["cancelled"]) == (1, 35, 1)


def test_the_class_list_totals_take_one_query(client, province_user, small_dataset, django_assert_num_queries):
    from classes import selectors

    with django_assert_num_queries(1):
        totals = selectors.class_list_totals(TrainingClass.objects.filter(year=2023))
    assert (totals["classes"], totals["learners"]) == (5, 270)


def test_the_class_list_shows_short_names_programme_codes_and_dates_as_dd_mm_yyyy(client, province_user, db):
    make_class(
        "CL-LONG",
        "443",
        "NTD",
        datetime.date(2023, 12, 18),
        60,
        58,
        name="Lớp bồi dưỡng nhận thức về Đảng cho đảng viên mới khóa 3",
    )
    client.force_login(province_user)
    page = client.get(LIST_URL).content.decode()
    assert 'title="Lớp bồi dưỡng nhận thức về Đảng cho đảng viên mới khóa 3"' in page
    assert "Lớp bồi dưỡng nhận thức về Đảng cho…" in page
    assert "18/12/2023" in page and "tháng 12" not in page
    assert '<td class="field-programme_code"><span title="' in page
    # Tab goes from count to count, then to Save.
    assert page.count('tabindex="1"') == 3


def test_a_locked_year_shows_its_counts_read_only_with_the_reason_once(client, district_user, province_user, db):
    from classes import services

    locked = make_class("CL-2023-01", "443", "NTD", datetime.date(2023, 2, 1), 60, 58)
    open_row = make_class("CL-2024-01", "443", "NTD", datetime.date(2024, 2, 1), 40, 40)
    report = services.unit_report_submit(user=district_user, unit=district_user.unit, year=2023)
    services.unit_report_accept(user=province_user, report=report)
    client.force_login(district_user)
    response = client.get(LIST_URL)
    forms = {form.instance.code: form for form in response.context["cl"].formset.forms}
    assert forms["CL-2023-01"]["learners"].as_widget().count("readonly") == 1
    assert forms["CL-2023-01"]["completed"].as_widget().count("readonly") == 1
    assert "readonly" not in forms["CL-2024-01"]["learners"].as_widget()
    page = response.content.decode()
    assert page.count("Đã duyệt báo cáo năm.") == 1
    # Saving the page changes the open row and leaves the locked one as it was.
    data = {
        "form-TOTAL_FORMS": "2",
        "form-INITIAL_FORMS": "2",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "_save": "Lưu",
    }
    for index, (row, learners, completed) in enumerate(((locked, "60", "58"), (open_row, "45", "40"))):
        data |= {
            f"form-{index}-id": row.pk,
            f"form-{index}-expected_version": "1",
            f"form-{index}-learners": learners,
            f"form-{index}-completed": completed,
        }
    response = client.post(LIST_URL + "?o=1", data)
    assert response.status_code == 302
    locked.refresh_from_db()
    open_row.refresh_from_db()
    assert (locked.learners, open_row.learners) == (60, 45)
    change = client.get(reverse("admin:classes_trainingclass_change", args=[locked.pk])).content.decode()
    assert 'name="learners"' not in change and "Please correct" not in change
    assert change.count("Số liệu năm 2023 của Huyện Can Lộc đã khóa bởi") == 1


def test_the_year_filter_offers_the_years_with_classes_and_the_current_one(client, province_user, small_dataset):
    from django.utils import timezone

    client.force_login(province_user)
    page = client.get(LIST_URL).content.decode()
    this_year = timezone.localdate().year
    assert f'href="?year={this_year}"' in page and 'href="?year=2022"' in page
    assert 'href="?year=2021"' not in page and f'href="?year={this_year + 1}"' not in page
    assert 'href="?start_date__year=2022"' in page and 'href="?start_date__year=2021"' not in page


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
    assert foot_row(page) == "Tổng theo bộ lọc: 1 lớp đã mở 70 65"
