"""Every save or delete of a class, commendation or year lock bumps the report stamps
of the years involved: the year it is in now and the year it was loaded with.

The admin's import writes with bulk_create/bulk_update, which send no model signals;
after a confirmed import django-import-export sends `post_import`, and since the rows
may be in any year, the reference stamp (in every cache key) is bumped."""

from django.db.models.signals import post_delete, post_init, post_save
from import_export.signals import post_import

from classes.models import (
    AdministrativeUnit,
    AnnualPlan,
    CentreAssessment,
    CentreAssessmentScore,
    Commendation,
    LearningNeedsSurvey,
    Programme,
    ReportingPeriod,
    TrainingCentre,
    TrainingClass,
    UnitReport,
    YearLock,
)
from reports import stamps


def _remember_year(sender, instance, **kwargs):
    # __dict__, not the attribute: a deferred `year` would cost a query per row.
    instance._report_loaded_year = instance.__dict__.get("year")


def _years_changed(sender, instance, **kwargs):
    stamps.years_changed({instance.__dict__.get("year"), getattr(instance, "_report_loaded_year", None)})
    instance._report_loaded_year = instance.__dict__.get("year")


def _reference_changed(sender, instance, **kwargs):
    stamps.years_changed({stamps.REFERENCE})


def _score_changed(sender, instance, **kwargs):
    # A score has no year of its own: its assessment's year changes.
    stamps.years_changed({instance.assessment.year})


def _imported(sender, model, **kwargs):
    if model in (TrainingClass, Commendation, AnnualPlan):
        stamps.years_changed({stamps.REFERENCE})


def connect():
    # The planning cycle's rows show in the report of their year too.
    planning = (AnnualPlan, LearningNeedsSurvey, CentreAssessment, UnitReport, ReportingPeriod)
    for model in (TrainingClass, Commendation, YearLock, *planning):
        post_init.connect(_remember_year, sender=model, dispatch_uid=f"reports-init-{model.__name__}")
        post_save.connect(_years_changed, sender=model, dispatch_uid=f"reports-save-{model.__name__}")
        post_delete.connect(_years_changed, sender=model, dispatch_uid=f"reports-delete-{model.__name__}")
    for model in (AdministrativeUnit, Programme, TrainingCentre):
        post_save.connect(_reference_changed, sender=model, dispatch_uid=f"reports-save-{model.__name__}")
        post_delete.connect(_reference_changed, sender=model, dispatch_uid=f"reports-delete-{model.__name__}")
    post_save.connect(_score_changed, sender=CentreAssessmentScore, dispatch_uid="reports-save-score")
    post_delete.connect(_score_changed, sender=CentreAssessmentScore, dispatch_uid="reports-delete-score")
    post_import.connect(_imported, dispatch_uid="reports-import")
