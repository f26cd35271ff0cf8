"""Annual plans and learning-needs surveys: figures, the draft from the survey,
the plan file, and scoping (a district reads and writes only its own unit)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from classes import access, selectors, services
from classes.models import (
    AdministrativeUnit,
    AnnualPlan,
    LearningNeedsSurvey,
    Programme,
    ReportingPeriod,
)


def plan(unit_code, programme_code, classes, learners, year=2023, **extra):
    return AnnualPlan.objects.create(
        year=year,
        unit=AdministrativeUnit.objects.get(code=unit_code),
        programme=Programme.objects.get(code=programme_code),
        planned_classes=classes,
        planned_learners=learners,
        **extra,
    )


def survey(unit_code, programme_code, people, year=2023, day=datetime.date(2022, 11, 15)):
    return LearningNeedsSurvey.objects.create(
        year=year,
        unit=AdministrativeUnit.objects.get(code=unit_code),
        programme=Programme.objects.get(code=programme_code),
        people_needing=people,
        survey_date=day,
    )


@pytest.fixture
def plans_2023(db):
    """Can Lộc plans 5 classes / 300 learners (NTD 4/250, DVM 1/50); Đức Thọ 2 / 100 (NTD)."""
    return [plan("443", "NTD", 4, 250), plan("443", "DVM", 1, 50), plan("440", "NTD", 2, 100)]


@pytest.fixture
def surveys_2023(db):
    """Need for 2023: Can Lộc 400 (NTD 300, DVM 100), Đức Thọ 150 (NTD)."""
    return [survey("443", "NTD", 300), survey("443", "DVM", 100), survey("440", "NTD", 150)]


def test_planned_figures_add_up_per_unit_programme_and_in_total(province_user, plans_2023):
    figures = selectors.plan_figures(user=province_user, year=2023)
    assert figures["total"] == {"classes": 7, "learners": 400}
    assert figures["by_unit"] == {"443": {"classes": 5, "learners": 300}, "440": {"classes": 2, "learners": 100}}
    assert figures["by_programme"] == {"NTD": {"classes": 6, "learners": 350}, "DVM": {"classes": 1, "learners": 50}}


def test_a_district_sees_only_its_own_plans_and_needs(district_user, plans_2023, surveys_2023):
    assert selectors.plan_figures(user=district_user, year=2023)["total"] == {"classes": 5, "learners": 300}
    assert selectors.needs_figures(user=district_user, year=2023)["total"] == {"people_needing": 400}
    assert set(access.plans_visible_to(district_user).values_list("unit__code", flat=True)) == {"443"}
    assert set(access.surveys_visible_to(district_user).values_list("unit__code", flat=True)) == {"443"}


def test_a_user_without_a_role_sees_no_plans(db, plans_2023, surveys_2023):
    stranger = services.user_save(
        username="khach",
        role="district",
        unit=AdministrativeUnit.objects.get(code="443"),
        password="Mat-khau-thu-2024!",
    )
    stranger.role = ""
    assert not access.plans_visible_to(stranger).exists()
    assert not access.surveys_visible_to(stranger).exists()


def test_a_district_cannot_write_another_units_plan_or_survey(district_user, plans_2023, surveys_2023):
    other_plan = AnnualPlan.objects.get(unit__code="440")
    other_plan.planned_classes = 9
    with pytest.raises(PermissionDenied):
        services.plan_save(user=district_user, plan=other_plan)
    with pytest.raises(PermissionDenied):
        services.plan_delete(user=district_user, plan=other_plan)
    moved = AnnualPlan.objects.get(unit__code="443", programme__code="DVM")
    moved.unit = AdministrativeUnit.objects.get(code="440")
    with pytest.raises(PermissionDenied):
        services.plan_save(user=district_user, plan=moved)
    other_survey = LearningNeedsSurvey.objects.get(unit__code="440")
    other_survey.people_needing = 1
    with pytest.raises(PermissionDenied):
        services.survey_save(user=district_user, survey=other_survey)
    assert AnnualPlan.objects.get(unit__code="440").planned_classes == 2
    assert LearningNeedsSurvey.objects.get(unit__code="440").people_needing == 150


def test_a_district_cannot_change_its_plan_once_the_year_is_accepted(
    district_user, province_user, unit_can_loc, plans_2023
):
    report = services.unit_report_submit(user=district_user, unit=unit_can_loc, year=2023, note="Năm thử chưa nhập lớp")
    services.unit_report_accept(user=province_user, report=report)
    own = AnnualPlan.objects.get(unit__code="443", programme__code="NTD")
    own.planned_classes = 6
    with pytest.raises(ValidationError, match="đã khóa"):
        services.plan_save(user=district_user, plan=own)


def test_a_survey_date_after_the_year_it_is_for_is_refused(district_user, unit_can_loc):
    late = LearningNeedsSurvey(
        year=2023,
        unit=unit_can_loc,
        programme=Programme.objects.get(code="NTD"),
        people_needing=10,
        survey_date=datetime.date(2024, 1, 5),
    )
    with pytest.raises(ValidationError, match="05/01/2024"):
        services.survey_save(user=district_user, survey=late)


def test_the_draft_plan_is_the_survey_minus_those_trained_since_it(district_user, unit_can_loc, small_dataset):
    # Surveys for 2024 in Can Lộc; small_dataset has NTD 60 (1/2/2023) and 50 (20/11/2023),
    # DVM 70 (10/5/2023), and a cancelled NQ class of 20 that does not count.
    survey("443", "NTD", 300, year=2024, day=datetime.date(2023, 6, 1))
    survey("443", "DVM", 100, year=2024, day=datetime.date(2023, 1, 15))
    survey("443", "NQ", 50, year=2024, day=datetime.date(2023, 1, 1))
    survey("443", "SC", 40, year=2023, day=datetime.date(2022, 10, 1))  # the latest SC survey is the 2023 one
    survey("440", "NTD", 999, year=2024, day=datetime.date(2023, 1, 1))  # another unit's
    plan("443", "SC", 3, 70, year=2024)  # already planned by the unit: kept as it is

    outcome = services.plan_draft_generate(user=district_user, unit=unit_can_loc, year=2024)

    assert outcome == {"created": 3, "kept": 1}
    drafts = {
        row.programme.code: (row.planned_classes, row.planned_learners, row.is_draft)
        for row in AnnualPlan.objects.filter(unit=unit_can_loc, year=2024).select_related("programme")
    }
    # 300 - 50 = 250 learners, 10 classes of 25; 100 - 70 = 30, 2 classes; NQ 50, 2 classes.
    assert drafts == {"NTD": (10, 250, True), "DVM": (2, 30, True), "NQ": (2, 50, True), "SC": (3, 70, False)}
    assert not AnnualPlan.objects.filter(unit__code="440").exists()


def test_the_draft_uses_the_class_size_the_board_set(district_user, province_user, unit_can_loc, small_dataset):
    services.reporting_period_save(user=province_user, period=ReportingPeriod(year=2024, draft_class_size=40))
    survey("443", "NTD", 300, year=2024, day=datetime.date(2023, 6, 1))
    services.plan_draft_generate(user=district_user, unit=unit_can_loc, year=2024)
    assert AnnualPlan.objects.get(unit=unit_can_loc, year=2024).planned_classes == 7  # 250 / 40, rounded up


def test_adjusting_a_draft_makes_it_the_units_own(district_user, unit_can_loc, small_dataset):
    survey("443", "NTD", 300, year=2024, day=datetime.date(2023, 6, 1))
    services.plan_draft_generate(user=district_user, unit=unit_can_loc, year=2024)
    draft = AnnualPlan.objects.get(unit=unit_can_loc, year=2024)
    draft.planned_classes = 8
    services.plan_save(user=district_user, plan=draft)
    draft.refresh_from_db()
    assert (draft.planned_classes, draft.is_draft, draft.version) == (8, False, 2)


def test_a_district_cannot_draft_another_units_plan(district_user, unit_duc_tho):
    with pytest.raises(PermissionDenied):
        services.plan_draft_generate(user=district_user, unit=unit_duc_tho, year=2024)


def test_the_draft_page_creates_rows_for_the_unit_to_adjust(client, district_user, unit_can_loc, small_dataset):
    survey("443", "NTD", 300, year=2024, day=datetime.date(2023, 6, 1))
    client.force_login(district_user)
    url = reverse("admin:classes_annualplan_draft")
    page = client.get(url)
    assert list(page.context["form"].fields["unit"].queryset.values_list("code", flat=True)) == ["443"]
    response = client.post(url, {"unit": unit_can_loc.pk, "year": 2024})
    assert response.status_code == 302
    assert AnnualPlan.objects.get(unit=unit_can_loc, year=2024).planned_learners == 250
    refused = client.post(url, {"unit": AdministrativeUnit.objects.get(code="440").pk, "year": 2024})
    assert refused.status_code == 200 and "unit" in refused.context["form"].errors


def test_district_staff_cannot_open_another_units_plan_in_the_admin(client, district_user, plans_2023, surveys_2023):
    client.force_login(district_user)
    listing = client.get(reverse("admin:classes_annualplan_changelist"))
    assert {row.unit.code for row in listing.context["cl"].result_list} == {"443"}
    other_plan = AnnualPlan.objects.get(unit__code="440")
    assert client.get(reverse("admin:classes_annualplan_change", args=[other_plan.pk])).status_code == 404
    other_survey = LearningNeedsSurvey.objects.get(unit__code="440")
    assert client.get(reverse("admin:classes_learningneedssurvey_change", args=[other_survey.pk])).status_code in (
        302,
        404,
    )


def test_district_staff_adding_a_plan_for_another_unit_get_a_vietnamese_error(client, district_user, db):
    client.force_login(district_user)
    response = client.post(
        reverse("admin:classes_annualplan_add"),
        {
            "year": "2024",
            "unit": AdministrativeUnit.objects.get(code="440").pk,
            "programme": Programme.objects.get(code="NTD").pk,
            "planned_classes": "3",
            "planned_learners": "120",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "unit" in response.context["adminform"].form.errors
    assert not AnnualPlan.objects.exists()


# --- in the yearly report ----------------------------------------------------


def test_the_report_gives_plan_completion_and_needs_coverage_on_known_sums(
    province_user, small_dataset, plans_2023, surveys_2023
):
    from reports.figures.yearly import yearly_report

    report = yearly_report(user=province_user, year=2023)
    # 2023 opened: 5 classes, 270 learners against a plan of 7 and 400.
    assert report["plan"] == {"classes": 7, "learners": 400, "classes_pct": 71.4, "learners_pct": 67.5}
    units = {entry["code"]: entry for entry in report["by_unit"]}
    assert units["443"]["plan"] == {"classes": 5, "learners": 300, "classes_pct": 60.0, "learners_pct": 60.0}
    assert units["440"]["plan"] == {"classes": 2, "learners": 100, "classes_pct": 100.0, "learners_pct": 90.0}
    assert units["436"]["plan"] == {"classes": 0, "learners": 0, "classes_pct": None, "learners_pct": None}
    programmes = {entry["code"]: entry for entry in report["by_programme"]}
    assert programmes["NTD"]["plan"] == {"classes": 6, "learners": 350, "classes_pct": 50.0, "learners_pct": 42.9}
    assert programmes["DVM"]["plan"] == {"classes": 1, "learners": 50, "classes_pct": 100.0, "learners_pct": 140.0}
    assert programmes["SC"]["plan"]["classes_pct"] is None
    # Needs: 550 people surveyed, 270 trained.
    assert report["needs"] == {"people_needing": 550, "learners": 270, "coverage_pct": 49.1}
    assert units["443"]["needs"] == {"people_needing": 400, "learners": 180, "coverage_pct": 45.0}
    assert "số lớp đạt 71,4% kế hoạch (7 lớp), số học viên đạt 67,5% kế hoạch (400 học viên)" in report["summary_text"]
    assert "đáp ứng 49,1% nhu cầu học tập đã khảo sát (550 người)" in report["summary_text"]


def test_a_planned_programme_with_no_class_shows_at_zero_percent(province_user, small_dataset):
    plan("443", "TC", 1, 40)
    from reports.figures.yearly import yearly_report

    programmes = {entry["code"]: entry for entry in yearly_report(user=province_user, year=2023)["by_programme"]}
    assert programmes["TC"]["classes"] == 0
    assert programmes["TC"]["plan"] == {"classes": 1, "learners": 40, "classes_pct": 0.0, "learners_pct": 0.0}


def test_a_districts_report_holds_only_its_own_plan(district_user, small_dataset, plans_2023, surveys_2023, client):
    client.force_login(district_user)
    report = client.get("/api/reports/yearly/2023/").json()
    assert report["plan"] == {"classes": 5, "learners": 300, "classes_pct": 60.0, "learners_pct": 60.0}
    assert [entry["code"] for entry in report["by_unit"]] == ["443"]
    programmes = {entry["code"]: entry["plan"] for entry in report["by_programme"]}
    assert programmes["NTD"] == {"classes": 4, "learners": 250, "classes_pct": 50.0, "learners_pct": 44.0}
    assert report["needs"]["people_needing"] == 400
    assert report["cycle"]["status"] == "chua_gui" and report["published"] is None
