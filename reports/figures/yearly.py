"""The yearly report, read through the scoping selectors of app `classes`.

Every figure is a database aggregate: the four breakdowns (venue, unit, programme,
centre) in one statement covering the year and the previous one with conditional
aggregates, so the number of queries does not grow with the number of units or classes.
Reports and the history are cached under the per-year stamps (reports/stamps.py).
"""

import datetime

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import Count, Max, Sum
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from classes import access
from classes.models import (
    AdministrativeUnit,
    Programme,
    TrainingCentre,
    TrainingClass,
)
from reports import stamps as stamps_module
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


def _history_rows(user, years=None) -> dict[int, tuple[int, int]]:
    classes = opened_classes_visible_to(user)
    if years is not None:
        classes = classes.filter(year__in=years)
    rows = classes.values("year").annotate(classes=Count("*"), learners=Sum("learners", default=0)).order_by()
    return {row["year"]: (row["classes"], row["learners"]) for row in rows}


def yearly_history(*, user, stamps: dict[int, str] | None = None) -> list[dict]:
    """Classes and learners per year, over every year with data.

    Cached per scope as {year: (stamp, classes, learners)}: a view recounts only the years
    whose stamp changed since (none, mostly), not every class of every year. The reference
    stamp is in the key: an import (rows of any year) or a change of units recounts all.
    """
    stamps = current_stamps() if stamps is None else stamps
    reference = _stamps_of(stamps, {stamps_module.REFERENCE})[stamps_module.REFERENCE]
    scope_key = access.report_scope_key(user)
    if scope_key is None:
        raise PermissionDenied(_("Tài khoản chưa được gán vai trò nên không xem được báo cáo."))
    key = f"reports:history:{scope_key}:{reference}"
    cached = cache.get(key)
    if cached is None:
        counted = _history_rows(user)
        _stamps_of(stamps, set(counted))
        stale = {year for year in stamps if year != stamps_module.REFERENCE}
        cached = {}
    else:
        stale = {y for y, token in stamps.items() if y != stamps_module.REFERENCE and cached.get(y, ("",))[0] != token}
        counted = _history_rows(user, stale) if stale else {}
    if stale:
        # Years now without classes stay in the entry (0, 0) so that they are not recounted.
        cached = {**cached, **{y: (stamps[y], *counted.get(y, (0, 0))) for y in stale}}
        cache.set(key, cached, CACHE_SECONDS)
    return [
        {"year": y, "classes": figures[1], "learners": figures[2]}
        for y, figures in sorted(cached.items())
        if figures[1]
    ]


BREAKDOWNS = ("venue", "unit_id", "programme_id", "centre_id")


def _breakdowns(queryset, year: int, previous: int) -> dict[str, dict]:
    """{breakdown: {key: figures}} for the four breakdowns of BREAKDOWNS, in one statement:
    on PostgreSQL GROUPING SETS (one scan of the classes for the four), elsewhere a UNION
    ALL of four GROUP BYs. Every breakdown carries every count, both years side by side
    (conditional aggregates). Grouping by the foreign key's id and fetching the few names
    apart costs far less than a join grouped by text (docs/findings.md)."""
    quote = connection.ops.quote_name
    # The classes as the ORM scopes them (classes.access); order_by() drops the model's ordering.
    inner, inner_params = (
        queryset.values(*BREAKDOWNS, "year", *TrainingClass.COUNT_FIELDS).order_by().query.sql_with_params()
    )
    columns, aggregate_params = [], []
    # Aliases "this_" and "previous_": the report's own year and the one it compares with.
    for prefix, which in (("this_", year), ("previous_", previous)):
        columns.append(f"COUNT(*) FILTER (WHERE c.year = %s) AS {prefix}classes")
        aggregate_params.append(which)
        for field in TrainingClass.COUNT_FIELDS:
            columns.append(f"COALESCE(SUM(c.{quote(field)}) FILTER (WHERE c.year = %s), 0) AS {prefix}{field}")
            aggregate_params.append(which)
    figures = ", ".join(columns)
    keys = ", ".join(f"c.{quote(key)}" for key in BREAKDOWNS)
    if connection.vendor == "postgresql":
        which = " ".join(f"WHEN GROUPING(c.{quote(key)}) = 0 THEN '{key}'" for key in BREAKDOWNS)
        sets = ", ".join(f"(c.{quote(key)})" for key in BREAKDOWNS)
        sql = f"SELECT CASE {which} END, {keys}, {figures} FROM ({inner}) c GROUP BY GROUPING SETS ({sets})"
        params = [*aggregate_params, *inner_params]
    else:
        parts = []
        for key in BREAKDOWNS:
            picked = ", ".join(f"c.{quote(other)}" if other == key else "NULL" for other in BREAKDOWNS)
            parts.append(f"SELECT '{key}', {picked}, {figures} FROM c GROUP BY c.{quote(key)}")
        sql = f"WITH c AS ({inner}) " + " UNION ALL ".join(parts)
        params = [*inner_params, *aggregate_params * len(BREAKDOWNS)]
    names = [
        f"{prefix}{name}" for prefix in ("this_", "previous_") for name in ("classes", *TrainingClass.COUNT_FIELDS)
    ]
    found = {key: {} for key in BREAKDOWNS}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for breakdown, *values in cursor.fetchall():
            key_values, counts = values[: len(BREAKDOWNS)], values[len(BREAKDOWNS) :]
            found[breakdown][key_values[BREAKDOWNS.index(breakdown)]] = dict(zip(names, counts))
    return found


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

    breakdowns = _breakdowns(classes, year, previous)
    # The totals are the sum of the venue breakdown's four rows.
    venue_rows = breakdowns["venue"]
    by_venue = [_entry(value, str(label), venue_rows.get(value)) for value, label in TrainingClass.Venue.choices]
    totals = {
        f"{prefix}{name}": sum(row[f"{prefix}{name}"] for row in venue_rows.values())
        for prefix in ("this_", "previous_")
        for name in ("classes", *TrainingClass.COUNT_FIELDS)
    }
    overall = _entry(scope["code"], scope["name"], totals)

    unit_rows = breakdowns["unit_id"]
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

    programme_rows = breakdowns["programme_id"]
    programmes = Programme.objects.filter(pk__in=list(programme_rows)).order_by("sort_order", "code")
    by_programme = [
        _entry(code, name, programme_rows[pk]) for pk, code, name in programmes.values_list("pk", "code", "name")
    ]

    centre_rows = breakdowns["centre_id"]
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


def current_stamps() -> dict[int, str]:
    """Every year's stamp and the reference stamp, in one query (a row per year with data)."""
    return dict(ReportStamp.objects.values_list("year", "token"))


def _stamps_of(stamps: dict[int, str], years) -> dict[int, str]:
    """The stamps of these years; a year that has none yet gets one first (added to `stamps`),
    so what is cached now misses as soon as a write renews it (writers without signals call
    stamps.years_changed)."""
    missing = [year for year in years if year not in stamps]
    if missing:
        stamps_module.years_changed(missing)
        stamps.update(ReportStamp.objects.filter(year__in=missing).values_list("year", "token"))
    return {year: stamps[year] for year in sorted(years)}


def yearly_report(*, user, year: int, stamps: dict[int, str] | None = None) -> dict:
    """The report of any year, open or locked, from the cache while its stamps stay the same.

    Every write renews the stamp of its year (reports/signals.py), a lock or a reopening
    too. The key holds the stamps of the year, of the previous year (the comparison) and
    of the reference data, so any correction misses the old entry on every server sharing
    the cache (CACHE_URL). A hit costs one query, the stamps (pass `stamps` to share it).
    """
    scope_key = access.report_scope_key(user)
    if scope_key is None:
        raise PermissionDenied(_("Tài khoản chưa được gán vai trò nên không xem được báo cáo."))
    versions = _stamps_of(current_stamps() if stamps is None else stamps, {stamps_module.REFERENCE, year - 1, year})
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
