import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Q, Sum

from classes import access
from classes.demo import loader as demo
from classes.models import (
    AdministrativeUnit,
    AnnualPlan,
    Commendation,
    LearningNeedsSurvey,
    TrainingCentre,
    TrainingClass,
    UnitReport,
    User,
)
from tests.factories import make_class

COUNTED = Q(status__in=("dang_hoc", "da_ket_thuc"))


def run(*args):
    out = io.StringIO()
    call_command("demo_data", *args, stdout=out)
    return out.getvalue()


def counted(year):
    return TrainingClass.objects.filter(COUNTED, year=year).aggregate(classes=Count("*"), learners=Sum("learners"))


def snapshot():
    return list(
        TrainingClass.objects.order_by("code").values_list(
            "code",
            "name",
            "programme__code",
            "unit__code",
            "centre__code",
            "venue",
            "start_date",
            "end_date",
            "year",
            "status",
            "learners",
            "completed",
            "excellent",
            "good",
            "fair",
            "average",
            "failed",
        )
    ) + list(
        Commendation.objects.order_by("year", "form", "recipient").values_list(
            "year",
            "form",
            "recipient_kind",
            "recipient",
            "unit__code",
            "decision_number",
            "decision_date",
            "issuer",
        )
    )


@pytest.mark.django_db
def test_province_scale_reproduces_the_boards_published_totals():
    output = run()

    # The board published no learners figure for 2022: the band below checks it.
    assert counted(2022)["classes"] == 709
    assert counted(2023) == {"classes": 775, "learners": 129_557}
    assert counted(2023)["classes"] - counted(2022)["classes"] == 66
    assert "Năm 2023: 775 lớp, 129.557 học viên" in output
    for year in range(2019, 2027):
        assert 500 <= counted(year)["classes"] <= 900
        assert 120 <= counted(year)["learners"] / counted(year)["classes"] <= 200


@pytest.mark.django_db
def test_province_scale_uses_every_unit_programme_and_venue_with_consistent_results():
    run()
    demo_classes = TrainingClass.objects.filter(is_demo=True)

    districts = demo_classes.filter(start_date__lt=datetime.date(2025, 7, 1))
    assert set(districts.values_list("unit__code", flat=True).distinct()) == set(demo.UNIT_WEIGHTS)
    assert demo_classes.values("programme").distinct().count() == 9
    assert demo_classes.values("venue").distinct().count() == 4
    assert demo_classes.filter(status="da_huy").count() > 0
    assert demo_classes.filter(status="ke_hoach").count() > 0
    assert not demo_classes.filter(completed__gt=F("learners")).exists()
    results = F("excellent") + F("good") + F("fair") + F("average") + F("failed")
    assert not demo_classes.annotate(results=results).filter(results__gt=F("completed")).exists()
    assert demo_classes.annotate(results=results).filter(results=F("completed"), completed__gt=0).count() > 3000
    assert not demo_classes.filter(COUNTED, learners__lt=25).exists()
    assert not demo_classes.filter(start_date__gt=demo.DEMO_TODAY).exists()
    assert not demo_classes.exclude(year=F("start_date__year")).exists()
    # Trung cấp classes are run by Trường Chính trị Trần Phú (after the reform also the basic ones).
    assert set(demo_classes.filter(programme__code="TC").values_list("centre__code", flat=True)) == {"TCT-HT"}


@pytest.mark.django_db
def test_province_scale_awards_commendations_with_decision_number_date_and_issuer():
    run("--years", "2022-2023")
    awards = Commendation.objects.filter(is_demo=True, year=2023)

    assert awards.filter(form="giay_khen", recipient_kind="tap_the").count() >= 4
    assert awards.filter(form="giay_khen", recipient_kind="ca_nhan").count() >= 2
    board = awards.filter(form="giay_khen").first()
    assert board.decision_number.endswith("-QĐ/BTGTU")
    assert board.issuer == "Ban Tuyên giáo Tỉnh ủy Hà Tĩnh"
    assert board.decision_date.year == 2023
    assert awards.filter(form="bang_khen", decision_number__endswith="-QĐ/TU").exists()


@pytest.mark.django_db
def test_commendations_after_the_boards_merger_carry_its_new_name_and_symbol_and_name_communes():
    run("--years", "2026")
    board = Commendation.objects.filter(is_demo=True, year=2026, form="giay_khen")

    assert set(board.values_list("issuer", flat=True)) == {"Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh"}
    assert all(number.endswith("-QĐ/BTGDVTU") for number in board.values_list("decision_number", flat=True))
    assert set(board.values_list("unit__valid_from", flat=True)) == {datetime.date(2025, 7, 1)}


@pytest.mark.django_db
def test_the_same_seed_gives_the_same_data_and_another_seed_different_data():
    run("--years", "2022-2023", "--seed", "7")
    first = snapshot()
    run("--years", "2022-2023", "--seed", "7", "--reset")
    assert snapshot() == first
    run("--years", "2022-2023", "--seed", "8", "--reset")
    other = snapshot()
    assert other != first
    assert counted(2023) == {"classes": 775, "learners": 129_557}


@pytest.mark.django_db
def test_reset_removes_only_demo_rows(province_user):
    real = make_class("THAT-2023-01", "443", start=datetime.date(2023, 5, 2), learners=40, completed=40)
    real_award = Commendation.objects.create(
        year=2023,
        recipient="Trung tâm Chính trị huyện Can Lộc",
        decision_number="12-QĐ/BTGTU",
        decision_date=datetime.date(2023, 12, 1),
    )
    run("--years", "2023", "--allow-with-real-data")
    assert counted(2023)["classes"] == 776

    demo_count = TrainingClass.objects.filter(is_demo=True).count()

    output = run("--years", "2023", "--reset", "--allow-with-real-data")

    assert f"Đã xóa dữ liệu mẫu: {demo_count} lớp" in output
    assert TrainingClass.objects.filter(pk=real.pk).exists()
    assert Commendation.objects.filter(pk=real_award.pk).exists()
    assert TrainingClass.objects.filter(is_demo=False).count() == 1
    assert counted(2023)["classes"] == 776
    assert not TrainingClass.history.filter(is_demo=True).exists()


@pytest.mark.django_db
def test_the_command_refuses_a_database_holding_real_classes():
    make_class("THAT-2023-01", "443")

    with pytest.raises(CommandError, match="đã có lớp thật"):
        run()
    with pytest.raises(CommandError, match="đã có lớp thật"):
        run("--reset")

    assert not TrainingClass.objects.filter(is_demo=True).exists()
    assert not Commendation.objects.filter(is_demo=True).exists()


@pytest.mark.django_db
def test_a_second_load_without_reset_is_refused_and_if_empty_skips_a_database_with_classes():
    run("--years", "2023")
    loaded = snapshot()
    with pytest.raises(CommandError, match="--reset"):
        run("--years", "2023")
    assert "không tạo dữ liệu mẫu" in run("--if-empty")
    assert snapshot() == loaded


@pytest.mark.django_db
def test_the_demo_runs_through_the_reform_13_districts_then_12_then_the_69_communes_and_wards():
    run("--years", "2024-2026")
    reform = datetime.date(2025, 7, 1)
    classes = TrainingClass.objects.filter(is_demo=True)

    assert classes.filter(year=2024).values("unit").distinct().count() == 13
    first_half = classes.filter(year=2025, start_date__lt=reform)
    second_half = classes.filter(year=2025, start_date__gte=reform)
    assert first_half.values("unit").distinct().count() == 12
    assert not first_half.filter(unit__code="448").exists()  # Lộc Hà merged into Thạch Hà from 1/1/2025
    assert second_half.values("unit").distinct().count() == 69
    assert first_half.count() > 300 and second_half.count() > 300
    assert counted(2025)["classes"] == 834
    assert not classes.filter(start_date__gte=reform, unit__valid_from__isnull=True).exists()
    after = classes.filter(start_date__gte=reform)
    assert set(after.values_list("centre__kind", flat=True)) == {"truong_tinh", "dang_uy"}
    assert set(after.filter(programme__code__in=("NTD", "DVM", "SC", "TC")).values_list("centre__code", flat=True)) == {
        "TCT-HT"
    }
    assert not classes.filter(start_date__gt=datetime.date(2026, 12, 1)).exists()
    for row in classes.filter(start_date__gte=reform).select_related("unit", "centre")[:200]:
        row.full_clean()  # every generated class passes the model's own rules (validity of unit and centre)


@pytest.mark.django_db
def test_2026_is_still_being_entered_a_third_have_sent_one_was_returned_with_plans_surveys_and_a_2027_draft():
    run("--years", "2025-2026")
    reports = UnitReport.objects.filter(year=2026)

    assert reports.count() == 23
    assert reports.filter(status="tra_lai").count() == 1
    assert reports.exclude(return_reason="").count() == 1
    assert set(reports.values_list("unit__valid_from", flat=True)) == {datetime.date(2025, 7, 1)}
    assert AnnualPlan.objects.filter(year=2026, is_draft=False).values("unit").distinct().count() == 69
    assert LearningNeedsSurvey.objects.filter(year=2026).values("unit").distinct().count() == 69
    drafts = AnnualPlan.objects.filter(year=2027, is_draft=True)
    assert drafts.count() == LearningNeedsSurvey.objects.filter(year=2027).count() == 69 * 9
    assert not AnnualPlan.objects.filter(year=2027, is_draft=False).exists()

    run("--years", "2025-2026", "--reset")
    assert UnitReport.objects.filter(year=2026).count() == 23
    assert AnnualPlan.objects.filter(year=2027).count() == 69 * 9


@pytest.mark.django_db
def test_a_bad_year_range_is_refused():
    with pytest.raises(CommandError, match="Khoảng năm không hợp lệ"):
        run("--years", "2024-2019")
    with pytest.raises(CommandError, match="chỉ có lớp đến ngày 01/12/2026"):
        run("--years", "2027")
    assert not TrainingClass.objects.exists()


@pytest.mark.django_db
def test_demo_users_are_made_only_on_the_default_local_database():
    run("--years", "2023")
    assert not User.objects.filter(username__startswith="demo-").exists()


@pytest.mark.django_db
def test_demo_users_have_each_role_and_district_staff_see_only_their_unit():
    run("--years", "2023")
    made = demo.demo_users_save(demo.UNIT_WEIGHTS)

    assert len(made) == 17
    roles = {username: role for username, role, _password in made}
    assert roles["demo-tinh"] == "province" and roles["demo-quantri"] == "admin" and roles["demo-443"] == "district"
    assert roles["demo-18406"] == "district" and roles["demo-truong"] == "centre"
    assert User.objects.get(username="demo-truong").centre.code == "TCT-HT"
    can_loc = User.objects.get(username="demo-443")
    assert can_loc.check_password({u: p for u, _r, p in made}["demo-443"])
    visible = access.classes_visible_to(can_loc)
    assert set(visible.values_list("unit__code", flat=True).distinct()) == {"443"}
    assert access.classes_visible_to(User.objects.get(username="demo-tinh")).count() == TrainingClass.objects.count()


@pytest.mark.django_db
def test_national_scale_builds_63_provinces_of_demo_units_and_reset_removes_them():
    output = run("--scale", "national", "--years", "2023-2024", "--classes-per-year", "3000")

    provinces = AdministrativeUnit.objects.filter(code__startswith="DEMO-", parent__isnull=True)
    districts = AdministrativeUnit.objects.filter(code__startswith="DEMO-", parent__isnull=False)
    assert provinces.count() == 63 and set(provinces.values_list("kind", flat=True)) == {"tinh"}
    assert 600 <= districts.count() <= 800
    assert TrainingCentre.objects.filter(code__startswith="TTCT-DEMO-").count() == districts.count()
    assert TrainingClass.objects.filter(year=2023).count() == 3000
    assert 2900 <= counted(2023)["classes"] < 3000
    assert "Dữ liệu mẫu quy mô toàn quốc: 6.000 lớp" in output
    assert (
        not AdministrativeUnit.objects.filter(code__startswith="DEMO-")
        .exclude(code__regex=r"^DEMO-\d\d(-\d\d)?$")
        .exists()
    )

    run("--scale", "national", "--years", "2023", "--classes-per-year", "100", "--reset")
    assert TrainingClass.objects.count() == 100
    run("--reset", "--years", "2023")
    assert not AdministrativeUnit.objects.filter(code__startswith="DEMO-").exists()
    assert counted(2023)["classes"] == 775


@pytest.mark.django_db
def test_make_runs_demo_opens_on_the_2026_report_and_keeps_the_boards_2023_sentence(client, province_user):
    run("--if-empty", "--years", "2019-2026")  # as the Makefile's run target calls it
    client.force_login(province_user)

    assert client.get("/reports/").url == "/reports/yearly/2026/"
    assert client.get("/reports/yearly/2026/").status_code == 200
    report = client.get("/api/reports/yearly/2023/").json()
    assert report["totals"]["classes"] == 775 and report["totals"]["learners"] == 129_557
    assert report["previous_totals"]["classes"] == 709
    assert (
        "Năm 2023, toàn tỉnh mở được 775 lớp với 129.557 học viên, tăng 66 lớp (9,3%) so với năm 2022"
        in report["summary_text"]
    )
    assert len(report["by_unit"]) == 13
    assert client.get("/api/reports/yearly/2022/").json()["totals"]["classes"] == 709
    assert any(item["decision_number"].endswith("-QĐ/BTGTU") for item in report["commendations"])
    page = client.get("/reports/yearly/2023/").content.decode()
    assert "129.557" in page and "tăng 66 lớp" in page
    # Every unit sent and the board accepted the years before 2026: no caveat; 2026 has one.
    assert report["caveat"] is None and "chưa gửi báo cáo" not in report["summary_text"]
    current = client.get("/api/reports/yearly/2026/").json()
    assert current["caveat"] == {"sent": 22, "required": 69, "missing": 47}  # a third sent, one returned
    assert "Số liệu của 22/69 đơn vị đã gửi; 47 đơn vị chưa gửi báo cáo." in current["summary_text"]


@pytest.mark.django_db
def test_the_demos_commune_and_school_accounts_reach_their_start_page(client):
    run("--years", "2026")
    made = {username: password for username, _role, password in demo.demo_users_save(demo.UNIT_WEIGHTS)}

    for username in ("demo-18406", "demo-truong", "demo-tinh"):
        assert client.login(username=username, password=made[username])
        landing = client.get("/", follow=True)
        assert landing.status_code == 200, username
        client.logout()
