"""Reads of the domain, by concept. Who may see and write what is decided in `classes.access`."""

from classes.selectors.cycle import (
    ACCEPTED,
    AWAITING,
    FAR_BELOW_SHARE,
    NOT_REPORTED,
    PUBLISHED_FIGURES,
    completeness_board,
    cycle_status_counts,
    published_comparison,
    published_figures_compute,
    reporting_period_for,
    reporting_progress,
    unit_report_for,
    unit_year_send_check,
    units_required_to_report,
)
from classes.selectors.planning import (
    assessment_totals,
    centres_meeting_standard,
    needs_figures,
    plan_draft_figures,
    plan_figures,
)
from classes.selectors.training import (
    OWN_CENTRE_KINDS,
    default_centre_for,
    district_centre_for,
    in_force_on,
    units_in_effect,
)

__all__ = [
    "ACCEPTED",
    "AWAITING",
    "FAR_BELOW_SHARE",
    "NOT_REPORTED",
    "OWN_CENTRE_KINDS",
    "PUBLISHED_FIGURES",
    "assessment_totals",
    "centres_meeting_standard",
    "completeness_board",
    "cycle_status_counts",
    "default_centre_for",
    "district_centre_for",
    "in_force_on",
    "needs_figures",
    "plan_draft_figures",
    "plan_figures",
    "published_comparison",
    "published_figures_compute",
    "reporting_period_for",
    "reporting_progress",
    "unit_report_for",
    "unit_year_send_check",
    "units_required_to_report",
    "units_in_effect",
]
