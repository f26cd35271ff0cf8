import re

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from bench import run as bench_run

LIST_URL = "/admin/classes/trainingclass/"

pytestmark = pytest.mark.django_db


def aggregate_queries(queries):
    return [q["sql"] for q in queries if 'SUM("classes_trainingclass"."learners")' in q["sql"]]


def test_the_class_list_of_every_year_skips_the_totals_and_says_how_to_get_them(client, province_user, small_dataset):
    client.force_login(province_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST_URL).content.decode()

    assert "Chọn một năm hoặc một đơn vị ở bộ lọc để xem tổng số lớp và học viên." in page
    assert aggregate_queries(queries.captured_queries) == []
    # No date hierarchy: no MIN/MAX or DISTINCT over every class's start date.
    assert not [q for q in queries.captured_queries if "DISTINCT" in q["sql"] or "MIN(" in q["sql"]]


def test_the_class_list_of_one_unit_shows_its_totals(client, province_user, small_dataset, unit_duc_tho):
    client.force_login(province_user)
    page = client.get(LIST_URL, {"unit": unit_duc_tho.pk}).content.decode()
    totals = re.sub(r"\s+", " ", re.search(r'id="class-totals">(.*?)</p>', page, re.S).group(1))
    # Đức Thọ: 2023 40 + 50, 2022 45 + 55.
    assert "<strong>4</strong> lớp, <strong>190</strong> học viên" in totals


def test_district_staff_always_see_the_totals_of_their_own_unit(client, district_user, small_dataset):
    client.force_login(district_user)
    page = client.get(LIST_URL).content.decode()
    totals = re.sub(r"\s+", " ", re.search(r'id="class-totals">(.*?)</p>', page, re.S).group(1))
    # Can Lộc: 60 + 70 + 50 + 50, and the cancelled class's 20.
    assert "<strong>5</strong> lớp, <strong>250</strong> học viên" in totals


@override_settings(ROOT_URLCONF="bench.urls")
def test_the_benchmark_floors_answer_the_trivial_view_to_anyone_and_the_bare_list_to_staff(
    client, province_user, small_dataset
):
    assert client.get("/bench/trivial/").json() == {"ok": True}
    assert client.get("/bench/admin/classes/trainingclass/").status_code == 302
    client.force_login(province_user)
    page = client.get("/bench/admin/classes/trainingclass/").content.decode()
    assert page.count('class="action-checkbox"') == 9


def test_the_apps_own_urls_do_not_serve_the_unscoped_benchmark_list(client, district_user):
    # bench.urls (bench.settings) serves only the benchmark's throwaway databases.
    client.force_login(district_user)
    assert client.get("/bench/admin/classes/trainingclass/").status_code == 404
    assert client.get("/bench/trivial/").status_code == 404


def test_summaries_give_the_median_and_the_nearest_rank_95th_percentile():
    times = [float(n) for n in range(1, 21)]
    assert bench_run.summarise(times) == {"median_ms": 10.5, "p95_ms": 19.0, "runs": 20}
    assert bench_run.summarise([5.0]) == {"median_ms": 5.0, "p95_ms": 5.0, "runs": 1}


def test_the_table_marks_each_aim_met_or_missed_per_database():
    results = {
        "PostgreSQL": {
            "province_report_json_ratio": 1.2,
            "admin_ratio": 1.5,
            "rps_open_ratio": 0.25,
            "rps_locked_ratio": 0.4,
            "demo_national_s": 61.0,
        },
        "SQLite": {},
    }
    lines = {}
    for line in bench_run.table(results).splitlines()[2:]:
        lines.setdefault(line.split("|")[1].strip(), line)  # the province rows come first

    assert "1.20× ✓" in lines["JSON view ÷ raw SQL"]
    assert "1.50× ✗" in lines["admin ÷ bare"]
    assert "0.25× ✓" in lines["open ÷ trivial"]
    assert "0.40× ✗" in lines["locked ÷ trivial"]
    assert "61.0 s ✓" in lines["demo_data national (s)"]
    assert lines["admin ÷ bare"].rstrip(" |").endswith("—")


def test_interleaved_samples_alternate_the_calls_and_summarise_each():
    order = []
    summaries = bench_run.sample_interleaved({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, runs=3)

    assert order == ["a", "b", "a", "b", "a", "b", "a", "b"]
    assert summaries["a"]["runs"] == summaries["b"]["runs"] == 3
