"""Centre standards (đạt chuẩn) as editable criteria with a board-set pass mark,
and the completeness board of the reporting cycle."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from classes import access, selectors, services
from classes.models import (
    CentreAssessment,
    CentreAssessmentScore,
    ReportingPeriod,
    StandardCriterion,
    TrainingCentre,
    UnitReport,
)
from tests.factories import make_class


def assess(user, centre_code, year, points):
    """An assessment giving each active criterion, in order, the points listed."""
    criteria = list(StandardCriterion.objects.filter(is_active=True).order_by("sort_order"))
    scores = [
        CentreAssessmentScore(criterion=criterion, score=Decimal(value)) for criterion, value in zip(criteria, points)
    ]
    return services.assessment_save(
        user=user,
        assessment=CentreAssessment(
            centre=TrainingCentre.objects.get(code=centre_code), year=year, assessed_on=datetime.date(year, 12, 1)
        ),
        scores=scores,
    )


FULL_MARKS = ["10", "10", "20", "10", "20", "15", "15"]  # 100
WEAK = ["5", "5", "10", "5", "10", "5", "5"]  # 45


def test_the_believed_criteria_are_loaded_as_editable_rows_out_of_100(db):
    criteria = StandardCriterion.objects.filter(is_active=True)
    assert criteria.count() == 7
    assert sum(criterion.max_score for criterion in criteria) == 100
    assert set(criteria.values_list("group", flat=True)) == {
        "Đội ngũ cán bộ, giảng viên",
        "Kết quả đào tạo, bồi dưỡng",
        "Cơ sở vật chất, trang thiết bị",
        "Công tác quản lý, hồ sơ",
        "Nghiên cứu khoa học, thi đua",
    }


def test_a_score_above_the_criterions_maximum_is_refused_and_nothing_is_saved(province_user):
    too_high = ["11", *FULL_MARKS[1:]]
    with pytest.raises(ValidationError, match="vượt điểm tối đa 10"):
        assess(province_user, "TTCT-443", 2023, too_high)
    assert not CentreAssessment.objects.exists()


def test_centres_meet_the_standard_at_the_boards_threshold_and_the_change_is_counted(province_user):
    services.reporting_period_save(user=province_user, period=ReportingPeriod(year=2022, pass_threshold=Decimal("80")))
    services.reporting_period_save(user=province_user, period=ReportingPeriod(year=2023, pass_threshold=Decimal("90")))
    assess(province_user, "TTCT-443", 2022, FULL_MARKS)  # 100 >= 80
    assess(province_user, "TTCT-440", 2022, WEAK)  # 45 < 80
    assess(province_user, "TTCT-443", 2023, FULL_MARKS)
    assess(province_user, "TTCT-440", 2023, ["10", "10", "20", "10", "20", "15", "5"])  # 90 >= 90
    assess(province_user, "TTCT-444", 2023, ["10", "10", "20", "10", "20", "15", "4"])  # 89 < 90

    passing = selectors.centres_meeting_standard(user=province_user, years=(2022, 2023))
    assert [(row.year, row.centre.code) for row in passing] == [
        (2022, "TTCT-443"),
        (2023, "TTCT-440"),
        (2023, "TTCT-443"),
    ]
    totals = {
        (row.year, row.centre.code): row.total_score
        for row in selectors.assessment_totals(CentreAssessment.objects.all())
    }
    assert totals[(2023, "TTCT-444")] == Decimal("89")


def test_no_centre_passes_before_the_board_sets_a_threshold(province_user):
    assess(province_user, "TTCT-443", 2023, FULL_MARKS)
    assert not selectors.centres_meeting_standard(user=province_user, years=(2023,)).exists()


def test_only_the_board_assesses_centres_and_edits_criteria(district_user, admin_role_user):
    for user in (district_user, admin_role_user):
        with pytest.raises(PermissionDenied):
            assess(user, "TTCT-443", 2023, FULL_MARKS)
        criterion = StandardCriterion.objects.first()
        criterion.max_score = Decimal("50")
        with pytest.raises(PermissionDenied):
            services.criterion_save(user=user, criterion=criterion)
    assert not CentreAssessment.objects.exists()


def test_a_district_sees_only_its_own_centres_assessments(province_user, district_user, client):
    own = assess(province_user, "TTCT-443", 2023, FULL_MARKS)
    other = assess(province_user, "TTCT-440", 2023, FULL_MARKS)
    assert list(access.assessments_visible_to(district_user)) == [own]
    client.force_login(district_user)
    assert client.get(reverse("admin:classes_centreassessment_change", args=[own.pk])).status_code == 200
    assert client.get(reverse("admin:classes_centreassessment_change", args=[other.pk])).status_code == 404


def test_the_board_assesses_a_centre_on_one_admin_page(client, province_user):
    services.reporting_period_save(user=province_user, period=ReportingPeriod(year=2023, pass_threshold=Decimal("80")))
    client.force_login(province_user)
    add_url = reverse("admin:classes_centreassessment_add")
    form = client.get(add_url).context["inline_admin_formsets"][0].formset
    assert len(form.forms) == 7
    data = {
        "centre": TrainingCentre.objects.get(code="TTCT-443").pk,
        "year": "2023",
        "assessed_on": "01/12/2023",
        "note": "",
        "scores-TOTAL_FORMS": "7",
        "scores-INITIAL_FORMS": "0",
        "scores-MIN_NUM_FORMS": "0",
        "scores-MAX_NUM_FORMS": "1000",
    }
    for index, (criterion, value) in enumerate(zip(StandardCriterion.objects.order_by("sort_order"), FULL_MARKS)):
        data.update(
            {
                f"scores-{index}-criterion": criterion.pk,
                f"scores-{index}-score": value,
                f"scores-{index}-evidence": "Biên bản",
            }
        )
    data["scores-0-score"] = "12"
    refused = client.post(add_url, data)
    assert refused.status_code == 200 and "vượt điểm tối đa" in refused.content.decode()
    data["scores-0-score"] = "10"
    assert client.post(add_url, data).status_code == 302
    saved = selectors.assessment_totals(CentreAssessment.objects.all()).get()
    assert (saved.total_score, saved.passes, saved.assessed_by) == (Decimal("100"), True, province_user)


# --- the completeness board ------------------------------------------------


@pytest.fixture
def cycle_2023(province_user, district_user, other_district_user, unit_can_loc, unit_duc_tho, small_dataset):
    """Deadline 15/01/2024. Can Lộc sent and was accepted; Đức Thọ sent and was returned;
    Hương Khê sent late (20/01/2024) and waits; the ten other units sent nothing."""
    services.reporting_period_save(
        user=province_user, period=ReportingPeriod(year=2023, deadline=datetime.date(2024, 1, 15))
    )
    accepted = services.unit_report_submit(
        user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp"
    )
    services.unit_report_accept(user=province_user, report=accepted)
    returned = services.unit_report_submit(
        user=other_district_user, unit=unit_duc_tho, year=2023, note="Năm thử chưa nhập lớp"
    )
    services.unit_report_return(user=province_user, report=returned, reason="Thiếu số liệu lớp sơ cấp")
    make_class("HK-2023-01", "444", start=datetime.date(2023, 8, 1), learners=30, completed=30)
    late = services.unit_report_submit(
        user=province_user,
        unit=access.units_visible_to(province_user).get(code="444"),
        year=2023,
        note="Năm thử chưa nhập lớp",
    )
    # The steps happened in January 2024, not today.
    UnitReport.objects.filter(pk=accepted.pk).update(
        submitted_at=timezone.make_aware(datetime.datetime(2024, 1, 10, 9, 0))
    )
    UnitReport.objects.filter(pk=late.pk).update(submitted_at=timezone.make_aware(datetime.datetime(2024, 1, 20, 9, 0)))


def test_the_board_lists_units_that_have_not_reported_first(province_user, cycle_2023):
    rows = list(selectors.completeness_board(user=province_user, year=2023, today=datetime.date(2024, 2, 1)))
    codes = [row.code for row in rows]
    assert len(rows) == 13
    # Not reported (returned Đức Thọ has 2 classes, the ten silent units none), then waiting, then accepted.
    assert codes[:11] == ["436", "437", "439", "441", "442", "445", "446", "447", "448", "449", "440"]
    assert codes[11:] == ["444", "443"]
    by_code = {row.code: row for row in rows}
    # Counted as the report counts them: the cancelled class (20 learners) is not.
    assert (by_code["443"].classes_entered, by_code["443"].learners_entered) == (3, 180)
    assert by_code["440"].cycle_status == UnitReport.Status.RETURNED and by_code["440"].is_late
    assert by_code["444"].is_late and not by_code["443"].is_late
    assert by_code["443"].last_change is not None and by_code["436"].last_change is None


def test_nobody_is_late_before_the_deadline(province_user, cycle_2023):
    rows = selectors.completeness_board(user=province_user, year=2023, today=datetime.date(2024, 1, 10))
    assert [row.code for row in rows if row.is_late] == ["444"]  # only the one that sent after it


def test_the_completeness_page_is_for_the_board_only(
    client, province_user, district_user, cycle_2023, django_assert_max_num_queries
):
    client.force_login(district_user)
    assert client.get(reverse("reports:completeness", args=[2023])).status_code == 403
    client.force_login(province_user)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("reports:completeness", args=[2023]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "Hạn gửi báo cáo: 15/01/2024" in text
    assert "Trả lại (Thiếu số liệu lớp sơ cấp)" in text
    assert text.index('data-unit="436"') < text.index('data-unit="444"') < text.index('data-unit="443"')


def test_the_report_lists_centres_meeting_the_standard_and_the_change_from_the_year_before(
    client, province_user, district_user
):
    services.reporting_period_save(user=province_user, period=ReportingPeriod(year=2022, pass_threshold=Decimal("80")))
    services.reporting_period_save(user=province_user, period=ReportingPeriod(year=2023, pass_threshold=Decimal("80")))
    assess(province_user, "TTCT-443", 2022, FULL_MARKS)
    assess(province_user, "TTCT-443", 2023, FULL_MARKS)
    assess(province_user, "TTCT-440", 2023, ["10", "10", "20", "10", "20", "5", "5"])  # 80
    client.force_login(province_user)
    report = client.get("/api/reports/yearly/2023/").json()
    assert report["standards"] == {
        "threshold": 80.0,
        "count": 2,
        "previous_count": 1,
        "change": 1,
        "centres": [
            {"code": "TTCT-440", "name": "Trung tâm Chính trị huyện Đức Thọ", "total_score": 80.0},
            {"code": "TTCT-443", "name": "Trung tâm Chính trị huyện Can Lộc", "total_score": 100.0},
        ],
    }
    assert "Có 2 trung tâm chính trị đạt chuẩn, tăng 1 so với năm 2022." in report["summary_text"]
    client.force_login(district_user)
    own = client.get("/api/reports/yearly/2023/").json()["standards"]
    assert [centre["code"] for centre in own["centres"]] == ["TTCT-443"] and own["change"] == 0
