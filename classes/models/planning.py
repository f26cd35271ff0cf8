"""Planning: annual plans and learning-needs surveys, one row per year, unit and programme."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from classes.models.base import Audited, Versioned
from classes.models.bounds import (
    COUNT,
    DATE,
    YEAR,
    counts_within_ceiling,
    dates_within_bounds,
    years_within_bounds,
)
from classes.models.reference import AdministrativeUnit, Programme, check_unit_in_year
from classes.text import CleanTextMixin


class UnitYearProgrammeRow(CleanTextMixin, Audited):
    """One row per year, unit and programme: what plans and surveys share."""

    note = models.TextField(_("ghi chú"), blank=True)

    class Meta:
        abstract = True
        ordering = ["-year", "unit__code", "programme__sort_order"]

    def clean(self):
        check_unit_in_year(self)


def unique_year_unit_programme(*, name, message):
    """The one-row-per-year-unit-programme rule, under the constraint's name as migrated."""
    return models.UniqueConstraint(fields=["year", "unit", "programme"], name=name, violation_error_message=message)


class AnnualPlan(Versioned, UnitYearProgrammeRow):
    """The classes and learners a unit plans for one programme in one year."""

    year = models.PositiveSmallIntegerField(_("năm"), validators=YEAR)
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="plans"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="plans"
    )
    planned_classes = models.PositiveIntegerField(_("số lớp kế hoạch"), default=0, validators=COUNT)
    planned_learners = models.PositiveIntegerField(_("số học viên kế hoạch"), default=0, validators=COUNT)
    # True while the row is as generated from the survey; the unit's first save clears it.
    is_draft = models.BooleanField(_("dự thảo từ khảo sát"), default=False, editable=False)

    history = HistoricalRecords(verbose_name=_("lịch sử kế hoạch"), excluded_fields=["version"])

    class Meta(UnitYearProgrammeRow.Meta):
        verbose_name = _("kế hoạch năm")
        verbose_name_plural = pgettext_lazy("plural", "kế hoạch năm")
        constraints = [
            unique_year_unit_programme(
                name="plan_unique_year_unit_programme",
                message=_("Đơn vị đã có kế hoạch cho chương trình này trong năm này."),
            ),
            models.CheckConstraint(
                condition=Q(year__gte=2000) & Q(year__lte=2100),
                name="plan_year_in_range",
                violation_error_message=_("Năm phải trong khoảng 2000–2100."),
            ),
            counts_within_ceiling("planned_classes", "planned_learners", name="plan_counts_within_ceiling"),
        ]

    def __str__(self):
        return _("Kế hoạch %(year)s — %(unit)s — %(programme)s") % {
            "year": self.year,
            "unit": self.unit.name,
            "programme": self.programme.code,
        }


class LearningNeedsSurvey(UnitYearProgrammeRow):
    """Khảo sát nhu cầu học tập: how many people of a unit need a programme in a year."""

    year = models.PositiveSmallIntegerField(
        _("năm cần học"), validators=YEAR, help_text=_("Năm mà nhu cầu học tập hướng tới.")
    )
    unit = models.ForeignKey(
        AdministrativeUnit, verbose_name=_("đơn vị"), on_delete=models.PROTECT, related_name="surveys"
    )
    programme = models.ForeignKey(
        Programme, verbose_name=_("chương trình"), on_delete=models.PROTECT, related_name="surveys"
    )
    people_needing = models.PositiveIntegerField(_("số người có nhu cầu"), validators=COUNT)
    survey_date = models.DateField(_("ngày khảo sát"), validators=DATE)

    class Meta(UnitYearProgrammeRow.Meta):
        verbose_name = _("khảo sát nhu cầu học tập")
        verbose_name_plural = pgettext_lazy("plural", "khảo sát nhu cầu học tập")
        constraints = [
            unique_year_unit_programme(
                name="survey_unique_year_unit_programme",
                message=_("Đơn vị đã có khảo sát cho chương trình này trong năm này."),
            ),
            counts_within_ceiling("people_needing", name="survey_count_within_ceiling"),
            years_within_bounds("year", name="survey_year_in_range"),
            dates_within_bounds("survey_date", name="survey_date_in_range"),
        ]

    def __str__(self):
        return _("Khảo sát %(year)s — %(unit)s — %(programme)s") % {
            "year": self.year,
            "unit": self.unit.name,
            "programme": self.programme.code,
        }

    def clean(self):
        super().clean()
        if self.survey_date and self.year and self.survey_date.year > self.year:
            raise ValidationError(
                {
                    "survey_date": _("Ngày khảo sát (%(date)s) phải trước hoặc trong năm cần học (%(year)s).")
                    % {"date": date_format(self.survey_date, "SHORT_DATE_FORMAT"), "year": self.year}
                }
            )
