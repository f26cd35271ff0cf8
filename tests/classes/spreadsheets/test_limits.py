"""Files that lie about their size: a few kilobytes claiming a million rows or
16.384 columns are refused by the caps with memory bounded by what the file
really holds, measured as the peak RSS of a fresh process."""

import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import xlwt

from classes.spreadsheets import files as importing
from classes.spreadsheets.files import ImportFileError, read_file
from tests.classes.spreadsheets.helpers import (
    HEADERS,
    class_row,
    csv_text,
    import_both_steps,
)
from tests.classes.spreadsheets.lying_files import handmade_xlsx, inline_row

MEMORY_BUDGET_MB = 50


def million_rows_xlsx():
    # Rows without a position repeat byte for byte, so a million of them deflate to a few kilobytes.
    return handmade_xlsx("<row><c><v>1</v></c></row>" for _ in range(1_000_001))


def lone_far_cell_xlsx(cell="XFD1048576"):
    return handmade_xlsx(
        [f'<row r="{cell[3:] if cell.startswith("XFD") else cell[1:]}"><c r="{cell}"><v>1</v></c></row>']
    )


def xls_with_rows(count):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Lop")
    for column, name in enumerate(HEADERS):
        sheet.write(0, column, name)
    for line in range(1, count + 1):
        sheet.write(line, 0, f"CL-{line}")
        sheet.write(line, 8, 1)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def peak_memory_growth_mb(name, data, tmp_path):
    """Read the file in a fresh process and return (message, peak RSS growth in MB)."""
    path = tmp_path / "upload.bin"
    path.write_bytes(data)
    script = f"""
import json
import django
django.setup()
from django.utils import translation
translation.activate("vi")
import openpyxl, openpyxl.worksheet._reader, xlrd, tablib
from classes.spreadsheets.files import ImportFileError, read_file
data = open({str(path)!r}, "rb").read()
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])
# Reset the peak so that only the read counts, not Django's start-up.
open("/proc/self/clear_refs", "w").write("5")
before = status("VmRSS:")
try:
    read_file({name!r}, data)
    message = None
except ImportFileError as error:
    message = str(error)
print(json.dumps({{"message": message, "growth_mb": (status("VmHWM:") - before) / 1024}}))
"""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "hatinh_training.settings", "DEBUG": "true"}
    # A reader that allocates the claimed grid is stopped by the limit instead of the machine.
    limit = "ulimit -v 3000000; "
    done = subprocess.run(
        ["bash", "-c", limit + f'exec "{sys.executable}" -c "$0"', script],
        check=False,
        capture_output=True,
        text=True,
        env=environment,
        cwd=Path(__file__).resolve().parents[3],
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    return answer["message"], answer["growth_mb"]


@pytest.mark.parametrize(
    ("label", "name", "build", "expected"),
    [
        (
            "a cell at XFD1048576 under a lying dimension",
            "lop.xlsx",
            lone_far_cell_xlsx,
            "Dòng 1.048.576 có dữ liệu ở cột XFD; mỗi tệp nhập tối đa 60 cột",
        ),
        ("1.000.001 tiny rows", "lop.xlsx", million_rows_xlsx, "Tệp có hơn 20.000 dòng dữ liệu"),
        ("an .xls with 30.000 rows", "lop.xls", lambda: xls_with_rows(30_000), "Tệp có hơn 20.000 dòng dữ liệu"),
        (
            "a CSV with 30.000 rows",
            "lop.csv",
            lambda: csv_text([class_row(f"CL-{index}") for index in range(30_000)]).encode(),
            "Tệp có hơn 20.000 dòng dữ liệu",
        ),
        (
            "a CSV with one huge line",
            "lop.csv",
            lambda: (",".join(HEADERS) + "\r\n" + "a," * 4_000_000 + "\r\n").encode(),
            "Dòng 2 của tệp CSV dài 8.000.002 ký tự",
        ),
        (
            "a CSV with one huge cell",
            "lop.csv",
            lambda: (",".join(HEADERS) + '\r\nCL-1,"' + "a" * 9_000_000 + '"\r\n').encode(),
            "Dòng 2 của tệp CSV dài",
        ),
    ],
)
def test_a_file_that_lies_about_its_size_is_refused_with_bounded_memory(label, name, build, expected, tmp_path):
    data = build()
    message, growth = peak_memory_growth_mb(name, data, tmp_path)
    print(f"{label}: {len(data) / 1024:.1f} KB, peak RSS growth {growth:.1f} MB")
    assert message is not None and expected in message, (label, message)
    assert growth < MEMORY_BUDGET_MB, (label, growth)


def test_the_handmade_million_row_file_is_only_a_few_kilobytes():
    assert len(million_rows_xlsx()) < 64 * 1024
    assert len(lone_far_cell_xlsx()) < 4 * 1024


def test_a_value_far_out_in_a_small_column_is_read_as_one_more_row_not_a_grid():
    dataset = read_file("lop.xlsx", lone_far_cell_xlsx("P1048576"))
    assert len(dataset) == 2 and dataset[1][0] == 1_048_576


def test_blank_formatted_cells_far_out_do_not_stop_the_real_rows(district_user):
    formatting = ['<row r="1048576" s="1" customFormat="1"><c r="XFD1048576" s="1"/></row>']
    import_both_steps(district_user, handmade_xlsx(formatting))
    from classes.models import TrainingClass

    assert list(TrainingClass.objects.values_list("code", flat=True)) == ["CL-2024-01"]


def test_a_value_past_the_column_cap_is_refused_naming_the_row_and_column():
    row = [*[class_row()[name] for name in HEADERS], *[None] * 44, "thừa"]
    with pytest.raises(ImportFileError, match="Dòng 3 có dữ liệu ở cột BI; mỗi tệp nhập tối đa 60 cột"):
        read_file("lop.xlsx", handmade_xlsx([inline_row(3, row)], dimension="A1:P3"))


@pytest.mark.parametrize("name", ["lop.xlsx", "lop.csv"])
def test_a_cell_past_the_character_cap_is_refused_naming_the_row_and_column(name):
    long_note = "ghi chú " * 300
    if name == "lop.xlsx":
        data = handmade_xlsx([inline_row(3, [*[class_row("CL-2")[column] for column in HEADERS[:-1]], long_note])])
    else:
        data = csv_text([class_row(), class_row("CL-2", **{"Ghi chú": long_note})]).encode()
    with pytest.raises(ImportFileError, match="Dòng 3, cột P: ô dài 2.399 ký tự, quá giới hạn 2.000 ký tự mỗi ô"):
        read_file(name, data)


def test_a_file_past_the_cell_cap_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_CELLS", 40)
    data = csv_text([class_row(f"CL-{index}") for index in range(3)]).encode()
    with pytest.raises(ImportFileError, match="Tệp có hơn 40 ô có dữ liệu"):
        read_file("lop.csv", data)


def test_an_xls_value_past_the_column_cap_is_refused_naming_the_column():
    book = xlwt.Workbook()
    sheet = book.add_sheet("Lop")
    for column, name in enumerate(HEADERS):
        sheet.write(0, column, name)
        sheet.write(1, column, class_row()[name])
    sheet.write(1, 200, "thừa")
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ImportFileError, match="Dòng 2 có dữ liệu ở cột GS"):
        read_file("lop.xls", buffer.getvalue())


def test_an_xlsx_whose_styles_unpack_past_the_part_cap_is_refused(monkeypatch):
    monkeypatch.setattr(importing, "MAX_XML_PART_BYTES", 1000)
    buffer = io.BytesIO(handmade_xlsx([]))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/styles.xml", "<styleSheet>" + " " * 2000 + "</styleSheet>")
    with pytest.raises(ImportFileError, match="giải nén ra hơn"):
        read_file("lop.xlsx", buffer.getvalue())
