"""The reporting cycle's state: a year's settings, unit reports, published figures, the completeness board."""

import datetime

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    Max,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from classes.access import (
    NOT_OPENED,
    opened_classes_visible_to,
    units_visible_to,
    user_sees_all_units,
)
from classes.models import (
    AdministrativeUnit,
    ReportingPeriod,
    TrainingClass,
    UnitReport,
)
from classes.selectors.training import _sums_by, _with_total, in_force_on, units_in_effect


def reporting_period_for(year: int) -> ReportingPeriod | None:
    return ReportingPeriod.objects.filter(year=year).first()


PUBLISHED_FIGURES = ("classes", "learners", "completed")


def published_figures_compute(*, user, year: int) -> dict:
    """The year's figures in the user's scope, in the shape frozen at publication."""
    classes = opened_classes_visible_to(user).filter(year=year)
    sums = {"classes": Count("*"), "learners": Sum("learners", default=0), "completed": Sum("completed", default=0)}
    return _with_total(_sums_by(classes, "unit__code", **sums), _sums_by(classes, "programme__code", **sums), sums)


def published_comparison(
    *, user, year: int, period: ReportingPeriod | None = None, current: dict | None = None
) -> dict | None:
    """For a published year: the frozen figures beside today's, for the user's scope only.

    None when the year is not published. District staff get their own unit's line of
    the frozen figures, never the province's. `period` and `current` (today's figures,
    as published_figures_compute gives them) may be passed by a caller that has them.
    """
    period = period if period is not None else reporting_period_for(year)
    if period is None or period.published_at is None:
        return None
    frozen = period.published_figures
    current = current if current is not None else published_figures_compute(user=user, year=year)
    empty = dict.fromkeys(PUBLISHED_FIGURES, 0)
    if user_sees_all_units(user):
        published = frozen["total"]
        codes = sorted(set(frozen["by_unit"]) | set(current["by_unit"]))
    else:
        codes = list(current["by_unit"]) or list(units_visible_to(user).values_list("code", flat=True))
        published = {
            name: sum(frozen["by_unit"].get(code, empty)[name] for code in codes) for name in PUBLISHED_FIGURES
        }

    def line(figures, code):
        return {name: figures["by_unit"].get(code, empty)[name] for name in PUBLISHED_FIGURES}

    changed_units = [
        {"code": code, "published": line(frozen, code), "current": line(current, code)}
        for code in codes
        if line(frozen, code) != line(current, code)
    ]
    current_total = {name: current["total"][name] for name in PUBLISHED_FIGURES}
    return {
        "published_at": period.published_at,
        "published": {name: published[name] for name in PUBLISHED_FIGURES},
        "current": current_total,
        "differs": published != current_total,
        "changed_units": changed_units,
    }


def unit_report_for(*, unit_id: int, year: int) -> UnitReport | None:
    return UnitReport.objects.filter(unit_id=unit_id, year=year).select_related("submitted_by", "reviewed_by").first()


def cycle_status_counts(*, user, year: int) -> dict:
    """How many of the units in scope are in each step of the cycle (UnitReport.NOT_SENT for no report)."""
    status = Subquery(UnitReport.objects.filter(unit=OuterRef("pk"), year=year).values("status")[:1])
    rows = (
        units_in_effect(user, year)
        .annotate(step=Coalesce(status, Value(UnitReport.NOT_SENT)))
        .order_by()
        .values("step")
        .annotate(units=Count("*"))
    )
    return {row["step"]: row["units"] for row in rows}


# Completeness board: not reported first (none or returned), then sent, then accepted.
NOT_REPORTED, AWAITING, ACCEPTED = 0, 1, 2


def completeness_board(*, user, year: int, today: datetime.date):
    """One row per unit that must report the year: classes counted for it, last change,
    cycle step, lateness against the board's deadline. One query, ordered with the units that
    have not reported at the top."""
    deadline = getattr(reporting_period_for(year), "deadline", None)
    report = UnitReport.objects.filter(unit=OuterRef("pk"), year=year)
    # Counted as the report counts them: planned and cancelled classes are not opened.
    year_classes = Q(classes__year=year) & ~Q(classes__status__in=NOT_OPENED)
    units = (
        units_required_to_report(user=user, year=year, today=today)
        .annotate(
            classes_entered=Count("classes", filter=year_classes),
            learners_entered=Sum("classes__learners", filter=year_classes, default=0),
            last_change=Max("classes__updated_at", filter=year_classes),
            report_id=Subquery(report.values("pk")[:1]),
            cycle_status=Subquery(report.values("status")[:1]),
            submitted_at=Subquery(report.values("submitted_at")[:1]),
            reviewed_at=Subquery(report.values("reviewed_at")[:1]),
            return_reason=Subquery(report.values("return_reason")[:1]),
        )
        .annotate(
            step=Case(
                When(cycle_status=UnitReport.Status.ACCEPTED, then=Value(ACCEPTED)),
                When(cycle_status=UnitReport.Status.SUBMITTED, then=Value(AWAITING)),
                default=Value(NOT_REPORTED),
                output_field=IntegerField(),
            ),
        )
    )
    if deadline is None:
        late = Value(False)
    else:
        # Late: nothing sent (or sent back) after the deadline passed, or sent after it.
        late = Case(
            When(step=NOT_REPORTED, then=Value(today > deadline)),
            When(submitted_at__date__gt=deadline, then=Value(True)),
            default=Value(False),
        )
    return units.annotate(is_late=late).order_by("step", "-is_late", "classes_entered", "code")


def units_required_to_report(*, user, year: int, today: datetime.date):
    """The units that must send this year's report, in the user's scope: the board's list in
    the year's settings, or else those in force on 31/12 of the year, or today for the current
    year (a unit that ended during the year hands over to its successors, which report it)."""
    day = min(datetime.date(year, 12, 31), today)
    visible = units_visible_to(user).exclude(kind=AdministrativeUnit.Kind.PROVINCE)
    # The board's own list in the year's settings when it made one; one query either way.
    chosen = ReportingPeriod.required_units.through.objects.filter(reportingperiod__year=year)
    by_default = in_force_on(visible, day).filter(~Exists(chosen))
    return visible.filter(Q(pk__in=chosen.values("administrativeunit_id")) | Q(pk__in=by_default.values("pk")))


# A sent year is one sent or accepted; a returned one is waiting for the unit again.
SENT_STEPS = (UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED)


def reporting_progress(*, user, year: int, today: datetime.date) -> dict:
    """How many of the units that must report the year have sent it: {"sent": n, "required": m}."""
    sent = UnitReport.objects.filter(unit=OuterRef("pk"), year=year, status__in=SENT_STEPS)
    counts = (
        units_required_to_report(user=user, year=year, today=today)
        .annotate(has_sent=Exists(sent))
        .aggregate(required=Count("pk"), sent=Count("pk", filter=Q(has_sent=True)))
    )
    return {"sent": counts["sent"], "required": counts["required"]}


# Sending a year with fewer classes than this share of the year before asks for a note.
FAR_BELOW_SHARE = 0.5


def unit_year_send_check(*, unit_id: int, year: int) -> dict:
    """What a unit would send for the year, in one query: its opened classes and learners this
    year and the year before, and why the sending needs a note ("empty", "far_below" or None)."""
    opened = TrainingClass.objects.filter(unit_id=unit_id, year__in=(year, year - 1)).exclude(status__in=NOT_OPENED)
    # Aliases may not shadow field names, hence "this_" for the year's own learners.
    sums = opened.aggregate(
        classes=Count("pk", filter=Q(year=year)),
        this_learners=Sum("learners", filter=Q(year=year), default=0),
        previous_classes=Count("pk", filter=Q(year=year - 1)),
        previous_learners=Sum("learners", filter=Q(year=year - 1), default=0),
    )
    figures = {**sums, "learners": sums.pop("this_learners")}
    if not figures["classes"]:
        reason = "empty"
    elif figures["classes"] < FAR_BELOW_SHARE * figures["previous_classes"]:
        reason = "far_below"
    else:
        reason = None
    return {**figures, "needs_note": reason}


def unit_year_send_summary(*, unit_id: int, year: int) -> list[dict]:
    """What the unit sends for the year, by programme: opened classes and their learners, in one query."""
    rows = (
        TrainingClass.objects.filter(unit_id=unit_id, year=year)
        .exclude(status__in=NOT_OPENED)
        .order_by("programme__code")
        .values("programme__code", "programme__name")
        .annotate(classes=Count("pk"), learners=Sum("learners", default=0))
    )
    return list(rows)
