"""The board's group got the account permissions here. The role groups are now kept in
step with classes/roles.py after every migrate (post_migrate), so this step does nothing:
a migration must not run live code, whose table changes after it was written."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("classes", "0008_value_bounds"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)]
