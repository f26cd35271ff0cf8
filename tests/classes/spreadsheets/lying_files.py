"""Spreadsheets written by hand, as an attacker would: any dimension, any row
and cell positions, whatever the zip's directory claims."""

import io
import zipfile

from classes.spreadsheets import files as importing
from tests.classes.spreadsheets.helpers import HEADERS, class_row

CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    "</Types>"
)
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Lop" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    "</Relationships>"
)


def inline_row(line, values):
    cells = "".join(
        f'<c r="{importing._column_name(column)}{line}" t="inlineStr"><is><t>{value}</t></is></c>'
        if isinstance(value, str)
        else f'<c r="{importing._column_name(column)}{line}"><v>{value}</v></c>'
        for column, value in enumerate(values, 1)
        if value not in (None, "")
    )
    return f'<row r="{line}">{cells}</row>'


def handmade_xlsx(sheet_rows, dimension="A1:XFD1048576", header=None):
    """An .xlsx with a header, one valid row, then `sheet_rows` (XML text), claiming `dimension`."""
    if header is None:
        header = [inline_row(1, HEADERS), inline_row(2, [class_row()[name] for name in HEADERS])]
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            member.write(sheet.encode())
            for part in (*header, *sheet_rows):
                member.write(part.encode())
            member.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


def lie_about_sizes(data: bytes, sizes) -> bytes:
    """The zip with each member's declared unpacked size replaced, in turn, by `sizes`."""
    data = bytearray(data)
    sizes = iter(sizes)
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        start = data.find(signature)
        while start != -1:
            size = next(sizes, None)
            if size is None:
                return bytes(data)
            data[start + offset : start + offset + 4] = (size % 2**32).to_bytes(4, "little")
            start = data.find(signature, start + 4)
    return bytes(data)
