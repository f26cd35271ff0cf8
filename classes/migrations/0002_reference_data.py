"""Reference data from docs/domain.md: the 13 district-level units (GSO codes), one
political centre per unit plus the provincial school, the programme catalogue,
and the three role groups with their permissions. All of it stays editable."""

import datetime

from django.db import migrations

UNITS = [
    ("436", "Thành phố Hà Tĩnh", "thanh_pho"),
    ("437", "Thị xã Hồng Lĩnh", "thi_xa"),
    ("439", "Huyện Hương Sơn", "huyen"),
    ("440", "Huyện Đức Thọ", "huyen"),
    ("441", "Huyện Vũ Quang", "huyen"),
    ("442", "Huyện Nghi Xuân", "huyen"),
    ("443", "Huyện Can Lộc", "huyen"),
    ("444", "Huyện Hương Khê", "huyen"),
    ("445", "Huyện Thạch Hà", "huyen"),
    ("446", "Huyện Cẩm Xuyên", "huyen"),
    ("447", "Huyện Kỳ Anh", "huyen"),
    ("448", "Huyện Lộc Hà", "huyen"),
    ("449", "Thị xã Kỳ Anh", "thi_xa"),
]
# The district level was abolished from 1/7/2025 (two-tier local government).
DISTRICTS_END = datetime.date(2025, 6, 30)

PROGRAMMES = [
    ("NTD", "Bồi dưỡng nhận thức về Đảng", "boi_duong", 5),
    ("DVM", "Chương trình lý luận chính trị dành cho đảng viên mới", "boi_duong", 5),
    ("SC", "Sơ cấp lý luận chính trị", "so_cap", 30),
    ("TC", "Trung cấp lý luận chính trị", "trung_cap", 180),
    ("NV", "Nghiệp vụ công tác Đảng, tuyên giáo, dân vận, Mặt trận và các đoàn thể", "boi_duong", 3),
    ("CNKT", "Cập nhật kiến thức, bồi dưỡng chuyên đề", "boi_duong", 2),
    ("NQ", "Học tập, quán triệt nghị quyết", "boi_duong", 1),
    ("QPAN", "Bồi dưỡng kiến thức quốc phòng – an ninh", "boi_duong", None),
    ("KHAC", "Khác", "boi_duong", None),
]


def centre_name(unit_name):
    kind, _, rest = unit_name.partition(" ")
    if kind == "Thị":  # "Thị xã ..."
        kind, _, rest = unit_name.partition(" xã ")
        return f"Trung tâm Chính trị thị xã {rest}"
    if kind == "Thành":
        return f"Trung tâm Chính trị thành phố {unit_name.removeprefix('Thành phố ')}"
    return f"Trung tâm Chính trị huyện {rest}"


def load(apps, schema_editor):
    Unit = apps.get_model("classes", "AdministrativeUnit")
    Centre = apps.get_model("classes", "TrainingCentre")
    Programme = apps.get_model("classes", "Programme")
    for code, name, kind in UNITS:
        unit, _ = Unit.objects.update_or_create(code=code, defaults={"name": name, "kind": kind, "valid_to": DISTRICTS_END})
        Centre.objects.update_or_create(
            code=f"TTCT-{code}", defaults={"name": centre_name(name), "unit": unit, "kind": "ttct"}
        )
    Centre.objects.update_or_create(
        code="TCT-HT", defaults={"name": "Trường Chính trị Trần Phú", "unit": None, "kind": "truong_tinh"}
    )
    for order, (code, name, level, days) in enumerate(PROGRAMMES, start=1):
        Programme.objects.update_or_create(
            code=code, defaults={"name": name, "level": level, "typical_days": days, "sort_order": order}
        )
    # The role groups are synced after migrate (classes/roles.py), not by a migration.


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
