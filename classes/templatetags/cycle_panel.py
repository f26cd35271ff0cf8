"""The unit's start page panel: send the current year with one button."""

from django import template
from django.utils import timezone

from classes import access, selectors, services
from classes.models import UnitReport

register = template.Library()


@register.inclusion_tag("admin/classes/send_year_panel.html", takes_context=True)
def send_year_panel(context):
    user = context["request"].user
    if not access.user_is_district(user):
        return {"show": False}
    today = timezone.localdate()
    year = today.year
    if not selectors.units_required_to_report(user=user, year=year, today=today).exists():
        return {"show": False}  # a former unit: its successors report the year
    report = selectors.unit_report_for(unit_id=user.unit_id, year=year)
    check = selectors.unit_year_send_check(unit_id=user.unit_id, year=year)
    sendable = report is None or report.status == UnitReport.Status.RETURNED
    refusal = access.write_refusal(user, user.unit_id, year) if sendable else None
    return {
        "show": True,
        "year": str(year),
        "unit": user.unit,
        "report": report,
        "sendable": sendable and not refusal,
        "refusal": refusal,
        "rows": selectors.unit_year_send_summary(unit_id=user.unit_id, year=year),
        "check": check,
        "note_question": services.send_note_question(check, year=year) if check["needs_note"] else "",
        "csrf_token": context.get("csrf_token"),
    }
