import datetime

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.deconstruct import deconstructible
from django.utils.formats import date_format, number_format
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .text import CleanTextMixin
from hatinh_training.params import FIRST_YEAR, LAST_YEAR

# --- Bounds of every count, year and date: one place for forms, model checks, imports and the database.

# No class, plan or survey counts more people than this. On SQLite an integer column
# takes 2**63-1, after which every sum of that year overflows.
MAX_COUNT = 100_000
FIRST_DAY, LAST_DAY = datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)


@deconstructible
class CountCeiling:
    def __call__(self, value):
        if value is not None and value > MAX_COUNT:
            raise ValidationError(
                _("Số %(value)s quá lớn: không được lớn hơn %(limit)s."),
                code="max_value",
                params={"value": number_format(value, force_grouping=True), "limit": number_format(MAX_COUNT, force_grouping=True)},
            )

    def __eq__(self, other):
        return isinstance(other, CountCeiling)


@deconstructible
class YearBounds:
    def __call__(self, value):
        if value is not None and not FIRST_YEAR <= value <= LAST_YEAR:
            raise ValidationError(
                _("Năm %(value)s không hợp lệ: phải trong khoảng %(first)s–%(last)s."),
                code="year_range", params={"value": value, "first": FIRST_YEAR, "last": LAST_YEAR},
            )

    def __eq__(self, other):
        return isinstance(other, YearBounds)


@deconstructible
class DateBounds:
    def __call__(self, value):
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(
                _("Ngày %(value)s không hợp lệ: năm phải trong khoảng %(first)s–%(last)s."),
                code="date_range",
                params={"value": date_format(value, "SHORT_DATE_FORMAT"), "first": FIRST_YEAR, "last": LAST_YEAR},
            )

    def __eq__(self, other):
        return isinstance(other, DateBounds)


COUNT = [CountCeiling()]
YEAR = [YearBounds()]
DATE = [DateBounds()]


# Grouped by hand: the migration's copy of the message must not depend on the active locale.
_counts_message = lazy(lambda: _("Các số lượng không được lớn hơn %(limit)s.") % {"limit": f"{MAX_COUNT:,}".replace(",", ".")}, str)
_years_message = lazy(lambda: _("Năm phải trong khoảng %(first)s–%(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, str)
_dates_message = lazy(lambda: _("Ngày phải thuộc các năm %(first)s–%(last)s.") % {"first": FIRST_YEAR, "last": LAST_YEAR}, str)


def counts_within_ceiling(*names, name):
    condition = Q()
    for field in names:
        condition &= Q(**{f"{field}__lte": MAX_COUNT})
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=_counts_message())


def years_within_bounds(field, *, name):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__gte": FIRST_YEAR, f"{field}__lte": LAST_YEAR}), name=name,
        violation_error_message=_years_message(),
    )


def dates_within_bounds(field, *, name, nullable=False):
    condition = Q(**{f"{field}__gte": FIRST_DAY, f"{field}__lte": LAST_DAY})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition, name=name, violation_error_message=_dates_message(),
    )



class AdministrativeUnit(CleanTextMixin, models.Model):
    class Kind(models.TextChoices):
        PROVINCE = "tinh", _("Tỉnh")
        CITY = "thanh_pho", _("Thành phố")
        TOWN = "thi_xa", _("Thị xã")
        DISTRICT = "huyen", _("Huyện")
        COMMUNE = "xa", _("Xã")
        WARD = "phuong", _("Phường")
        TOWNLET = "thi_tran", _("Thị trấn")

    code = models.CharField(_("mã đơn vị"), max_length=16, unique=True, help_text=_("Mã của Tổng cục Thống kê, ví dụ 443."))
    name = models.CharField(_("tên đơn vị"), max_length=200)
    kind = models.CharField(_("loại đơn vị"), max_length=16, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("đơn vị cấp trên"), on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True, validators=DATE)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True, validators=DATE, help_text=_("Để trống khi đơn vị còn hiệu lực."))
    # Reports compare a unit across the 2025 reform under this area; empty: the unit itself.
    compare_under = models.ForeignKey(
        "self", verbose_name=_("so sánh theo địa bàn"), on_delete=models.PROTECT, null=True, blank=True,
        related_name="compared_units", help_text=_("Để trống: so sánh theo chính đơn vị này."),
    )
    former_districts = models.ManyToManyField(
        "self", verbose_name=_("đơn vị cũ"), symmetrical=False, blank=True, related_name="successors",
        help_text=_("Các đơn vị trước đây đã nhập vào đơn vị này."),
    )

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
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
            return _("%(unit)s không còn từ %(since)s; lớp khai giảng sau ngày này thuộc một trong các đơn vị: %(heirs)s.") % {
                "unit": self.name, "since": self._ended(), "heirs": heirs,
            }
        return _("Đơn vị %(unit)s không có hiệu lực vào ngày khai giảng %(start)s.") % {
            "unit": self.name, "start": date_format(day, "SHORT_DATE_FORMAT"),
        }

    def validity_error_in(self, year) -> str | None:
        """Why a plan, survey or year report of `year` may not belong to this unit; None if it may."""
        if self.is_valid_in(year):
            return None
        heirs = self._heirs(lambda unit: unit.is_valid_in(year)) if self.valid_to and year > self.valid_to.year else ""
        if heirs:
            return _("%(unit)s không còn từ %(since)s; số liệu năm %(year)s thuộc một trong các đơn vị: %(heirs)s.") % {
                "unit": self.name, "since": self._ended(), "year": year, "heirs": heirs,
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
    standard_since_year = models.PositiveSmallIntegerField(_("đạt chuẩn từ năm"), null=True, blank=True, validators=YEAR)
    valid_from = models.DateField(_("hiệu lực từ ngày"), null=True, blank=True, validators=DATE)
    valid_to = models.DateField(_("hiệu lực đến ngày"), null=True, blank=True, validators=DATE, help_text=_("Để trống khi còn hoạt động."))

    class Meta:
        verbose_name = _("trung tâm đào tạo")
        verbose_name_plural = _("trung tâm đào tạo")
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
    typical_days = models.PositiveSmallIntegerField(_("thời lượng thường (ngày)"), null=True, blank=True, validators=COUNT)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        verbose_name = _("chương trình")
        verbose_name_plural = _("chương trình")
        ordering = ["sort_order", "code"]

    def __str__(self):
        return f"{self.code} — {self.name}"

    def natural_key(self):
        return (self.code,)


class User(AbstractUser):
    class Role(models.TextChoices):
        DISTRICT = "district", _("Cán bộ huyện")
        PROVINCE = "province", _("Ban Tuyên giáo Tỉnh ủy")
        ADMIN = "admin", _("Quản trị hệ thống")
        CENTRE = "centre", _("Cán bộ trung tâm")

    # No default: a user whose role was never set sees nothing (see selectors).
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices, blank=True)
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
    )
    centre = models.ForeignKey(
        TrainingCentre, verbose_name=_("trung tâm"), on_delete=models.PROTECT, null=True, blank=True, related_name="users",
    )
    # Set for accounts created with a one-time password; any new password clears it.
    must_change_password = models.BooleanField(_("phải đổi mật khẩu"), default=False)

    class Meta:
        verbose_name = _("người dùng")
        verbose_name_plural = _("người dùng")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="district") | Q(unit__isnull=False),
                name="district_user_has_unit",
                violation_error_message=_("Cán bộ huyện phải gắn với một đơn vị."),
            ),
            models.CheckConstraint(
                condition=~Q(role="centre") | Q(centre__isnull=False),
                name="centre_user_has_centre",
                violation_error_message=_("Cán bộ trung tâm phải gắn với một trung tâm."),
            ),
        ]

    def set_password(self, raw_password):
        super().set_password(raw_password)
        self.must_change_password = False


class TrainingClass(CleanTextMixin, models.Model):
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

    code = models.CharField(
        _("mã lớp"), max_length=50, unique=True, error_messages={"unique": _("Mã lớp này đã có.")}
    )
    name = models.CharField(_("tên lớp"), max_length=300)
    programme = models.ForeignKey(Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="classes")
    centre = models.ForeignKey(
        TrainingCentre, verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="classes",
        help_text=_("Để trống: trung tâm chính trị của đơn vị."), blank=True,
    )
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="classes")
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
    # Optimistic lock: a save must name the version it was edited from.
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tạo"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa cuối"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("lịch sử lớp"), excluded_fields=["version"])

    class Meta:
        verbose_name = _("lớp")
        verbose_name_plural = _("lớp")
        ordering = ["-start_date", "code"]
        indexes = [
            # Covering index for the yearly report (FINDINGS.md: halves the GROUP BY).
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
                condition=Q(
                    completed__gte=F("excellent") + F("good") + F("fair") + F("average") + F("failed")
                ),
                name="class_results_lte_completed",
                violation_error_message=_("Tổng kết quả (xuất sắc, giỏi, khá, trung bình, không đạt) không được lớn hơn số hoàn thành."),
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="class_end_not_before_start",
                violation_error_message=_("Ngày bế giảng không được trước ngày khai giảng."),
            ),
            models.CheckConstraint(
                condition=Q(learners__gte=0) & Q(completed__gte=0) & Q(excellent__gte=0) & Q(good__gte=0)
                & Q(fair__gte=0) & Q(average__gte=0) & Q(failed__gte=0),
                name="class_counts_not_negative",
                violation_error_message=_("Các số lượng không được âm."),
            ),
            counts_within_ceiling(
                "learners", "completed", "excellent", "good", "fair", "average", "failed", name="class_counts_within_ceiling",
            ),
            years_within_bounds("year", name="class_year_in_range"),
            dates_within_bounds("end_date", name="class_end_date_in_range", nullable=True),
        ]

    def __str__(self):
        return f"{self.code} — {self.name}"

    @property
    def results_total(self):
        return sum(getattr(self, name) or 0 for name in self.RESULT_FIELDS)

    def _set_year(self):
        if isinstance(self.start_date, datetime.date):
            self.year = self.start_date.year

    def clean_fields(self, exclude=None):
        self._set_year()  # before the field checks, which would call a missing year an error
        super().clean_fields(exclude)

    def save(self, *args, **kwargs):
        self._set_year()
        super().save(*args, **kwargs)

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
                "completed": completed, "learners": learners,
            }
        elif self.results_total > completed:
            errors["failed"] = _("Tổng kết quả (%(total)s) lớn hơn số hoàn thành (%(completed)s).") % {
                "total": self.results_total, "completed": completed,
            }
        if self.unit_id and self.start_date and (problem := self.unit.validity_error_on(self.start_date)):
            errors["unit"] = problem
        if self.centre_id and self.start_date and "unit" not in errors and not self.centre.is_valid_on(self.start_date):
            errors["centre"] = _("%(centre)s không hoạt động vào ngày khai giảng %(start)s.") % {
                "centre": self.centre.name, "start": date_format(self.start_date, "SHORT_DATE_FORMAT"),
            }
        if self.centre_id and self.unit_id and self.centre.unit_id not in (None, self.unit_id):
            errors["centre"] = _("Trung tâm %(centre)s không thuộc đơn vị %(unit)s.") % {
                "centre": self.centre.name, "unit": self.unit.name,
            }
        if errors:
            raise ValidationError(errors)


class Commendation(CleanTextMixin, models.Model):
    class Form(models.TextChoices):
        BOARD_CERTIFICATE = "giay_khen", _("Giấy khen")
        PROVINCE_CERTIFICATE = "bang_khen", _("Bằng khen")

    class RecipientKind(models.TextChoices):
        COLLECTIVE = "tap_the", _("Tập thể")
        INDIVIDUAL = "ca_nhan", _("Cá nhân")

    year = models.PositiveSmallIntegerField(_("năm"), db_index=True, validators=YEAR)
    form = models.CharField(_("hình thức khen thưởng"), max_length=16, choices=Form.choices, default=Form.BOARD_CERTIFICATE)
    recipient_kind = models.CharField(_("đối tượng"), max_length=16, choices=RecipientKind.choices, default=RecipientKind.COLLECTIVE)
    recipient = models.CharField(_("tên tập thể / cá nhân"), max_length=300)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, null=True, blank=True, related_name="commendations"
    )
    centre = models.ForeignKey(
        TrainingCentre, verbose_name=_("trung tâm"), on_delete=models.PROTECT, null=True, blank=True, related_name="commendations"
    )
    decision_number = models.CharField(_("số quyết định"), max_length=64, help_text=_("Ví dụ: 125-QĐ/BTGTU"))
    decision_date = models.DateField(_("ngày quyết định"), validators=DATE)
    issuer = models.CharField(_("cơ quan ban hành"), max_length=200, default="Ban Tuyên giáo Tỉnh ủy Hà Tĩnh")
    achievement = models.TextField(_("thành tích"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu mẫu"), default=False, editable=False)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("lịch sử khen thưởng"), excluded_fields=["version"])

    class Meta:
        verbose_name = _("khen thưởng")
        verbose_name_plural = _("khen thưởng")
        ordering = ["-year", "-decision_date", "recipient"]
        constraints = [
            years_within_bounds("year", name="commendation_year_in_range"),
            dates_within_bounds("decision_date", name="commendation_date_in_range"),
        ]

    def __str__(self):
        return f"{self.get_form_display()} — {self.recipient} ({self.decision_number})"

    def clean(self):
        if self.centre_id and self.unit_id and self.centre.unit_id not in (None, self.unit_id):
            raise ValidationError({"centre": _("Trung tâm %(centre)s không thuộc đơn vị %(unit)s.") % {
                "centre": self.centre.name, "unit": self.unit.name,
            }})


class YearLock(CleanTextMixin, models.Model):
    """A published year: district staff may no longer change its classes."""

    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.CASCADE, null=True, blank=True,
        related_name="year_locks", help_text=_("Để trống để khóa toàn tỉnh."),
    )
    locked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người khóa"), on_delete=models.SET_NULL, null=True, editable=False, related_name="+"
    )
    locked_at = models.DateTimeField(_("khóa lúc"), auto_now_add=True)
    reason = models.CharField(_("lý do"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("khóa số liệu năm")
        verbose_name_plural = _("khóa số liệu năm")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(fields=["year", "unit"], name="yearlock_unique_unit_year"),
            models.UniqueConstraint(
                fields=["year"], condition=Q(unit__isnull=True), name="yearlock_unique_province_year",
                violation_error_message=_("Năm này đã được khóa cho toàn tỉnh."),
            ),
        ]

    def __str__(self):
        scope = self.unit.name if self.unit_id else _("toàn tỉnh")
        return _("Năm %(year)s — %(scope)s") % {"year": self.year, "scope": scope}


# --- Planning: plans, learning-needs surveys, centre standards, the reporting cycle ---


def check_unit_in_year(row) -> None:
    """Plans, surveys and year reports belong to a unit in force on some day of their year."""
    # A year out of bounds is already refused by its field; it has no days to be in force on.
    if row.unit_id and row.year and FIRST_YEAR <= row.year <= LAST_YEAR and (problem := row.unit.validity_error_in(row.year)):
        raise ValidationError({"unit": problem})


class AnnualPlan(CleanTextMixin, models.Model):
    """The classes and learners a unit plans for one programme in one year."""

    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR)
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="plans")
    programme = models.ForeignKey(Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="plans")
    planned_classes = models.PositiveIntegerField(_("số lớp kế hoạch"), default=0, validators=COUNT)
    planned_learners = models.PositiveIntegerField(_("số học viên kế hoạch"), default=0, validators=COUNT)
    # True while the row is as generated from the survey; the unit's first save clears it.
    is_draft = models.BooleanField(_("dự thảo từ khảo sát"), default=False, editable=False)
    note = models.TextField(_("ghi chú"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa cuối"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    history = HistoricalRecords(verbose_name=_("lịch sử kế hoạch"), excluded_fields=["version"])

    class Meta:
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = _("kế hoạch năm")
        ordering = ["-year", "unit__code", "programme__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "programme"], name="plan_unique_year_unit_programme",
                violation_error_message=_("Đơn vị đã có kế hoạch cho chương trình này trong năm này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100), name="plan_year_in_range",
                violation_error_message=_("Năm phải trong khoảng 2000–2100."),
            ),
            counts_within_ceiling("planned_classes", "planned_learners", name="plan_counts_within_ceiling"),
        ]

    def __str__(self):
        return _("Kế hoạch %(year)s — %(unit)s — %(programme)s") % {
            "year": self.year, "unit": self.unit.name, "programme": self.programme.code,
        }

    def clean(self):
        check_unit_in_year(self)


class LearningNeedsSurvey(CleanTextMixin, models.Model):
    """Khảo sát nhu cầu học tập: how many people of a unit need a programme in a year."""

    year = models.PositiveSmallIntegerField(_("năm cần học"), validators=YEAR, help_text=_("Năm mà nhu cầu học tập hướng tới."))
    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="surveys")
    programme = models.ForeignKey(Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="surveys")
    people_needing = models.PositiveIntegerField(_("số người có nhu cầu"), validators=COUNT)
    survey_date = models.DateField(_("ngày khảo sát"), validators=DATE)
    note = models.TextField(_("ghi chú"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người sửa cuối"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("khảo sát nhu cầu học tập")
        verbose_name_plural = _("khảo sát nhu cầu học tập")
        ordering = ["-year", "unit__code", "programme__sort_order"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "unit", "programme"], name="survey_unique_year_unit_programme",
                violation_error_message=_("Đơn vị đã có khảo sát cho chương trình này trong năm này."),
            ),
            counts_within_ceiling("people_needing", name="survey_count_within_ceiling"),
            years_within_bounds("year", name="survey_year_in_range"),
            dates_within_bounds("survey_date", name="survey_date_in_range"),
        ]

    def __str__(self):
        return _("Khảo sát %(year)s — %(unit)s — %(programme)s") % {
            "year": self.year, "unit": self.unit.name, "programme": self.programme.code,
        }

    def clean(self):
        check_unit_in_year(self)
        if self.survey_date and self.year and self.survey_date.year > self.year:
            raise ValidationError({"survey_date": _(
                "Ngày khảo sát (%(date)s) phải trước hoặc trong năm cần học (%(year)s)."
            ) % {"date": date_format(self.survey_date, "SHORT_DATE_FORMAT"), "year": self.year}})


class StandardCriterion(CleanTextMixin, models.Model):
    """One row of the "đạt chuẩn" scoring sheet; the official list changes, so it is data."""

    group = models.CharField(_("nhóm tiêu chí"), max_length=200)
    name = models.CharField(_("tiêu chí"), max_length=300)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("tiêu chí đạt chuẩn")
        verbose_name_plural = _("tiêu chí đạt chuẩn")
        ordering = ["sort_order", "group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "name"], name="criterion_unique_group_name",
                violation_error_message=_("Nhóm này đã có tiêu chí cùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0), name="criterion_max_score_positive",
                violation_error_message=_("Điểm tối đa phải lớn hơn 0."),
            ),
        ]

    def __str__(self):
        return f"{self.group} — {self.name}"


class ReportingPeriod(models.Model):
    """The board's settings for one year: deadline, pass mark, and the published figures."""

    year = models.PositiveSmallIntegerField(_("năm"), unique=True, validators=YEAR, error_messages={"unique": _("Năm này đã có kỳ báo cáo.")})
    deadline = models.DateField(_("hạn gửi báo cáo"), null=True, blank=True, validators=DATE)
    pass_threshold = models.DecimalField(
        _("điểm đạt chuẩn"), max_digits=6, decimal_places=2, null=True, blank=True,
        help_text=_("Trung tâm đạt chuẩn khi tổng điểm đánh giá từ mức này trở lên."),
    )
    # DOMAIN.md: "a class has at least 25 learners" is only believed, so the board sets it.
    draft_class_size = models.PositiveSmallIntegerField(
        _("sĩ số lớp dự kiến"), default=25, validators=COUNT, help_text=_("Dùng để tính số lớp khi lập dự thảo kế hoạch từ khảo sát."),
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người công bố"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    # The figures as published, frozen: later corrections are shown against them.
    published_figures = models.JSONField(_("số liệu đã công bố"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("kỳ báo cáo năm")
        verbose_name_plural = _("kỳ báo cáo năm")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(draft_class_size__gt=0), name="period_class_size_positive",
                violation_error_message=_("Sĩ số lớp dự kiến phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(pass_threshold__isnull=True) | Q(pass_threshold__gte=0), name="period_threshold_not_negative",
                violation_error_message=_("Điểm đạt chuẩn không được âm."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True, published_figures__isnull=True)
                | Q(published_at__isnull=False, published_figures__isnull=False),
                name="period_published_with_figures",
            ),
        ]

    def __str__(self):
        return _("Kỳ báo cáo năm %(year)s") % {"year": self.year}


class CentreAssessment(CleanTextMixin, models.Model):
    """One centre's assessment against the standard in one year."""

    centre = models.ForeignKey(TrainingCentre, verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="assessments")
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đánh giá"), on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="+",
    )
    assessed_on = models.DateField(_("ngày đánh giá"), validators=DATE)
    note = models.TextField(_("nhận xét chung"), blank=True)
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("đánh giá đạt chuẩn")
        verbose_name_plural = _("đánh giá đạt chuẩn")
        ordering = ["-year", "centre__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year"], name="assessment_unique_centre_year",
                violation_error_message=_("Trung tâm này đã được đánh giá trong năm này."),
            ),
        ]

    def __str__(self):
        return _("Đánh giá %(year)s — %(centre)s") % {"year": self.year, "centre": self.centre.name}


class CentreAssessmentScore(CleanTextMixin, models.Model):
    assessment = models.ForeignKey(CentreAssessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(StandardCriterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="scores")
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2)
    evidence = models.TextField(_("minh chứng"), blank=True)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = _("điểm tiêu chí")
        ordering = ["criterion__sort_order", "criterion__group"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"], name="score_unique_assessment_criterion",
                violation_error_message=_("Mỗi tiêu chí chỉ được chấm một lần trong một lần đánh giá."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0), name="score_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"

    def clean(self):
        if self.criterion_id and self.score is not None and self.score > self.criterion.max_score:
            raise ValidationError({"score": _("Điểm %(score)s vượt điểm tối đa %(max)s của tiêu chí “%(criterion)s”.") % {
                "score": self.score, "max": self.criterion.max_score, "criterion": self.criterion.name,
            }})


class UnitReport(CleanTextMixin, models.Model):
    """A unit's year in the reporting cycle: sent by the district, accepted or returned by the board.

    No row means the unit has not sent its figures yet.
    """

    class Status(models.TextChoices):
        SUBMITTED = "da_gui", _("Đã gửi")
        ACCEPTED = "da_duyet", _("Đã duyệt")
        RETURNED = "tra_lai", _("Trả lại")

    unit = models.ForeignKey(AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports")
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người duyệt / trả lại"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("duyệt / trả lại lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)

    # Every step (who, when, what) stays in the history, not only the latest.
    history = HistoricalRecords(verbose_name=_("lịch sử báo cáo"))

    class Meta:
        verbose_name = _("báo cáo năm của đơn vị")
        verbose_name_plural = _("báo cáo năm của đơn vị")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"], name="unitreport_unique_unit_year",
                violation_error_message=_("Đơn vị đã có báo cáo cho năm này."),
            ),
            models.CheckConstraint(
                condition=~Q(status="tra_lai") | ~Q(return_reason=""), name="unitreport_return_has_reason",
                violation_error_message=_("Trả lại báo cáo phải ghi lý do."),
            ),
        ]

    def __str__(self):
        return _("Báo cáo %(year)s — %(unit)s: %(status)s") % {
            "year": self.year, "unit": self.unit.name, "status": self.get_status_display(),
        }

    def clean(self):
        check_unit_in_year(self)

    def describe(self) -> str:
        """The latest step in words, with who and when: for the class list."""
        def who(user):
            return (user.get_full_name() or user.get_username()) if user else _("không rõ")

        def when(moment):
            return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else "–"

        text = _("Báo cáo năm %(year)s của %(unit)s: đã gửi bởi %(who)s lúc %(when)s") % {
            "year": self.year, "unit": self.unit.name, "who": who(self.submitted_by), "when": when(self.submitted_at),
        }
        if self.status == self.Status.ACCEPTED:
            text += _("; đã duyệt bởi %(who)s lúc %(when)s (số liệu đã khóa)") % {
                "who": who(self.reviewed_by), "when": when(self.reviewed_at),
            }
        elif self.status == self.Status.RETURNED:
            text += _("; bị trả lại bởi %(who)s lúc %(when)s, lý do: %(reason)s") % {
                "who": who(self.reviewed_by), "when": when(self.reviewed_at), "reason": self.return_reason,
            }
        return text + "."
