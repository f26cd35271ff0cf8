"""The board's group gets the account permissions: board accounts are managed by the
board alone (roles.user_may_manage), so it must be able to create and reset them."""

from django.db import migrations


def sync(apps, schema_editor):
    from classes.roles import role_groups_sync

    role_groups_sync(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0008_value_bounds"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
