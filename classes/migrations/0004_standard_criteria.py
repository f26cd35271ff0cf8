"""The "đạt chuẩn" criteria believed in docs/domain.md (staff and lecturers; training
results against plan; facilities; management and records; research and emulation),
loaded as editable rows out of 100 points, and the role groups given the new
planning permissions."""

from decimal import Decimal

from django.db import migrations

CRITERIA = [
    ("Đội ngũ cán bộ, giảng viên", "Đủ cán bộ, giảng viên chuyên trách theo quy định", "10"),
    ("Đội ngũ cán bộ, giảng viên", "Giảng viên kiêm chức, báo cáo viên tham gia giảng dạy", "10"),
    ("Kết quả đào tạo, bồi dưỡng", "Số lớp, số học viên đạt hoặc vượt kế hoạch năm", "20"),
    ("Kết quả đào tạo, bồi dưỡng", "Chất lượng học viên (tỷ lệ khá, giỏi)", "10"),
    ("Cơ sở vật chất, trang thiết bị", "Phòng học, hội trường, ký túc xá và thiết bị giảng dạy", "20"),
    ("Công tác quản lý, hồ sơ", "Quản lý học viên, hồ sơ lớp học, lưu trữ", "15"),
    ("Nghiên cứu khoa học, thi đua", "Nghiên cứu thực tế, sáng kiến, phong trào thi đua", "15"),
]


def load(apps, schema_editor):
    Criterion = apps.get_model("classes", "StandardCriterion")
    for order, (group, name, max_score) in enumerate(CRITERIA, start=1):
        Criterion.objects.update_or_create(
            group=group, name=name, defaults={"max_score": Decimal(max_score), "sort_order": order}
        )
    # The role groups are synced after migrate (classes/roles.py), not by a migration.


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0003_planning"),
    ]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
