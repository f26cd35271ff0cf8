"""The 2025 reform migration on a database that already holds classes: no figure changes."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Sum

from classes.models import AdministrativeUnit, TrainingCentre, TrainingClass

BEFORE = [("classes", "0009_board_manages_accounts")]

# A transactional test flushes the reference data the migrations loaded; serialized_rollback restores it.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _migrate(targets=None):
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    return MigrationExecutor(connection).loader.project_state(targets).apps


def _figures(model):
    return list(model.objects.values("year").order_by("year").annotate(classes=Count("id"), learners=Sum("learners")))


def _old_class(apps, code, unit_code, start, learners):
    Unit = apps.get_model("classes", "AdministrativeUnit")
    unit = Unit.objects.get(code=unit_code)
    apps.get_model("classes", "TrainingClass").objects.create(
        code=code,
        name=f"Lớp {code}",
        unit=unit,
        start_date=start,
        year=start.year,
        learners=learners,
        completed=learners,
        programme=apps.get_model("classes", "Programme").objects.get(code="NTD"),
        centre=apps.get_model("classes", "TrainingCentre").objects.get(code=f"TTCT-{unit_code}"),
    )


def test_migration_keeps_loc_has_end_date_and_every_figure_when_it_has_a_class_in_2025(capsys):
    old = _migrate(BEFORE)
    _old_class(old, "LH-2025-01", "448", datetime.date(2025, 3, 10), 45)
    _old_class(old, "LH-2023-01", "448", datetime.date(2023, 4, 3), 50)
    _old_class(old, "CL-2023-01", "443", datetime.date(2023, 5, 8), 60)
    before = _figures(old.get_model("classes", "TrainingClass"))
    assert before == [{"year": 2023, "classes": 2, "learners": 110}, {"year": 2025, "classes": 1, "learners": 45}]
    capsys.readouterr()

    _migrate()

    printed = capsys.readouterr().out
    assert "Giữ ngày hết hiệu lực 30/06/2025 của Huyện Lộc Hà (448) thay vì 31/12/2024" in printed
    assert "1 lớp khai giảng sau 31/12/2024 (lớp đầu tiên: LH-2025-01, khai giảng 10/03/2025)" in printed
    assert _figures(TrainingClass) == before
    loc_ha = AdministrativeUnit.objects.get(code="448")
    assert loc_ha.valid_to == datetime.date(2025, 6, 30)
    assert loc_ha.compare_under.code == "445"
    assert TrainingCentre.objects.get(code="TTCT-448").valid_to == datetime.date(2025, 6, 30)
    # The class stays valid for the model's own rules.
    TrainingClass.objects.get(code="LH-2025-01").full_clean()
    assert AdministrativeUnit.objects.filter(valid_from=datetime.date(2025, 7, 1)).count() == 69


def test_migration_ends_loc_ha_on_31_12_2024_when_nothing_lies_after_it(capsys):
    old = _migrate(BEFORE)
    _old_class(old, "LH-2024-01", "448", datetime.date(2024, 11, 4), 40)
    capsys.readouterr()

    _migrate()

    assert "Lộc Hà" not in capsys.readouterr().out
    assert AdministrativeUnit.objects.get(code="448").valid_to == datetime.date(2024, 12, 31)
    assert TrainingCentre.objects.get(code="TTCT-448").valid_to == datetime.date(2024, 12, 31)
    assert _figures(TrainingClass) == [{"year": 2024, "classes": 1, "learners": 40}]


def test_migration_reverses_to_the_thirteen_districts():
    old = _migrate(BEFORE)
    Unit = old.get_model("classes", "AdministrativeUnit")
    assert Unit.objects.count() == 13
    assert Unit.objects.get(code="448").valid_to == datetime.date(2025, 6, 30)
    assert not old.get_model("classes", "TrainingCentre").objects.filter(code__startswith="DU-").exists()
    _migrate()
    assert AdministrativeUnit.objects.count() == 82
