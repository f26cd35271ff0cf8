"""The blank class template with an example row and drop-down lists of the user's codes."""

import datetime
import io

import openpyxl
from django.utils.translation import gettext as _
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from classes import access
from classes.models import (
    Programme,
    TrainingClass,
)
from classes.spreadsheets.base import _text_cell
from classes.spreadsheets.training import TrainingClassResource

TEMPLATE_ROWS = 5000  # rows given drop-down lists; more can be typed below


def class_import_template(user) -> bytes:
    """A blank class file: the header, one example row, and a second sheet of the
    codes this user may use, offered as drop-down lists on the code columns."""
    fields = TrainingClassResource(user=user).get_import_fields()
    headers = [str(field.column_name) for field in fields]
    programmes = list(Programme.objects.all())
    units = list(access.units_visible_to(user))
    centres = list(access.centres_visible_to(user).order_by("code"))
    venues = [str(label) for label in TrainingClass.Venue.labels]

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Lớp"
    sheet.append(headers)
    required_fill = PatternFill("solid", fgColor="FFF2CC")
    for index, field in enumerate(fields, 1):
        cell = sheet.cell(row=1, column=index)
        cell.font = Font(bold=True)
        if field.attribute in TrainingClassResource.required:
            cell.fill = required_fill
        sheet.column_dimensions[get_column_letter(index)].width = max(12, len(headers[index - 1]) + 4)
    unit = units[0] if units else None
    centre = next((c for c in centres if unit and c.unit_id == unit.pk), centres[0] if centres else None)
    example = {
        "code": f"{unit.code if unit else 'MA'}-2024-001",
        "name": _("Lớp bồi dưỡng nhận thức về Đảng khóa 1 (dòng ví dụ, hãy sửa hoặc xóa)"),
        "programme": programmes[0].code if programmes else "",
        "unit": unit.code if unit else "",
        "centre": centre.code if centre else "",
        "venue": venues[0],
        "start_date": datetime.date(2024, 3, 5),
        "end_date": datetime.date(2024, 3, 9),
        "learners": 120,
        "completed": 118,
        "excellent": 10,
        "good": 50,
        "fair": 50,
        "average": 8,
        "failed": 0,
        "notes": "",
    }
    sheet.append([example[field.attribute] for field in fields])
    for index, field in enumerate(fields, 1):
        if field.attribute in ("start_date", "end_date"):
            sheet.cell(row=2, column=index).number_format = "DD/MM/YYYY"
    sheet.freeze_panes = "A2"

    lists = workbook.create_sheet("Danh mục")
    columns = [
        (_("Mã chương trình"), _("Tên chương trình"), [(p.code, p.name) for p in programmes], "programme"),
        (_("Mã đơn vị"), _("Tên đơn vị"), [(u.code, u.name) for u in units], "unit"),
        (_("Mã trung tâm"), _("Tên trung tâm"), [(c.code, c.name) for c in centres], "centre"),
        (_("Hình thức"), "", [(label, "") for label in venues], "venue"),
    ]
    position = {field.attribute: get_column_letter(index) for index, field in enumerate(fields, 1)}
    for number, (code_title, name_title, rows, attribute) in enumerate(columns):
        code_column, name_column = 3 * number + 1, 3 * number + 2
        lists.cell(row=1, column=code_column, value=str(code_title)).font = Font(bold=True)
        lists.cell(row=1, column=name_column, value=str(name_title)).font = Font(bold=True)
        lists.column_dimensions[get_column_letter(code_column)].width = 16
        lists.column_dimensions[get_column_letter(name_column)].width = 50
        for row_number, (code, name) in enumerate(rows, 2):
            _text_cell(lists.cell(row=row_number, column=code_column), code)
            _text_cell(lists.cell(row=row_number, column=name_column), name)
        letter = get_column_letter(code_column)
        validation = DataValidation(
            type="list",
            formula1=f"='Danh mục'!${letter}$2:${letter}${max(2, len(rows) + 1)}",
            allow_blank=True,
            # A warning, not a refusal: a name typed instead of a code is accepted on import.
            errorStyle="warning",
            showErrorMessage=True,
            errorTitle=_("Không có trong danh mục"),
            error=_("Giá trị này không có trong sheet “Danh mục”."),
        )
        validation.add(f"{position[attribute]}2:{position[attribute]}{TEMPLATE_ROWS + 1}")
        sheet.add_data_validation(validation)
    counts = DataValidation(
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=_("Số không hợp lệ"),
        error=_("Nhập số nguyên từ 0 trở lên."),
    )
    counts.add(f"{position['learners']}2:{position['failed']}{TEMPLATE_ROWS + 1}")
    sheet.add_data_validation(counts)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
