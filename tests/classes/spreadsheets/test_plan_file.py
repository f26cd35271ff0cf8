"""The annual plan file (docs/contracts.md, Plans): imported and exported on the plan
admin's import-export pages with the class file's widgets and rules."""

import pytest

from classes.models import AdministrativeUnit, AnnualPlan, Programme
from classes.spreadsheets.base import import_errors
from classes.spreadsheets.files import read_file
from classes.spreadsheets.plans import AnnualPlanResource
from tests.classes.spreadsheets.helpers import csv_text

PLAN_HEADERS = ["Năm", "Mã đơn vị", "Mã chương trình", "Số lớp kế hoạch", "Số học viên kế hoạch"]


@pytest.fixture
def plans_2023(db):
    """Can Lộc NTD 4 / 250 and DVM 1 / 50; Đức Thọ NTD 2 / 100."""
    for unit, programme, classes, learners in (("443", "NTD", 4, 250), ("443", "DVM", 1, 50), ("440", "NTD", 2, 100)):
        AnnualPlan.objects.create(
            year=2023,
            unit=AdministrativeUnit.objects.get(code=unit),
            programme=Programme.objects.get(code=programme),
            planned_classes=classes,
            planned_learners=learners,
        )


def test_the_plan_file_is_imported_with_vietnamese_numbers_and_matched_on_year_unit_programme(
    province_user, plans_2023
):
    rows = [
        {
            "Năm": "2023",
            "Mã đơn vị": "443",
            "Mã chương trình": "NTD",
            "Số lớp kế hoạch": "5",
            "Số học viên kế hoạch": "1.234",
        },
        {
            "Năm": "2023",
            "Mã đơn vị": "Huyện Hương Khê",
            "Mã chương trình": "SC",
            "Số lớp kế hoạch": "2",
            "Số học viên kế hoạch": "80",
        },
    ]
    data = csv_text(rows, headers=PLAN_HEADERS).encode("utf-8-sig")
    preview = AnnualPlanResource(user=province_user).import_data(read_file("ke-hoach.csv", data), dry_run=True)
    assert import_errors(preview) == []
    AnnualPlanResource(user=province_user).import_data(read_file("ke-hoach.csv", data), dry_run=False)
    updated = AnnualPlan.objects.get(year=2023, unit__code="443", programme__code="NTD")
    assert (updated.planned_classes, updated.planned_learners, updated.updated_by) == (5, 1234, province_user)
    assert AnnualPlan.objects.get(year=2023, unit__code="444").planned_learners == 80
    assert AnnualPlan.objects.count() == 4


def test_a_district_importing_another_units_plan_writes_nothing(district_user, plans_2023):
    rows = [
        {
            "Năm": "2023",
            "Mã đơn vị": "443",
            "Mã chương trình": "SC",
            "Số lớp kế hoạch": "1",
            "Số học viên kế hoạch": "30",
        },
        {
            "Năm": "2023",
            "Mã đơn vị": "440",
            "Mã chương trình": "NTD",
            "Số lớp kế hoạch": "9",
            "Số học viên kế hoạch": "900",
        },
        {
            "Năm": "2023",
            "Mã đơn vị": "443",
            "Mã chương trình": "DVM",
            "Số lớp kế hoạch": "một",
            "Số học viên kế hoạch": "50",
        },
    ]
    data = csv_text(rows, headers=PLAN_HEADERS).encode("utf-8")
    result = AnnualPlanResource(user=district_user).import_data(read_file("ke-hoach.csv", data), dry_run=False)
    errors = import_errors(result)
    assert any("Dòng 3, cột Mã đơn vị" in line and "không thuộc phạm vi" in line for line in errors), errors
    assert any("Dòng 4, cột Số lớp kế hoạch" in line and "không phải số nguyên" in line for line in errors), errors
    assert AnnualPlan.objects.get(unit__code="440").planned_classes == 2
    assert not AnnualPlan.objects.filter(programme__code="SC").exists()


def test_the_plan_export_holds_only_the_districts_own_rows(district_user, plans_2023):
    dataset = AnnualPlanResource(user=district_user).export(AnnualPlan.objects.all())
    assert dataset.headers == PLAN_HEADERS
    assert sorted(row[1] for row in dataset) == ["443", "443"]


def test_a_district_imports_its_plan_on_the_plan_admins_import_page(client, district_user, plans_2023):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(district_user)
    listing = client.get(reverse("admin:classes_annualplan_changelist")).content.decode()
    assert "Nhập từ tệp" in listing and "Lập dự thảo từ khảo sát" in listing
    rows = [
        {
            "Năm": "2023",
            "Mã đơn vị": "Can Lộc",
            "Mã chương trình": "DVM",
            "Số lớp kế hoạch": "2",
            "Số học viên kế hoạch": "1.050",
        }
    ]
    upload = SimpleUploadedFile("ke-hoach.csv", csv_text(rows, headers=PLAN_HEADERS).encode("utf-8-sig"))
    preview = client.post(reverse("admin:classes_annualplan_import"), {"import_file": upload, "resource": "0"})
    assert "0 dòng mới, 1 dòng thay đổi" in preview.content.decode()
    form = preview.context["confirm_form"]
    fields = ("import_file_name", "original_file_name", "format", "resource")
    done = client.post(
        reverse("admin:classes_annualplan_process_import"), {name: form.initial.get(name, "") for name in fields}
    )
    assert done.status_code == 302
    changed = AnnualPlan.objects.get(year=2023, unit__code="443", programme__code="DVM")
    assert (changed.planned_classes, changed.planned_learners, changed.version) == (2, 1050, 2)
    assert (
        changed.history.count() == 2 and changed.history.first().history_user == district_user
    )  # created, then imported
