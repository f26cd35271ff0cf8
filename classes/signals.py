"""What `classes` tells the rest of the project: the figures of some years changed.

`classes` sends `figures_changed` and never asks who listens (`reports` renews its cache
stamps, see reports/signals.py). Every save or delete of a row that belongs to a year sends
the year it is in now and the year it was loaded with; a change to the names every year
shows (units, programmes, centres) sends `every_year`. Code that writes with `bulk_create`,
`QuerySet.update` or raw SQL sends no model signal, so it calls `years_changed()` itself:
the import's confirm (classes/spreadsheets/base.py) and the demo loader do.
"""

from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import Signal

# Arguments: years (a frozenset of int), every_year (bool).
figures_changed = Signal()


def years_changed(years, *, every_year: bool = False, sender=None) -> None:
    figures_changed.send(
        sender=sender,
        years=frozenset(int(year) for year in years if year is not None),
        every_year=every_year,
    )


def row_years(instance) -> set:
    """The years a row's figures count in: where it is now and where it was loaded."""
    return {instance.__dict__.get("year"), getattr(instance, "_figures_loaded_year", None)}


def _remember_year(sender, instance, **kwargs):
    # __dict__, not the attribute: a deferred `year` would cost a query per row.
    instance._figures_loaded_year = instance.__dict__.get("year")


def _row_changed(sender, instance, **kwargs):
    years_changed(row_years(instance), sender=sender)
    instance._figures_loaded_year = instance.__dict__.get("year")


def _names_changed(sender, instance, **kwargs):
    years_changed((), every_year=True, sender=sender)


def _score_changed(sender, instance, **kwargs):
    # A score has no year of its own: its assessment's year changes.
    years_changed({instance.assessment.year}, sender=sender)


def connect():
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

    # The planning cycle's rows show in the report of their year too.
    planning = (AnnualPlan, LearningNeedsSurvey, CentreAssessment, UnitReport, ReportingPeriod)
    for model in (TrainingClass, Commendation, YearLock, *planning):
        post_init.connect(_remember_year, sender=model, dispatch_uid=f"figures-init-{model.__name__}")
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"figures-save-{model.__name__}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"figures-delete-{model.__name__}")
    for model in (AdministrativeUnit, Programme, TrainingCentre):
        post_save.connect(_names_changed, sender=model, dispatch_uid=f"figures-save-{model.__name__}")
        post_delete.connect(_names_changed, sender=model, dispatch_uid=f"figures-delete-{model.__name__}")
    post_save.connect(_score_changed, sender=CentreAssessmentScore, dispatch_uid="figures-save-score")
    post_delete.connect(_score_changed, sender=CentreAssessmentScore, dispatch_uid="figures-delete-score")
