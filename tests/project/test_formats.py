import datetime

from django import forms
from django.template import Context, Template
from django.utils.formats import date_format, number_format


def test_numbers_group_thousands_with_a_dot_and_use_a_decimal_comma():
    assert number_format(129557, force_grouping=True) == "129.557"
    assert number_format(9.3, 1) == "9,3"


def test_templates_print_numbers_the_vietnamese_way():
    assert Template("{{ n }} {{ pct }}").render(Context({"n": 129557, "pct": 77.5})) == "129.557 77,5"


def test_dates_print_as_day_month_year():
    assert date_format(datetime.date(2024, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2024"
    assert date_format(datetime.date(2023, 11, 28)) == "ngày 28 tháng 11 năm 2023"


def test_typed_dates_are_read_day_first():
    field = forms.DateField()
    assert field.clean("05/03/2024") == datetime.date(2024, 3, 5)
    assert field.clean("25/03/2024") == datetime.date(2024, 3, 25)
    assert field.clean("2024-03-25") == datetime.date(2024, 3, 25)
