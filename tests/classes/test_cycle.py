"""The yearly reporting cycle: sent, accepted (locks the unit's year), returned
(opens it again), published (figures frozen); who may take each step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from classes import access, selectors, services
from classes.models import ReportingPeriod, TrainingClass, UnitReport, YearLock
from tests.factories import make_class


def test_a_district_sends_its_year_and_the_step_records_who_and_when(district_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    assert report.status == UnitReport.Status.SUBMITTED
    assert report.submitted_by == district_user and report.submitted_at is not None
    assert report.history.count() == 1


def test_a_district_cannot_send_another_units_year(district_user, unit_duc_tho):
    with pytest.raises(PermissionDenied):
        services.unit_report_submit(user=district_user, unit=unit_duc_tho, year=2023, note="Năm thử chưa nhập lớp")
    assert not UnitReport.objects.exists()


def test_a_district_cannot_approve_or_return_even_its_own_report(district_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    with pytest.raises(PermissionDenied):
        services.unit_report_accept(user=district_user, report=report)
    with pytest.raises(PermissionDenied):
        services.unit_report_return(user=district_user, report=report, reason="Tự trả lại")
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED
    assert not YearLock.objects.exists()


def test_the_administrator_role_cannot_approve_either(admin_role_user, district_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    with pytest.raises(PermissionDenied):
        services.unit_report_accept(user=admin_role_user, report=report)


def test_an_accepted_year_is_locked_for_the_district(district_user, province_user, unit_can_loc, small_dataset):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    services.unit_report_accept(user=province_user, report=report)
    report.refresh_from_db()
    assert report.status == UnitReport.Status.ACCEPTED and report.reviewed_by == province_user
    assert access.year_lock_for(unit_id=unit_can_loc.pk, year=2023) is not None
    training_class = TrainingClass.objects.get(code="CL-2023-01")
    training_class.learners = 61
    with pytest.raises(ValidationError, match="đã khóa"):
        services.class_save(user=district_user, training_class=training_class)
    with pytest.raises(ValidationError, match="đã khóa"):
        services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")


def test_a_report_already_sent_is_not_sent_twice(district_user, unit_can_loc):
    services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    with pytest.raises(ValidationError, match="gửi lại.*Đã gửi"):
        services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")


def test_a_returned_year_is_open_again_and_can_be_sent_again(district_user, province_user, unit_can_loc, small_dataset):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    services.unit_report_accept(user=province_user, report=report)
    services.unit_report_return(user=province_user, report=report, reason="Thiếu lớp tháng 12")
    report.refresh_from_db()
    assert report.status == UnitReport.Status.RETURNED and report.return_reason == "Thiếu lớp tháng 12"
    assert access.year_lock_for(unit_id=unit_can_loc.pk, year=2023) is None
    training_class = TrainingClass.objects.get(code="CL-2023-01")
    training_class.learners = 61
    services.class_save(user=district_user, training_class=training_class)
    again = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    assert again.pk == report.pk and again.status == UnitReport.Status.SUBMITTED
    steps = list(again.history.order_by("history_date").values_list("status", flat=True))
    assert steps == ["da_gui", "da_duyet", "tra_lai", "da_gui"]


def test_returning_needs_a_reason(district_user, province_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    with pytest.raises(ValidationError, match="lý do"):
        services.unit_report_return(user=province_user, report=report, reason="  ")


def test_only_a_sent_report_can_be_accepted(district_user, province_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    services.unit_report_return(user=province_user, report=report, reason="Sai số học viên")
    with pytest.raises(ValidationError, match="Trả lại"):
        services.unit_report_accept(user=province_user, report=report)


def test_only_the_board_sets_deadlines_and_thresholds(district_user, admin_role_user, province_user):
    for user in (district_user, admin_role_user):
        with pytest.raises(PermissionDenied):
            services.reporting_period_save(
                user=user, period=ReportingPeriod(year=2023, deadline=datetime.date(2024, 1, 15))
            )
    services.reporting_period_save(
        user=province_user, period=ReportingPeriod(year=2023, deadline=datetime.date(2024, 1, 15))
    )
    assert ReportingPeriod.objects.get(year=2023).deadline == datetime.date(2024, 1, 15)


def test_publishing_freezes_the_figures_and_a_later_correction_shows_beside_them(
    province_user, district_user, other_district_user, small_dataset
):
    with pytest.raises(PermissionDenied):
        services.reporting_period_publish(user=district_user, year=2023)
    period = services.reporting_period_publish(user=province_user, year=2023)
    assert period.published_figures["total"] == {"classes": 5, "learners": 270, "completed": 263}
    assert access.year_lock_for(unit_id=None, year=2023) is not None
    assert selectors.published_comparison(user=province_user, year=2023)["differs"] is False

    # The board corrects a class after publication; the frozen figures stay as they were.
    training_class = TrainingClass.objects.get(code="CL-2023-01")
    training_class.learners, training_class.completed = 75, 70
    services.class_save(user=province_user, training_class=training_class)
    period.refresh_from_db()
    assert period.published_figures["total"]["learners"] == 270
    board_view = selectors.published_comparison(user=province_user, year=2023)
    assert board_view["differs"] is True
    assert board_view["published"]["learners"] == 270 and board_view["current"]["learners"] == 285
    assert [row["code"] for row in board_view["changed_units"]] == ["443"]

    # Each district sees only its own unit's line of the frozen figures.
    can_loc = selectors.published_comparison(user=district_user, year=2023)
    assert can_loc["published"] == {"classes": 3, "learners": 180, "completed": 175}
    assert can_loc["current"]["learners"] == 195 and can_loc["differs"] is True
    duc_tho = selectors.published_comparison(user=other_district_user, year=2023)
    assert duc_tho["published"] == {"classes": 2, "learners": 90, "completed": 88}
    assert duc_tho["differs"] is False and duc_tho["changed_units"] == []


def test_a_published_year_cannot_be_returned_to_a_district(district_user, province_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    services.unit_report_accept(user=province_user, report=report)
    services.reporting_period_publish(user=province_user, year=2023)
    with pytest.raises(ValidationError, match="đã công bố"):
        services.unit_report_return(user=province_user, report=report, reason="Sửa lại")


def test_the_report_page_shows_published_and_current_figures_side_by_side_after_a_correction(
    client, province_user, district_user, small_dataset
):
    services.reporting_period_publish(user=province_user, year=2023)
    client.force_login(province_user)
    unchanged = client.get("/api/reports/yearly/2023/").json()
    assert unchanged["published"]["differs"] is False
    assert "khác với số liệu đã công bố" not in unchanged["summary_text"]

    training_class = TrainingClass.objects.get(code="DT-2023-01")
    training_class.learners, training_class.completed = 1040, 1040
    services.class_save(user=province_user, training_class=training_class)

    report = client.get("/api/reports/yearly/2023/").json()
    assert report["published"]["published"] == {"classes": 5, "learners": 270, "completed": 263}
    assert report["published"]["current"] == {"classes": 5, "learners": 1270, "completed": 1263}
    assert (
        "khác với số liệu đã công bố (đã công bố: 5 lớp, 270 học viên; hiện nay: 5 lớp, 1.270 học viên)"
        in report["summary_text"]
    )
    page = client.get("/reports/yearly/2023/").content.decode()
    assert "Số liệu hiện nay khác với số liệu đã công bố." in page
    assert '<td class="num">270</td><td class="num">1.270</td>' in page

    # Can Lộc's figures did not change: its own report says nothing differs.
    client.force_login(district_user)
    own = client.get("/api/reports/yearly/2023/").json()
    assert own["published"]["published"]["learners"] == 180 and own["published"]["differs"] is False


def test_a_districts_report_shows_its_step_in_the_cycle(
    client, district_user, province_user, unit_can_loc, small_dataset
):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    services.unit_report_return(user=province_user, report=report, reason="Thiếu lớp tháng 12")
    client.force_login(district_user)
    cycle = client.get("/api/reports/yearly/2023/").json()["cycle"]
    assert (cycle["status"], cycle["label"], cycle["return_reason"]) == ("tra_lai", "Trả lại", "Thiếu lớp tháng 12")
    assert "Lý do trả lại: Thiếu lớp tháng 12" in client.get("/reports/yearly/2023/").content.decode()
    client.force_login(province_user)
    steps = {step["status"]: step["count"] for step in client.get("/api/reports/yearly/2023/").json()["cycle"]["units"]}
    assert steps == {"chua_gui": 12, "da_gui": 0, "da_duyet": 0, "tra_lai": 1}


def test_the_class_list_shows_where_the_units_reports_stand(client, district_user, province_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    services.unit_report_return(user=province_user, report=report, reason="Thiếu lớp tháng 12")
    client.force_login(district_user)
    page = client.get("/admin/classes/trainingclass/").content.decode()
    assert "Báo cáo năm 2023 của Huyện Can Lộc: đã gửi bởi canloc" in page
    assert "bị trả lại bởi Ban Tuyên giáo" in page and "lý do: Thiếu lớp tháng 12" in page
    client.force_login(province_user)
    assert "cycle-steps" not in client.get("/admin/classes/trainingclass/").content.decode()
    filtered = client.get(f"/admin/classes/trainingclass/?unit={unit_can_loc.pk}").content.decode()
    assert "Báo cáo năm 2023 của Huyện Can Lộc" in filtered


def test_the_cycle_in_the_admin_district_sends_and_only_the_board_accepts_or_returns(
    client, district_user, province_user, unit_can_loc
):
    from django.urls import reverse

    changelist = reverse("admin:classes_unitreport_changelist")
    make_class("CL-2023-A", "443")
    client.force_login(district_user)
    sent = client.post(reverse("admin:classes_unitreport_add"), {"unit": unit_can_loc.pk, "year": "2023"})
    assert sent.status_code == 302
    report = UnitReport.objects.get(unit=unit_can_loc, year=2023)
    assert report.status == UnitReport.Status.SUBMITTED and report.submitted_by == district_user
    action_form = client.get(changelist).context["action_form"]
    actions = dict(action_form.fields["action"].choices)
    assert "accept" not in actions and "send_back" not in actions
    assert "return_reason" not in action_form.fields  # a box the unit could not use
    client.post(changelist, {"action": "accept", "_selected_action": [report.pk], "return_reason": ""})
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED  # a district cannot approve itself

    client.force_login(province_user)
    assert "return_reason" in client.get(changelist).context["action_form"].fields
    refused = client.post(
        changelist, {"action": "send_back", "_selected_action": [report.pk], "return_reason": ""}, follow=True
    )
    assert "Trả lại báo cáo phải ghi lý do." in refused.content.decode()
    client.post(changelist, {"action": "accept", "_selected_action": [report.pk], "return_reason": ""})
    report.refresh_from_db()
    assert report.status == UnitReport.Status.ACCEPTED and access.year_lock_for(unit_id=unit_can_loc.pk, year=2023)
    client.post(
        changelist, {"action": "send_back", "_selected_action": [report.pk], "return_reason": "Thiếu lớp tháng 12"}
    )
    report.refresh_from_db()
    assert (
        report.status == UnitReport.Status.RETURNED and access.year_lock_for(unit_id=unit_can_loc.pk, year=2023) is None
    )

    client.force_login(district_user)
    client.post(changelist, {"action": "send_again", "_selected_action": [report.pk], "return_reason": ""})
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED


def test_a_district_cannot_send_another_units_year_in_the_admin(client, district_user, unit_duc_tho):
    from django.urls import reverse

    client.force_login(district_user)
    response = client.post(reverse("admin:classes_unitreport_add"), {"unit": unit_duc_tho.pk, "year": "2023"})
    assert response.status_code == 200 and "unit" in response.context["adminform"].form.errors
    assert not UnitReport.objects.exists()


# --- sending a year: an empty or shrunken year needs a note ------------------------


def test_an_empty_year_is_not_sent_without_a_note(district_user, unit_can_loc):
    with pytest.raises(ValidationError, match="Năm 2024 chưa có lớp nào được mở"):
        services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2024, note="   ")
    assert not UnitReport.objects.exists()


def test_an_empty_year_is_sent_with_its_note_kept_for_the_board(district_user, unit_can_loc):
    report = services.unit_report_submit(
        user=district_user, unit=unit_can_loc, year=2023, note="Năm 2023 đơn vị không mở lớp do sáp nhập."
    )
    assert report.status == UnitReport.Status.SUBMITTED
    assert report.send_note == "Năm 2023 đơn vị không mở lớp do sáp nhập."


def test_a_year_with_less_than_half_the_classes_of_the_year_before_needs_a_note(district_user, unit_can_loc):
    for index in range(5):
        make_class(f"CL-2022-{index}", "443", start=datetime.date(2022, 3, 1 + index))
    for index in range(2):
        make_class(f"CL-2023-{index}", "443", start=datetime.date(2023, 3, 1 + index))
    make_class("CL-2023-X", "443", start=datetime.date(2023, 4, 1), status=TrainingClass.Status.CANCELLED)
    check = selectors.unit_year_send_check(unit_id=unit_can_loc.pk, year=2023)
    assert (check["classes"], check["previous_classes"], check["needs_note"]) == (2, 5, "far_below")
    with pytest.raises(ValidationError, match="chỉ có 2 lớp, chưa bằng một nửa năm 2022 \\(5 lớp\\)"):
        services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    make_class("CL-2023-2", "443", start=datetime.date(2023, 5, 1))
    assert selectors.unit_year_send_check(unit_id=unit_can_loc.pk, year=2023)["needs_note"] is None
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    assert report.status == UnitReport.Status.SUBMITTED and report.send_note == ""


def test_the_admin_add_form_asks_for_the_note_under_its_box(client, district_user, unit_can_loc):
    from django.urls import reverse

    client.force_login(district_user)
    refused = client.post(reverse("admin:classes_unitreport_add"), {"unit": unit_can_loc.pk, "year": "2023"})
    assert refused.status_code == 200
    assert refused.context["adminform"].form.errors["send_note"] == [
        "Năm 2023 chưa có lớp nào được mở: ghi rõ lý do nếu vẫn gửi báo cáo năm trống."
    ]
    assert not UnitReport.objects.exists()


def test_the_units_that_must_report_a_year_are_those_in_force_at_its_end_or_today(province_user):
    today = datetime.date(2026, 12, 2)
    required = selectors.units_required_to_report
    assert required(user=province_user, year=2024, today=today).count() == 13
    assert required(user=province_user, year=2025, today=today).count() == 69
    assert required(user=province_user, year=2026, today=today).count() == 69
    # Before the reform took effect, the current year's units are the districts still in force.
    assert required(user=province_user, year=2025, today=datetime.date(2025, 3, 1)).count() == 12


def test_reporting_progress_counts_sent_and_accepted_years_but_not_returned_ones(
    district_user, other_district_user, province_user, unit_can_loc, unit_duc_tho
):
    today = datetime.date(2025, 1, 20)
    sent = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2024, note="Thử")
    returned = services.unit_report_submit(user=other_district_user, unit=unit_duc_tho, year=2024, note="Thử")
    services.unit_report_return(user=province_user, report=returned, reason="Thiếu lớp")
    assert selectors.reporting_progress(user=province_user, year=2024, today=today) == {"sent": 1, "required": 13}
    services.unit_report_accept(user=province_user, report=sent)
    assert selectors.reporting_progress(user=province_user, year=2024, today=today) == {"sent": 1, "required": 13}
    assert selectors.reporting_progress(user=other_district_user, year=2024, today=today) == {"sent": 0, "required": 1}
