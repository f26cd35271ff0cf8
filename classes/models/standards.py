"""Centres that meet the standard (đạt chuẩn): the board's criteria and its yearly assessments."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from classes.models.bounds import DATE, YEAR
from classes.models.reference import TrainingCentre
from classes.text import CleanTextMixin


class StandardCriterion(CleanTextMixin, models.Model):
    """One row of the "đạt chuẩn" scoring sheet; the official list changes, so it is data."""

    group = models.CharField(_("nhóm tiêu chí"), max_length=200)
    name = models.CharField(_("tiêu chí"), max_length=300)
    max_score = models.DecimalField(_("điểm tối đa"), max_digits=5, decimal_places=2)
    sort_order = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_active = models.BooleanField(_("đang áp dụng"), default=True)

    class Meta:
        verbose_name = _("tiêu chí đạt chuẩn")
        verbose_name_plural = pgettext_lazy("plural", "tiêu chí đạt chuẩn")
        ordering = ["sort_order", "group", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "name"],
                name="criterion_unique_group_name",
                violation_error_message=_("Nhóm này đã có tiêu chí cùng tên."),
            ),
            models.CheckConstraint(
                condition=Q(max_score__gt=0),
                name="criterion_max_score_positive",
                violation_error_message=_("Điểm tối đa phải lớn hơn 0."),
            ),
        ]

    def __str__(self):
        return f"{self.group} — {self.name}"


class CentreAssessment(CleanTextMixin, models.Model):
    """One centre's assessment against the standard in one year."""

    centre = models.ForeignKey(
        TrainingCentre, verbose_name=_("trung tâm"), on_delete=models.PROTECT, related_name="assessments"
    )
    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đánh giá"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    assessed_on = models.DateField(_("ngày đánh giá"), validators=DATE)
    note = models.TextField(_("nhận xét chung"), blank=True)
    updated_at = models.DateTimeField(_("sửa lần cuối"), auto_now=True)

    class Meta:
        verbose_name = _("đánh giá đạt chuẩn")
        verbose_name_plural = pgettext_lazy("plural", "đánh giá đạt chuẩn")
        ordering = ["-year", "centre__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["centre", "year"],
                name="assessment_unique_centre_year",
                violation_error_message=_("Trung tâm này đã được đánh giá trong năm này."),
            ),
        ]

    def __str__(self):
        return _("Đánh giá %(year)s — %(centre)s") % {"year": self.year, "centre": self.centre.name}


class CentreAssessmentScore(CleanTextMixin, models.Model):
    assessment = models.ForeignKey(
        CentreAssessment, verbose_name=_("đánh giá"), on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(
        StandardCriterion, verbose_name=_("tiêu chí"), on_delete=models.PROTECT, related_name="scores"
    )
    score = models.DecimalField(_("điểm"), max_digits=5, decimal_places=2)
    evidence = models.TextField(_("minh chứng"), blank=True)

    class Meta:
        verbose_name = _("điểm tiêu chí")
        verbose_name_plural = pgettext_lazy("plural", "điểm tiêu chí")
        ordering = ["criterion__sort_order", "criterion__group"]
        constraints = [
            models.UniqueConstraint(
                fields=["assessment", "criterion"],
                name="score_unique_assessment_criterion",
                violation_error_message=_("Mỗi tiêu chí chỉ được chấm một lần trong một lần đánh giá."),
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0),
                name="score_not_negative",
                violation_error_message=_("Điểm không được âm."),
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.score}"

    def clean(self):
        if self.criterion_id and self.score is not None and self.score > self.criterion.max_score:
            raise ValidationError(
                {
                    "score": _("Điểm %(score)s vượt điểm tối đa %(max)s của tiêu chí “%(criterion)s”.")
                    % {
                        "score": self.score,
                        "max": self.criterion.max_score,
                        "criterion": self.criterion.name,
                    }
                }
            )
