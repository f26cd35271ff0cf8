"""Plans, surveys, the draft plan, the standard's criteria and assessments."""

import math

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from classes import access, selectors, versioning
from classes.access import _require_board, _scoped_original
from classes.models import AdministrativeUnit, AnnualPlan, ReportingPeriod


def _unit_year_row_save(*, user, instance, visible, expected_version=None):
    """Plans and surveys: the unit must be the user's, and its year open (old and new place).
    expected_version as in class_save, for rows that have a version."""
    with transaction.atomic():
        original = _scoped_original(visible, instance, _("Không tìm thấy dòng này trong phạm vi đơn vị của bạn."))
        access.write_check(user, instance.unit_id, instance.year, was=original)
        if original is not None and hasattr(original, "version"):
            versioning.check_version(original, expected_version)
        instance.full_clean()
        if original is not None and hasattr(original, "version"):
            instance.version = versioning.claim_version(original)
        instance.updated_by = user
        instance.save()
    return instance


def _unit_year_row_delete(*, user, instance, visible):
    with transaction.atomic():
        if not visible.filter(pk=instance.pk).exists():
            raise PermissionDenied(_("Không tìm thấy dòng này trong phạm vi đơn vị của bạn."))
        access.write_check(user, instance.unit_id, instance.year)
        instance.delete()


def plan_save(*, user, plan, expected_version: int | None = None):
    plan.is_draft = False  # adjusted by a person from now on
    return _unit_year_row_save(
        user=user,
        instance=plan,
        visible=access.plans_visible_to(user),
        expected_version=expected_version,
    )


def plan_delete(*, user, plan) -> None:
    _unit_year_row_delete(user=user, instance=plan, visible=access.plans_visible_to(user))


def survey_save(*, user, survey):
    return _unit_year_row_save(user=user, instance=survey, visible=access.surveys_visible_to(user))


def survey_delete(*, user, survey) -> None:
    _unit_year_row_delete(user=user, instance=survey, visible=access.surveys_visible_to(user))


def plan_draft_generate(*, user, unit: AdministrativeUnit, year: int) -> dict:
    """Draft plan rows for `year` from the unit's latest survey per programme minus the
    learners trained since that survey. Rows the unit already has are left as they are.

    Returns {"created": n, "kept": n}.
    """
    access.write_check(user, unit, year)
    if problem := unit.validity_error_in(year):
        raise ValidationError(problem)
    period = selectors.reporting_period_for(year) or selectors.reporting_period_for(year - 1)
    class_size = period.draft_class_size if period else ReportingPeriod._meta.get_field("draft_class_size").default
    rows = selectors.plan_draft_figures(user=user, unit_id=unit.pk, year=year)
    created = kept = 0
    with transaction.atomic():
        existing = set(AnnualPlan.objects.filter(unit=unit, year=year).values_list("programme_id", flat=True))
        new_plans = []
        for row in rows:
            if row["programme_id"] in existing:
                kept += 1
                continue
            learners = max(row["people_needing"] - row["trained"], 0)
            new_plans.append(
                AnnualPlan(
                    year=year,
                    unit=unit,
                    programme_id=row["programme_id"],
                    is_draft=True,
                    updated_by=user,
                    planned_learners=learners,
                    planned_classes=math.ceil(learners / class_size),
                    note=_("Dự thảo từ khảo sát ngày %(date)s: %(need)s người có nhu cầu, đã học %(trained)s.")
                    % {
                        "date": date_format(row["survey_date"], "SHORT_DATE_FORMAT"),
                        "need": row["people_needing"],
                        "trained": row["trained"],
                    },
                )
            )
        # One save per programme (a few dozen at most): history and report stamps follow.
        for new_plan in new_plans:
            new_plan.save()
        created = len(new_plans)
    return {"created": created, "kept": kept}


def criterion_save(*, user, criterion):
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được sửa tiêu chí đạt chuẩn."))
    with transaction.atomic():
        criterion.full_clean()
        criterion.save()
    return criterion


def assessment_save(*, user, assessment, scores=()):
    """Save an assessment and its scores together; every score checked against its maximum."""
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được đánh giá đạt chuẩn trung tâm."))
    centre = assessment.centre if assessment.centre_id else None
    access.write_check(user, centre and centre.unit_id, assessment.year, centre=centre)
    with transaction.atomic():
        assessment.assessed_by = user
        assessment.full_clean()
        assessment.save()
        for score in scores:
            score.assessment = assessment
            score.full_clean()
            score.save()
    return assessment
