"""`make backup` / `make restore`: a backup restored into an empty database holds every row."""

import os
import sqlite3
import subprocess
from pathlib import Path

import pytest
from django.db import connection

from classes.models import Commendation
from tests.factories import make_class

ROOT = Path(__file__).resolve().parents[2]


def run_script(database_url, *args):
    env = {**os.environ, "DATABASE_URL": database_url, "PY": str(ROOT / ".venv" / "bin" / "python")}
    result = subprocess.run(
        ["bash", "scripts/backup.sh", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def some_rows(small_dataset):
    Commendation.objects.create(
        year=2023,
        recipient="Trung tâm Chính trị huyện Can Lộc",
        decision_number="12-QĐ/BTGTU",
        decision_date="2023-12-20",
    )
    make_class("CL-2024-ĐB", "443", name="Lớp có dấu: Đảng, ưu tú — “ngoặc kép”", learners=1234, completed=1200)


def table_counts(cursor, tables):
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


CLASS_ROWS = 'SELECT code, name, learners, completed, start_date, version FROM "classes_trainingclass" ORDER BY code'


def source_state():
    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        counts = table_counts(cursor, tables)
        cursor.execute(CLASS_ROWS)
        classes = [tuple(str(value) for value in row) for row in cursor.fetchall()]
    return tables, counts, classes


# Committed rows (pg_dump reads from its own connection); serialized_rollback puts
# back the reference data the flush after a transactional test removes.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restored_into_an_empty_database_holds_every_row(small_dataset, tmp_path):
    some_rows(small_dataset)
    tables, counts, classes = source_state()
    assert counts["classes_trainingclass"] == 10 and counts["classes_commendation"] == 1
    assert (
        counts["classes_administrativeunit"] == 82
    )  # reference data from the migrations too: 13 districts, 69 communes and wards

    if connection.vendor == "sqlite":
        # The suite's SQLite database lives in memory: copy it to a file first, as
        # the app's own database file would be.
        source = tmp_path / "live.sqlite3"
        with sqlite3.connect(source) as target:
            connection.connection.backup(target)
        target.close()
        backup = tmp_path / "hatinh.sqlite3"
        assert "Backup written" in run_script(f"sqlite:///{source}", "backup", str(backup))
        restored = tmp_path / "empty.sqlite3"
        assert not restored.exists()
        run_script(f"sqlite:///{restored}", "restore", str(backup))
        with sqlite3.connect(restored) as copy:
            cursor = copy.cursor()
            restored_counts = table_counts(cursor, tables)
            cursor.execute(CLASS_ROWS)
            restored_classes = [tuple(str(value) for value in row) for row in cursor.fetchall()]
        copy.close()
    else:
        import psycopg

        settings_dict = connection.settings_dict
        base = f"postgres://{settings_dict['USER']}:{settings_dict['PASSWORD'] or ''}@{settings_dict['HOST']}:{settings_dict['PORT']}"
        backup = tmp_path / "hatinh.dump"
        assert "Backup written" in run_script(f"{base}/{settings_dict['NAME']}", "backup", str(backup))
        empty = f"{settings_dict['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{empty}"')
            cursor.execute(f'CREATE DATABASE "{empty}"')
        try:
            run_script(f"{base}/{empty}", "restore", str(backup))
            with psycopg.connect(f"{base}/{empty}") as copy, copy.cursor() as cursor:
                restored_counts = table_counts(cursor, tables)
                cursor.execute(CLASS_ROWS)
                restored_classes = [tuple(str(value) for value in row) for row in cursor.fetchall()]
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{empty}" WITH (FORCE)')

    assert restored_counts == counts
    assert restored_classes == classes
    assert restored_classes[[row[0] for row in restored_classes].index("CL-2024-ĐB")][:4] == (
        "CL-2024-ĐB",
        "Lớp có dấu: Đảng, ưu tú — “ngoặc kép”",
        "1234",
        "1200",
    )


def test_restore_without_a_file_says_how_to_call_it():
    result = subprocess.run(
        ["bash", "scripts/backup.sh", "restore"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "PY": str(ROOT / ".venv" / "bin" / "python")},
    )
    assert result.returncode == 2
    assert "make restore FILE=" in result.stderr
