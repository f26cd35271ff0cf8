"""Each rule on a class holds in the model's validation and in the database."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from classes.models import AdministrativeUnit, Programme, TrainingCentre, TrainingClass


def build(**overrides):
    fields = {
        "code": "CL-01",
        "name": "Lớp nhận thức về Đảng",
        "programme": Programme.objects.get(code="NTD"),
        "unit": AdministrativeUnit.objects.get(code="443"),
        "centre": TrainingCentre.objects.get(code="TTCT-443"),
        "start_date": datetime.date(2024, 3, 5),
        "end_date": datetime.date(2024, 3, 9),
        "learners": 120,
        "completed": 118,
        "excellent": 10,
        "good": 50,
        "fair": 50,
        "average": 8,
        "failed": 0,
    }
    fields.update(overrides)
    return TrainingClass(**fields)


def messages_of(error):
    return " ".join(message for messages in error.message_dict.values() for message in messages)


def test_a_valid_class_saves_and_counts_in_the_year_it_opens(db):
    training_class = build()
    training_class.full_clean()
    training_class.save()
    assert training_class.year == 2024


@pytest.mark.parametrize("field", ["learners", "completed", "excellent", "good", "fair", "average", "failed"])
def test_negative_counts_are_refused(db, field):
    with pytest.raises(ValidationError) as error:
        build(**{field: -1}).full_clean()
    assert field in error.value.message_dict


def test_completed_over_enrolled_is_refused_with_both_numbers(db):
    with pytest.raises(ValidationError) as error:
        build(learners=120, completed=130, excellent=0, good=0, fair=0, average=0).full_clean()
    assert "Số hoàn thành (130) lớn hơn số học viên (120)." in messages_of(error.value)


def test_results_over_completed_are_refused(db):
    with pytest.raises(ValidationError) as error:
        build(completed=100, excellent=50, good=50, fair=10, average=0).full_clean()
    assert "Tổng kết quả (110) lớn hơn số hoàn thành (100)." in messages_of(error.value)


def test_end_date_before_start_date_is_refused(db):
    with pytest.raises(ValidationError) as error:
        build(end_date=datetime.date(2024, 3, 1)).full_clean()
    assert "Ngày bế giảng (01/03/2024) không được trước ngày khai giảng (05/03/2024)." in messages_of(error.value)


def test_a_duplicate_class_code_is_refused(db):
    build().save()
    with pytest.raises(ValidationError) as error:
        build(name="Lớp khác").full_clean()
    assert "Mã lớp này đã có." in messages_of(error.value)


def test_a_class_after_the_district_level_ended_is_refused(db):
    with pytest.raises(ValidationError) as error:
        build(start_date=datetime.date(2025, 8, 1), end_date=None).full_clean()
    assert messages_of(error.value) == (
        "Huyện Can Lộc không còn từ 01/07/2025; lớp khai giảng sau ngày này thuộc một trong các đơn vị: "
        "18406 Xã Can Lộc, 18418 Xã Tùng Lộc, 18436 Xã Trường Lưu, 18466 Xã Gia Hanh, 18481 Xã Xuân Lộc, 18484 Xã Đồng Lộc."
    )


def test_a_class_before_a_commune_existed_is_refused(db):
    with pytest.raises(ValidationError) as error:
        build(
            unit=AdministrativeUnit.objects.get(code="18406"), centre=None, start_date=datetime.date(2025, 6, 2)
        ).full_clean()
    assert "Đơn vị Xã Can Lộc không có hiệu lực vào ngày khai giảng 02/06/2025." in messages_of(error.value)


def test_a_centre_is_refused_for_a_class_after_it_ended(db):
    TrainingCentre.objects.filter(code="DU-18406").update(valid_to=datetime.date(2026, 1, 31))
    with pytest.raises(ValidationError) as error:
        build(
            unit=AdministrativeUnit.objects.get(code="18406"),
            centre=TrainingCentre.objects.get(code="DU-18406"),
            start_date=datetime.date(2026, 3, 2),
            end_date=None,
        ).full_clean()
    assert messages_of(error.value) == "Đảng ủy Xã Can Lộc không hoạt động vào ngày khai giảng 02/03/2026."


def test_a_centre_of_another_unit_is_refused(db):
    with pytest.raises(ValidationError) as error:
        build(centre=TrainingCentre.objects.get(code="TTCT-440")).full_clean()
    assert "centre" in error.value.message_dict


@pytest.mark.parametrize(
    "overrides",
    [
        {"learners": 100, "completed": 130, "excellent": 0, "good": 0, "fair": 0, "average": 0},
        {"completed": 100, "excellent": 50, "good": 50, "fair": 10, "average": 0},
        {"end_date": datetime.date(2024, 3, 1)},
        {"learners": -5},
    ],
    ids=["completed-over-enrolled", "results-over-completed", "end-before-start", "negative"],
)
def test_the_database_refuses_what_validation_refuses(db, overrides):
    with pytest.raises(IntegrityError), transaction.atomic():
        build(**overrides).save()


def test_the_database_refuses_a_duplicate_code(db):
    build().save()
    with pytest.raises(IntegrityError), transaction.atomic():
        build().save()
