"""The planning cycle's part of the yearly report: plan against actual, needs
covered, centres meeting the standard, the reporting cycle, and the published
figures beside today's. Every figure comes from classes.selectors (scoped, one
aggregate query each); this only shapes them into the report."""

from django.utils import timezone
from django.utils.translation import gettext as _

from classes import access
from classes import selectors as scoping
from classes.models import Programme, UnitReport
from reports.presentation.formatting import number, percent, percent_of

NOT_SENT = UnitReport.NOT_SENT


def plan_entry(planned: dict | None, actual: dict) -> dict:
    """docs/contracts.md: planned figures and actual as a % of plan, None where nothing was planned."""
    planned = planned or {}
    classes, learners = planned.get("classes", 0), planned.get("learners", 0)
    return {
        "classes": classes,
        "learners": learners,
        "classes_pct": percent_of(actual["classes"], classes),
        "learners_pct": percent_of(actual["learners"], learners),
    }


def needs_entry(needed: dict | None, actual: dict) -> dict:
    people = (needed or {}).get("people_needing", 0)
    return {
        "people_needing": people,
        "learners": actual["learners"],
        "coverage_pct": percent_of(actual["learners"], people),
    }


def _add_planned_programmes(report: dict, planned_codes, empty_entry) -> None:
    """A programme planned but never opened still shows, at 0% of its plan."""
    listed = {entry["code"] for entry in report["by_programme"]}
    missing = set(planned_codes) - listed
    if not missing:
        return
    for code, name in Programme.objects.filter(code__in=missing).values_list("code", "name"):
        report["by_programme"].append(empty_entry(code, name))
    order = dict(Programme.objects.values_list("code", "sort_order"))
    report["by_programme"].sort(key=lambda entry: (order.get(entry["code"], 0), entry["code"]))


def _standards(user, year: int, period) -> dict:
    passing = list(
        scoping.centres_meeting_standard(user=user, years=(year, year - 1)).values(
            "year", "centre__code", "centre__name", "total_score"
        )
    )
    current = [row for row in passing if row["year"] == year]
    previous_count = len(passing) - len(current)
    threshold = getattr(period, "pass_threshold", None)
    return {
        "threshold": float(threshold) if threshold is not None else None,
        "centres": [
            {"code": row["centre__code"], "name": row["centre__name"], "total_score": float(row["total_score"])}
            for row in current
        ],
        "count": len(current),
        "previous_count": previous_count,
        "change": len(current) - previous_count,
    }


def _when(value) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _cycle(user, scope: dict, year: int, period) -> dict:
    deadline = getattr(period, "deadline", None)
    labels = {NOT_SENT: _("Chưa gửi"), **dict(UnitReport.Status.choices)}
    cycle = {"deadline": deadline.isoformat() if deadline else None}
    if scope["level"] == "province":
        counts = scoping.cycle_status_counts(user=user, year=year)
        cycle["units"] = [
            {"status": status, "label": str(label), "count": counts.get(status, 0)} for status, label in labels.items()
        ]
        return cycle
    report = scoping.unit_report_for(unit_id=user.unit_id, year=year)
    status = report.status if report else NOT_SENT
    cycle.update(
        {
            "status": status,
            "label": str(labels[status]),
            "submitted_at": _when(report.submitted_at) if report else None,
            "reviewed_at": _when(report.reviewed_at) if report else None,
            "return_reason": report.return_reason if report else "",
        }
    )
    return cycle


def _published(report: dict, user, period) -> dict | None:
    if period is None or period.published_at is None:
        return None
    # Today's figures are the report's own: no second count.
    names = scoping.PUBLISHED_FIGURES
    current = {
        "total": {name: report["totals"][name] for name in names},
        "by_unit": {
            entry["code"]: {name: entry[name] for name in names} for entry in report["by_unit"] if entry["classes"]
        },
    }
    comparison = scoping.published_comparison(user=user, year=report["year"], period=period, current=current)
    return {**comparison, "published_at": _when(comparison["published_at"])}


def attach(report: dict, *, user, empty_entry) -> None:
    """Add the keys "plan", "needs", "standards", "cycle" and "published" to the report,
    and "plan" and "needs" to every by_unit and by_programme entry."""
    year = report["year"]
    period = scoping.reporting_period_for(year)
    plans = scoping.plan_figures(user=user, year=year)
    needs = scoping.needs_figures(user=user, year=year)
    _add_planned_programmes(report, [*plans["by_programme"], *needs["by_programme"]], empty_entry)
    report["plan"] = plan_entry(plans["total"], report["totals"])
    report["needs"] = needs_entry(needs["total"], report["totals"])
    for key, entries in (("by_unit", report["by_unit"]), ("by_programme", report["by_programme"])):
        for entry in entries:
            entry["plan"] = plan_entry(plans[key].get(entry["code"]), entry)
            entry["needs"] = needs_entry(needs[key].get(entry["code"]), entry)
    report["standards"] = _standards(user, year, period)
    report["cycle"] = _cycle(user, report["scope"], year, period)
    report["published"] = _published(report, user, period)
    report["caveat"] = _caveat(user, report["scope"], year, period)


def _caveat(user, scope: dict, year: int, period) -> dict | None:
    """{"sent", "required", "missing"} while units that must report the year have not all sent
    it; None once all have, or the board has published or locked the whole year."""
    if scope["level"] != "province" or (period is not None and period.published_at is not None):
        return None
    if access.year_lock_for(unit_id=None, year=year) is not None:
        return None
    progress = scoping.reporting_progress(user=user, year=year, today=timezone.localdate())
    if progress["sent"] >= progress["required"]:
        return None
    return {**progress, "missing": progress["required"] - progress["sent"]}


def caveat_sentence(report: dict) -> str:
    caveat = report.get("caveat")
    if not caveat:
        return ""
    return _("Số liệu của %(sent)s/%(required)s đơn vị đã gửi; %(missing)s đơn vị chưa gửi báo cáo.") % {
        "sent": number(caveat["sent"]),
        "required": number(caveat["required"]),
        "missing": number(caveat["missing"]),
    }


def summary_sentences(report: dict) -> str:
    """The paragraph's sentences on plan completion, needs, standards and publication."""
    sentences = []
    plan, needs, standards = report.get("plan"), report.get("needs"), report.get("standards")
    if plan and (plan["classes"] or plan["learners"]):
        parts = []
        if plan["classes"]:
            parts.append(
                _("số lớp đạt %(pct)s kế hoạch (%(n)s lớp)")
                % {"pct": percent(plan["classes_pct"]), "n": number(plan["classes"])}
            )
        if plan["learners"]:
            parts.append(
                _("số học viên đạt %(pct)s kế hoạch (%(n)s học viên)")
                % {
                    "pct": percent(plan["learners_pct"]),
                    "n": number(plan["learners"]),
                }
            )
        sentences.append(_("So với kế hoạch năm, %(parts)s.") % {"parts": ", ".join(parts)})
    if needs and needs["people_needing"]:
        sentences.append(
            _("Số học viên đáp ứng %(pct)s nhu cầu học tập đã khảo sát (%(n)s người).")
            % {
                "pct": percent(needs["coverage_pct"]),
                "n": number(needs["people_needing"]),
            }
        )
    if standards and (standards["count"] or standards["previous_count"]):
        change = standards["change"]
        if change > 0:
            compared = _("tăng %(n)s so với năm %(year)s") % {"n": number(change), "year": report["previous_year"]}
        elif change < 0:
            compared = _("giảm %(n)s so với năm %(year)s") % {"n": number(-change), "year": report["previous_year"]}
        else:
            compared = _("bằng năm %(year)s") % {"year": report["previous_year"]}
        sentences.append(
            _("Có %(n)s trung tâm chính trị đạt chuẩn, %(compared)s.")
            % {"n": number(standards["count"]), "compared": compared}
        )
    if caveat := caveat_sentence(report):
        sentences.append(caveat)
    published = report.get("published")
    if published and published["differs"]:
        sentences.append(
            _(
                "Số liệu hiện nay khác với số liệu đã công bố (đã công bố: %(p_classes)s lớp, %(p_learners)s học viên; "
                "hiện nay: %(c_classes)s lớp, %(c_learners)s học viên)."
            )
            % {
                "p_classes": number(published["published"]["classes"]),
                "p_learners": number(published["published"]["learners"]),
                "c_classes": number(published["current"]["classes"]),
                "c_learners": number(published["current"]["learners"]),
            }
        )
    return " ".join(sentences)
