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
import unicodedata
import zipfile
from pathlib import Path
from uuid import uuid4

import tablib
from django.core.cache import caches
from django.utils import dateformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export.formats import base_formats
from import_export.tmp_storages import BaseStorage

from classes import text as text_rules

# A whole province's year is about 8,000 classes; twice that fits with room.
MAX_ROWS = 20_000
# The class sheet has 16 columns; room for notes columns offices add.
MAX_COLUMNS = 60
MAX_CELLS = 400_000
# The longest field (a name or a note) is 300 characters.
MAX_CELL_CHARS = 2_000
MAX_FILE_BYTES = 10 * 1024 * 1024
# An .xlsx is a zip: a small file can unpack to gigabytes. 20,000 rows take about 15 MB.
MAX_UNZIPPED_BYTES = 100 * 1024 * 1024
# Members read whole by openpyxl (styles, shared strings) may not unpack past this.
MAX_XML_PART_BYTES = 30 * 1024 * 1024

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


def _too_many_columns(line, column):
    return ImportFileError(
        _("Dòng %(line)s có dữ liệu ở cột %(column)s; mỗi tệp nhập tối đa %(cap)s cột. Hãy xóa các cột thừa.")
        % {"line": number_format(line, force_grouping=True), "column": _column_name(column), "cap": MAX_COLUMNS}
    )


def _too_many_cells():
    return ImportFileError(
        _("Tệp có hơn %(cap)s ô có dữ liệu; mỗi lần nhập tối đa %(cap)s ô. Hãy chia tệp.")
        % {"cap": number_format(MAX_CELLS, force_grouping=True)}
    )


def _cell_too_long(line, column, length):
    return ImportFileError(
        _("Dòng %(line)s, cột %(column)s: ô dài %(length)s ký tự, quá giới hạn %(cap)s ký tự mỗi ô.")
        % {
            "line": number_format(line, force_grouping=True),
            "column": _column_name(column),
            "length": number_format(length, force_grouping=True),
            "cap": number_format(MAX_CELL_CHARS, force_grouping=True),
        }
    )


def _column_name(column: int) -> str:
    """1 -> A, 16384 -> XFD, as Excel labels columns."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


class _Budget:
    """Counts what one upload costs as its rows stream in, and refuses past the caps."""

    def __init__(self):
        self.cells = 0

    def row(self, line, values: dict):
        """A sparse row {column: value} as a list, or None when it is blank."""
        values = {column: value for column, value in values.items() if value is not None and value != ""}
        if not values:
            return None
        widest = max(values)
        if widest > MAX_COLUMNS:
            raise _too_many_columns(line, widest)
        self.cells += len(values)
        if self.cells > MAX_CELLS:
            raise _too_many_cells()
        cells = [None] * widest
        for column, value in values.items():
            if isinstance(value, str) and len(value) > MAX_CELL_CHARS:
                raise _cell_too_long(line, column, len(value))
            cells[column - 1] = value
        return cells


# --- CSV encodings -------------------------------------------------------

_VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    "ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴĐ"
)
_ALLOWED_PUNCTUATION = set("–—‘’“”…•°№€\u00a0")


# A line with its ending; found lazily, as io.StringIO would copy a 10 MB text at four bytes a character.
_LINE = re.compile(r"[^\r\n]*(?:\r\n?|\n)|[^\r\n]+$")


def _lines(text: str):
    return (match.group() for match in _LINE.finditer(text))


def _plausible_vietnamese(text: str):
    """The first character no Vietnamese office file would hold, with its line, or None."""
    for line_number, line in enumerate(_lines(text), 1):
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
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
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
                    _(
                        "Tệp CSV không phải UTF-8, UTF-16 hay Windows-1258 (byte %(byte)s ở vị trí %(pos)s không thuộc bảng mã nào trong số đó). %(hint)s"
                    )
                    % {"byte": f"0x{data[error.start]:02X}", "pos": error.start, "hint": save_hint}
                ) from None
            # cp1258 spells tones as combining marks: compose them before checking.
            text = unicodedata.normalize("NFC", text)
            odd = _plausible_vietnamese(text)
            if odd is not None:
                raise ImportFileError(
                    _(
                        "Tệp CSV không phải UTF-8; đọc theo Windows-1258 thì dòng %(line)s có ký tự lạ “%(char)s”, "
                        "có thể tệp dùng bảng mã cũ (TCVN3, VNI). %(hint)s"
                    )
                    % {"line": odd[1], "char": odd[0], "hint": save_hint}
                ) from None
    return unicodedata.normalize("NFC", text)


def _sniff_delimiter(text: str) -> str:
    first = next((line for line in _lines(text) if line.strip()), "")
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
    for _line, cells in rows:
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


def _bounded_lines(text: str):
    """The text's lines, refusing one longer than any row within the caps could
    be (every cell quoted with its quotes doubled) before csv splits it."""
    longest = MAX_COLUMNS * (2 * MAX_CELL_CHARS + 3)
    for number, line in enumerate(_lines(text), 1):
        if len(line) > longest:
            raise ImportFileError(
                _("Dòng %(line)s của tệp CSV dài %(length)s ký tự, quá giới hạn %(cap)s cột × %(chars)s ký tự mỗi ô.")
                % {
                    "line": number_format(number, force_grouping=True),
                    "length": number_format(len(line), force_grouping=True),
                    "cap": MAX_COLUMNS,
                    "chars": number_format(MAX_CELL_CHARS, force_grouping=True),
                }
            )
        yield line


def read_csv(data: bytes) -> tablib.Dataset:
    size_check(len(data))
    text = decode_csv(data)
    reader = csv.reader(_bounded_lines(text), delimiter=_sniff_delimiter(text))
    budget = _Budget()

    def rows():
        for row in reader:
            cells = budget.row(reader.line_num, {column: _cell(value) for column, value in enumerate(row, 1)})
            if cells is not None:
                yield reader.line_num, cells

    try:
        return _dataset(rows())
    except csv.Error:
        raise ImportFileError(_("Tệp CSV sai cấu trúc (dấu ngoặc kép không đóng).")) from None


_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def _xlsx_rows(data: bytes, budget: _Budget):
    """The first sheet's non-blank rows as (line, cells), streamed from the XML.

    openpyxl's own row iterator pads every row to the declared dimension and
    keeps a parsed element per row, so a few-kilobyte file claiming XFD1048576
    costs gigabytes; here each element is dropped once read, blank cells far out
    (formatting) are never materialised, and a value past the caps stops the read.
    """
    import openpyxl
    from openpyxl.worksheet._reader import WorkSheetParser
    from openpyxl.xml.functions import iterparse

    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        parser = WorkSheetParser(
            None,
            workbook.shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        row_tag, cell_tag = _SHEET_NS + "row", _SHEET_NS + "c"
        formula_tag = _SHEET_NS + "f"
        with workbook._archive.open(sheet._worksheet_path) as source:
            stack, values, line, in_cell = [], {}, 0, False
            for event, element in iterparse(source, events=("start", "end")):
                if event == "start":
                    stack.append(element)
                    if element.tag == row_tag:
                        line = parser.row_counter = _row_number(element.get("r"), parser.row_counter + 1)
                        parser.col_counter, values = 0, {}
                    elif element.tag == cell_tag:
                        in_cell = True
                    continue
                stack.pop()
                if element.tag == cell_tag:
                    in_cell = False
                    cell = parser.parse_cell(element)
                    if cell["value"] is None and element.find(formula_tag) is not None:
                        raise ImportFileError(
                            _(
                                "Ô %(cell)s có công thức nhưng chưa có giá trị tính sẵn. Hãy mở tệp bằng Excel, lưu lại rồi nhập."
                            )
                            % {"cell": f"{_column_name(cell['column'])}{cell['row']}"}
                        )
                    if cell["value"] is not None:
                        values[cell["column"]] = _cell(cell["value"])
                elif in_cell:
                    continue  # the cell reads its value and formula children when it ends
                elif element.tag == row_tag:
                    cells = budget.row(line, values)
                    if cells is not None:
                        yield line, cells
                if stack:
                    stack[-1].remove(element)
    finally:
        workbook.close()


def _row_number(text, default):
    try:
        return int(float(text)) if text else default
    except ValueError:
        return default


def _workbook_failed(kind):
    if kind == "xlsx":
        return ImportFileError(_("Không đọc được tệp .xlsx: tệp hỏng hoặc không phải tệp Excel 2007 trở lên."))
    return ImportFileError(_("Không đọc được tệp .xls: tệp hỏng hoặc không phải tệp Excel 97–2003."))


def _unzipped_size_check(data: bytes) -> None:
    """Declared sizes bound what zipfile will unpack (it stops there and fails the
    checksum), so checking them bounds the cost of a file whatever it holds."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile:
        raise _workbook_failed("xlsx") from None
    unzipped = sum(member.file_size for member in members)
    largest_part = max((member.file_size for member in members if "/worksheets/" not in member.filename), default=0)
    if unzipped > MAX_UNZIPPED_BYTES or largest_part > MAX_XML_PART_BYTES:
        raise ImportFileError(
            _("Tệp .xlsx giải nén ra hơn %(cap)s MB, quá giới hạn một lần nhập (tối đa %(rows)s dòng). Hãy chia tệp.")
            % {"cap": MAX_UNZIPPED_BYTES // 1024 // 1024, "rows": number_format(MAX_ROWS, force_grouping=True)}
        )


def read_xlsx(data: bytes) -> tablib.Dataset:
    size_check(len(data))
    _unzipped_size_check(data)
    try:
        return _dataset(_xlsx_rows(data, _Budget()))
    except ImportFileError:
        raise
    except Exception:  # openpyxl and zipfile raise many error types for damaged or mislabelled files
        raise _workbook_failed("xlsx") from None


def _xls_rows(data: bytes, budget: _Budget):
    import xlrd

    try:
        # Ragged rows: a lone cell far out costs one short row, not a padded grid.
        book = xlrd.open_workbook(file_contents=data, ragged_rows=True, on_demand=True)
        sheet = book.sheet_by_index(0)
    except Exception:  # xlrd raises many error types for damaged or mislabelled files
        raise _workbook_failed("xls") from None
    for index in range(sheet.nrows):
        values = {}
        for column, (kind, value) in enumerate(zip(sheet.row_types(index), sheet.row_values(index)), 1):
            if kind == xlrd.XL_CELL_DATE:
                try:
                    value = xlrd.xldate.xldate_as_datetime(value, book.datemode)
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    pass
            elif kind == xlrd.XL_CELL_BOOLEAN:
                value = bool(value)
            elif kind == xlrd.XL_CELL_ERROR:
                value = xlrd.error_text_from_code.get(value, "#N/A")
            values[column] = _cell(value)
        cells = budget.row(index + 1, values)
        if cells is not None:
            yield index + 1, cells


def read_xls(data: bytes) -> tablib.Dataset:
    size_check(len(data))
    return _dataset(_xls_rows(data, _Budget()))


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
        writer.writerow(
            [
                dateformat.format(value, "d/m/Y")
                if isinstance(value, datetime.date)
                else ""
                if value is None
                else escape_formula(text_rules.for_export(value))
                for value in row
            ]
        )
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


class ImportUploadStorage(BaseStorage):
    """Uploads wait here between preview and confirm: in the cache alias "imports", which is
    the shared cache when CACHE_URL names Redis (settings), so that a preview made on one
    app server is confirmed on any other. An entry expires after a day; reading an expired
    or already confirmed one raises FileNotFoundError, which the admin turns into a message."""

    alias = "imports"
    prefix = "import-upload:"
    max_age_seconds = 24 * 3600

    def save(self, data):
        if not self.name:
            self.name = uuid4().hex
        caches[self.alias].set(self.prefix + self.name, data, self.max_age_seconds)

    def read(self):
        data = caches[self.alias].get(self.prefix + self.name)
        if data is None:
            raise FileNotFoundError(self.name)
        return data

    def remove(self):
        caches[self.alias].delete(self.prefix + self.name)
