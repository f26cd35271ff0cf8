"""Reading and writing the spreadsheets district offices send: .xlsx, .xls and
CSV in whatever encoding Excel produced, with the headers as people type them.

Everything here is about files; which rows may be written is decided by the
resources (classes/resources.py) through the selectors and services.
"""

import codecs
import csv
import datetime
import io
import re
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path
from uuid import uuid4

import tablib
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.tmp_storages import TempFolderStorage

from . import text as text_rules

# A whole province's year is about 8,000 classes; twice that fits with room.
MAX_ROWS = 20_000
MAX_FILE_BYTES = 10 * 1024 * 1024
# An .xlsx is a zip: a small file can unpack to gigabytes. 20,000 rows take about 15 MB.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024

# The source line of each row travels with it so that errors name the line the
# user sees in Excel even when blank rows were dropped.
LINE_COLUMN = "__dong__"

# Text starting with one of these is run as a formula by some spreadsheet.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


class ImportFileError(Exception):
    """A file-level problem, worded for the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message

    def __str__(self):
        return self.message


def fold(text) -> str:
    """Case, spacing and diacritics folded away: 'Mã  LỚP' and 'ma_lop' give 'ma lop'."""
    text = unicodedata.normalize("NFD", str(text)).replace("đ", "d").replace("Đ", "D")
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower()
    return " ".join(re.sub(r"[^0-9a-z]+", " ", text).split())


# The rule for text that looks like a formula (issue 11):
# - .xlsx cells are typed: the app writes every text cell as text (never a formula)
#   and an import stores exactly what a cell holds. An apostrophe typed in Excel
#   is not in the cell's value; one that is in the value is the user's text.
# - CSV has no types, so the export puts one apostrophe before text that starts
#   with a formula trigger, and before text that starts with an apostrophe followed
#   by a trigger or another apostrophe (so that it too comes back as it was); a CSV
#   import takes exactly that one apostrophe off again. unescape(escape(t)) == t.


def escape_formula(value):
    """For CSV: an apostrophe keeps text such as '=HYPERLINK(...)' from running."""
    if isinstance(value, str) and (value.startswith(FORMULA_TRIGGERS) or unescape_formula(value) != value):
        return "'" + value
    return value


def unescape_formula(value):
    """For CSV: the apostrophe escape_formula added, taken off."""
    if isinstance(value, str) and len(value) > 1 and value[0] == "'" and value[1] in ("'", *FORMULA_TRIGGERS):
        return value[1:]
    return value


def size_check(size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ImportFileError(
            _("Tệp lớn %(size)s MB, vượt giới hạn %(cap)s MB mỗi lần nhập (tối đa %(rows)s dòng). Hãy chia tệp.")
            % {
                "size": number_format(size / 1024 / 1024, 1),
                "cap": MAX_FILE_BYTES // 1024 // 1024,
                "rows": number_format(MAX_ROWS, force_grouping=True),
            }
        )


def _too_many_rows():
    return ImportFileError(
        _("Tệp có hơn %(cap)s dòng dữ liệu; mỗi lần nhập tối đa %(cap)s dòng. Hãy chia tệp.")
        % {"cap": number_format(MAX_ROWS, force_grouping=True)}
    )


# --- CSV encodings -------------------------------------------------------

_VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
_ALLOWED_PUNCTUATION = set("–—‘’“”…•°№€\u00a0")


def _plausible_vietnamese(text: str):
    """The first character no Vietnamese office file would hold, with its line, or None."""
    for line_number, line in enumerate(text.splitlines(), 1):
        for ch in line:
            if ch.isascii() or ch in _VIETNAMESE_LETTERS or ch in _ALLOWED_PUNCTUATION:
                continue
            return ch, line_number
    return None


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), UTF-16 (Excel's "Unicode text") or
    Windows-1258, always returned in NFC; anything else is refused by name."""
    save_hint = _("Hãy mở tệp bằng Excel và lưu lại dạng “CSV UTF-8 (Comma delimited)” hoặc .xlsx.")
    if data.startswith(codecs.BOM_UTF8):
        try:
            text = data[len(codecs.BOM_UTF8):].decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("Tệp CSV ghi là UTF-8 nhưng có byte sai mã UTF-8 ở vị trí %(pos)s. %(hint)s")
                % {"pos": error.start + 3, "hint": save_hint}
            ) from None
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data[:4096]:
        try:
            if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
                text = data.decode("utf-16")
            else:  # UTF-16 without a byte-order mark: the zero bytes say which end
                little = data[1:4096:2].count(0) >= data[0:4096:2].count(0)
                text = data.decode("utf-16-le" if little else "utf-16-be")
        except UnicodeDecodeError:
            raise ImportFileError(
                _("Tệp CSV có dạng UTF-16 (Unicode text) nhưng bị hỏng hoặc thiếu byte. %(hint)s") % {"hint": save_hint}
            ) from None
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            try:
                text = data.decode("cp1258")
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    _("Tệp CSV không phải UTF-8, UTF-16 hay Windows-1258 (byte %(byte)s ở vị trí %(pos)s không thuộc bảng mã nào trong số đó). %(hint)s")
                    % {"byte": f"0x{data[error.start]:02X}", "pos": error.start, "hint": save_hint}
                ) from None
            # cp1258 spells tones as combining marks: compose them before checking.
            text = unicodedata.normalize("NFC", text)
            odd = _plausible_vietnamese(text)
            if odd is not None:
                raise ImportFileError(
                    _("Tệp CSV không phải UTF-8; đọc theo Windows-1258 thì dòng %(line)s có ký tự lạ “%(char)s”, "
                      "có thể tệp dùng bảng mã cũ (TCVN3, VNI). %(hint)s")
                    % {"line": odd[1], "char": odd[0], "hint": save_hint}
                )
    return unicodedata.normalize("NFC", text)


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    counts = {delimiter: first.count(delimiter) for delimiter in ("\t", ";", ",")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# --- cells ---------------------------------------------------------------


def _cell(value):
    """Spreadsheet cells to plain Python: whole floats to int, midnight datetimes to dates."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime.datetime):
        return value.date() if value.time() == datetime.time(0) else value
    if isinstance(value, str):
        value = unicodedata.normalize("NFC", value).strip()
        return value
    return value


def _is_blank(values) -> bool:
    return all(value is None or value == "" for value in values)


def _dataset(rows) -> tablib.Dataset:
    """Rows (line number, cells) to a Dataset. The header is the first row with
    two or more filled cells: office sheets often carry a title line above it."""
    rows = iter(rows)
    header = None
    for line, cells in rows:
        if sum(value not in (None, "") for value in cells) >= 2:
            header = [("" if value is None else str(value)).strip() for value in cells]
            break
    if header is None:
        raise ImportFileError(_("Tệp không có dữ liệu: không thấy dòng tiêu đề."))
    while header and header[-1] == "":
        header.pop()
    header = [name or _("Cột %(n)s") % {"n": index} for index, name in enumerate(header, 1)]
    width = len(header)
    dataset = tablib.Dataset(headers=[LINE_COLUMN, *header])
    for line, cells in rows:
        cells = list(cells[:width])
        if _is_blank(cells):
            continue
        if len(dataset) >= MAX_ROWS:
            raise _too_many_rows()
        cells.extend([None] * (width - len(cells)))
        dataset.append([line, *cells])
    if not len(dataset):
        raise ImportFileError(_("Tệp không có dòng dữ liệu nào (chỉ có dòng tiêu đề)."))
    return dataset


def read_csv(data: bytes) -> tablib.Dataset:
    size_check(len(data))
    text = decode_csv(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        return _dataset((reader.line_num, [_cell(value) for value in row]) for row in reader)
    except csv.Error:
        raise ImportFileError(_("Tệp CSV sai cấu trúc (dấu ngoặc kép không đóng).")) from None


def _read_workbook(data: bytes, kind: str) -> tablib.Dataset:
    """The first sheet, read with calamine (about ten times openpyxl's speed):
    date cells come as dates, numbers as numbers."""
    from python_calamine import CalamineWorkbook

    size_check(len(data))
    if kind == "xlsx":
        _unzipped_size_check(data)
    try:
        sheet = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0)
        rows = sheet.to_python(skip_empty_area=False)
    except Exception:  # calamine raises several error types for damaged or mislabelled files
        if kind == "xlsx":
            message = _("Không đọc được tệp .xlsx: tệp hỏng hoặc không phải tệp Excel 2007 trở lên.")
        else:
            message = _("Không đọc được tệp .xls: tệp hỏng hoặc không phải tệp Excel 97–2003.")
        raise ImportFileError(message) from None
    if len(rows) > MAX_ROWS + 1000:
        raise _too_many_rows()
    return _dataset((line, [_cell(value) for value in row]) for line, row in enumerate(rows, 1))


def _unzipped_size_check(data: bytes) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except zipfile.BadZipFile:
        return  # calamine's refusal names the problem
    if unzipped > MAX_UNZIPPED_BYTES:
        raise ImportFileError(
            _("Tệp .xlsx giải nén ra hơn %(cap)s MB, quá giới hạn một lần nhập (tối đa %(rows)s dòng). Hãy chia tệp.")
            % {"cap": MAX_UNZIPPED_BYTES // 1024 // 1024, "rows": number_format(MAX_ROWS, force_grouping=True)}
        )


def read_xlsx(data: bytes) -> tablib.Dataset:
    dataset = _read_workbook(data, "xlsx")
    _refuse_uncomputed_formulas(data)
    return dataset


def _refuse_uncomputed_formulas(data: bytes) -> None:
    """Files written by programs other than Excel may hold formulas without a
    computed value, which read as empty cells; say so instead."""
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        formula = re.compile(rb"<f[ >]")  # a formula element, not <formula1> of a drop-down list
        if not any(formula.search(archive.read(name)) for name in archive.namelist() if name.startswith("xl/worksheets/")):
            return
    formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    computed = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        for formula_row, value_row in zip(formulas.worksheets[0].iter_rows(), computed.worksheets[0].iter_rows()):
            for formula_cell, value_cell in zip(formula_row, value_row):
                if formula_cell.data_type == "f" and value_cell.value is None:
                    raise ImportFileError(
                        _("Ô %(cell)s có công thức nhưng chưa có giá trị tính sẵn. Hãy mở tệp bằng Excel, lưu lại rồi nhập.")
                        % {"cell": formula_cell.coordinate}
                    )
    finally:
        formulas.close()
        computed.close()


def read_xls(data: bytes) -> tablib.Dataset:
    return _read_workbook(data, "xls")


# --- writing -------------------------------------------------------------


def write_xlsx(dataset: tablib.Dataset, sheet_title: str) -> bytes:
    """Numbers stay numbers, dates stay dates (shown dd/mm/yyyy), text stays text
    exactly as stored, less what XML cannot hold."""
    import openpyxl
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title[:31])
    sheet.freeze_panes = "A2"
    for index, header in enumerate(dataset.headers, 1):
        sheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(12, min(40, len(header) + 4))
    bold = Font(bold=True)
    header_cells = []
    for header in dataset.headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in dataset:
        cells = []
        for value in row:
            if isinstance(value, datetime.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "DD/MM/YYYY"
                cells.append(cell)
            elif isinstance(value, str):
                # openpyxl would store '=...' as a formula; a string cell is shown as typed.
                cell = WriteOnlyCell(sheet, value=text_rules.for_export(value))
                cell.data_type = "s"
                if value.startswith(FORMULA_TRIGGERS):
                    cell.quotePrefix = True  # and stays text when someone edits it in Excel
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def write_csv(dataset: tablib.Dataset) -> bytes:
    """UTF-8 with a BOM, which Excel needs to show Vietnamese letters."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(dataset.headers)
    for row in dataset:
        writer.writerow([
            value.strftime("%d/%m/%Y") if isinstance(value, datetime.date)
            else "" if value is None else escape_formula(text_rules.for_export(value))
            for value in row
        ])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# --- django-import-export formats ---------------------------------------
# Each reads bytes (so no encoding is guessed before decode_csv sees them) and
# writes with the escaping above.


class _FileFormat:
    sheet_title = "Du lieu"

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"


class XLSXFormat(_FileFormat, base_formats.XLSX):
    def get_title(self):
        return "xlsx"

    def create_dataset(self, in_stream, **kwargs):
        return read_xlsx(in_stream)

    def export_data(self, dataset, **kwargs):
        return write_xlsx(dataset, dataset.title or self.sheet_title)


class XLSFormat(_FileFormat, base_formats.XLS):
    def get_title(self):
        return "xls"

    def create_dataset(self, in_stream, **kwargs):
        return read_xls(in_stream)

    def can_export(self):
        return False


class CSVFormat(_FileFormat, base_formats.CSV):
    def get_title(self):
        return "csv"

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, str):
            in_stream = in_stream.encode("utf-8")
        dataset = read_csv(in_stream)
        unescaped = tablib.Dataset(headers=dataset.headers)
        for row in dataset:
            unescaped.append([unescape_formula(value) for value in row])
        return unescaped

    def export_data(self, dataset, **kwargs):
        return write_csv(dataset)

    def get_content_type(self):
        return "text/csv; charset=utf-8"


IMPORT_FORMATS = [XLSXFormat, XLSFormat, CSVFormat]
EXPORT_FORMATS = [XLSXFormat, CSVFormat]


def format_for_filename(name: str):
    """The format index for a file name's extension, or None."""
    extension = Path(name or "").suffix.lower().lstrip(".")
    if extension == "txt":  # Excel's "Unicode text" is tab-separated UTF-16 saved as .txt
        extension = "csv"
    for index, file_format in enumerate(IMPORT_FORMATS):
        if file_format().get_title() == extension:
            return index
    return None


def read_file(name: str, data: bytes) -> tablib.Dataset:
    """Read an uploaded file by its extension (the benchmark and tests use this)."""
    index = format_for_filename(name)
    if index is None:
        raise ImportFileError(_("Chỉ nhận tệp .xlsx, .xls, .csv hoặc .txt (Unicode text)."))
    return IMPORT_FORMATS[index]().create_dataset(data)


class ImportUploadStorage(TempFolderStorage):
    """Uploads wait here between preview and confirm. A preview never
    confirmed would leave its file behind, so each save sweeps old ones."""

    folder = Path(tempfile.gettempdir()) / "hatinh-import"
    max_age_seconds = 24 * 3600

    def save(self, data):
        self.folder.mkdir(mode=0o700, exist_ok=True)
        cutoff = time.time() - self.max_age_seconds
        for path in self.folder.iterdir():
            try:
                if path.stat().st_mtime < cutoff:
                    path.unlink()
            except FileNotFoundError:
                pass
        if not self.name:
            self.name = uuid4().hex
        with open(self.get_full_path(), "wb") as file:
            file.write(data)

    def get_full_path(self):
        return str(self.folder / Path(self.name).name)

    def remove(self):
        Path(self.get_full_path()).unlink(missing_ok=True)
