"""The 2025 reform: the 69 communes and wards from 1/7/2025 (classes/data/hatinh-units-2025-07-01.csv),
Lộc Hà merged into Thạch Hà from 1/1/2025, one party-committee centre per commune or ward, the
district centres ending with their districts, and the centre-staff role.

On a database that already holds classes no figure changes: a unit that has classes (or plans,
surveys, year reports) after its new end date keeps its end date, and the migration says so.
"""

import csv
import datetime
from pathlib import Path

import django.db.models.deletion
from django.db import migrations, models

import classes.models

DATA_FILE = Path(__file__).resolve().parent.parent / "data" / "hatinh-units-2025-07-01.csv"
REFORM_DAY = datetime.date(2025, 7, 1)
DISTRICTS_END = datetime.date(2025, 6, 30)
LOC_HA, THACH_HA = "448", "445"
LOC_HA_END = datetime.date(2024, 12, 31)


def _rows():
    with DATA_FILE.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _day(value):
    return value.strftime("%d/%m/%Y")


def _later_records(apps, unit, end):
    """What already lies after `end` for this unit, in words; empty when nothing does."""
    found = []
    later_classes = apps.get_model("classes", "TrainingClass").objects.filter(unit=unit, start_date__gt=end)
    first = later_classes.order_by("start_date", "code").first()
    if first is not None:
        found.append(f"{later_classes.count()} lớp khai giảng sau {_day(end)} (lớp đầu tiên: {first.code}, khai giảng {_day(first.start_date)})")
    for model, noun in (("AnnualPlan", "kế hoạch"), ("LearningNeedsSurvey", "khảo sát"), ("UnitReport", "báo cáo năm")):
        count = apps.get_model("classes", model).objects.filter(unit=unit, year__gt=end.year).count()
        if count:
            found.append(f"{count} {noun} của năm sau {end.year}")
    return found


def _check_foreign_keys_now(schema_editor):
    # PostgreSQL refuses the schema changes still to run in this transaction (the indexes Django
    # creates last, or the reversed fields) while deferred foreign-key checks are pending.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def forward(apps, schema_editor):
    Unit = apps.get_model("classes", "AdministrativeUnit")
    Centre = apps.get_model("classes", "TrainingCentre")
    districts = {unit.code: unit for unit in Unit.objects.filter(valid_to=DISTRICTS_END, code__regex=r"^[0-9]{3}$")}

    if LOC_HA in districts:
        loc_ha = districts[LOC_HA]
        loc_ha.compare_under = Unit.objects.filter(code=THACH_HA).first()
        later = _later_records(apps, loc_ha, LOC_HA_END)
        if later:
            print(
                f"\n  Giữ ngày hết hiệu lực {_day(loc_ha.valid_to)} của {loc_ha.name} ({loc_ha.code}) thay vì {_day(LOC_HA_END)}: "
                f"đơn vị đã có {'; '.join(later)}."
            )
        else:
            loc_ha.valid_to = LOC_HA_END
        loc_ha.save(update_fields=["compare_under", "valid_to"])
    # A district centre ends with its district.
    for district in Unit.objects.filter(code__in=districts):
        Centre.objects.filter(unit=district, kind="ttct").update(valid_to=district.valid_to)

    for row in _rows():
        unit, _created = Unit.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"], "kind": row["kind"], "parent": None,
                "valid_from": datetime.date.fromisoformat(row["valid_from"]), "valid_to": None,
                "compare_under": Unit.objects.get(code=row["compare_under"]),
            },
        )
        unit.former_districts.set(Unit.objects.filter(code__in=row["former_districts"].split(";")))
        Centre.objects.update_or_create(
            code=f"DU-{unit.code}",
            defaults={"name": f"Đảng ủy {unit.name}", "unit": unit, "kind": "dang_uy", "valid_from": unit.valid_from},
        )
    # The centre staff's group comes from the post_migrate sync of classes/roles.py.
    _check_foreign_keys_now(schema_editor)


def backward(apps, schema_editor):
    Unit = apps.get_model("classes", "AdministrativeUnit")
    Centre = apps.get_model("classes", "TrainingCentre")
    codes = [row["code"] for row in _rows()]
    Centre.objects.filter(code__in=[f"DU-{code}" for code in codes]).delete()
    for unit in Unit.objects.filter(code__in=codes):
        unit.former_districts.clear()
    Unit.objects.filter(code__in=codes).delete()
    Unit.objects.filter(code=LOC_HA, valid_to=LOC_HA_END).update(valid_to=DISTRICTS_END)
    Unit.objects.filter(code=LOC_HA).update(compare_under=None)
    Group = apps.get_model("auth", "Group")
    Group.objects.filter(name="Cán bộ trung tâm").delete()
    _check_foreign_keys_now(schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('classes', '0009_board_manages_accounts'),
    ]

    operations = [
        migrations.AddField(
            model_name='administrativeunit',
            name='compare_under',
            field=models.ForeignKey(blank=True, help_text='Để trống: so sánh theo chính đơn vị này.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='compared_units', to='classes.administrativeunit', verbose_name='so sánh theo địa bàn'),
        ),
        migrations.AddField(
            model_name='administrativeunit',
            name='former_districts',
            field=models.ManyToManyField(blank=True, help_text='Các đơn vị trước đây đã nhập vào đơn vị này.', related_name='successors', to='classes.administrativeunit', verbose_name='đơn vị cũ'),
        ),
        migrations.AddField(
            model_name='trainingcentre',
            name='valid_from',
            field=models.DateField(blank=True, null=True, validators=[classes.models.DateBounds()], verbose_name='hiệu lực từ ngày'),
        ),
        migrations.AddField(
            model_name='trainingcentre',
            name='valid_to',
            field=models.DateField(blank=True, help_text='Để trống khi còn hoạt động.', null=True, validators=[classes.models.DateBounds()], verbose_name='hiệu lực đến ngày'),
        ),
        migrations.AddField(
            model_name='user',
            name='centre',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='users', to='classes.trainingcentre', verbose_name='trung tâm'),
        ),
        migrations.AddField(
            model_name='user',
            name='must_change_password',
            field=models.BooleanField(default=False, verbose_name='phải đổi mật khẩu'),
        ),
        migrations.AlterField(
            model_name='trainingcentre',
            name='kind',
            field=models.CharField(choices=[('ttct', 'Trung tâm chính trị cấp huyện'), ('truong_tinh', 'Trường chính trị tỉnh'), ('dang_uy', 'Đảng ủy xã, phường'), ('khac', 'Khác')], default='ttct', max_length=16, verbose_name='loại'),
        ),
        migrations.AlterField(
            model_name='user',
            name='role',
            field=models.CharField(blank=True, choices=[('district', 'Cán bộ huyện'), ('province', 'Ban Tuyên giáo Tỉnh ủy'), ('admin', 'Quản trị hệ thống'), ('centre', 'Cán bộ trung tâm')], max_length=16, verbose_name='vai trò'),
        ),
        migrations.AddConstraint(
            model_name='trainingcentre',
            constraint=models.CheckConstraint(condition=models.Q(('valid_to__isnull', True), ('valid_from__isnull', True), ('valid_to__gte', models.F('valid_from')), _connector='OR'), name='centre_valid_to_after_valid_from', violation_error_message='Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực.'),
        ),
        migrations.AddConstraint(
            model_name='user',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('role', 'centre'), _negated=True), ('centre__isnull', False), _connector='OR'), name='centre_user_has_centre', violation_error_message='Cán bộ trung tâm phải gắn với một trung tâm.'),
        ),
        migrations.RunPython(forward, backward),
    ]
