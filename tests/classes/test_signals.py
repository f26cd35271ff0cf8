"""classes says which years' figures changed; whoever listens (reports) is not its concern."""

import datetime

import pytest

from classes import services, signals
from classes.spreadsheets.training import TrainingClassResource
from tests.classes.spreadsheets.helpers import class_row, import_both_steps, xlsx_bytes
from tests.factories import make_class


@pytest.fixture
def announced():
    heard = []

    def listen(sender, years, every_year, **kwargs):
        heard.append((set(years), every_year))

    signals.figures_changed.connect(listen, dispatch_uid="test-listener")
    yield heard
    signals.figures_changed.disconnect(dispatch_uid="test-listener")


def test_moving_a_class_to_another_year_announces_both_years(db, province_user, announced):
    training_class = make_class("CL-2023-01", "443")
    announced.clear()
    training_class = type(training_class).objects.get(pk=training_class.pk)
    training_class.start_date = datetime.date(2024, 3, 4)
    training_class.end_date = datetime.date(2024, 3, 8)
    services.class_save(user=province_user, training_class=training_class)
    assert announced == [({2023, 2024}, False)]


def test_renaming_a_unit_announces_every_year(db, unit_can_loc, announced):
    unit_can_loc.name = "Huyện Can Lộc (mới)"
    unit_can_loc.save()
    assert announced == [(set(), True)]


def test_a_confirmed_import_announces_the_years_of_its_rows_once_and_the_preview_none(db, province_user, announced):
    rows = [
        class_row("CL-2023-NHAP", **{"Ngày khai giảng": "05/03/2023", "Ngày bế giảng": "09/03/2023"}),
        class_row("CL-2024-NHAP"),
    ]
    data = xlsx_bytes(rows)
    import_both_steps(province_user, data, resource_class=TrainingClassResource)
    assert announced == [({2023, 2024}, False)]
