"""Reference data: administrative units, training centres, programmes."""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from classes.models.bounds import COUNT, DATE, YEAR
from classes.text import CleanTextMixin
from hatinh_training.params import FIRST_YEAR, LAST_YEAR


class AdministrativeUnit(CleanTextMixin, models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh_pho", _("Thành phố")
        TOWN = "thi_xa", _("Thị xã")
        DISTRICT = "huyen", _("Huyện")
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        TOWNLET = "thi_tran", _("Thị trấn")

    code = models.CharField(
        _("mã đơn vị"), max_length=16, unique=True, help_text=_("Mã của Tổng cục Thống kê, ví dụ 443.")
    )
    name = models.CharField(_("tên đơn vị"), max_length=200)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True, validators=DATE)
    valid_to = models.DateField(
        _("hiệu lực đến ngày"), null=True, blank=True, validators=DATE, help_text=_("Để trống khi đơn vị còn hiệu lực.")
    )
    # Reports compare a unit across the 2025 reform under this area; empty: the unit itself.
    compare_under = models.ForeignKey(
        "self",
        verbose_name=_("so sánh theo địa bàn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compared_units",
        help_text=_("Để trống: so sánh theo chính đơn vị này."),
    )
    former_districts = models.ManyToManyField(
        "self",
        verbose_name=_("đơn vị cũ"),
        symmetrical=False,
        blank=True,
        related_name="successors",
        help_text=_("Các đơn vị trước đây đã nhập vào đơn vị này."),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = pgettext_lazy("plural", "đơn vị hành chính")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="unit_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def is_valid_in(self, year):
        """In force on at least one day of the year."""
        return (self.valid_from is None or self.valid_from <= datetime.date(year, 12, 31)) and (
            self.valid_to is None or self.valid_to >= datetime.date(year, 1, 1)
        )

    def _heirs(self, in_force):
        """The units that took over this one's territory and are in force (by the test given):
        the communes formed from it, or the district it was merged into (Lộc Hà into Thạch Hà)."""
        candidates = list(self.successors.all())
        if self.compare_under_id:
            candidates.append(self.compare_under)
        heirs = sorted({unit for unit in candidates if in_force(unit)}, key=lambda unit: unit.code)
        return ", ".join(f"{unit.code} {unit.name}" for unit in heirs)

    def _ended(self):
        return date_format(self.valid_to + datetime.timedelta(days=1), "SHORT_DATE_FORMAT")

    def validity_error_on(self, day) -> str | None:
        """Why a class opening on `day` may not belong to this unit, naming who took over; None if it may."""
        if self.is_valid_on(day):
            return None
        heirs = self._heirs(lambda unit: unit.is_valid_on(day)) if self.valid_to and day > self.valid_to else ""
        if heirs:
            return _(
                "%(unit)s không còn từ %(since)s; lớp khai giảng sau ngày này thuộc một trong các đơn vị: %(heirs)s."
            ) % {
                "unit": self.name,
                "since": self._ended(),
                "heirs": heirs,
            }
        return _("Đơn vị %(unit)s không có hiệu lực vào ngày khai giảng %(start)s.") % {
            "unit": self.name,
            "start": date_format(day, "SHORT_DATE_FORMAT"),
        }

    def validity_error_in(self, year) -> str | None:
        """Why a plan, survey or year report of `year` may not belong to this unit; None if it may."""
        if self.is_valid_in(year):
            return None
        heirs = self._heirs(lambda unit: unit.is_valid_in(year)) if self.valid_to and year > self.valid_to.year else ""
        if heirs:
            return _("%(unit)s không còn từ %(since)s; số liệu năm %(year)s thuộc một trong các đơn vị: %(heirs)s.") % {
                "unit": self.name,
                "since": self._ended(),
                "year": year,
                "heirs": heirs,
            }
        return _("Đơn vị %(unit)s không có hiệu lực trong năm %(year)s.") % {"unit": self.name, "year": year}


class TrainingCentre(CleanTextMixin, models.Model):
    class Kind(models.TextChoices):
        DISTRICT_CENTRE = "ttct", _("Trung tâm chính trị cấp huyện")
        PROVINCIAL_SCHOOL = "truong_tinh", _("Trường chính trị tỉnh")
        PARTY_COMMITTEE = "dang_uy", _("Đảng ủy xã, phường")
        OTHER = "khac", _("Khác")

    code = models.CharField(_("mã trung tâm"), max_length=32, unique=True)
    name = models.CharField(_("tên trung tâm"), max_length=200)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="centres",
        help_text=_("Để trống với cơ sở cấp tỉnh."),
    )
    kind = models.CharField(_("loại"), max_length=16, choices=Kind.choices, default=Kind.DISTRICT_CENTRE)
    meets_standard = models.BooleanField(_("đạt chuẩn"), default=False)
    standard_since_year = models.PositiveSmallIntegerField(
        _("đạt chuẩn từ năm"), null=True, blank=True, validators=YEAR
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True, validators=DATE)
    valid_to = models.DateField(
        _("hiệu lực đến ngày"), null=True, blank=True, validators=DATE, help_text=_("Để trống khi còn hoạt động.")
    )

    class Meta:
        verbose_name = _("trung tâm đào tạo")
        verbose_name_plural = pgettext_lazy("plural", "trung tâm đào tạo")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_from__isnull=True) | Q(valid_to__gte=F("valid_from")),
                name="centre_valid_to_after_valid_from",
                violation_error_message=_("Ngày hết hiệu lực không được trước ngày bắt đầu hiệu lực."),
            ),
        ]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.code,)

    def is_valid_on(self, day):
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    def clean(self):
        if self.standard_since_year and not self.meets_standard:
            raise ValidationError({"standard_since_year": _("Chỉ ghi năm đạt chuẩn khi trung tâm đạt chuẩn.")})


class Programme(CleanTextMixin, models.Model):
    class Level(models.TextChoices):
        BASIC = "so_cap", _("Sơ cấp")
        INTERMEDIATE = "trung_cap", _("Trung cấp")
        ADVANCED = "cao_cap", _("Cao cấp")
        REFRESHER = "boi_duong", _("Bồi dưỡng")

    code = models.CharField(_("mã chương trình"), max_length=16, unique=True)
    name = models.CharField(_("tên chương trình"), max_length=300)
    level = models.CharField(_("cấp độ"), max_length=16, choices=Level.choices, default=Level.REFRESHER)
    typical_days = models.PositiveSmallIntegerField(
        _("thời lượng thường (ngày)"), null=True, blank=True, validators=COUNT
    )
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = pgettext_lazy("plural", "chương trình")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def natural_key(self):
        return (self.code,)


def check_unit_in_year(row) -> None:
    """Plans, surveys and year reports belong to a unit in force on some day of their year."""
    # A year out of bounds is already refused by its field; it has no days to be in force on.
    if (
        row.unit_id
        and row.year
        and FIRST_YEAR <= row.year <= LAST_YEAR
        and (problem := row.unit.validity_error_in(row.year))
    ):
        raise ValidationError({"unit": problem})
