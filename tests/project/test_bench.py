import json
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from bench import run as bench_run

LIST_URL = "/admin/classes/trainingclass/"

pytestmark = pytest.mark.django_db


def foot_row(page):
    """(the label, the learners) of the class list's foot row, spaces collapsed."""
    foot = re.search(r'<tfoot id="class-totals-row">(.*?)</tfoot>', page, re.S).group(1)
    label = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", re.search(r"<th[^>]*>(.*?)</th>", foot, re.S).group(1))).strip()
    return label, re.search(r'<td class="total-learners">(.*?)</td>', foot).group(1)


def aggregate_queries(queries):
    return [q["sql"] for q in queries if 'SUM("classes_trainingclass"."learners")' in q["sql"]]


def test_the_class_list_of_every_year_skips_the_totals_and_says_how_to_get_them(client, province_user, small_dataset):
    client.force_login(province_user)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(LIST_URL).content.decode()

    assert "Chọn một năm hoặc một đơn vị ở bộ lọc để xem tổng số lớp và học viên." in page
    assert aggregate_queries(queries.captured_queries) == []
    # No date hierarchy: no DISTINCT or MIN/MAX over every class's start date (the years
    # offered come from MIN/MAX of the indexed year column: two index probes).
    assert not [
        q
        for q in queries.captured_queries
        if "DISTINCT" in q["sql"] or 'MIN("classes_trainingclass"."start_date")' in q["sql"]
    ]


def test_the_class_list_of_one_unit_shows_its_totals(client, province_user, small_dataset, unit_duc_tho):
    client.force_login(province_user)
    page = client.get(LIST_URL, {"unit": unit_duc_tho.pk}).content.decode()
    # Đức Thọ: 2023 40 + 50, 2022 45 + 55.
    assert foot_row(page) == ("Tổng theo bộ lọc: 4 lớp đã mở", "190")


def test_district_staff_always_see_the_totals_of_their_own_unit(client, district_user, small_dataset):
    client.force_login(district_user)
    page = client.get(LIST_URL).content.decode()
    # Can Lộc: 60 + 70 + 50 + 50 opened, as the report counts; the cancelled class's 20 apart.
    assert foot_row(page) == (
        "Tổng theo bộ lọc: 4 lớp đã mở (không tính: 0 lớp kế hoạch, 0 học viên; 1 lớp đã hủy, 20 học viên)",
        "230",
    )


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
            "national_report_json_ratio": 1.2,
            "admin_ratio": 1.5,
            "rps_open_ratio": 0.75,
            "rps_locked_ratio": 0.85,
            "import_ratio": 0.7,
            "demo_national_s": 61.0,
        },
        "SQLite": {},
    }
    lines = {}
    for line in bench_run.table(results).splitlines()[2:]:
        lines.setdefault(line.split("|")[1].strip(), line)  # the province rows come first

    assert "1.20× ✓" in lines["JSON view ÷ raw SQL (aim ≤ 2×)"]
    assert "1.20× ✗" in lines["JSON view ÷ raw SQL (aim ≤ 1.15×)"]
    assert "1.50× ✗" in lines["admin ÷ bare (aim ≤ 1.2×)"]
    assert "0.75× ✓" in lines["open ÷ logged-in trivial (aim ≥ 0.7×)"]
    assert "0.85× ✗" in lines["locked ÷ logged-in trivial (aim ≥ 0.9×)"]
    assert "0.70× ✓" in lines["import ÷ floor (rows/s) (aim ≥ 0.7×)"]
    assert "61.0 s ✓" in lines["demo_data national (s) (aim < 180 s)"]
    assert lines["admin ÷ bare (aim ≤ 1.2×)"].rstrip(" |").endswith("—")


def test_interleaved_samples_alternate_the_calls_and_summarise_each():
    order = []
    summaries = bench_run.sample_interleaved({"a": lambda: order.append("a"), "b": lambda: order.append("b")}, runs=3)

    assert order == ["a", "b", "a", "b", "a", "b", "a", "b"]
    assert summaries["a"]["runs"] == summaries["b"]["runs"] == 3


@pytest.fixture
def bench_database_url():
    """On the PostgreSQL leg a database of its own on the same server (the bench resets its
    data), dropped afterwards; on the SQLite leg none: the bench then uses a temporary file."""
    if connection.vendor != "postgresql":
        yield None
        return
    import psycopg

    params = settings.DATABASES["default"]
    server = {"host": params["HOST"], "port": params["PORT"], "user": params["USER"], "password": params["PASSWORD"]}
    name = f"bench_{secrets.token_hex(4)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}"
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_quick_benchmark_runs_to_the_end_from_a_fresh_clone_and_fills_every_row(tmp_path, bench_database_url):
    # What `make bench ARGS=--quick` runs, on this leg's database only: DEBUG off, no
    # collected static files beforehand, gunicorn and wrk for the requests per second.
    root = Path(__file__).resolve().parents[2]
    legs = ["--pg-url", bench_database_url, "--no-sqlite"] if bench_database_url else []
    finished = subprocess.run(
        [sys.executable, str(root / "bench" / "run.py"), "--quick", "--out", str(tmp_path), *legs],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert finished.returncode == 0, finished.stderr[-3000:]
    (saved,) = tmp_path.glob("*-quick.json")
    run = json.loads(saved.read_text())
    (label,) = run["results"]
    assert label == ("PostgreSQL" if bench_database_url else "SQLite")
    assert run["failures"] == {}
    for _label, key, _format in bench_run.ROWS:
        assert run["results"][label].get(key) is not None, key
