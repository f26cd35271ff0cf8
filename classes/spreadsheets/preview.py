"""What the import preview shows for each class row, and the warnings a file's values raise.

Warnings do not block the confirm (errors do): they point at rows a person should look at,
such as dates an English-language office program may have turned month-first.
"""

from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _


# The project's format modules (hatinh_training/formats): 03/01/2024 and 1.500 in Vietnamese,
# the locale's own forms in English; classes never imports the report's formatting.
def _day(value) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _number(value) -> str:
    return number_format(value, force_grouping=True)


def row_values(line, instance) -> dict:
    """One row as the preview lists it (text already formatted) and the raw values the warnings read."""
    completed = instance.completed or 0
    results = instance.results_total
    return {
        "line": line,
        "code": instance.code,
        "name": instance.name,
        "unit": getattr(instance.unit, "name", "") if instance.unit_id else "",
        "programme": getattr(instance.programme, "name", "") if instance.programme_id else "",
        "start": _day(instance.start_date) if instance.start_date else "–",
        "end": _day(instance.end_date) if instance.end_date else "–",
        "learners": _number(instance.learners),
        "completed": _number(completed),
        "results": _number(results),
        "start_date": instance.start_date,
        "end_date": instance.end_date,
        "completed_count": completed,
        "results_count": results,
    }


def _lines(rows) -> str:
    return ", ".join(str(row["line"]) for row in rows)


def file_warnings(rows, today=None) -> list[str]:
    """Vietnamese warnings naming the rows: dates that look day/month-swapped, start dates
    after today, results that do not add up to the completed count."""
    today = today or timezone.localdate()
    warnings = []
    dated = [(row, day) for row in rows for day in (row["start_date"], row["end_date"]) if day is not None]
    months = {row["start_date"].month for row in rows if row["start_date"] is not None}
    if dated and all(day.day <= 12 for _row, day in dated) and len(months) > 1:
        row, day = dated[0]
        warnings.append(
            _(
                "Mọi ngày trong tệp đều có số ngày từ 12 trở xuống trong khi tháng thay đổi: tệp có thể đã được "
                "lưu theo thứ tự tháng/ngày (chương trình văn phòng tiếng Anh). Hãy kiểm tra, ví dụ dòng %(line)s: "
                "%(text)s được đọc là ngày %(day)s tháng %(month)s năm %(year)s."
            )
            % {
                "line": row["line"],
                # As the file writes it: the import reads day first in every language.
                "text": date_format(day, "d/m/Y"),
                "day": f"{day.day:02d}",
                "month": f"{day.month:02d}",
                "year": day.year,
            }
        )
    future = [row for row in rows if row["start_date"] is not None and row["start_date"] > today]
    if future:
        warnings.append(
            _("Ngày khai giảng sau hôm nay (%(today)s) ở dòng %(lines)s; hãy kiểm tra ngày có bị đảo ngày/tháng không.")
            % {"today": _day(today), "lines": _lines(future)}
        )
    for row in rows:
        if row["results_count"] != row["completed_count"]:
            warnings.append(
                _("Dòng %(line)s: tổng kết quả (%(results)s) không bằng số hoàn thành (%(completed)s).")
                % {"line": row["line"], "results": row["results"], "completed": row["completed"]}
            )
    return warnings
