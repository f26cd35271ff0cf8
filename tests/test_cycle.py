"""The yearly reporting cycle: sent, accepted (locks the unit's year), returned
(opens it again), published (figures frozen); who may take each step."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from classes import selectors, services
from classes.models import ReportingPeriod, TrainingClass, UnitReport, YearLock


def test_a_district_sends_its_year_and_the_step_records_who_and_when(district_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    assert report.status == UnitReport.Status.SUBMITTED
    assert report.submitted_by == district_user and report.submitted_at is not None
    assert report.history.count() == 1


def test_a_district_cannot_send_another_units_year(district_user, unit_duc_tho):
    with pytest.raises(PermissionDenied):
        services.unit_report_submit(user=district_user, unit=unit_duc_tho, year=2023)
    assert not UnitReport.objects.exists()


def test_a_district_cannot_approve_or_return_even_its_own_report(district_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    with pytest.raises(PermissionDenied):
        services.unit_report_accept(user=district_user, report=report)
    with pytest.raises(PermissionDenied):
        services.unit_report_return(user=district_user, report=report, reason="Tự trả lại")
    report.refresh_from_db()
    assert report.status == UnitReport.Status.SUBMITTED
    assert not YearLock.objects.exists()


def test_the_administrator_role_cannot_approve_either(admin_role_user, district_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    with pytest.raises(PermissionDenied):
        services.unit_report_accept(user=admin_role_user, report=report)


def test_an_accepted_year_is_locked_for_the_district(district_user, province_user, unit_can_loc, small_dataset):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    services.unit_report_accept(user=province_user, report=report)
    report.refresh_from_db()
    assert report.status == UnitReport.Status.ACCEPTED and report.reviewed_by == province_user
    assert selectors.year_lock_for(unit_id=unit_can_loc.pk, year=2023) is not None
    training_class = TrainingClass.objects.get(code="CL-2023-01")
    training_class.learners = 61
    with pytest.raises(ValidationError, match="đã khóa"):
        services.class_save(user=district_user, training_class=training_class)
    with pytest.raises(ValidationError, match="đã khóa"):
        services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)


def test_a_report_already_sent_is_not_sent_twice(district_user, unit_can_loc):
    services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    with pytest.raises(ValidationError, match="gửi lại.*Đã gửi"):
        services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)


def test_a_returned_year_is_open_again_and_can_be_sent_again(district_user, province_user, unit_can_loc, small_dataset):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    services.unit_report_accept(user=province_user, report=report)
    services.unit_report_return(user=province_user, report=report, reason="Thiếu lớp tháng 12")
    report.refresh_from_db()
    assert report.status == UnitReport.Status.RETURNED and report.return_reason == "Thiếu lớp tháng 12"
    assert selectors.year_lock_for(unit_id=unit_can_loc.pk, year=2023) is None
    training_class = TrainingClass.objects.get(code="CL-2023-01")
    training_class.learners = 61
    services.class_save(user=district_user, training_class=training_class)
    again = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    assert again.pk == report.pk and again.status == UnitReport.Status.SUBMITTED
    steps = list(again.history.order_by("history_date").values_list("status", flat=True))
    assert steps == ["da_gui", "da_duyet", "tra_lai", "da_gui"]


def test_returning_needs_a_reason(district_user, province_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    with pytest.raises(ValidationError, match="lý do"):
        services.unit_report_return(user=province_user, report=report, reason="  ")


def test_only_a_sent_report_can_be_accepted(district_user, province_user, unit_can_loc):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    services.unit_report_return(user=province_user, report=report, reason="Sai số học viên")
    with pytest.raises(ValidationError, match="Trả lại"):
        services.unit_report_accept(user=province_user, report=report)


def test_only_the_board_sets_deadlines_and_thresholds(district_user, admin_role_user, province_user):
    for user in (district_user, admin_role_user):
        with pytest.raises(PermissionDenied):
            services.reporting_period_save(user=user, period=ReportingPeriod(year=2023, deadline=datetime.date(2024, 1, 15)))
    services.reporting_period_save(user=province_user, period=ReportingPeriod(year=2023, deadline=datetime.date(2024, 1, 15)))
    assert ReportingPeriod.objects.get(year=2023).deadline == datetime.date(2024, 1, 15)


def test_publishing_freezes_the_figures_and_a_later_correction_shows_beside_them(
    province_user, district_user, other_district_user, small_dataset
):
    with pytest.raises(PermissionDenied):
        services.reporting_period_publish(user=district_user, year=2023)
    period = services.reporting_period_publish(user=province_user, year=2023)
    assert period.published_figures["total"] == {"classes": 5, "learners": 270, "completed": 263}
    assert selectors.year_lock_for(unit_id=None, year=2023) is not None
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
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023)
    services.unit_report_accept(user=province_user, report=report)
    services.reporting_period_publish(user=province_user, year=2023)
    with pytest.raises(ValidationError, match="đã công bố"):
        services.unit_report_return(user=province_user, report=report, reason="Sửa lại")
