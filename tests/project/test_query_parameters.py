"""Odd numbers in addresses and query strings get a normal answer, never a server error."""

import pytest
from django.urls import reverse
from django.utils import timezone

from hatinh_training.params import bad_date_parts, report_year, whole_number

ODD_VALUES = ["²", "99999999999999999999", "-1", "1e3", " 12"]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_only_plain_digits_of_a_sane_length_are_whole_numbers(value):
    assert whole_number(value) is None


def test_whole_numbers_and_report_years_are_read():
    assert whole_number("443") == 443
    assert report_year("2023") == 2023
    assert report_year("99999") is None and report_year("0") is None


def test_date_drill_down_parts_beyond_a_year_are_bad():
    assert bad_date_parts({"start_date__year": "2023", "start_date__month": "5"}) is False
    assert bad_date_parts({"start_date__year": "99999999999999999999"}) is True
    assert bad_date_parts({"survey_date__day": "²"}) is True


@pytest.mark.parametrize("value", ODD_VALUES)
@pytest.mark.parametrize("parameter", ["year", "unit"])
@pytest.mark.parametrize(
    "list_name",
    [
        "classes_trainingclass",
        "classes_commendation",
        "classes_annualplan",
        "classes_learningneedssurvey",
        "classes_unitreport",
    ],
)
def test_admin_lists_answer_odd_filter_values_without_a_server_error(
    client, district_user, small_dataset, list_name, parameter, value
):
    client.force_login(district_user)
    response = client.get(reverse(f"admin:{list_name}_changelist"), {parameter: value})
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("value", ["99999999999999999999", "²"])
def test_an_oversized_drill_down_year_sends_the_list_back_with_an_error_flag(client, province_user, value):
    client.force_login(province_user)
    url = reverse("admin:classes_trainingclass_changelist")
    response = client.get(url, {"start_date__year": value})
    assert response.status_code == 302 and response["Location"] == f"{url}?e=1"


@pytest.mark.parametrize("value", ODD_VALUES)
def test_the_report_year_picker_ignores_odd_values(client, province_user, small_dataset, value):
    client.force_login(province_user)
    response = client.get("/reports/", {"year": value})
    current = timezone.localdate().year  # an odd year is no year: the current one
    assert response.status_code == 302 and response["Location"] == reverse("reports:yearly", args=[current])


@pytest.mark.parametrize("year", [0, 99999])
def test_the_completeness_board_answers_404_for_a_year_out_of_range(client, province_user, year):
    client.force_login(province_user)
    assert client.get(f"/reports/completeness/{year}/").status_code == 404
