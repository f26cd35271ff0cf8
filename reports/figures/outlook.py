"""The next year as far as it is known: its plan and its learning-needs surveys, for the
report's part III (phương hướng, nhiệm vụ). Scoped like every figure (classes.selectors)."""

from classes import selectors as scoping
from classes.models import Programme


def next_year_outlook(*, user, year: int) -> dict:
    """Planned classes and learners and surveyed need for year + 1: total and by programme
    (programmes planned or needed, in the programmes' order). Three queries."""
    coming = year + 1
    plans = scoping.plan_figures(user=user, year=coming)
    needs = scoping.needs_figures(user=user, year=coming)
    codes = set(plans["by_programme"]) | set(needs["by_programme"])
    programmes = Programme.objects.filter(code__in=codes).order_by("sort_order", "code").values_list("code", "name")
    return {
        "year": coming,
        "plan": plans["total"],
        "needs": needs["total"],
        "by_programme": [
            {
                "code": code,
                "name": name,
                "classes": plans["by_programme"].get(code, {}).get("classes", 0),
                "learners": plans["by_programme"].get(code, {}).get("learners", 0),
                "people_needing": needs["by_programme"].get(code, {}).get("people_needing", 0),
            }
            for code, name in programmes
        ],
    }
