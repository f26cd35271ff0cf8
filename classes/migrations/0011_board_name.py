"""The board's name with the date it applies from: headers, report titles and new commendations
use the one in force. The merger date in Hà Tĩnh is not known (docs/domain.md: other provinces
merged in February–March 2025); 01/03/2025 is believed and the board can change it."""

import datetime

import classes.models
from django.db import migrations, models


# Frozen here: the names as they stood when this migration was written.
BOARD_NAMES = (
    ("Ban Tuyên giáo Tỉnh ủy Hà Tĩnh", "BTGTU", datetime.date(1990, 1, 1)),
    ("Ban Tuyên giáo và Dân vận Tỉnh ủy Hà Tĩnh", "BTGDVTU", datetime.date(2025, 3, 1)),
)
# The board edits the names; the administrator only sees them (the groups of migration 0002).
GROUP_ACTIONS = {"Ban Tuyên giáo Tỉnh ủy": ("view", "add", "change", "delete"), "Quản trị hệ thống": ("view",)}


def forward(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    BoardName = apps.get_model("classes", "BoardName")
    for name, symbol, since in BOARD_NAMES:
        BoardName.objects.get_or_create(valid_from=since, defaults={"name": name, "short_symbol": symbol})
    app_config = apps.get_app_config("classes")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group_name, actions in GROUP_ACTIONS.items():
        group = Group.objects.filter(name=group_name).first()
        if group is not None:
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label="classes", codename__in=[f"{action}_boardname" for action in actions]
                )
            )


class Migration(migrations.Migration):

    dependencies = [
        ('classes', '0010_reform_2025_units'),
    ]

    operations = [
        migrations.CreateModel(
            name='BoardName',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('name', models.CharField(max_length=200, verbose_name='tên cơ quan')),
                ('short_symbol', models.CharField(help_text='Dùng trong số văn bản, ví dụ BTGDVTU trong 125-QĐ/BTGDVTU.', max_length=32, verbose_name='ký hiệu viết tắt')),
                ('valid_from', models.DateField(error_messages={'unique': 'Đã có tên cơ quan có hiệu lực từ ngày này.'}, unique=True, validators=[classes.models.DateBounds()], verbose_name='có hiệu lực từ ngày')),
            ],
            options={
                'verbose_name': 'tên cơ quan',
                'verbose_name_plural': 'tên cơ quan',
                'ordering': ['-valid_from'],
            },
            bases=(models.Model,),
        ),
        migrations.RunPython(forward, migrations.RunPython.noop),
    ]
