"""Import benchmark: 10,000 class rows from an .xlsx through the resource the
admin uses (preview, then confirm, each reading the file as the admin does), on
the database DATABASE_URL names, beside the floor measured in the same run:
the same rows read with openpyxl, validated set-based and saved with bulk_create.

    DEBUG=true .venv/bin/python bench/bench_import.py [--rows 10000]

or, from Python with Django set up: `from bench.bench_import import run; run()`.
Each pass runs in a forked child so that its peak memory (max RSS, which
includes the ~60 MB of Python and Django already loaded) is its own. The rows
written are deleted again afterwards, with their history.
"""

import argparse
import datetime
import io
import multiprocessing
import os
import resource
import secrets
import sys
import time
from pathlib import Path

CODE_PREFIX = "BENCH-IMPORT-"
BENCH_USER = "bench-import"


def _setup_django():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hatinh_training.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()


def build_xlsx(rows: int) -> bytes:
    """A province-sized sheet with typed cells: dates as dates, counts as numbers."""
    import openpyxl
    from django.db.models import Q

    from classes.models import Programme, TrainingCentre
    from classes.spreadsheets.training import TrainingClassResource

    # The rows open in 2023: only centres and units in effect all that year (not the 2025 ones).
    first, last = datetime.date(2023, 1, 1), datetime.date(2023, 12, 31)
    centres = list(
        TrainingCentre.objects.filter(unit__isnull=False)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=first), Q(valid_to__isnull=True) | Q(valid_to__gte=last))
        .filter(
            Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=first),
            Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=last),
        )
        .select_related("unit")
        .order_by("code")
    )
    programmes = list(Programme.objects.values_list("code", flat=True))
    venues = ["Tại trung tâm", "Tại cơ sở", "Trực tuyến", "Kết hợp"]
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Lớp")
    sheet.append([str(field.column_name) for field in TrainingClassResource(user=None).get_import_fields()])
    start = datetime.date(2023, 1, 2)
    for index in range(rows):
        centre = centres[index % len(centres)]
        learners = 30 + index % 170
        completed = learners - index % 5
        day = start + datetime.timedelta(days=index % 360)
        sheet.append(
            [
                f"{CODE_PREFIX}{index:06d}",
                f"Lớp bồi dưỡng số {index}",
                programmes[index % len(programmes)],
                centre.unit.code,
                centre.code,
                venues[index % 4],
                day,
                day + datetime.timedelta(days=4),
                learners,
                completed,
                completed // 10,
                completed // 3,
                completed // 3,
                completed // 10,
                0,
                "" if index % 7 else "Ghi chú",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class _QueryCounter:
    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def _cleanup():
    from classes.models import TrainingClass

    TrainingClass.history.filter(code__startswith=CODE_PREFIX).delete()
    TrainingClass.objects.filter(code__startswith=CODE_PREFIX).delete()


def _bench_user():
    from classes import services

    return services.user_save(
        username=BENCH_USER,
        role="province",
        first_name="Benchmark",
        password=secrets.token_urlsafe(24),
    )


def _pass_import(data: bytes) -> dict:
    """What the admin does: read and preview (dry run), then read again and confirm."""
    from django.db import connection

    from classes.spreadsheets.base import import_errors
    from classes.spreadsheets.files import read_file
    from classes.spreadsheets.training import TrainingClassResource

    user = _bench_user()
    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        preview = TrainingClassResource(user=user).import_data(read_file("lop.xlsx", data), dry_run=True)
        preview_seconds = time.perf_counter() - started
        problems = import_errors(preview)
        if problems:
            raise RuntimeError(f"preview found errors: {problems[:3]}")
        started = time.perf_counter()
        confirm = TrainingClassResource(user=user).import_data(read_file("lop.xlsx", data), dry_run=False)
        confirm_seconds = time.perf_counter() - started
    if import_errors(confirm) or confirm.totals["new"] != len(preview.rows):
        raise RuntimeError(f"confirm did not write every row: {import_errors(confirm)[:3]}")
    return {"preview_s": preview_seconds, "confirm_s": confirm_seconds, "queries": counter.count}


def _pass_floor(data: bytes) -> dict:
    """The least any import can do: openpyxl, instances, set-based checks, bulk_create."""
    import openpyxl
    from django.db import connection, transaction

    from classes.models import (
        AdministrativeUnit,
        Programme,
        TrainingCentre,
        TrainingClass,
    )

    counter = _QueryCounter()
    with connection.execute_wrapper(counter):
        started = time.perf_counter()
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        rows = list(workbook.worksheets[0].iter_rows(min_row=2, values_only=True))
        workbook.close()
        programmes = {p.code: p for p in Programme.objects.all()}
        units = {u.code: u for u in AdministrativeUnit.objects.all()}
        centres = {c.code: c for c in TrainingCentre.objects.all()}
        venues = {str(label): value for value, label in TrainingClass.Venue.choices}
        instances = []
        for row in rows:
            start = row[6].date() if isinstance(row[6], datetime.datetime) else row[6]
            end = row[7].date() if isinstance(row[7], datetime.datetime) else row[7]
            instance = TrainingClass(
                code=row[0],
                name=row[1],
                programme=programmes[row[2]],
                unit=units[str(row[3])],
                centre=centres[row[4]],
                venue=venues[row[5]],
                start_date=start,
                end_date=end,
                year=start.year,
                learners=row[8],
                completed=row[9],
                excellent=row[10],
                good=row[11],
                fair=row[12],
                average=row[13],
                failed=row[14],
                notes=row[15] or "",
            )
            instance.clean()
            instances.append(instance)
        codes = [instance.code for instance in instances]
        taken = set()
        for index in range(0, len(codes), 1000):
            taken.update(
                TrainingClass.objects.filter(code__in=codes[index : index + 1000]).values_list("code", flat=True)
            )
        if taken:
            raise RuntimeError("benchmark codes already present")
        with transaction.atomic():
            TrainingClass.objects.bulk_create(instances, batch_size=1000)
        seconds = time.perf_counter() - started
    return {"seconds": seconds, "queries": counter.count}


def _child(target, data, pipe):
    try:
        figures = target(data)
        usage = resource.getrusage(resource.RUSAGE_SELF)
        figures["peak_mb"] = usage.ru_maxrss / 1024
        # CPU time as well: on a shared 2-core machine the wall clock also measures the neighbours.
        figures["cpu_s"] = usage.ru_utime + usage.ru_stime
        pipe.send(figures)
    except BaseException as error:  # the parent reports it
        pipe.send({"error": repr(error)})
    finally:
        _cleanup()
        pipe.close()


def _in_child(target, data) -> dict:
    from django.db import connections

    connections.close_all()  # the child opens its own connection
    parent_end, child_end = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=_child, args=(target, data, child_end))
    process.start()
    figures = parent_end.recv()
    process.join()
    if "error" in figures:
        raise RuntimeError(figures["error"])
    return figures


def run(rows: int = 10_000, verbose: bool = True) -> dict:
    """Run both passes and return their figures; Django must be set up."""
    from django.db import connection

    _cleanup()
    data = build_xlsx(rows)
    floor = _in_child(_pass_floor, data)
    imported = _in_child(_pass_import, data)
    from classes.models import User

    User.objects.filter(username=BENCH_USER).delete()
    total = imported["preview_s"] + imported["confirm_s"]
    result = {
        "rows": rows,
        "database": connection.vendor,
        "file_kb": round(len(data) / 1024),
        "import": {
            "seconds": round(total, 2),
            "preview_s": round(imported["preview_s"], 2),
            "confirm_s": round(imported["confirm_s"], 2),
            "rows_per_s": round(rows / total),
            "queries": imported["queries"],
            "cpu_s": round(imported["cpu_s"], 2),
            "peak_mb": round(imported["peak_mb"]),
        },
        "floor": {
            "seconds": round(floor["seconds"], 2),
            "rows_per_s": round(rows / floor["seconds"]),
            "queries": floor["queries"],
            "cpu_s": round(floor["cpu_s"], 2),
            "peak_mb": round(floor["peak_mb"]),
        },
        "aim": {"seconds": 20, "peak_mb": 300},
    }
    if verbose:
        print(format_table(result))
    return result


def format_table(result: dict) -> str:
    imported, floor = result["import"], result["floor"]
    return "\n".join(
        [
            f"Import of {result['rows']:,} class rows from .xlsx ({result['file_kb']:,} KB) on {result['database']}",
            f"{'path':<58} {'seconds':>8} {'CPU s':>8} {'rows/s':>8} {'queries':>8} {'peak MB':>8}",
            f"{'floor: openpyxl + set-based checks + bulk_create (1 pass)':<58} {floor['seconds']:>8} {floor['cpu_s']:>8} "
            f"{floor['rows_per_s']:>8,} {floor['queries']:>8,} {floor['peak_mb']:>8}",
            f"{'admin resource: preview + confirm (2 reads, history)':<58} {imported['seconds']:>8} {imported['cpu_s']:>8} "
            f"{imported['rows_per_s']:>8,} {imported['queries']:>8,} {imported['peak_mb']:>8}",
            f"  preview {imported['preview_s']} s, confirm {imported['confirm_s']} s; aim < {result['aim']['seconds']} s "
            f"and < {result['aim']['peak_mb']} MB: {'met' if imported['seconds'] < 20 and imported['peak_mb'] < 300 else 'NOT met'}",
        ]
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    _setup_django()
    run(args.rows)


if __name__ == "__main__":
    main()
