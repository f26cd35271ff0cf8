"""Demo data: the province's published figures at province scale, and a
national-size data set (63 provinces, about 700 units, 50,000 classes a year)
for benchmarks. The `demo_data` command only parses options and calls these.

Markers, so that a reset removes demo rows and nothing else:
- classes and commendations: `is_demo=True` (class codes also start with "MAU-");
- national-scale units and centres: codes starting with "DEMO-" (units) and
  "TTCT-DEMO-" (centres). GSO codes are digits only, so these never collide with
  a real unit; units carry no is_demo flag, the prefix is the marker.

Rows are written with raw multi-row inserts (COPY on PostgreSQL): a million
model instances through save() and simple-history would take hours, and the
demo needs no history. The report cache is told which years changed.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Sum
from django.utils import timezone

from classes import signals
from classes.models import (
    AdministrativeUnit,
    AnnualPlan,
    Commendation,
    LearningNeedsSurvey,
    Programme,
    TrainingCentre,
    TrainingClass,
    UnitReport,
)
from classes.selectors import board_name_on
from classes.selectors.training import in_force_on

CLASS_CODE_PREFIX = "MAU-"
UNIT_CODE_PREFIX = "DEMO-"
CENTRE_CODE_PREFIX = "TTCT-DEMO-"
PROVINCIAL_SCHOOL_CODE = "TCT-HT"

DEFAULT_YEARS = (2019, 2026)
NATIONAL_PROVINCES = 63
NATIONAL_CLASSES_PER_YEAR = 50_000
NATIONAL_YEARS = 20

# Counted classes a year (status dang_hoc or da_ket_thuc, by the year of the start
# date). 2022 and 2023 are the board's published figures (conference of 28/11/2023);
# the others are plausible (2020–2021: COVID-19 closures).
PROVINCE_CLASSES = {2019: 652, 2020: 561, 2021: 604, 2022: 709, 2023: 775, 2024: 812, 2025: 834, 2026: 760}
PROVINCE_LEARNERS = {2023: 129_557}

# The demo's "today": the board is preparing its 2026 report (issue 13). Fixed, so that a seed
# gives the same data whichever day it runs; no class of the demo opens after it.
DEMO_TODAY = datetime.date(2026, 12, 1)
REFORM_DAY = datetime.date(2025, 7, 1)
# After the reform the provincial school runs these programmes with the commune or ward party
# committee (docs/domain.md, believed); the committee runs the others itself.
SCHOOL_PROGRAMMES_AFTER_REFORM = ("NTD", "DVM", "SC", "TC")
# The current year's cycle: about a third of the units have sent, one of them was returned.
SENT_SHARE = 1 / 3
DEMO_NOTE = "Dữ liệu mẫu"
DEMO_COMMUNE_CODE = "18406"  # Xã Can Lộc

# Rough relative size of each district's Party membership: shares of the classes.
UNIT_WEIGHTS = {
    "436": 9,
    "437": 4,
    "439": 10,
    "440": 9,
    "441": 3,
    "442": 8,
    "443": 8,
    "444": 9,
    "445": 11,
    "446": 13,
    "447": 12,
    "448": 7,
    "449": 7,
}


@dataclass(frozen=True)
class Profile:
    share: int  # relative number of classes
    learners: tuple[int, int]  # plausible class size, inclusive
    days: int
    venues: tuple[int, int, int, int]  # weights: centre, grassroots, online, combined


PROFILES = {
    "NTD": Profile(16, (45, 110), 5, (70, 25, 0, 5)),
    "DVM": Profile(13, (40, 100), 5, (70, 25, 0, 5)),
    "SC": Profile(6, (45, 75), 30, (85, 10, 0, 5)),
    "TC": Profile(3, (60, 100), 180, (100, 0, 0, 0)),
    "NV": Profile(17, (70, 220), 3, (55, 30, 5, 10)),
    "CNKT": Profile(18, (90, 300), 2, (45, 30, 15, 10)),
    "NQ": Profile(18, (200, 500), 1, (25, 50, 15, 10)),
    "QPAN": Profile(6, (60, 180), 3, (60, 35, 0, 5)),
    "KHAC": Profile(3, (40, 150), 2, (60, 25, 10, 5)),
}
DEFAULT_PROFILE = Profile(3, (40, 150), 2, (60, 25, 10, 5))
VENUES = [choice for choice, _label in TrainingClass.Venue.choices]
# Fewer classes around Tết (February) and the December year-end.
MONTH_WEIGHTS = (6, 4, 12, 12, 11, 10, 9, 10, 12, 12, 11, 7)
MIN_LEARNERS = 25  # docs/domain.md: a class has at least 25 learners (believed)

CLASS_COLUMNS = (
    "code",
    "name",
    "programme_id",
    "centre_id",
    "unit_id",
    "venue",
    "start_date",
    "end_date",
    "year",
    "status",
    "learners",
    "completed",
    "excellent",
    "good",
    "fair",
    "average",
    "failed",
    "notes",
    "is_demo",
    "version",
    "created_at",
    "updated_at",
)
COMMENDATION_COLUMNS = (
    "year",
    "form",
    "recipient_kind",
    "recipient",
    "unit_id",
    "centre_id",
    "decision_number",
    "decision_date",
    "issuer",
    "achievement",
    "is_demo",
    "version",
    "created_at",
    "updated_at",
)

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
MIDDLE_NAMES = ("Văn", "Thị", "Đình", "Hữu", "Minh", "Thanh", "Quốc", "Xuân", "Ngọc", "Đức")
GIVEN_NAMES = ("Hoa", "Lan", "Hùng", "Dũng", "Hương", "Tuấn", "Hà", "Nam", "Thủy", "Sơn", "Mai", "Bình", "Long", "Hạnh")
POSITIONS = ("Giám đốc", "Phó Giám đốc", "Giảng viên", "Chuyên viên")


class DemoError(Exception):
    """A demo request that cannot be carried out; the message is for the user."""


@dataclass
class DemoSummary:
    scale: str
    years: list[int]
    units: int = 0
    classes: int = 0
    commendations: int = 0
    by_year: dict[int, tuple[int, int]] = field(default_factory=dict)  # year -> counted classes, learners
    users: list[tuple[str, str, str]] = field(default_factory=list)  # username, role, password


@dataclass(frozen=True)
class UnitSlot:
    id: int
    code: str
    name: str
    centre_id: int
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    weight: float
    commune: bool = False


def parse_years(text: str) -> tuple[int, int]:
    """'2019-2024' or '2023' to (first, last)."""
    first, _, last = text.strip().partition("-")
    try:
        years = (int(first), int(last or first))
    except ValueError:
        raise DemoError(f"Khoảng năm không hợp lệ: “{text}”. Ví dụ: 2019-2024.") from None
    if not (1990 <= years[0] <= years[1] <= 2100):
        raise DemoError(f"Khoảng năm không hợp lệ: “{text}”: năm đầu phải không lớn hơn năm cuối, trong 1990–2100.")
    return years


def counted_filter():
    """The report's counting rule: classes running or finished, by year of start."""
    return {"status__in": (TrainingClass.Status.IN_PROGRESS, TrainingClass.Status.FINISHED)}


def real_classes_exist() -> bool:
    return TrainingClass.objects.filter(is_demo=False).exists()


def demo_rows_exist() -> bool:
    return (
        TrainingClass.objects.filter(is_demo=True).exists()
        or AnnualPlan.objects.filter(note=DEMO_NOTE).exists()
        or Commendation.objects.filter(is_demo=True).exists()
        or AdministrativeUnit.objects.filter(code__startswith=UNIT_CODE_PREFIX).exists()
    )


# --- writing -------------------------------------------------------------------------


def _insert_rows(model, columns, rows, batch_size=5_000) -> int:
    """Raw inserts: COPY on PostgreSQL, executemany in batches elsewhere. No signals, no history."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    count = 0
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _raw_delete(model, where: str, params) -> int:
    """A DELETE without per-row signals: the history and report signals would load every row."""
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)} WHERE {where}", params)
        return cursor.rowcount


def demo_reset() -> dict[str, int]:
    """Remove demo classes, commendations, their history, and the national demo units."""
    removed = {}
    with transaction.atomic():
        years = set(TrainingClass.objects.filter(is_demo=True).values_list("year", flat=True).distinct())
        years |= set(Commendation.objects.filter(is_demo=True).values_list("year", flat=True).distinct())
        for model in (TrainingClass, Commendation):
            removed[model._meta.model_name] = _raw_delete(model, "is_demo = %s", [True])
            model.history.model.objects.filter(is_demo=True).delete()
        # Plans and surveys of the demo carry its note; its unit reports were sent by no one.
        for model in (AnnualPlan, LearningNeedsSurvey):
            years |= set(model.objects.filter(note=DEMO_NOTE).values_list("year", flat=True).distinct())
            model.objects.filter(note=DEMO_NOTE).delete()
        UnitReport.objects.filter(year__in=years, submitted_by__isnull=True).delete()
        removed["trainingcentre"] = TrainingCentre.objects.filter(code__startswith=CENTRE_CODE_PREFIX).delete()[0]
        units = AdministrativeUnit.objects.filter(code__startswith=UNIT_CODE_PREFIX)
        removed["administrativeunit"] = units.filter(parent__isnull=False).delete()[0] + units.delete()[0]
        # Raw SQL sends no model signal; the demo's units and centres change every year's names.
        signals.years_changed(years, every_year=True)
    return removed


# --- generation ----------------------------------------------------------------------


def _profile(code: str) -> Profile:
    return PROFILES.get(code, DEFAULT_PROFILE)


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _start_dates(rng: random.Random, year: int, count: int, valid_from, valid_to) -> list[datetime.date]:
    """Dates spread over the months of the year, inside the unit's validity, none after the demo's today."""
    first = max(datetime.date(year, 1, 1), valid_from or datetime.date.min)
    last = min(datetime.date(year, 12, 31), valid_to or datetime.date.max, DEMO_TODAY)
    months = list(range(first.month, last.month + 1))
    weights = [MONTH_WEIGHTS[month - 1] for month in months]
    dates = []
    for month in rng.choices(months, weights, k=count):
        low = first if month == first.month else datetime.date(year, month, 1)
        high = (
            last
            if month == last.month
            else (datetime.date(year + month // 12, month % 12 + 1, 1) - datetime.timedelta(days=1))
        )
        dates.append(low + datetime.timedelta(days=rng.randint(0, (high - low).days)))
    return dates


def _fit_total(rng: random.Random, sizes: list[int], target: int) -> list[int]:
    """Scale the sizes so that they add up to exactly `target`, none below the minimum."""
    if target < MIN_LEARNERS * len(sizes):
        raise DemoError(f"Không thể có {target} học viên cho {len(sizes)} lớp (mỗi lớp ít nhất {MIN_LEARNERS}).")
    factor = target / sum(sizes)
    sizes = [max(MIN_LEARNERS, round(size * factor)) for size in sizes]
    order = list(range(len(sizes)))
    while (gap := target - sum(sizes)) != 0:
        rng.shuffle(order)
        step = 1 if gap > 0 else -1
        for index in order:
            if gap == 0:
                break
            if step > 0 or sizes[index] > MIN_LEARNERS:
                sizes[index] += step
                gap -= step
    return sizes


def _results(rng: random.Random, completed: int) -> tuple[int, int, int, int, int]:
    """Excellent, good, fair, average, failed: adding up to the learners who completed."""
    if completed == 0 or rng.random() < 0.08:  # some classes never send their results
        return (0, 0, 0, 0, 0)
    excellent = int(completed * rng.uniform(0.08, 0.22))
    good = int(completed * rng.uniform(0.35, 0.5))
    average = int(completed * rng.uniform(0.03, 0.1))
    failed = int(completed * rng.uniform(0.0, 0.02))
    return (excellent, good, completed - excellent - good - average - failed, average, failed)


def _year_plan(rng, year, units, counted, cancelled, planned):
    """(unit, status) for every class of the year, units drawn by weight."""
    if year > DEMO_TODAY.year:
        raise DemoError(
            f"Dữ liệu mẫu chỉ có lớp đến ngày {DEMO_TODAY:%d/%m/%Y}: hãy chọn năm không sau {DEMO_TODAY.year}."
        )
    usable = [unit for unit in units if _unit_valid_in(unit, year)]
    if not usable:
        raise DemoError(f"Không có đơn vị nào có hiệu lực trong năm {year}.")
    weights = [unit.weight for unit in usable]
    statuses = (
        [TrainingClass.Status.FINISHED] * counted
        + [TrainingClass.Status.CANCELLED] * cancelled
        + [TrainingClass.Status.PLANNED] * planned
    )
    return list(zip(rng.choices(usable, weights, k=len(statuses)), statuses))


def _unit_valid_in(unit: UnitSlot, year: int) -> bool:
    return (unit.valid_from is None or unit.valid_from.year <= year) and (
        unit.valid_to is None or unit.valid_to.year >= year
    )


def _unit_valid_on(unit: UnitSlot, day: datetime.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= day) and (unit.valid_to is None or day <= unit.valid_to)


def _class_rows(rng, year, plan, programmes, school_id, last_day, now, learners_target=None):
    """The class rows of one year, in CLASS_COLUMNS order. Counted classes ending after
    `last_day` (the end of the generated span) are still running at the year-end report."""
    shares = [_profile(programme.code).share for programme in programmes]
    chosen = rng.choices(programmes, shares, k=len(plan))
    sizes = [rng.randint(*_profile(programme.code).learners) for programme in chosen]
    if learners_target is not None:
        counted = [i for i, (_unit, status) in enumerate(plan) if status == TrainingClass.Status.FINISHED]
        for index, size in zip(counted, _fit_total(rng, [sizes[i] for i in counted], learners_target)):
            sizes[index] = size
    slots = {}
    for unit, _status in plan:
        slots.setdefault(unit.code, [unit, 0])[1] += 1
    # Each unit's classes numbered in the order they open.
    dates = {
        code: iter(sorted(_start_dates(rng, year, count, unit.valid_from, unit.valid_to)))
        for code, (unit, count) in slots.items()
    }
    serial, course = {}, {}
    for (unit, status), programme, learners in zip(plan, chosen, sizes):
        profile = _profile(programme.code)
        start = next(dates[unit.code])
        end = start + datetime.timedelta(days=profile.days - 1)
        completed = 0
        if status == TrainingClass.Status.FINISHED and end > last_day:
            status = TrainingClass.Status.IN_PROGRESS
        elif status == TrainingClass.Status.FINISHED:
            completed = learners - int(learners * rng.uniform(0.0, 0.04))
        elif status == TrainingClass.Status.PLANNED:
            learners = 0
        serial[unit.code] = serial.get(unit.code, 0) + 1
        course[unit.code, programme.code] = course.get((unit.code, programme.code), 0) + 1
        yield (
            f"{CLASS_CODE_PREFIX}{unit.code}-{year}-{serial[unit.code]:04d}",
            f"Lớp {_lower_first(programme.name.removeprefix('Chương trình '))} khóa {course[unit.code, programme.code]} năm {year}",
            programme.id,
            _runner(unit, programme.code, school_id),
            unit.id,
            rng.choices(VENUES, profile.venues)[0],
            start,
            end,
            year,
            status,
            learners,
            completed,
            *_results(rng, completed),
            "",
            True,
            1,
            now,
            now,
        )


def _runner(unit, programme_code, school_id):
    """Who ran the class: the school for trung cấp (and, after the reform, the basic programmes)."""
    by_school = ("TC",) if not unit.commune else SCHOOL_PROGRAMMES_AFTER_REFORM
    return school_id if programme_code in by_school and school_id else unit.centre_id


def _commendation_rows(rng, year, units, centre_names, now):
    """The board's giấy khen (one decision a year) and, some years, the province's bằng khen."""
    decision_date = min(datetime.date(year, 11, rng.randint(20, 30)), DEMO_TODAY)
    usable = [unit for unit in units if _unit_valid_on(unit, decision_date)]
    if not usable:  # the year's units all ended before November: the decision on their last day
        decision_date = max(unit.valid_to for unit in units if _unit_valid_in(unit, year))
        usable = [unit for unit in units if _unit_valid_on(unit, decision_date)]
    achievement = f"Có thành tích xuất sắc trong công tác giáo dục lý luận chính trị năm {year}"
    rows = []

    def row(form, kind, recipient, unit, number, issuer, with_centre):
        centre_id = unit.centre_id if with_centre else None
        return (
            year,
            form,
            kind,
            recipient,
            unit.id,
            centre_id,
            number,
            decision_date,
            issuer,
            achievement,
            True,
            1,
            now,
            now,
        )

    board_name, board_symbol = board_name_on(decision_date)
    board = (f"{rng.randint(90, 420)}-QĐ/{board_symbol}", board_name)
    for unit in rng.sample(usable, min(len(usable), rng.randint(4, 6))):
        rows.append(
            row(
                Commendation.Form.BOARD_CERTIFICATE,
                Commendation.RecipientKind.COLLECTIVE,
                centre_names[unit.centre_id],
                unit,
                *board,
                True,
            )
        )
    for unit in rng.sample(usable, min(len(usable), rng.randint(2, 4))):
        person = f"{rng.choice(FAMILY_NAMES)} {rng.choice(MIDDLE_NAMES)} {rng.choice(GIVEN_NAMES)}"
        rows.append(
            row(
                Commendation.Form.BOARD_CERTIFICATE,
                Commendation.RecipientKind.INDIVIDUAL,
                f"Đồng chí {person}, {rng.choice(POSITIONS)} {centre_names[unit.centre_id]}",
                unit,
                *board,
                False,
            )
        )
    if year % 2 == 1:
        province = (f"{rng.randint(1500, 2900)}-QĐ/TU", "Ban Thường vụ Tỉnh ủy Hà Tĩnh")
        for unit in rng.sample(usable, min(len(usable), 2)):
            rows.append(
                row(
                    Commendation.Form.PROVINCE_CERTIFICATE,
                    Commendation.RecipientKind.COLLECTIVE,
                    centre_names[unit.centre_id],
                    unit,
                    *province,
                    True,
                )
            )
    return rows


def _load(scale, rng, years, units, programmes, school_id, counts, learners_targets, with_commendations):
    """Write every year's classes (and commendations); return the summary."""
    now = timezone.now()
    last_day = datetime.date(years[-1], 12, 31)

    def class_rows():
        for year in years:
            counted, cancelled, planned = counts(year)
            plan = _year_plan(rng, year, units, counted, cancelled, planned)
            yield from _class_rows(rng, year, plan, programmes, school_id, last_day, now, learners_targets.get(year))

    summary = DemoSummary(scale=scale, years=list(years), units=len(units))
    with transaction.atomic():
        summary.classes = _insert_rows(TrainingClass, CLASS_COLUMNS, class_rows())
        if with_commendations:
            centre_names = dict(
                TrainingCentre.objects.filter(id__in=[u.centre_id for u in units]).values_list("id", "name")
            )
            rows = [row for year in years for row in _commendation_rows(rng, year, units, centre_names, now)]
            summary.commendations = _insert_rows(Commendation, COMMENDATION_COLUMNS, rows)
        # Raw SQL sends no model signal; the demo's units and centres change every year's names.
        signals.years_changed(years, every_year=True)
    summary.by_year = counted_totals_by_year(years)
    return summary


def counted_totals_by_year(years) -> dict[int, tuple[int, int]]:
    """Counted classes and learners per year, by the report's rule (one GROUP BY)."""
    rows = (
        TrainingClass.objects.filter(year__in=list(years), **counted_filter())
        .order_by()
        .values("year")
        .annotate(classes=Count("*"), learners=Sum("learners"))
    )
    found = {row["year"]: (row["classes"], row["learners"] or 0) for row in rows}
    return {year: found.get(year, (0, 0)) for year in years}


def _programmes():
    programmes = list(Programme.objects.order_by("sort_order", "code"))
    if not programmes:
        raise DemoError("Chưa có danh mục chương trình: hãy chạy python manage.py migrate trước.")
    return programmes


def _uncounted(rng, counted, year, last_year):
    cancelled = round(counted * rng.uniform(0.01, 0.025))
    planned = round(counted * 0.03) if year == last_year else 0
    return cancelled, planned


def load_province(*, years=DEFAULT_YEARS, seed=2023) -> DemoSummary:
    """The 13 district-level units of Hà Tĩnh with the board's published totals."""
    rng = random.Random(seed)
    span = list(range(years[0], years[1] + 1))
    found = {unit.code: unit for unit in AdministrativeUnit.objects.filter(code__in=UNIT_WEIGHTS)}
    centres = {
        centre.unit_id: centre.id
        for centre in TrainingCentre.objects.filter(
            unit__in=found.values(), kind=TrainingCentre.Kind.DISTRICT_CENTRE
        ).order_by("-code")
    }
    missing = sorted(code for code in UNIT_WEIGHTS if code not in found or found[code].id not in centres)
    if missing:
        raise DemoError(f"Thiếu đơn vị hoặc trung tâm chính trị của các mã: {', '.join(missing)}. Hãy chạy migrate.")
    units = [
        UnitSlot(unit.id, unit.code, unit.name, centres[unit.id], unit.valid_from, unit.valid_to, UNIT_WEIGHTS[code])
        for code, unit in sorted(found.items())
    ]
    if span[-1] >= REFORM_DAY.year:
        units += _commune_slots(found)
    school_id = TrainingCentre.objects.filter(code=PROVINCIAL_SCHOOL_CODE).values_list("id", flat=True).first()

    def counts(year):
        counted = PROVINCE_CLASSES.get(year) or round(640 + 12 * (year - 2019) + rng.randint(-25, 25))
        return (counted, *_uncounted(rng, counted, year, span[-1]))

    programmes = _programmes()
    summary = _load("province", rng, span, units, programmes, school_id, counts, PROVINCE_LEARNERS, True)
    past = [year for year in span if year < DEMO_TODAY.year]
    if past:
        with transaction.atomic():
            _past_reports_save(past)
            signals.years_changed(past)
    if DEMO_TODAY.year in span:
        communes = [unit for unit in units if unit.commune]
        with transaction.atomic():
            _cycle_save(rng, DEMO_TODAY.year, communes)
            _planning_save(rng, DEMO_TODAY.year, communes, programmes, PROVINCE_CLASSES[DEMO_TODAY.year])
            signals.years_changed([DEMO_TODAY.year, DEMO_TODAY.year + 1])
    return summary


def _commune_slots(districts) -> list[UnitSlot]:
    """The 69 communes and wards from 1/7/2025, each its area's share split evenly among them."""
    communes = list(
        AdministrativeUnit.objects.filter(valid_from=REFORM_DAY, compare_under__code__in=UNIT_WEIGHTS).values_list(
            "id", "code", "name", "valid_from", "valid_to", "compare_under__code"
        )
    )
    committees = dict(
        TrainingCentre.objects.filter(
            unit_id__in=[row[0] for row in communes], kind=TrainingCentre.Kind.PARTY_COMMITTEE
        ).values_list("unit_id", "id")
    )
    missing = sorted(code for unit_id, code, *_rest in communes if unit_id not in committees)
    if not communes or missing:
        raise DemoError("Thiếu các xã, phường từ 01/07/2025 hoặc đảng ủy của chúng. Hãy chạy migrate.")
    # Each area's weight: its district's, with the districts compared under it (Lộc Hà under Thạch Hà).
    area_weight = dict(UNIT_WEIGHTS)
    for code, unit in districts.items():
        if unit.compare_under_id and unit.compare_under.code in area_weight:
            area_weight[unit.compare_under.code] += UNIT_WEIGHTS[code]
            area_weight[code] = 0
    per_area = {}
    for *_rest, area in communes:
        per_area[area] = per_area.get(area, 0) + 1
    return [
        UnitSlot(
            unit_id, code, name, committees[unit_id], since, until, area_weight[area] / per_area[area], commune=True
        )
        for unit_id, code, name, since, until, area in sorted(communes, key=lambda row: row[1])
    ]


def _past_reports_save(years) -> None:
    """The years before the demo's: every unit that had to report them sent them and the board
    accepted them (so that their report carries no caveat)."""
    now = timezone.now()
    units = AdministrativeUnit.objects.exclude(kind=AdministrativeUnit.Kind.PROVINCE)
    UnitReport.objects.filter(year__in=years, submitted_by__isnull=True).delete()
    reports = [
        UnitReport(unit_id=unit_id, year=year, status=UnitReport.Status.ACCEPTED, submitted_at=now, reviewed_at=now)
        for year in years
        for unit_id in in_force_on(units, datetime.date(year, 12, 31)).values_list("pk", flat=True)
    ]
    UnitReport.objects.bulk_create(reports, ignore_conflicts=True)


def _cycle_save(rng, year, communes) -> None:
    """The year still being entered: a third of the communes have sent, one was returned."""
    now = timezone.now()
    sent = rng.sample(communes, round(len(communes) * SENT_SHARE))
    statuses = [UnitReport.Status.RETURNED] + [
        rng.choice((UnitReport.Status.SUBMITTED, UnitReport.Status.ACCEPTED)) for _unit in sent[1:]
    ]
    UnitReport.objects.bulk_create(
        UnitReport(
            unit_id=unit.id,
            year=year,
            status=status,
            submitted_at=now,
            reviewed_at=None if status == UnitReport.Status.SUBMITTED else now,
            return_reason=(
                "Thiếu kết quả học tập của các lớp bồi dưỡng nhận thức về Đảng; đề nghị bổ sung."
                if status == UnitReport.Status.RETURNED
                else ""
            ),
        )
        for unit, status in zip(sent, statuses)
    )


def _planning_save(rng, year, communes, programmes, classes_in_year) -> None:
    """Plans and surveys of the year, surveys of the next and the draft plan made from them."""
    total_weight = sum(unit.weight for unit in communes)
    total_share = sum(_profile(programme.code).share for programme in programmes)
    plans, surveys, drafts = [], [], []
    for unit in communes:
        for programme in programmes:
            profile = _profile(programme.code)
            expected = classes_in_year * unit.weight / total_weight * profile.share / total_share
            size = sum(profile.learners) // 2
            planned = max(1, round(expected * rng.uniform(0.9, 1.25)))
            common = {"unit_id": unit.id, "programme_id": programme.id, "note": DEMO_NOTE}
            plans.append(AnnualPlan(year=year, planned_classes=planned, planned_learners=planned * size, **common))
            for survey_year, day in ((year, datetime.date(year - 1, 10, 15)), (year + 1, datetime.date(year, 10, 15))):
                needing = max(MIN_LEARNERS, round(expected * size * rng.uniform(0.9, 1.3)))
                surveys.append(LearningNeedsSurvey(year=survey_year, people_needing=needing, survey_date=day, **common))
                if survey_year == year + 1:
                    drafts.append(
                        AnnualPlan(
                            year=year + 1,
                            planned_classes=-(-needing // size),
                            planned_learners=needing,
                            is_draft=True,
                            **common,
                        )
                    )
    AnnualPlan.objects.bulk_create(plans + drafts, batch_size=1000)
    LearningNeedsSurvey.objects.bulk_create(surveys, batch_size=1000)


def _national_units(rng, provinces: int) -> list[UnitSlot]:
    """63 demo provinces with 8–14 district-level units each, one political centre per unit."""
    AdministrativeUnit.objects.bulk_create(
        AdministrativeUnit(
            code=f"{UNIT_CODE_PREFIX}{p:02d}", name=f"Tỉnh mẫu {p:02d}", kind=AdministrativeUnit.Kind.PROVINCE
        )
        for p in range(1, provinces + 1)
    )
    parents = dict(AdministrativeUnit.objects.filter(code__startswith=UNIT_CODE_PREFIX).values_list("code", "id"))
    districts = []
    for p in range(1, provinces + 1):
        for d in range(1, rng.randint(8, 14) + 1):
            kind, label = (
                (AdministrativeUnit.Kind.CITY, "Thành phố") if d == 1 else (AdministrativeUnit.Kind.DISTRICT, "Huyện")
            )
            districts.append(
                AdministrativeUnit(
                    code=f"{UNIT_CODE_PREFIX}{p:02d}-{d:02d}",
                    name=f"{label} mẫu {p:02d}-{d:02d}",
                    kind=kind,
                    parent_id=parents[f"{UNIT_CODE_PREFIX}{p:02d}"],
                )
            )
    AdministrativeUnit.objects.bulk_create(districts, batch_size=500)
    units = list(
        AdministrativeUnit.objects.filter(code__startswith=UNIT_CODE_PREFIX, parent__isnull=False).order_by("code")
    )
    TrainingCentre.objects.bulk_create(
        [
            TrainingCentre(code=f"TTCT-{unit.code}", name=f"Trung tâm Chính trị {_lower_first(unit.name)}", unit=unit)
            for unit in units
        ],
        batch_size=500,
    )
    centres = dict(TrainingCentre.objects.filter(code__startswith=CENTRE_CODE_PREFIX).values_list("unit_id", "id"))
    return [UnitSlot(u.id, u.code, u.name, centres[u.id], None, None, rng.uniform(0.5, 2.0)) for u in units]


def load_national(
    *, years=None, seed=2023, classes_per_year=NATIONAL_CLASSES_PER_YEAR, provinces=NATIONAL_PROVINCES
) -> DemoSummary:
    """About 700 units under 63 demo provinces, `classes_per_year` classes a year."""
    rng = random.Random(seed)
    years = years or (DEFAULT_YEARS[1] - NATIONAL_YEARS + 1, DEFAULT_YEARS[1])
    span = list(range(years[0], years[1] + 1))
    with transaction.atomic():
        units = _national_units(rng, provinces)

        def counts(year):
            cancelled, planned = _uncounted(rng, classes_per_year, year, span[-1])
            return classes_per_year - cancelled - planned, cancelled, planned

        return _load("national", rng, span, units, _programmes(), None, counts, {}, False)


def is_default_local_database() -> bool:
    """The SQLite file in the project folder: the only place demo passwords are made and printed."""
    from django.conf import settings

    default_sqlite = str(settings.BASE_DIR / "db.sqlite3")
    return connection.vendor == "sqlite" and str(connection.settings_dict["NAME"]) == default_sqlite


def demo_users_save(unit_codes) -> list[tuple[str, str, str]]:
    """One user per role (district staff for each unit), each with a new random password."""
    import secrets

    from classes.services import user_save

    made = []
    wanted = [("demo-tinh", "province", None), ("demo-quantri", "admin", None)]
    wanted += [
        (f"demo-{unit.code}", "district", unit)
        for unit in AdministrativeUnit.objects.filter(code__in=unit_codes).order_by("code")
    ]
    # After the reform: a commune's staff (Xã Can Lộc) and the provincial school's staff.
    wanted += [
        (f"demo-{unit.code}", "district", unit)
        for unit in AdministrativeUnit.objects.filter(code=DEMO_COMMUNE_CODE, valid_from=REFORM_DAY)
    ]
    school = TrainingCentre.objects.filter(code=PROVINCIAL_SCHOOL_CODE).first()
    for username, role, unit in wanted:
        password = secrets.token_urlsafe(9)
        user_save(
            username=username, role=role, unit=unit, password=password, first_name=unit.name if unit else "Dữ liệu mẫu"
        )
        made.append((username, role, password))
    if school is not None:
        password = secrets.token_urlsafe(9)
        user_save(username="demo-truong", role="centre", centre=school, password=password, first_name=school.name)
        made.append(("demo-truong", "centre", password))
    return made
