"""`make bench`: the app's speed at province and national scale, on PostgreSQL and SQLite.

    python bench/run.py [--quick] [--pg-url URL [--no-sqlite]] [--sqlite PATH] [--out DIR]

Each database runs in its own worker process (`--worker`), on a database of its own
(never the default db.sqlite3). The parent prints one table and writes every figure
to bench/results/<UTC time>[-quick].json, so two runs can be compared. Ratios are what
count: the machine is shared and noisy.

What a worker measures, in order:
1. province demo (13 units, 2019–2024): the yearly report of an open year, its JSON
   view alone beside the raw SQL of the same figures (bench/bench_report.py), and the
   whole JSON request and HTML page through the middleware;
2. the 10,000-row class import beside its bulk_create floor (bench/bench_import.py);
3. gunicorn (2 sync workers) under wrk on 127.0.0.1, bounded in time: a trivial view,
   the report of an open year and of a locked one (both from the cache between writes);
4. national demo (63 provinces, about 700 units, 1,000,000 classes): its load time,
   the report JSON and page again, and the admin class list beside a bare
   ModelAdmin's 100-row page (bench/urls.py).
"""

import argparse
import datetime
import http.client
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_report import summarise

REPORT_YEAR, OPEN_YEAR = 2023, 2024  # the province demo's last year stays open

FULL = {"runs": 30, "page_runs": 15, "admin_runs": 15, "load_seconds": 10, "national": [], "import_rows": 10_000}
QUICK = {
    "runs": 6,
    "page_runs": 4,
    "admin_runs": 4,
    "load_seconds": 3,
    "import_rows": 1_000,
    "national": ["--years", "2022-2024", "--classes-per-year", "5000"],
}

# Issue 16's aims, each a ratio measured within one run (the machine is shared and noisy).
AIMS = {
    "province_report_json_ratio": ("≤ 2×", lambda ratio: ratio <= 2),
    "national_report_json_ratio": ("≤ 1.15×", lambda ratio: ratio <= 1.15),
    "national_page_ratio": ("≤ 1.2×", lambda ratio: ratio <= 1.2),
    "rps_open_ratio": ("≥ 0.7×", lambda ratio: ratio >= 0.7),
    "rps_locked_ratio": ("≥ 0.9×", lambda ratio: ratio >= 0.9),
    "rps_session_ratio": ("≥ 0.5×", lambda ratio: ratio >= 0.5),
    "admin_ratio": ("≤ 1.2×", lambda ratio: ratio <= 1.2),
    "import_ratio": ("≥ 0.7×", lambda ratio: ratio >= 0.7),
    "demo_national_s": ("< 180 s", lambda seconds: seconds < 180),
}


def log(message: str) -> None:
    print(f"[bench {datetime.datetime.now():%H:%M:%S}] {message}", file=sys.stderr, flush=True)


def sample_interleaved(calls: dict, runs: int, warmup: int = 1) -> dict:
    """Alternate the calls run by run, so that both sides of a ratio see the same load."""
    for call in calls.values():
        for _ in range(warmup):
            call()
    times = {name: [] for name in calls}
    for _ in range(runs):
        for name, call in calls.items():
            started = time.perf_counter()
            call()
            times[name].append((time.perf_counter() - started) * 1000)
    return {name: summarise(values) for name, values in times.items()}


# --- worker: runs inside Django, on one database -------------------------------------------


def get_ok(client, url: str):
    def call():
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"GET {url}: HTTP {response.status_code}")
        return response

    return call


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wrk_binary() -> str:
    found = shutil.which("wrk")
    if not found:
        raise RuntimeError("wrk not found: scripts/bench.sh installs it (apt-get install wrk).")
    return found


def fetch_status(port: int, path: str, cookie: str | None) -> int:
    """One GET without following redirects: a 302 to the login page must not pass for a report."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.request("GET", path, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def load_test(cookie: str, seconds: int) -> dict:
    """Requests per second through gunicorn (2 sync workers) under wrk (2 threads, 16
    connections), each run bounded by wrk's -d. The aims compare with the anonymous trivial
    view, run first and last (the machine's load drifts); the logged-in one shows what the
    session and user lookups alone cost."""
    port = free_port()
    server_log = open(Path(tempfile.gettempdir()) / f"bench-gunicorn-{port}.log", "w")  # noqa: SIM115 (outlives this block: gunicorn writes to it)
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "hatinh_training.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
        stdout=server_log,
        stderr=subprocess.STDOUT,
    )
    runs = [
        ("trivial", "/bench/trivial/", None),
        ("trivial_session", "/bench/trivial/", cookie),
        ("report_open", f"/api/reports/yearly/{OPEN_YEAR}/", cookie),
        ("report_locked", f"/api/reports/yearly/{REPORT_YEAR}/", cookie),
        ("trivial_again", "/bench/trivial/", None),
    ]
    results = {}
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                fetch_status(port, "/bench/trivial/", None)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise RuntimeError(f"gunicorn did not start; see {server_log.name}") from None
                time.sleep(0.2)
        for name, path, with_cookie in runs:
            for _ in range(8):  # both workers connect and fill their caches
                status = fetch_status(port, path, with_cookie)
                if status != 200:
                    raise RuntimeError(f"GET {path}: HTTP {status} before the load test")
            header = ["-H", f"Cookie: {with_cookie}"] if with_cookie else []
            output = subprocess.run(
                [
                    wrk_binary(),
                    "-t2",
                    "-c16",
                    f"-d{seconds}s",
                    "--timeout",
                    "10s",
                    *header,
                    f"http://127.0.0.1:{port}{path}",
                ],
                capture_output=True,
                text=True,
                timeout=seconds + 30,
                check=True,
            ).stdout
            errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
            if errors:
                raise RuntimeError(f"{path}: {errors.group(1)} responses were not 2xx under load")
            results[f"rps_{name}"] = round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
        server_log.close()
    Path(server_log.name).unlink()  # kept only when the load test failed
    results["rps_trivial"] = round((results["rps_trivial"] + results.pop("rps_trivial_again")) / 2, 1)
    # A report request does the logged-in view's session and user lookups too: compare with it.
    results["rps_session_ratio"] = round(results["rps_trivial_session"] / results["rps_trivial"], 3)
    results["rps_open_ratio"] = round(results["rps_report_open"] / results["rps_trivial_session"], 3)
    results["rps_locked_ratio"] = round(results["rps_report_locked"] / results["rps_trivial_session"], 3)
    return results


def report_figures(client, user, year: int, runs: int, page_runs: int, prefix: str) -> dict:
    """Whole requests (middleware, session, JSON or template) through the test client, and
    bench/bench_report.py's view-only time beside its raw SQL of the same figures."""
    from bench import bench_report

    figures = bench_report.run(year=year, runs=runs, user=user)
    requests = sample_interleaved(
        {"json": get_ok(client, f"/api/reports/yearly/{year}/"), "page": get_ok(client, f"/reports/yearly/{year}/")},
        page_runs,
    )
    return {
        f"{prefix}_report_request": requests["json"],
        f"{prefix}_report_page": requests["page"],
        f"{prefix}_page_ratio": round(requests["page"]["median_ms"] / requests["json"]["median_ms"], 3),
        f"{prefix}_report_view": figures["json_view"],
        f"{prefix}_report_raw_sql": figures["raw_sql"],
        f"{prefix}_report_json_ratio": figures["ratio"],
    }


def worker(settings: dict, out_path: Path) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from classes import services
    from classes.models import TrainingClass

    results = {"vendor": connection.vendor}

    def save():
        out_path.write_text(json.dumps(results, ensure_ascii=False, indent=1))

    def demo(*args) -> float:
        started = time.monotonic()
        with open(os.devnull, "w") as quiet:
            call_command("demo_data", *args, stdout=quiet)
        return round(time.monotonic() - started, 1)

    log(f"{connection.vendor}: migrate")
    call_command("migrate", verbosity=0)
    log(f"{connection.vendor}: province demo")
    results["demo_province_s"] = demo("--reset")
    user = services.user_save(username="bench-tinh", role="province", password=secrets.token_urlsafe(16))
    client = Client()
    client.force_login(user)

    log(f"{connection.vendor}: province report")
    results.update(report_figures(client, user, REPORT_YEAR, settings["runs"], settings["page_runs"], "province"))
    save()

    log(f"{connection.vendor}: import of {settings['import_rows']} rows")
    from bench import bench_import

    figures = bench_import.run(rows=settings["import_rows"], verbose=False)
    results.update(
        {
            "import": figures,
            "import_rows_per_s": figures["import"]["rows_per_s"],
            "import_floor_rows_per_s": figures["floor"]["rows_per_s"],
            "import_ratio": round(figures["import"]["rows_per_s"] / figures["floor"]["rows_per_s"], 3),
        }
    )
    save()

    log(f"{connection.vendor}: load test, {settings['load_seconds']} s per target")
    lock = services.year_lock(user=user, year=REPORT_YEAR, reason="bench")
    from django.conf import settings as django_settings

    cookie = f"{django_settings.SESSION_COOKIE_NAME}={client.cookies[django_settings.SESSION_COOKIE_NAME].value}"
    results.update(load_test(cookie, settings["load_seconds"]))
    services.year_unlock(user=user, lock=lock)
    save()

    log(f"{connection.vendor}: national demo {' '.join(settings['national']) or '(1,000,000 classes)'}")
    results["demo_national_s"] = demo("--reset", "--scale", "national", *settings["national"])
    results["national_classes"] = TrainingClass.objects.count()
    log(f"{connection.vendor}: national report and admin list at {results['national_classes']:,} rows")
    results.update(report_figures(client, user, REPORT_YEAR, settings["runs"], settings["page_runs"], "national"))
    lists = sample_interleaved(
        {
            "admin_list": get_ok(client, "/admin/classes/trainingclass/"),
            "admin_bare_100": get_ok(client, "/bench/admin/classes/trainingclass/"),
        },
        settings["admin_runs"],
    )
    results.update(lists)
    results["admin_ratio"] = round(lists["admin_list"]["median_ms"] / lists["admin_bare_100"]["median_ms"], 3)
    save()


# --- parent: one worker per database, then the table ------------------------------------


def machine() -> dict:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    return {"nproc": os.cpu_count(), "cpu": model, "python": platform.python_version(), "system": platform.platform()}


def fmt_ms(entry) -> str:
    if not entry:
        return "—"
    return f"{entry['median_ms']:.1f} / {entry['p95_ms']:.1f}"


def fmt_ratio(key, value) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}×"
    if key in AIMS:
        text += " ✓" if AIMS[key][1](value) else " ✗"
    return text


def fmt_seconds(key, value) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} s" + (" ✓" if AIMS[key][1](value) else " ✗")


def fmt_number(value, unit="") -> str:
    return "—" if value is None else f"{value:,.1f}{unit}".replace(",", " ")


ROWS = [
    # label, key, formatter
    ("demo_data province, 6 years (s)", "demo_province_s", lambda k, v: fmt_number(v)),
    ("report JSON view, province 2023: median / p95 ms", "province_report_view", lambda k, v: fmt_ms(v)),
    ("  raw SQL, same figures", "province_report_raw_sql", lambda k, v: fmt_ms(v)),
    ("  JSON view ÷ raw SQL", "province_report_json_ratio", lambda k, v: fmt_ratio(k, v)),
    ("  whole request (middleware, session)", "province_report_request", lambda k, v: fmt_ms(v)),
    ("report page, province", "province_report_page", lambda k, v: fmt_ms(v)),
    ("import: rows/s through the admin import", "import_rows_per_s", lambda k, v: fmt_number(v)),
    ("  floor rows/s (openpyxl + bulk_create)", "import_floor_rows_per_s", lambda k, v: fmt_number(v)),
    ("  import ÷ floor (rows/s)", "import_ratio", lambda k, v: fmt_ratio(k, v)),
    ("rps: trivial view, anonymous (first and last run)", "rps_trivial", lambda k, v: fmt_number(v)),
    ("rps: trivial view, logged in (session + user)", "rps_trivial_session", lambda k, v: fmt_number(v)),
    ("  logged-in ÷ anonymous trivial", "rps_session_ratio", lambda k, v: fmt_ratio(k, v)),
    ("rps: report JSON, open year", "rps_report_open", lambda k, v: fmt_number(v)),
    ("  open ÷ logged-in trivial", "rps_open_ratio", lambda k, v: fmt_ratio(k, v)),
    ("rps: report JSON, locked year", "rps_report_locked", lambda k, v: fmt_number(v)),
    ("  locked ÷ logged-in trivial", "rps_locked_ratio", lambda k, v: fmt_ratio(k, v)),
    ("demo_data national (s)", "demo_national_s", lambda k, v: fmt_seconds(k, v)),
    ("national classes", "national_classes", lambda k, v: "—" if v is None else f"{v:,}".replace(",", ".")),
    ("report JSON view, national 2023", "national_report_view", lambda k, v: fmt_ms(v)),
    ("  raw SQL, same figures", "national_report_raw_sql", lambda k, v: fmt_ms(v)),
    ("  JSON view ÷ raw SQL", "national_report_json_ratio", lambda k, v: fmt_ratio(k, v)),
    ("  whole JSON request (middleware, session)", "national_report_request", lambda k, v: fmt_ms(v)),
    ("report page, national", "national_report_page", lambda k, v: fmt_ms(v)),
    ("  page ÷ JSON request", "national_page_ratio", lambda k, v: fmt_ratio(k, v)),
    ("admin class list, all rows", "admin_list", lambda k, v: fmt_ms(v)),
    ("  bare ModelAdmin, 100-row page", "admin_bare_100", lambda k, v: fmt_ms(v)),
    ("  admin ÷ bare", "admin_ratio", lambda k, v: fmt_ratio(k, v)),
]


def row_label(label: str, key: str) -> str:
    return f"{label} (aim {AIMS[key][0]})" if key in AIMS else label


def table(results: dict) -> str:
    labels = list(results)
    header = ["measure", *labels]
    lines = [
        [row_label(label, key), *(formatter(key, results[name].get(key)) for name in labels)]
        for label, key, formatter in ROWS
    ]
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    out = ["| " + " | ".join(cell.ljust(width) for cell, width in zip(header, widths)) + " |"]
    out.append("|" + "|".join("-" * (width + 2) for width in widths) + "|")
    out += ["| " + " | ".join(str(cell).ljust(width) for cell, width in zip(row, widths)) + " |" for row in lines]
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small national data, few runs: for development")
    parser.add_argument("--pg-url", help="a throwaway PostgreSQL database (scripts/bench.sh starts one)")
    parser.add_argument("--sqlite", help="SQLite file for the SQLite leg (default: a temporary file)")
    parser.add_argument("--no-sqlite", action="store_true", help="PostgreSQL leg only (with --pg-url)")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results"))
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    settings = QUICK if args.quick else FULL

    if args.worker:
        worker(settings, Path(args.worker))
        return 0

    work = Path(tempfile.mkdtemp(prefix="hatinh-bench-"))
    legs = []
    if args.pg_url:
        legs.append(("PostgreSQL", args.pg_url))
    if not (args.no_sqlite and legs):
        legs.append(("SQLite", f"sqlite:///{args.sqlite or work / 'bench.sqlite3'}"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    # The workers run with DEBUG off, as production does: WhiteNoise's manifest storage
    # needs the collected files (a fresh clone has none), so collect them for this run.
    env["STATIC_ROOT"] = str(work / "static")
    log("collectstatic")
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env={**env, "DATABASE_URL": f"sqlite:///{work / 'collectstatic.sqlite3'}"},
        check=True,
    )
    started = datetime.datetime.now(datetime.UTC)
    results, failures = {}, {}
    for label, url in legs:
        out_path = work / f"{label}.json"
        command = [sys.executable, str(Path(__file__).resolve()), "--worker", str(out_path)]
        if args.quick:
            command.append("--quick")
        log(f"== {label} ==")
        finished = subprocess.run(command, cwd=ROOT, env={**env, "DATABASE_URL": url})
        results[label] = json.loads(out_path.read_text()) if out_path.exists() else {}
        if finished.returncode != 0:
            failures[label] = f"worker exited {finished.returncode}"
    shutil.rmtree(work, ignore_errors=True)

    text = table(results)
    print(text)
    host = machine()
    print(
        f"\nMachine: {host['nproc']} × {host['cpu']}, Python {host['python']}; "
        f"{'quick run' if args.quick else 'full run'}, {started:%Y-%m-%d %H:%M} UTC."
    )
    Path(args.out).mkdir(parents=True, exist_ok=True)
    name = f"{started:%Y%m%dT%H%M%SZ}{'-quick' if args.quick else ''}.json"
    (Path(args.out) / name).write_text(
        json.dumps(
            {
                "started": started.isoformat(),
                "quick": args.quick,
                "machine": host,
                "results": results,
                "failures": failures,
                "table": text,
            },
            ensure_ascii=False,
            indent=1,
        )
    )
    print(f"Results: {Path(args.out) / name}")
    if failures:
        print(f"Failed: {failures}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
