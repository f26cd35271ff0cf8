"""classes.access is the one rule: made to refuse everything, every write path refuses with its
message and writes nothing; the commune, former district and centre scopes on every path."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.urls import reverse

from classes import access, services
from classes.models import (
    AdministrativeUnit,
    AnnualPlan,
    CentreAssessment,
    Commendation,
    LearningNeedsSurvey,
    Programme,
    TrainingCentre,
    TrainingClass,
    UnitReport,
)
from classes.spreadsheets.base import import_errors
from classes.spreadsheets.commendations import CommendationResource
from classes.spreadsheets.plans import AnnualPlanResource
from tests.classes.spreadsheets.helpers import class_row, csv_text, run_import, xlsx_bytes
from tests.factories import PASSWORD, make_class

NO = "Quy tắc chung từ chối mọi thao tác ghi."
CLASS_LIST = reverse("admin:classes_trainingclass_changelist")


@pytest.fixture
def refuse_everything(monkeypatch):
    monkeypatch.setattr(access, "write_refusal", lambda *args, **kwargs: access.Refusal(NO))


def said(response) -> str:
    text = response.content.decode() if response.status_code == 200 else ""
    return text + " ".join(str(message) for message in get_messages(response.wsgi_request))


def class_form(training_class, **overrides):
    return {
        "code": training_class.code,
        "name": "Đã sửa",
        "programme": training_class.programme_id,
        "unit": training_class.unit_id,
        "centre": training_class.centre_id,
        "venue": training_class.venue,
        "status": training_class.status,
        "start_date": "06/03/2023",
        "end_date": "",
        "learners": "70",
        "completed": "60",
        **dict.fromkeys(("excellent", "good", "fair", "average", "failed"), "0"),
        "notes": "",
        "expected_version": training_class.version,
        **overrides,
    }


def snapshot():
    return {
        model: sorted(map(str, (model_to_dict(row) for row in model.objects.all())))
        for model in (TrainingClass, Commendation, AnnualPlan, LearningNeedsSurvey, UnitReport, CentreAssessment)
    }


def test_every_admin_write_path_asks_the_rule_and_writes_nothing_when_it_refuses(
    client, province_user, refuse_everything
):
    own = make_class("CL-QUYTAC-01", "443")
    plan = AnnualPlan.objects.create(
        year=2023, unit=own.unit, programme=own.programme, planned_classes=1, planned_learners=10
    )
    version = own.history.earliest()
    before = snapshot()
    client.force_login(province_user)
    refused_pages = {
        "class add": reverse("admin:classes_trainingclass_add"),
        "plan add": reverse("admin:classes_annualplan_add"),
        "survey add": reverse("admin:classes_learningneedssurvey_add"),
        "unit report add": reverse("admin:classes_unitreport_add"),
    }
    for path, url in refused_pages.items():
        assert client.get(url).status_code == 403, path
    told = {
        "class change": (reverse("admin:classes_trainingclass_change", args=[own.pk]), class_form(own)),
        "class delete": (reverse("admin:classes_trainingclass_delete", args=[own.pk]), {"post": "yes"}),
        "class history revert": (
            reverse("admin:classes_trainingclass_simple_history", args=[own.pk, version.history_id]),
            class_form(own),
        ),
        "plan delete": (reverse("admin:classes_annualplan_delete", args=[plan.pk]), {"post": "yes"}),
    }
    for path, (url, data) in told.items():
        response = client.post(url, data)
        assert response.status_code in (200, 302) and NO in said(response), path
    list_edit = {
        "form-TOTAL_FORMS": "1",
        "form-INITIAL_FORMS": "1",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "1000",
        "form-0-id": own.pk,
        "form-0-learners": "70",
        "form-0-completed": "60",
        "_save": "Lưu",
    }
    bulk = {"action": "delete_selected", "_selected_action": [own.pk], "post": "yes"}
    for path, data in (("list edit", list_edit), ("bulk delete", bulk)):
        response = client.post(CLASS_LIST, data)
        assert response.status_code in (200, 302) and NO in said(response), path
    assert snapshot() == before


def test_the_forms_and_the_list_edit_ask_the_rule_for_the_place_written(client, province_user, monkeypatch):
    """Refusing only the year written to (2024): the permissions pass, the forms say why."""
    real = access.write_refusal

    def refuse_2024(user, unit, year, **kwargs):
        return access.Refusal(NO) if year == 2024 else real(user, unit, year, **kwargs)

    monkeypatch.setattr(access, "write_refusal", refuse_2024)
    own = make_class("CL-QUYTAC-01", "443")
    before = snapshot()
    client.force_login(province_user)
    add = client.post(
        reverse("admin:classes_trainingclass_add"), class_form(own, code="CL-MOI", start_date="06/03/2024")
    )
    change = client.post(
        reverse("admin:classes_trainingclass_change", args=[own.pk]), class_form(own, start_date="06/03/2024")
    )
    plan = client.post(
        reverse("admin:classes_annualplan_add"),
        {
            "year": "2024",
            "unit": own.unit_id,
            "programme": own.programme_id,
            "planned_classes": "1",
            "planned_learners": "10",
            "note": "",
        },
    )
    report = client.post(reverse("admin:classes_unitreport_add"), {"unit": own.unit_id, "year": "2024"})
    for path, response in (("add", add), ("change", change), ("plan add", plan), ("unit report add", report)):
        errors = response.context["adminform"].form.errors if response.status_code == 200 else None
        assert response.status_code == 200 and NO in said(response), (path, errors)
    assert snapshot() == before


def test_every_service_and_import_asks_the_rule(province_user, refuse_everything):
    own = make_class("CL-QUYTAC-01", "443")
    unit, programme = own.unit, own.programme
    plan = AnnualPlan.objects.create(year=2023, unit=unit, programme=programme, planned_classes=1, planned_learners=9)
    survey = LearningNeedsSurvey.objects.create(
        year=2023, unit=unit, programme=programme, people_needing=5, survey_date=datetime.date(2023, 1, 5)
    )
    commendation = Commendation.objects.create(
        year=2023, recipient="Tập thể A", unit=unit, decision_number="1-QĐ", decision_date=datetime.date(2023, 5, 1)
    )
    before = snapshot()
    changed = TrainingClass.objects.get(pk=own.pk)
    changed.learners = 1
    calls = {
        "class_create": lambda: services.class_create(
            user=province_user,
            code="CL-MOI",
            name="Lớp",
            programme=programme,
            unit=unit,
            start_date=datetime.date(2023, 4, 1),
            learners=5,
            completed=5,
        ),
        "class_save": lambda: services.class_save(user=province_user, training_class=changed),
        "class_delete": lambda: services.class_delete(user=province_user, training_class=own),
        "classes_delete": lambda: services.classes_delete(
            user=province_user, queryset=TrainingClass.objects.filter(pk=own.pk)
        ),
        "plan_save": lambda: services.plan_save(user=province_user, plan=plan),
        "plan_delete": lambda: services.plan_delete(user=province_user, plan=plan),
        "plan_draft_generate": lambda: services.plan_draft_generate(user=province_user, unit=unit, year=2024),
        "survey_save": lambda: services.survey_save(user=province_user, survey=survey),
        "survey_delete": lambda: services.survey_delete(user=province_user, survey=survey),
        "unit_report_submit": lambda: services.unit_report_submit(user=province_user, unit=unit, year=2023),
        "commendation_save": lambda: services.commendation_save(user=province_user, commendation=commendation),
        "commendation_delete": lambda: services.commendation_delete(user=province_user, commendation=commendation),
        "assessment_save": lambda: services.assessment_save(
            user=province_user,
            assessment=CentreAssessment(
                centre=TrainingCentre.objects.get(code="TTCT-443"), year=2023, assessed_on=datetime.date(2023, 12, 1)
            ),
        ),
    }
    for name, call in calls.items():
        with pytest.raises((PermissionDenied, ValidationError)) as refused:
            call()
        assert NO in " ".join(getattr(refused.value, "messages", [str(refused.value)])), name
    files = {
        "classes": (xlsx_bytes([class_row("CL-FILE-01")]), "lop.xlsx", None),
        "plans": (
            csv_text(
                [
                    {
                        "Năm": "2023",
                        "Mã đơn vị": "443",
                        "Mã chương trình": "NTD",
                        "Số lớp kế hoạch": "2",
                        "Số học viên kế hoạch": "40",
                    }
                ],
                headers=["Năm", "Mã đơn vị", "Mã chương trình", "Số lớp kế hoạch", "Số học viên kế hoạch"],
            ).encode("utf-8"),
            "ke-hoach.csv",
            AnnualPlanResource,
        ),
        "commendations": (
            csv_text(
                [
                    {
                        "Năm": "2023",
                        "Tên tập thể / cá nhân": "Tập thể B",
                        "Số quyết định": "2-QĐ",
                        "Ngày quyết định": "01/05/2023",
                    }
                ],
                headers=["Năm", "Tên tập thể / cá nhân", "Số quyết định", "Ngày quyết định"],
            ).encode("utf-8"),
            "khen.csv",
            CommendationResource,
        ),
    }
    for name, (data, filename, resource) in files.items():
        kwargs = {"resource_class": resource} if resource else {}
        result = run_import(province_user, data, filename, dry_run=False, **kwargs)
        assert NO in " ".join(import_errors(result)), name
    assert snapshot() == before


# --- the scopes after the reform ---------------------------------------------------------


@pytest.fixture
def school():
    return TrainingCentre.objects.get(code="TCT-HT")


@pytest.fixture
def commune_user(db):
    return services.user_save(
        username="dv18406", role="district", unit=AdministrativeUnit.objects.get(code="18406"), password=PASSWORD
    )


@pytest.fixture
def centre_user(school):
    return services.user_save(username="truongtinh", role="centre", centre=school, password=PASSWORD)


@pytest.fixture
def reform_classes(province_user, school):
    """2026: Xã Can Lộc run by the school (64 learners) and by its party committee (30);
    Xã Tùng Lộc run by the school (41); 2024: Huyện Can Lộc (60). Plans of Can Lộc 2025 and 2026."""
    programme = Programme.objects.get(code="NTD")

    def create(code, unit_code, day, learners, centre=None):
        return services.class_create(
            user=province_user,
            code=code,
            name=f"Lớp {code}",
            programme=programme,
            unit=AdministrativeUnit.objects.get(code=unit_code),
            centre=centre,
            start_date=day,
            learners=learners,
            completed=learners,
        )

    rows = {
        "school_xa": create("XCL-26-01", "18406", datetime.date(2026, 3, 9), 64, school),
        "party_xa": create("XCL-26-02", "18406", datetime.date(2026, 4, 9), 30),
        "school_tung": create("TL-26-01", "18418", datetime.date(2026, 5, 4), 41, school),
        "district": make_class("CL-24-01", "443", start=datetime.date(2024, 3, 5)),
    }
    can_loc = AdministrativeUnit.objects.get(code="443")
    for year in (2025, 2026):
        # 2026 is written past the unit's end, as an old database may hold (the board's own row).
        AnnualPlan.objects.bulk_create(
            [AnnualPlan(year=year, unit=can_loc, programme=programme, planned_classes=1, planned_learners=9)]
        )
    return rows


def visible_codes(user):
    return sorted(access.classes_visible_to(user).values_list("code", flat=True))


def test_each_scope_sees_exactly_its_classes_in_the_list_history_and_export(
    client, reform_classes, commune_user, centre_user, district_user
):
    expected = {
        commune_user: ["XCL-26-01", "XCL-26-02"],
        centre_user: ["TL-26-01", "XCL-26-01"],
        district_user: ["CL-24-01"],
    }
    for user, codes in expected.items():
        assert visible_codes(user) == codes
        client.force_login(user)
        listing = client.get(CLASS_LIST)
        assert sorted(row.code for row in listing.context["cl"].result_list) == codes, user.username
        for key, training_class in reform_classes.items():
            allowed = training_class.code in codes
            for name in ("change", "history", "delete"):
                url = reverse(f"admin:classes_trainingclass_{name}", args=[training_class.pk])
                assert client.get(url).status_code == (200 if allowed else 404), (user.username, key, name)
        exported = client.post(reverse("admin:classes_trainingclass_export"), {"format": "1", "resource": "0"})
        text = exported.content.decode("utf-8-sig")
        assert sorted(code for code in ("XCL-26-01", "XCL-26-02", "TL-26-01", "CL-24-01") if code in text) == codes


def test_a_former_district_sees_its_plans_up_to_its_end_and_may_not_write_after(reform_classes, district_user):
    assert sorted(access.plans_visible_to(district_user).values_list("year", flat=True)) == [2025]
    refusal = access.write_refusal(district_user, district_user.unit, 2026)
    assert refusal.startswith("Huyện Can Lộc không còn từ 01/07/2025; số liệu năm 2026 thuộc một trong các đơn vị")
    assert access.write_refusal(district_user, district_user.unit, 2024) is None
    services.year_lock(user=services.user_save(username="tinh3", role="province", password=PASSWORD), year=2024)
    assert "đã khóa" in access.write_refusal(district_user, district_user.unit, 2024)


def test_a_centre_user_writes_its_centres_classes_of_any_unit_and_nothing_else(
    reform_classes, centre_user, school, commune_user
):
    tung_loc = AdministrativeUnit.objects.get(code="18418")
    created = services.class_create(
        user=centre_user,
        code="TL-26-02",
        name="Lớp mới",
        programme=Programme.objects.get(code="NTD"),
        unit=tung_loc,
        start_date=datetime.date(2026, 6, 1),
        learners=20,
        completed=20,
    )
    assert created.centre == school  # the centre's own, when left blank
    party = reform_classes["party_xa"]
    party.learners = 1
    with pytest.raises(PermissionDenied):
        services.class_save(user=centre_user, training_class=party)
    committee = TrainingCentre.objects.get(code="DU-18406")
    assert access.write_refusal(centre_user, tung_loc, 2026, centre=committee).startswith(
        "Bạn chỉ được nhập số liệu các lớp do"
    )
    for visible in (
        access.plans_visible_to,
        access.surveys_visible_to,
        access.unit_reports_visible_to,
        access.assessments_visible_to,
        access.commendations_visible_to,
    ):
        assert not visible(centre_user).exists()
    assert list(access.centres_visible_to(centre_user)) == [school]
    # A commune's staff may name the school, its own party committee, or another provincial body.
    offered = set(access.centres_visible_to(commune_user).values_list("code", flat=True))
    assert {"TCT-HT", "DU-18406"} <= offered and "DU-18418" not in offered
    assert not (offered - {"DU-18406"}) - set(
        TrainingCentre.objects.filter(unit__isnull=True).values_list("code", flat=True)
    )


def test_a_centre_user_imports_its_classes_and_a_row_of_another_centre_is_refused(reform_classes, centre_user):
    row = class_row(
        "TL-26-09",
        **{"Mã đơn vị": "18418", "Mã trung tâm": "", "Ngày khai giảng": "02/06/2026", "Ngày bế giảng": "05/06/2026"},
    )
    run_import(centre_user, xlsx_bytes([row]), dry_run=False)
    assert TrainingClass.objects.get(code="TL-26-09").centre.code == "TCT-HT"
    foreign = class_row(
        "TL-26-10",
        **{
            "Mã đơn vị": "18418",
            "Mã trung tâm": "DU-18418",
            "Ngày khai giảng": "02/06/2026",
            "Ngày bế giảng": "05/06/2026",
        },
    )
    result = run_import(centre_user, xlsx_bytes([foreign]), dry_run=False)
    assert result.has_validation_errors() and not TrainingClass.objects.filter(code="TL-26-10").exists()


def test_each_scope_reports_its_own_figures_in_the_page_and_the_json(
    client, reform_classes, commune_user, centre_user, district_user
):
    expected = {
        commune_user: ("unit", "18406", 2, 94),
        centre_user: ("centre", "TCT-HT", 2, 105),
        district_user: ("unit", "443", 0, 0),
    }
    for user, (level, code, classes, learners) in expected.items():
        client.force_login(user)
        data = client.get("/api/reports/yearly/2026/").json()
        assert (data["scope"]["level"], data["scope"]["code"]) == (level, code), user.username
        assert (data["totals"]["classes"], data["totals"]["learners"]) == (classes, learners), user.username
        page = client.get("/reports/yearly/2026/")
        assert page.status_code == 200
    client.force_login(centre_user)
    data = client.get("/api/reports/yearly/2026/").json()
    assert sorted(entry["code"] for entry in data["by_unit"]) == ["18406", "18418"]
