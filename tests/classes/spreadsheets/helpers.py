"""Building import files in memory and running them through the admin's resource."""

import csv
import datetime
import io

import openpyxl

from classes.spreadsheets.base import import_errors
from classes.spreadsheets.files import read_file
from classes.spreadsheets.training import TrainingClassResource

HEADERS = [
    "Mã lớp",
    "Tên lớp",
    "Mã chương trình",
    "Mã đơn vị",
    "Mã trung tâm",
    "Hình thức",
    "Ngày khai giảng",
    "Ngày bế giảng",
    "Số học viên",
    "Số hoàn thành",
    "Xuất sắc",
    "Giỏi",
    "Khá",
    "Trung bình",
    "Không đạt",
    "Ghi chú",
]


def class_row(code="CL-2024-01", **overrides):
    """A valid Can Lộc row as a dict of column -> cell."""
    row = {
        "Mã lớp": code,
        "Tên lớp": "Lớp nhận thức về Đảng khóa 1",
        "Mã chương trình": "NTD",
        "Mã đơn vị": "443",
        "Mã trung tâm": "TTCT-443",
        "Hình thức": "Tại trung tâm",
        "Ngày khai giảng": "05/03/2024",
        "Ngày bế giảng": "09/03/2024",
        "Số học viên": 120,
        "Số hoàn thành": 118,
        "Xuất sắc": 10,
        "Giỏi": 50,
        "Khá": 50,
        "Trung bình": 8,
        "Không đạt": 0,
        "Ghi chú": "",
    }
    row.update(overrides)
    return row


def xlsx_bytes(rows, headers=HEADERS):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_text(rows, headers=HEADERS, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    for row in rows:
        writer.writerow(
            [
                row.get(header).strftime("%d/%m/%Y")
                if isinstance(row.get(header), datetime.date)
                else ""
                if row.get(header) is None
                else row.get(header)
                for header in headers
            ]
        )
    return buffer.getvalue()


def run_import(user, data, name="lop.xlsx", dry_run=True, resource_class=TrainingClassResource):
    dataset = read_file(name, data)
    return resource_class(user=user).import_data(dataset, dry_run=dry_run, raise_errors=False)


def import_both_steps(user, data, name="lop.xlsx", resource_class=TrainingClassResource):
    """Preview then confirm, as the admin does; returns the confirm's result."""
    preview = run_import(user, data, name, dry_run=True, resource_class=resource_class)
    assert not import_errors(preview), import_errors(preview)
    return run_import(user, data, name, dry_run=False, resource_class=resource_class)


def totals(result):
    return {kind: count for kind, count in result.totals.items() if count}
