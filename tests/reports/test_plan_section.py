"""The plan-against-actual and standards sections say what is missing rather than printing 0."""

import io
import re

import openpyxl
import pytest

from classes.models import AdministrativeUnit, AnnualPlan, Programme

pytestmark = pytest.mark.django_db


def section(page, name):
    return re.search(rf'<section id="{name}">(.*?)</section>', page, re.S).group(1)


def test_no_plan_reads_chua_co_ke_hoach_rather_than_zero(small_dataset, client, province_user):
    client.force_login(province_user)
    plan = section(client.get("/reports/yearly/2023/").content.decode(), "plan")
    total = re.search(r'<tr class="total">(.*?)</tr>', plan, re.S).group(1)
    assert total.count("chưa có kế hoạch") == 2  # neither classes nor learners planned
    plan_cells = total.split("chưa có kế hoạch")
    assert '<td class="num">0</td><td class="num">5</td>' not in total and "–" not in "".join(plan_cells[:2])
    assert '<td class="num">5</td>' in total and '<td class="num">270</td>' in total  # the actual figures stay


def test_a_planned_unit_shows_its_plan_and_the_unplanned_figure_says_so(small_dataset, client, province_user):
    AnnualPlan.objects.create(
        year=2023,
        unit=AdministrativeUnit.objects.get(code="443"),
        programme=Programme.objects.get(code="NTD"),
        planned_classes=4,
    )
    client.force_login(province_user)
    plan = section(client.get("/reports/yearly/2023/").content.decode(), "plan")
    total = re.search(r'<tr class="total">(.*?)</tr>', plan, re.S).group(1)
    assert '<td class="num">4</td><td class="num">5</td><td class="num">125,0%</td>' in total
    assert total.count("chưa có kế hoạch") == 1  # the learners were not planned


def test_no_threshold_is_not_followed_by_a_count_of_zero_centres(small_dataset, client, province_user):
    client.force_login(province_user)
    standards = section(client.get("/reports/yearly/2023/").content.decode(), "standards")
    assert "Ban chưa đặt điểm đạt chuẩn cho năm này." in standards
    assert "trung tâm đạt chuẩn (năm" not in standards


def test_the_workbooks_plan_sheet_says_chua_co_ke_hoach_too(small_dataset, client, province_user):
    client.force_login(province_user)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/yearly/2023/export.xlsx").content))
    total = list(book["Kế hoạch"].iter_rows(min_row=2, max_row=2, values_only=True))[0]
    assert total[:7] == ("Tổng cộng", "chưa có kế hoạch", 5, None, "chưa có kế hoạch", 270, None)
