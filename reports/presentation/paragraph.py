"""The report's paragraph, written from the figures in the board's own style:
"Năm 2020, toàn tỉnh mở được 274 lớp với 23.450 học viên, tăng 12 lớp (4,6%) so với năm 2019; …"."""

import datetime

from django.utils.translation import gettext as _

from reports.presentation.formatting import day, number, percent


def _with_pct(text: str, pct) -> str:
    return f"{text} ({percent(abs(pct))})" if pct is not None else text


def _change_of_classes(change: int, pct, previous_year: int) -> str:
    if change > 0:
        amount = _with_pct(_("tăng %(n)s lớp") % {"n": number(change)}, pct)
    elif change < 0:
        amount = _with_pct(_("giảm %(n)s lớp") % {"n": number(-change)}, pct)
    else:
        return _("số lớp bằng năm %(year)s") % {"year": previous_year}
    return _("%(amount)s so với năm %(year)s") % {"amount": amount, "year": previous_year}


def _change_of_learners(change: int, pct, previous_year: int) -> str:
    if change > 0:
        return _with_pct(_("số học viên tăng %(n)s") % {"n": number(change)}, pct)
    if change < 0:
        return _with_pct(_("số học viên giảm %(n)s") % {"n": number(-change)}, pct)
    return _("số học viên bằng năm %(year)s") % {"year": previous_year}


MAX_TIED = 3  # more names than this tied for first say nothing useful


def _names(entries: list[dict]) -> str:
    names = [entry["name"] for entry in entries]
    return (
        names[0]
        if len(names) == 1
        else _("%(names)s và %(last)s") % {"names": ", ".join(names[:-1]), "last": names[-1]}
    )


def _movers(entries: list[dict], label: str) -> str:
    """The entries that grew most and those that shrank most, by classes (ties named together)."""
    parts = []
    changes = [entry["change_classes"] for entry in entries]
    most, least = max(changes, default=0), min(changes, default=0)
    if most > 0:
        top = [entry for entry in entries if entry["change_classes"] == most]
        if len(top) <= MAX_TIED:
            parts.append(_("tăng nhiều nhất là %(names)s (tăng %(n)s lớp)") % {"names": _names(top), "n": number(most)})
    if least < 0:
        bottom = [entry for entry in entries if entry["change_classes"] == least]
        if len(bottom) <= MAX_TIED:
            parts.append(
                _("giảm nhiều nhất là %(names)s (giảm %(n)s lớp)") % {"names": _names(bottom), "n": number(-least)}
            )
    if not parts:
        return ""
    return _("%(label)s %(parts)s.") % {"label": label, "parts": ", ".join(parts)}


def _takeover(report: dict) -> str:
    """The units that took over during the year (the communes and wards on 1/7/2025), and that the
    year's figures add up both periods."""
    takeover = report.get("takeover")
    if not takeover:
        return ""
    started = datetime.date.fromisoformat(takeover["date"])
    kinds = [_("%(n)s %(kind)s") % {"n": number(kind["units"]), "kind": kind["name"]} for kind in takeover["kinds"]]
    return _(
        "Từ ngày %(day)s, %(units)s tiếp nhận địa bàn của %(ended)s đơn vị hết hiệu lực ngày %(last)s; "
        "số liệu năm %(year)s cộng cả hai giai đoạn."
    ) % {
        "day": day(takeover["date"]),
        "units": kinds[0]
        if len(kinds) == 1
        else _("%(names)s và %(last)s") % {"names": ", ".join(kinds[:-1]), "last": kinds[-1]},
        "ended": number(takeover["ended"]),
        "last": day(started - datetime.timedelta(days=1)),
        "year": report["year"],
    }


def _unit_movers(report: dict) -> str:
    """The biggest movers among units, or among areas when the units changed between the two
    years (a unit not in force all of the previous year is never named)."""
    if any(entry.get("previous_partial") for entry in report["by_unit"]):
        entries, label = report.get("by_area", []), _("Theo địa bàn,")
    else:
        entries, label = report["by_unit"], _("Trong các đơn vị,")
    return _movers([entry for entry in entries if not entry.get("previous_partial")], label)


def summary_text(report: dict) -> str:
    year, previous_year = report["year"], report["previous_year"]
    totals, previous, change = report["totals"], report["previous_totals"], report["change"]
    subject = _("toàn tỉnh") if report["scope"]["level"] == "province" else report["scope"]["name"]

    if not totals["classes"]:
        text = _("Năm %(year)s, %(subject)s chưa có lớp nào được mở") % {"year": year, "subject": subject}
        if previous["classes"]:
            text += _(" (năm %(year)s mở được %(n)s lớp với %(learners)s học viên)") % {
                "year": previous_year,
                "n": number(previous["classes"]),
                "learners": number(previous["learners"]),
            }
        return text + "."

    clauses = [
        _("Năm %(year)s, %(subject)s mở được %(classes)s lớp với %(learners)s học viên")
        % {
            "year": year,
            "subject": subject,
            "classes": number(totals["classes"]),
            "learners": number(totals["learners"]),
        }
    ]
    if previous["classes"]:
        clauses[0] += ", " + _change_of_classes(change["classes"], change["classes_pct"], previous_year)
        clauses.append(_change_of_learners(change["learners"], change["learners_pct"], previous_year))
    else:
        clauses[0] += " " + _("(năm %(year)s chưa có số liệu để so sánh)") % {"year": previous_year}
    if totals["learners"]:
        clauses.append(
            _("%(n)s học viên hoàn thành chương trình (đạt %(rate)s)")
            % {
                "n": number(totals["completed"]),
                "rate": percent(report["completion"]["rate"]),
            }
        )
    graded = [result for result in report["results"] if result["count"]]
    if graded:
        clauses.append(
            _("kết quả: %(results)s")
            % {
                "results": ", ".join(
                    f"{result['name'].lower()} {number(result['count'])} ({percent(result['share'])})"
                    for result in report["results"]
                )
            }
        )
    text = " ".join(filter(None, ["; ".join(clauses) + ".", _takeover(report)]))

    if previous["classes"]:
        movers = []
        if report["scope"]["level"] == "province":
            movers.append(_unit_movers(report))
        movers.append(_movers(report["by_programme"], _("Trong các chương trình,")))
        text = " ".join([text, *filter(None, movers)])
    return text
