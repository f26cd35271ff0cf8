"""Plain factories for the tests: rows written straight to the database, with the one
password every test user has. Fixtures (users, clients, data sets) live in conftest.py."""

import datetime

from classes.models import AdministrativeUnit, Programme, TrainingCentre, TrainingClass

PASSWORD = "Mat-khau-thu-2024!"


def make_class(
    code, unit_code, programme_code="NTD", start=datetime.date(2023, 3, 6), learners=60, completed=58, **extra
):
    """A class written straight to the database (tests that are not about entry)."""
    unit = AdministrativeUnit.objects.get(code=unit_code)
    centre = TrainingCentre.objects.get(code=extra.pop("centre_code", f"TTCT-{unit_code}"))
    return TrainingClass.objects.create(
        code=code,
        name=extra.pop("name", f"Lớp {code}"),
        programme=Programme.objects.get(code=programme_code),
        unit=unit,
        centre=centre,
        start_date=start,
        end_date=extra.pop("end", start + datetime.timedelta(days=4)),
        learners=learners,
        completed=completed,
        **extra,
    )
