"""Class codes stored before codes were normalised on the way in (classes/text.py:
no invisible characters, no surrounding spaces or line breaks, upper case) are
normalised here, so that a typed 'ab-01' finds the stored 'AB-01'."""

import re
import unicodedata

from django.db import migrations

# A frozen copy of classes.text.code as of this migration.
_BREAKS = re.compile(r"[ \t]*(?:\r\n|[\n\r\x0b\x0c\x85\u2028\u2029])+[ \t]*")
_INVISIBLE = re.compile("[\u200b-\u200d\u2060\ufeff]")


def _code(value):
    return _INVISIBLE.sub("", unicodedata.normalize("NFC", _BREAKS.sub(" ", value)).strip()).strip().upper()


def normalise_class_codes(apps, schema_editor):
    TrainingClass = apps.get_model("classes", "TrainingClass")
    stored = dict(TrainingClass.objects.values_list("code", "pk"))
    changes, claimed, clashes = [], {}, []
    for code, pk in stored.items():
        target = _code(code)
        if target == code:
            continue
        other = stored.get(target, claimed.get(target))
        if other is not None and other != pk:
            clashes.append(f"{code!r} -> {target!r}")
        claimed[target] = pk
        changes.append((pk, target))
    if clashes:
        # Two classes that read as one code: which to rename is the board's decision, not a migration's.
        raise RuntimeError("Class codes that read the same must be told apart before migrating: " + ", ".join(clashes))
    for pk, target in changes:
        TrainingClass.objects.filter(pk=pk).update(code=target)


class Migration(migrations.Migration):
    dependencies = [("classes", "0006_class_list_order_index")]

    operations = [migrations.RunPython(normalise_class_codes, migrations.RunPython.noop)]
