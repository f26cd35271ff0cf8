"""Reads of the domain, by concept. Who may see and write what is decided in `classes.access`."""

from classes.selectors.board import board_name_on
from classes.selectors.cycle import (
    ACCEPTED,
    AWAITING,
    NOT_REPORTED,
    PUBLISHED_FIGURES,
    completeness_board,
    cycle_status_counts,
    published_comparison,
    published_figures_compute,
    reporting_period_for,
    unit_report_for,
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
    "NOT_REPORTED",
    "board_name_on",
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
    "unit_report_for",
    "units_in_effect",
]
