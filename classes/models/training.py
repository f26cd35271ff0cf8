"""What units enter: training classes and commendations (giấy khen, bằng khen)."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from classes.models.base import Audited, UpdatedStamp, Versioned
from classes.models.bounds import (
    COUNT,
    DATE,
    YEAR,
    counts_within_ceiling,
    dates_within_bounds,
    years_within_bounds,
)
from classes.models.reference import AdministrativeUnit, Programme, TrainingCentre
from classes.text import CleanTextMixin


class TrainingClass(CleanTextMixin, Versioned, Audited):
    class Venue(models.TextChoices):
        CENTRE = "tai_trung_tam", _("Tại trung tâm")
        GRASSROOTS = "tai_co_so", _("Tại cơ sở")
        ONLINE = "truc_tuyen", _("Trực tuyến")
        COMBINED = "ket_hop", _("Kết hợp")

    class Status(models.TextChoices):
        PLANNED = "ke_hoach", _("Kế hoạch")
        IN_PROGRESS = "dang_hoc", _("Đang học")
        FINISHED = "da_ket_thuc", _("Đã kết thúc")
        CANCELLED = "da_huy", _("Đã hủy")

    RESULT_FIELDS = ("excellent", "good", "fair", "average", "failed")
    code_fields = ("code",)
    COUNT_FIELDS = ("learners", "completed", *RESULT_FIELDS)

    code = models.CharField(_("mã lớp"), max_length=50, unique=True, error_messages={"unique": _("Mã lớp này đã có.")})
    name = models.CharField(_("tên lớp"), max_length=300)
    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="classes"
    )
    centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("trung tâm"),
        on_delete=models.PROTECT,
        related_name="classes",
        help_text=_("Để trống: trung tâm chính trị của đơn vị."),
        blank=True,
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="classes"
    )
    venue = models.CharField(_("hình thức"), max_length=16, choices=Venue.choices, default=Venue.CENTRE)
    start_date = models.DateField(_("ngày khai giảng"), validators=DATE)
    end_date = models.DateField(_("ngày bế giảng"), null=True, blank=True, validators=DATE)
    # A class counts in the calendar year it opens; stored for indexed reports.
    year = models.PositiveSmallIntegerField(_("năm"), editable=False, db_index=True)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.FINISHED)
    learners = models.PositiveIntegerField(_("số học viên"), default=0, validators=COUNT)
    completed = models.PositiveIntegerField(_("số hoàn thành"), default=0, validators=COUNT)
    excellent = models.PositiveIntegerField(_("xuất sắc"), default=0, validators=COUNT)
    good = models.PositiveIntegerField(_("giỏi"), default=0, validators=COUNT)
    fair = models.PositiveIntegerField(_("khá"), default=0, validators=COUNT)
    average = models.PositiveIntegerField(_("trung bình"), default=0, validators=COUNT)
    failed = models.PositiveIntegerField(_("không đạt"), default=0, validators=COUNT)
    notes = models.TextField(_("ghi chú"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tạo"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("lịch sử lớp"), excluded_fields=["version"])

    class Meta:
        verbose_name = _("lớp")
        verbose_name_plural = pgettext_lazy("plural", "lớp")
        ordering = ["-start_date", "code"]
        indexes = [
            # Covering index for the yearly report (docs/findings.md: halves the GROUP BY).
            models.Index(fields=["year", "unit"], include=["learners", "completed"], name="class_year_unit_cover"),
            # The class list's default order: without it each page sorts every class
            # (0.3–1.7 s at 1,000,000 rows, make bench); with it, under 1 ms.
            models.Index(fields=["-start_date", "code"], name="class_start_desc_code"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(completed__lte=F("learners")),
                name="class_completed_lte_learners",
                violation_error_message=_("Số hoàn thành không được lớn hơn số học viên."),
            ),
            models.CheckConstraint(
                condition=Q(completed__gte=F("excellent") + F("good") + F("fair") + F("average") + F("failed")),
                name="class_results_lte_completed",
                violation_error_message=_(
                    "Tổng kết quả (xuất sắc, giỏi, khá, trung bình, không đạt) không được lớn hơn số hoàn thành."
                ),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="class_end_not_before_start",
                violation_error_message=_("Ngày bế giảng không được trước ngày khai giảng."),
            ),
            models.CheckConstraint(
                condition=Q(learners__gte=0)
                & Q(completed__gte=0)
                & Q(excellent__gte=0)
                & Q(good__gte=0)
                & Q(fair__gte=0)
                & Q(average__gte=0)
                & Q(failed__gte=0),
                name="class_counts_not_negative",
                violation_error_message=_("Các số lượng không được âm."),
            ),
            counts_within_ceiling(
                "learners",
                "completed",
                "excellent",
                "good",
                "fair",
                "average",
                "failed",
                name="class_counts_within_ceiling",
            ),
            years_within_bounds("year", name="class_year_in_range"),
            dates_within_bounds("end_date", name="class_end_date_in_range", nullable=True),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def save(self, *args, **kwargs):
        self._set_year()
        super().save(*args, **kwargs)

    @property
    def results_total(self):
        return sum(getattr(self, name) or 0 for name in self.RESULT_FIELDS)

    def _set_year(self):
        if isinstance(self.start_date, datetime.date):
            self.year = self.start_date.year

    def clean_fields(self, exclude=None):
        self._set_year()  # before the field checks, which would call a missing year an error
        super().clean_fields(exclude)

    def clean(self):
        errors = {}
        self._set_year()
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("Ngày bế giảng (%(end)s) không được trước ngày khai giảng (%(start)s).") % {
                "end": date_format(self.end_date, "SHORT_DATE_FORMAT"),
                "start": date_format(self.start_date, "SHORT_DATE_FORMAT"),
            }
        learners, completed = self.learners or 0, self.completed or 0
        if completed > learners:
            errors["completed"] = _("Số hoàn thành (%(completed)s) lớn hơn số học viên (%(learners)s).") % {
                "completed": completed,
                "learners": learners,
            }
        elif self.results_total > completed:
            errors["failed"] = _("Tổng kết quả (%(total)s) lớn hơn số hoàn thành (%(completed)s).") % {
                "total": self.results_total,
                "completed": completed,
            }
        if self.unit_id and self.start_date and (problem := self.unit.validity_error_on(self.start_date)):
            errors["unit"] = problem
        if self.centre_id and self.start_date and "unit" not in errors and not self.centre.is_valid_on(self.start_date):
            errors["centre"] = _("%(centre)s không hoạt động vào ngày khai giảng %(start)s.") % {
                "centre": self.centre.name,
                "start": date_format(self.start_date, "SHORT_DATE_FORMAT"),
            }
        if self.centre_id and self.unit_id and self.centre.unit_id not in (None, self.unit_id):
            errors["centre"] = _("Trung tâm %(centre)s không thuộc đơn vị %(unit)s.") % {
                "centre": self.centre.name,
                "unit": self.unit.name,
            }
        if errors:
            raise ValidationError(errors)


class Commendation(CleanTextMixin, Versioned, UpdatedStamp):
    class Form(models.TextChoices):
        BOARD_CERTIFICATE = "giay_khen", _("Giấy khen")
        PROVINCE_CERTIFICATE = "bang_khen", _("Bằng khen")

    class RecipientKind(models.TextChoices):
        COLLECTIVE = "tap_the", _("Tập thể")
        INDIVIDUAL = "ca_nhan", _("Cá nhân")

    year = models.PositiveSmallIntegerField(_("năm"), db_index=True, validators=YEAR)
    form = models.CharField(
        _("hình thức khen thưởng"), max_length=16, choices=Form.choices, default=Form.BOARD_CERTIFICATE
    )
    recipient_kind = models.CharField(
        _("đối tượng"), max_length=16, choices=RecipientKind.choices, default=RecipientKind.COLLECTIVE
    )
    recipient = models.CharField(_("tên tập thể / cá nhân"), max_length=300)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
    )
    centre = models.ForeignKey(
        TrainingCentre,
        verbose_name=_("trung tâm"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="commendations",
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64, help_text=_("Ví dụ: 125-QĐ/BTGTU"))
    decision_date = models.DateField(_("ngày quyết định"), validators=DATE)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, default="Ban Tuyên giáo Tỉnh ủy Hà Tĩnh")
    achievement = models.TextField(_("thành tích"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)

    history = HistoricalRecords(verbose_name=_("lịch sử khen thưởng"), excluded_fields=["version"])

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = pgettext_lazy("plural", "khen thưởng")
        ordering = ["-year", "-decision_date", "recipient"]
        constraints = [
            years_within_bounds("year", name="commendation_year_in_range"),
            dates_within_bounds("decision_date", name="commendation_date_in_range"),
        ]

    def __str__(self):
        return f"{self.get_form_display()} — {self.recipient} ({self.decision_number})"

    def clean(self):
        if self.centre_id and self.unit_id and self.centre.unit_id not in (None, self.unit_id):
            raise ValidationError(
                {
                    "centre": _("Trung tâm %(centre)s không thuộc đơn vị %(unit)s.")
                    % {
                        "centre": self.centre.name,
                        "unit": self.unit.name,
                    }
                }
            )
