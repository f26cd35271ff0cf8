"""The yearly report, read through the scoping selectors of app `classes`.

Every figure is a database aggregate: one GROUP BY per breakdown covering the year
and the previous one with conditional Count/Sum, so the number of queries does not
grow with the number of units or classes.
"""

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from classes import access
from classes.models import (
    AdministrativeUnit,
    Programme,
    TrainingCentre,
    TrainingClass,
)
from reports import stamps
from reports.figures import planning
from reports.models import ReportStamp
from reports.presentation import paragraph as summary
from reports.presentation.formatting import percent_of

# A class counts in the year it opens; cancelled and planned classes were not opened.
NOT_OPENED = access.NOT_OPENED
FIGURES = ("classes", "learners", "completed")
CACHE_SECONDS = 24 * 3600


def opened_classes_visible_to(user):
    # The same rule as the plans' and published figures' (classes.selectors).
    return access.opened_classes_visible_to(user)


def report_scope(user) -> dict | None:
    """Province-wide for the board, the unit for its staff, the centre for its staff (classes.access)."""
    return access.report_scope(user)


def latest_year(*, user) -> int | None:
    return opened_classes_visible_to(user).aggregate(latest=Max("year"))["latest"]


def yearly_history(*, user) -> list[dict]:
    """Classes and learners per year, over every year with data."""
    rows = (
        opened_classes_visible_to(user)
        .values("year")
        .annotate(classes=Count("*"), learners=Sum("learners", default=0))
        .order_by("year")
    )
    return [{"year": row["year"], "classes": row["classes"], "learners": row["learners"]} for row in rows]


def _year_aggregates(year: int, previous: int, fields=("learners", "completed")) -> dict:
    # Count("year"), not Count("id"): `year` is never null and sits in the covering index
    # class_year_unit_cover (Count("*") takes no filter in Django). The status filter still
    # reads the rows; an index also covering status, programme, centre and venue halved
    # the four scans in a trial (README: the yearly report).
    aggregates = {}
    # Aliases may not shadow field names, hence "this_" for the report's own year.
    for prefix, which in (("this_", year), ("previous_", previous)):
        condition = Q(year=which)
        aggregates[f"{prefix}classes"] = Count("year", filter=condition)
        for field in fields:
            aggregates[f"{prefix}{field}"] = Sum(field, filter=condition, default=0)
    return aggregates


def _entry(code: str, name: str, row: dict | None) -> dict:
    row = row or {}
    figures = {figure: row.get(f"this_{figure}", 0) for figure in FIGURES}
    previous = {figure: row.get(f"previous_{figure}", 0) for figure in FIGURES}
    return {
        "code": code,
        "name": name,
        **figures,
        "previous_classes": previous["classes"],
        "previous_learners": previous["learners"],
        "previous_completed": previous["completed"],
        "change_classes": figures["classes"] - previous["classes"],
        "change_learners": figures["learners"] - previous["learners"],
        "classes_pct": percent_of(figures["classes"] - previous["classes"], previous["classes"]),
        "learners_pct": percent_of(figures["learners"] - previous["learners"], previous["learners"]),
    }


def _grouped(queryset, key, year, previous, fields=("learners", "completed")) -> dict:
    """{key value: figures}, one GROUP BY over both years. Grouping by the foreign key's id
    and fetching the few names apart costs far less than a join grouped by text."""
    # order_by() drops the model's default ordering, which would otherwise join the GROUP BY.
    rows = queryset.values(key).annotate(**_year_aggregates(year, previous, fields)).order_by()
    return {row[key]: row for row in rows}


def _unit_table() -> dict[int, dict]:
    """Every unit's code, name, validity and compare-under link (reference data, one query):
    what the areas, the partial years and the takeover are worked out from."""
    rows = AdministrativeUnit.objects.values("pk", "code", "name", "kind", "compare_under_id", "valid_from", "valid_to")
    return {row["pk"]: row for row in rows.order_by()}


def _area_of(pk: int, table: dict[int, dict]) -> int:
    """Up the compare-under chain to a unit that is its own area (a loop typed by hand stops)."""
    seen = {pk}
    while (parent := table[pk]["compare_under_id"]) is not None and parent in table and parent not in seen:
        seen.add(parent)
        pk = parent
    return pk


def _year_bounds(year: int) -> tuple[datetime.date, datetime.date]:
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def _covers_year(units: list[dict], year: int) -> bool:
    """Whether these units' validities together cover every day of the year."""
    first, last = _year_bounds(year)
    # Clipped to the year: an open end is the year's own end.
    spans = sorted((max(unit["valid_from"] or first, first), min(unit["valid_to"] or last, last)) for unit in units)
    reached = first - datetime.timedelta(days=1)
    for start, end in spans:
        if start > reached + datetime.timedelta(days=1):
            break
        reached = max(reached, end)
    return reached >= last


def _by_area(unit_rows: dict, listed_ids, table: dict[int, dict], visible_ids, year: int, previous: int) -> list:
    """Each unit's figures summed under its area; an area is partial when the units in scope
    compared under it did not cover the whole previous year between them."""
    members: dict[int, list[dict]] = {}
    for pk, unit in table.items():
        if visible_ids is None or pk in visible_ids:
            members.setdefault(_area_of(pk, table), []).append(unit)
    sums: dict[int, dict] = {}
    for pk in {*listed_ids, *unit_rows}:
        area = sums.setdefault(_area_of(pk, table), {})
        for name, value in unit_rows.get(pk, {}).items():
            if name != "unit_id":
                area[name] = area.get(name, 0) + value
    entries = []
    for pk in sorted(sums, key=lambda pk: table[pk]["code"]):
        entry = _entry(table[pk]["code"], table[pk]["name"], sums[pk])
        entry["previous_partial"] = not _covers_year(members.get(pk, []), previous)
        entries.append(entry)
    return entries


def _takeover(table: dict[int, dict], year: int) -> dict | None:
    """The day within the year on which most units began while others ended the day before
    (1/7/2025: 69 communes and wards after 12 districts); None in a year without one."""
    first, last = _year_bounds(year)
    starts: dict[datetime.date, list[dict]] = {}
    for unit in table.values():
        if unit["valid_from"] and first < unit["valid_from"] <= last:
            starts.setdefault(unit["valid_from"], []).append(unit)
    for day, started in sorted(starts.items(), key=lambda item: (-len(item[1]), item[0])):
        ended = [unit for unit in table.values() if unit["valid_to"] == day - datetime.timedelta(days=1)]
        if ended:
            labels = dict(AdministrativeUnit.Kind.choices)
            kinds = {}
            for unit in started:
                kinds[unit["kind"]] = kinds.get(unit["kind"], 0) + 1
            return {
                "date": day.isoformat(),
                "units": len(started),
                "kinds": [
                    {"kind": kind, "name": str(labels.get(kind, kind)).lower(), "units": count}
                    for kind, count in sorted(kinds.items(), key=lambda item: -item[1])
                ],
                "ended": len(ended),
            }
        break
    return None


def _units_listed(table: dict[int, dict], visible_ids, scope: dict, year: int, unit_ids_with_data) -> list[dict]:
    """Every unit in force during the year (2025: the 12 districts and the 69 communes and
    wards), plus any unit with data; a district user's own unit always. From the unit table:
    no query of its own."""
    first, last = _year_bounds(year)
    with_data = set(unit_ids_with_data)

    def listed(pk, unit):
        if scope["level"] == "centre":
            return pk in with_data  # a centre's classes may be of any unit
        if unit["kind"] == AdministrativeUnit.Kind.PROVINCE or (visible_ids is not None and pk not in visible_ids):
            return False
        in_force = (unit["valid_from"] or first) <= last and (unit["valid_to"] or last) >= first
        return scope["level"] != "province" or in_force or pk in with_data

    return sorted((unit for pk, unit in table.items() if listed(pk, unit)), key=lambda unit: unit["code"])


def build_yearly_report(*, user, year: int) -> dict:
    """The report as the JSON contract (docs/contracts.md) plus completion, results and centres."""
    scope = report_scope(user)
    previous = year - 1
    classes = opened_classes_visible_to(user).filter(year__in=(year, previous))

    # The venue breakdown carries every count: the totals are the sum of its four rows.
    venue_rows = _grouped(classes, "venue", year, previous, fields=TrainingClass.COUNT_FIELDS)
    by_venue = [_entry(value, str(label), venue_rows.get(value)) for value, label in TrainingClass.Venue.choices]
    totals = {
        f"{prefix}{name}": sum(row[f"{prefix}{name}"] for row in venue_rows.values())
        for prefix in ("this_", "previous_")
        for name in ("classes", *TrainingClass.COUNT_FIELDS)
    }
    overall = _entry(scope["code"], scope["name"], totals)

    unit_rows = _grouped(classes, "unit_id", year, previous)
    table = _unit_table()
    visible_ids = access.visible_unit_ids(user)
    listed = _units_listed(table, visible_ids, scope, year, list(unit_rows))
    by_unit = []
    for unit in listed:
        entry = _entry(unit["code"], unit["name"], unit_rows.get(unit["pk"]))
        # Not in force all of the previous year: its change says little (a commune in 2026).
        entry["previous_partial"] = not _covers_year([unit], previous)
        by_unit.append(entry)
    by_area = _by_area(unit_rows, [unit["pk"] for unit in listed], table, visible_ids, year, previous)

    programme_rows = _grouped(classes, "programme_id", year, previous)
    programmes = Programme.objects.filter(pk__in=list(programme_rows)).order_by("sort_order", "code")
    by_programme = [
        _entry(code, name, programme_rows[pk]) for pk, code, name in programmes.values_list("pk", "code", "name")
    ]

    centre_rows = _grouped(classes, "centre_id", year, previous)
    centres = TrainingCentre.objects.filter(pk__in=list(centre_rows)).order_by("code")
    by_centre = [_entry(code, name, centre_rows[pk]) for pk, code, name in centres.values_list("pk", "code", "name")]

    results = []
    for field in TrainingClass.RESULT_FIELDS:
        label = str(TrainingClass._meta.get_field(field).verbose_name)
        count, previous_count = totals[f"this_{field}"], totals[f"previous_{field}"]
        results.append(
            {
                "code": field,
                "name": label[:1].upper() + label[1:],
                "count": count,
                "share": percent_of(count, totals["this_completed"]),
                "previous_count": previous_count,
                "previous_share": percent_of(previous_count, totals["previous_completed"]),
                "change": count - previous_count,
            }
        )

    commendations = [
        {
            "form": str(item.get_form_display()),
            "recipient_kind": str(item.get_recipient_kind_display()),
            "recipient": item.recipient,
            "decision_number": item.decision_number,
            "decision_date": item.decision_date.isoformat(),
            "issuer": item.issuer,
        }
        for item in access.commendations_visible_to(user).filter(year=year).order_by("decision_date", "recipient")
    ]

    report = {
        "year": year,
        "previous_year": previous,
        "scope": scope,
        "totals": {name: overall[name] for name in FIGURES},
        "previous_totals": {name: overall[f"previous_{name}"] for name in FIGURES},
        "change": {
            "classes": overall["change_classes"],
            "learners": overall["change_learners"],
            "classes_pct": overall["classes_pct"],
            "learners_pct": overall["learners_pct"],
        },
        "completion": {
            "rate": percent_of(overall["completed"], overall["learners"]),
            "previous_rate": percent_of(overall["previous_completed"], overall["previous_learners"]),
        },
        "results": results,
        "by_unit": by_unit,
        "by_area": by_area,
        "by_programme": by_programme,
        "by_venue": by_venue,
        "by_centre": by_centre,
        "commendations": commendations,
        "takeover": _takeover(table, year) if scope["level"] == "province" else None,
    }
    # Plan against actual, needs, standards, the cycle and the published figures.
    planning.attach(report, user=user, empty_entry=lambda code, name: _entry(code, name, None))
    report["summary_text"] = " ".join(filter(None, [summary.summary_text(report), planning.summary_sentences(report)]))
    return report


def locked_year_stamps(user, year: int) -> dict[int, str] | None:
    """In one query: None unless the year is locked for this user's scope, else the stamps
    of the year, the previous year and the reference data.

    The lock rule is classes.access.scope_year_locked's: a province-wide lock, or for a
    unit's staff also their own unit's. Every lock's save bumps its year's stamp (signals), so
    a locked year always has a stamp row to carry the flag; a lock written without
    signals only means that year is computed afresh, never served stale.
    """
    wanted = {stamps.REFERENCE, year, year - 1}
    rows = list(
        ReportStamp.objects.filter(year__in=wanted)
        .annotate(locked=access.scope_year_locked(user, year))
        .values_list("year", "token", "locked")
    )
    if not any(locked for _year, _token, locked in rows):
        return None
    found = {row_year: token for row_year, token, _locked in rows}
    return {each: found.get(each, "") for each in sorted(wanted)}


def yearly_report(*, user, year: int) -> dict:
    """The report; a locked year's comes from the cache while its stamps stay the same.

    The key holds the stamps of the year, of the previous year (the comparison) and
    of the reference data, so any correction, lock or reopening misses the old entry.
    A cache hit costs that one query (the unit's name is read only to build a report).
    """
    scope_key = access.report_scope_key(user)
    if scope_key is None:
        raise PermissionDenied(_("Tài khoản chưa được gán vai trò nên không xem được báo cáo."))
    versions = locked_year_stamps(user, year)
    if versions is None:
        return build_yearly_report(user=user, year=year)
    key = "reports:yearly:{year}:{scope}:{lang}:{versions}".format(
        year=year,
        scope=scope_key,
        lang=get_language(),
        versions="-".join(f"{y}.{token}" for y, token in versions.items()),
    )
    report = cache.get(key)
    if report is None:
        report = build_yearly_report(user=user, year=year)
        cache.set(key, report, CACHE_SECONDS)
    return report
