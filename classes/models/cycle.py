"""The yearly reporting cycle: the board's settings for a year and each unit's report (send, accept, return)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from classes.models.bounds import COUNT, DATE, YEAR
from classes.models.reference import AdministrativeUnit, check_unit_in_year
from classes.text import CleanTextMixin


class ReportingPeriod(models.Model):
    """The board's settings for one year: deadline, pass mark, and the published figures."""

    year = models.PositiveSmallIntegerField(
        _("năm"), unique=True, validators=YEAR, error_messages={"unique": _("Năm này đã có kỳ báo cáo.")}
    )
    deadline = models.DateField(_("hạn gửi báo cáo"), null=True, blank=True, validators=DATE)
    pass_threshold = models.DecimalField(
        _("điểm đạt chuẩn"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Trung tâm đạt chuẩn khi tổng điểm đánh giá từ mức này trở lên."),
    )
    # docs/domain.md: "a class has at least 25 learners" is only believed, so the board sets it.
    draft_class_size = models.PositiveSmallIntegerField(
        _("sĩ số lớp dự kiến"),
        default=25,
        validators=COUNT,
        help_text=_("Dùng để tính số lớp khi lập dự thảo kế hoạch từ khảo sát."),
    )
    published_at = models.DateTimeField(_("công bố lúc"), null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người công bố"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    # Which units report a year the reform cut in two is the board's call; by default those
    # in force on 31/12 (for 2025 the 69 communes and wards, which took the districts' classes).
    required_units = models.ManyToManyField(
        "classes.AdministrativeUnit",
        verbose_name=_("đơn vị phải báo cáo"),
        blank=True,
        related_name="+",
        help_text=_(
            "Để trống: các đơn vị có hiệu lực ngày 31/12 của năm (với năm đang diễn ra: hôm nay) phải gửi báo cáo năm."
        ),
    )
    # The figures as published, frozen: later corrections are shown against them.
    published_figures = models.JSONField(_("số liệu đã công bố"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("kỳ báo cáo năm")
        verbose_name_plural = pgettext_lazy("plural", "kỳ báo cáo năm")
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(draft_class_size__gt=0),
                name="period_class_size_positive",
                violation_error_message=_("Sĩ số lớp dự kiến phải lớn hơn 0."),
            ),
            models.CheckConstraint(
                condition=Q(pass_threshold__isnull=True) | Q(pass_threshold__gte=0),
                name="period_threshold_not_negative",
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


class UnitReport(CleanTextMixin, models.Model):
    """A unit's year in the reporting cycle: sent by the district, accepted or returned by the board.

    No row means the unit has not sent its figures yet.
    """

    class Status(models.TextChoices):
        SUBMITTED = "da_gui", _("Đã gửi")
        ACCEPTED = "da_duyet", _("Đã duyệt")
        RETURNED = "tra_lai", _("Trả lại")

    # The step of a unit that has sent no report for the year (no row, so no Status).
    NOT_SENT = "chua_gui"

    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="reports"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR)
    status = models.CharField(_("trạng thái"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người gửi"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("gửi lúc"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người duyệt / trả lại"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("duyệt / trả lại lúc"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    # Why a year sent empty or far below the year before is so (services.unit_report_submit asks).
    send_note = models.TextField(_("ghi chú khi gửi"), blank=True, max_length=1000)

    # Every step (who, when, what) stays in the history, not only the latest.
    history = HistoricalRecords(verbose_name=_("lịch sử báo cáo"))

    class Meta:
        verbose_name = _("báo cáo năm của đơn vị")
        verbose_name_plural = pgettext_lazy("plural", "báo cáo năm của đơn vị")
        ordering = ["-year", "unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["unit", "year"],
                name="unitreport_unique_unit_year",
                violation_error_message=_("Đơn vị đã có báo cáo cho năm này."),
            ),
            models.CheckConstraint(
                condition=~Q(status="tra_lai") | ~Q(return_reason=""),
                name="unitreport_return_has_reason",
                violation_error_message=_("Trả lại báo cáo phải ghi lý do."),
            ),
        ]

    def __str__(self):
        return _("Báo cáo %(year)s — %(unit)s: %(status)s") % {
            "year": self.year,
            "unit": self.unit.name,
            "status": self.get_status_display(),
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
            "year": self.year,
            "unit": self.unit.name,
            "who": who(self.submitted_by),
            "when": when(self.submitted_at),
        }
        if self.status == self.Status.ACCEPTED:
            text += _("; đã duyệt bởi %(who)s lúc %(when)s (số liệu đã khóa)") % {
                "who": who(self.reviewed_by),
                "when": when(self.reviewed_at),
            }
        elif self.status == self.Status.RETURNED:
            text += _("; bị trả lại bởi %(who)s lúc %(when)s, lý do: %(reason)s") % {
                "who": who(self.reviewed_by),
                "when": when(self.reviewed_at),
                "reason": self.return_reason,
            }
        return text + "."


class BoardName(CleanTextMixin, models.Model):
    """The board's name from a date on: headers, report titles and new commendations use the one in force."""

    name = models.CharField(_("tên cơ quan"), max_length=200)
    short_symbol = models.CharField(
        _("ký hiệu viết tắt"), max_length=32, help_text=_("Dùng trong số văn bản, ví dụ BTGDVTU trong 125-QĐ/BTGDVTU.")
    )
    valid_from = models.DateField(
        _("có hiệu lực từ ngày"),
        unique=True,
        validators=DATE,
        error_messages={"unique": _("Đã có tên cơ quan có hiệu lực từ ngày này.")},
    )

    class Meta:
        verbose_name = _("tên cơ quan")
        verbose_name_plural = pgettext_lazy("plural", "tên cơ quan")
        ordering = ["-valid_from"]

    def __str__(self):
        return _("%(name)s (từ %(since)s)") % {
            "name": self.name,
            "since": date_format(self.valid_from, "SHORT_DATE_FORMAT"),
        }
