"""Report benchmark: the yearly report JSON's server time beside the raw SQL of the same
figures, on the database DATABASE_URL names, in the same run.

    DEBUG=true .venv/bin/python bench/bench_report.py [--year 2023] [--runs 30] [--unit 443]

or, with Django set up: `from bench.bench_report import run; run(year=2023)` (a dict of
median and p95 milliseconds), or `raw_sql_times(user=..., year=..., runs=...)` alone.
The view is called directly (RequestFactory, no session or middleware), so both sides
time only the figures: the ORM, the dict and the JSON against hand-written SQL that
fetches the same rows. `run` alternates the two so both meet the same load. Every year is
served from the cache between writes: the view's side clears the cache before each call, so
it times the cold report.
"""

import argparse
import datetime
import math
import os
import statistics
import sys
import time
from pathlib import Path

BENCH_USER = "bench-report"


def _setup_django():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hatinh_training.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def summarise(times_ms: list[float]) -> dict:
    ordered = sorted(times_ms)
    return {
        "median_ms": round(statistics.median(ordered), 2),
        "p95_ms": round(ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)], 2),
        "runs": len(ordered),
    }


def timed(call, runs: int, warmup: int = 2) -> dict:
    for _ in range(warmup):
        call()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        times.append((time.perf_counter() - started) * 1000)
    return summarise(times)


def raw_sql_statements(*, user, year: int) -> list[tuple[str, list]]:
    """The report's figures as hand-written SQL (PostgreSQL and SQLite both read FILTER)."""
    # Imported here: bench/run.py imports this module before Django is set up.
    from classes import access
    from classes.models import (
        AdministrativeUnit,
        Commendation,
        Programme,
        TrainingCentre,
        TrainingClass,
    )
    from reports.figures.yearly import NOT_OPENED

    classes, units = TrainingClass._meta.db_table, AdministrativeUnit._meta.db_table
    programmes, centres, commendations = (
        Programme._meta.db_table,
        TrainingCentre._meta.db_table,
        Commendation._meta.db_table,
    )
    previous = year - 1
    unit_ids = access.visible_unit_ids(user)
    scope_sql, scope_params = "", []
    if unit_ids is not None:
        scope_sql = f" AND c.unit_id IN ({', '.join(['%s'] * len(unit_ids)) or 'NULL'})"
        scope_params = list(unit_ids)
    where = f"c.year IN (%s, %s) AND c.status NOT IN (%s, %s){scope_sql}"
    where_params = [year, previous, *NOT_OPENED, *scope_params]

    def figures(fields):
        columns, params = [], []
        for which in (year, previous):
            columns.append("COUNT(c.year) FILTER (WHERE c.year = %s)")
            params.append(which)
            for field in fields:
                columns.append(f"COALESCE(SUM(c.{field}) FILTER (WHERE c.year = %s), 0)")
                params.append(which)
        return ", ".join(columns), params

    all_fields, all_params = figures(TrainingClass.COUNT_FIELDS)
    two_fields, two_params = figures(("learners", "completed"))
    statements = [
        (f"SELECT c.venue, {all_fields} FROM {classes} c WHERE {where} GROUP BY c.venue", all_params + where_params),
        (
            f"SELECT c.unit_id, {two_fields} FROM {classes} c WHERE {where} GROUP BY c.unit_id",
            two_params + where_params,
        ),
        (
            f"SELECT c.programme_id, {two_fields} FROM {classes} c WHERE {where} GROUP BY c.programme_id",
            two_params + where_params,
        ),
        (f"SELECT p.id, p.code, p.name FROM {programmes} p ORDER BY p.sort_order, p.code", []),
        (
            f"SELECT c.centre_id, {two_fields} FROM {classes} c WHERE {where} GROUP BY c.centre_id",
            two_params + where_params,
        ),
        (f"SELECT t.id, t.code, t.name FROM {centres} t ORDER BY t.code", []),
    ]
    in_effect = (
        "(u.valid_from IS NULL OR u.valid_from <= %s) AND (u.valid_to IS NULL OR u.valid_to >= %s)",
        [datetime.date(year, 12, 31), datetime.date(year, 1, 1)],
    )
    if unit_ids is None:
        statements.append(
            (
                f"SELECT u.id, u.code, u.name FROM {units} u WHERE u.kind <> %s AND ({in_effect[0]} OR u.id IN "
                f"(SELECT DISTINCT c.unit_id FROM {classes} c WHERE {where})) ORDER BY u.code",
                [AdministrativeUnit.Kind.PROVINCE, *in_effect[1], *where_params],
            )
        )
    else:
        statements.append(
            (
                f"SELECT u.id, u.code, u.name FROM {units} u WHERE u.kind <> %s AND u.id IN ({', '.join(['%s'] * len(unit_ids)) or 'NULL'}) ORDER BY u.code",
                [AdministrativeUnit.Kind.PROVINCE, *unit_ids],
            )
        )
    statements.append(
        (
            f"SELECT m.form, m.recipient_kind, m.recipient, m.decision_number, m.decision_date, m.issuer FROM {commendations} m "
            f"WHERE m.year = %s{scope_sql.replace('c.unit_id', 'm.unit_id')} ORDER BY m.decision_date, m.recipient",
            [year, *scope_params],
        )
    )
    return statements


def _raw_sql_call(*, user, year: int):
    from django.db import connection

    statements = raw_sql_statements(user=user, year=year)

    def call():
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return call


def _json_view_call(*, user, year: int):
    from django.core.cache import cache
    from django.test import RequestFactory

    from reports.views import yearly_json

    request = RequestFactory().get(f"/api/reports/yearly/{year}/")
    request.user = user

    def call():
        # The cold report: every year is now served from the cache between writes.
        cache.clear()
        response = yearly_json(request, year=year)
        if response.status_code != 200:
            raise RuntimeError(f"yearly_json({year}): HTTP {response.status_code}")

    return call


def raw_sql_times(*, user, year: int, runs: int = 30) -> dict:
    return timed(_raw_sql_call(user=user, year=year), runs)


def json_view_times(*, user, year: int, runs: int = 30) -> dict:
    return timed(_json_view_call(user=user, year=year), runs)


def paired_times(*, user, year: int, runs: int = 30, warmup: int = 2) -> tuple[dict, dict]:
    """The view and the raw SQL alternately, so that both meet the same load on a shared machine."""
    calls = {"json_view": _json_view_call(user=user, year=year), "raw_sql": _raw_sql_call(user=user, year=year)}
    times = {name: [] for name in calls}
    for index in range(warmup + runs):
        order = list(calls) if index % 2 else list(reversed(calls))
        for name in order:
            started = time.perf_counter()
            calls[name]()
            if index >= warmup:
                times[name].append((time.perf_counter() - started) * 1000)
    return summarise(times["json_view"]), summarise(times["raw_sql"])


def bench_user(unit_code: str | None = None):
    import secrets

    from classes import services
    from classes.models import AdministrativeUnit

    if unit_code:
        unit = AdministrativeUnit.objects.get(code=unit_code)
        return services.user_save(
            username=f"{BENCH_USER}-{unit_code}", role="district", unit=unit, password=secrets.token_urlsafe(16)
        )
    return services.user_save(username=BENCH_USER, role="province", password=secrets.token_urlsafe(16))


def run(*, year: int | None = None, runs: int = 30, user=None) -> dict:
    """JSON view and raw SQL, median and p95 ms, and their ratio; on the current database."""
    from django.db import connection

    from classes.models import TrainingClass
    from reports.figures import yearly as selectors

    user = user or bench_user()
    year = year or selectors.latest_year(user=user)
    if year is None:
        raise RuntimeError("Không có lớp nào để đo: hãy nạp dữ liệu mẫu (manage.py demo_data).")
    scope = selectors.report_scope(user)
    view, raw = paired_times(user=user, year=year, runs=runs)
    return {
        "vendor": connection.vendor,
        "year": year,
        "scope": scope["code"],
        "classes_in_database": TrainingClass.objects.count(),
        "json_view": view,
        "raw_sql": raw,
        "ratio": round(view["median_ms"] / raw["median_ms"], 3),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--unit", help="GSO code: time a district user's report instead of the province's")
    args = parser.parse_args()
    _setup_django()
    result = run(year=args.year, runs=args.runs, user=bench_user(args.unit) if args.unit else None)
    print(
        f"{result['vendor']}, year {result['year']}, scope {result['scope']}, {result['classes_in_database']:,} classes"
    )
    for label, key in (("JSON view", "json_view"), ("raw SQL", "raw_sql")):
        print(f"  {label:10} median {result[key]['median_ms']:8.2f} ms   p95 {result[key]['p95_ms']:8.2f} ms")
    print(f"  ratio      {result['ratio']:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
