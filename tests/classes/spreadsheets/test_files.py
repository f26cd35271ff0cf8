"""Reading what offices send: .xlsx, .xls and CSV in every encoding Excel
writes, headers as people type them, Vietnamese numbers and dates, caps."""

import codecs
import datetime
import io
import unicodedata

import openpyxl
import pytest
import xlwt

from classes.models import TrainingClass
from classes.spreadsheets import files as importing
from classes.spreadsheets.files import ImportFileError, read_file
from tests.classes.spreadsheets.helpers import (
    HEADERS,
    class_row,
    csv_text,
    import_both_steps,
    import_errors,
    run_import,
    totals,
    xlsx_bytes,
)

NAME = "Lớp bồi dưỡng lý luận chính trị cho đảng viên mới — Huyện Can Lộc"
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Encode as Windows does for Vietnamese: precomposed base letters, tones as combining marks."""
    out = []
    for ch in text:
        try:
            out.append(ch.encode("cp1258"))
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
            out.append((base + "".join(c for c in parts if c in TONES)).encode("cp1258"))
    return b"".join(out)


def imported_name(user, data, name):
    import_both_steps(user, data, name)
    return TrainingClass.objects.get().name


@pytest.mark.parametrize(
    ("label", "encode", "delimiter"),
    [
        ("UTF-8 with BOM", lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), ","),
        ("UTF-8 without BOM, semicolons", lambda text: text.encode("utf-8"), ";"),
        ("UTF-16 Unicode text, tabs", lambda text: text.encode("utf-16"), "\t"),
        ("UTF-16 LE without BOM, tabs", lambda text: text.encode("utf-16-le"), "\t"),
        ("Windows-1258", cp1258, ","),
        ("UTF-8 in decomposed form (macOS)", lambda text: unicodedata.normalize("NFD", text).encode("utf-8"), ","),
    ],
)
def test_csv_in_every_encoding_excel_writes_is_read_without_mojibake(district_user, label, encode, delimiter):
    data = encode(csv_text([class_row(**{"Tên lớp": NAME})], delimiter=delimiter))
    stored = imported_name(district_user, data, "lop.csv")
    assert stored == NAME and unicodedata.is_normalized("NFC", stored), label


def test_the_windows_1258_encoder_in_this_test_really_uses_combining_tones():
    assert b"\xf2" in cp1258("ệ")  # ê followed by the combining dot below


def test_a_csv_in_an_old_vietnamese_font_encoding_is_refused_by_name():
    # TCVN3 ("ABC") bytes: read as Windows-1258 they give letters no Vietnamese text holds.
    from classes.spreadsheets.files import fold

    ascii_headers = [fold(header) for header in HEADERS]
    row = class_row(**{"Tên lớp": "TEN", "Hình thức": "Tai trung tam", "Ghi chú": ""})
    text = csv_text([{fold(key): value for key, value in row.items()}], headers=ascii_headers)
    data = text.encode("ascii").replace(b"TEN", b"L\xedp nh\xb8n th\xa9c")
    with pytest.raises(ImportFileError) as refused:
        read_file("lop.csv", data)
    message = str(refused.value)
    assert "không phải UTF-8" in message and "Windows-1258" in message and "dòng 2" in message
    assert "TCVN3" in message


def test_a_csv_with_bytes_of_no_known_encoding_is_refused_by_name():
    data = b"M\xe3 l\xf4p\n\x81\x8d\x8f\n"
    with pytest.raises(ImportFileError, match="không phải UTF-8, UTF-16 hay Windows-1258"):
        read_file("lop.csv", data)


def test_a_broken_utf8_file_with_a_bom_is_refused_by_name():
    with pytest.raises(ImportFileError, match="ghi là UTF-8 nhưng có byte sai"):
        read_file("lop.csv", codecs.BOM_UTF8 + "Mã lớp\n".encode() + b"\xff\xfe\xfa\n")


def test_headers_match_whatever_the_case_spacing_or_diacritics(district_user):
    typed = [
        " MÃ LỚP ",
        "ten lop",
        "Mã_chương_trình",
        unicodedata.normalize("NFD", "Mã đơn vị"),
        "Mã trung tâm",
        "hình thức",
        "NGÀY KHAI GIẢNG",
        "Ngay be giang",
        "Số  học  viên",
        "Số hoàn thành",
        "Xuất sắc",
        "Giỏi",
        "Khá",
        "Trung bình",
        "Không đạt",
        "Ghi chú",
    ]
    row = class_row()
    data = xlsx_bytes([{typed[index]: row[header] for index, header in enumerate(HEADERS)}], headers=typed)
    result = run_import(district_user, data)
    assert not import_errors(result) and totals(result) == {"new": 1}


def test_title_lines_above_the_header_are_skipped_and_line_numbers_kept(district_user):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["DANH SÁCH LỚP BỒI DƯỠNG NĂM 2024"])
    sheet.append([])
    sheet.append(HEADERS)
    sheet.append([class_row(**{"Số hoàn thành": 130})[header] for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run_import(district_user, buffer.getvalue())
    assert import_errors(result) == ["Dòng 4, cột Số hoàn thành: Số hoàn thành (130) lớn hơn số học viên (120)."]


def test_excel_unicode_text_saved_as_txt_is_read(district_user):
    data = csv_text([class_row(**{"Tên lớp": NAME})], delimiter="\t").encode("utf-16")
    assert imported_name(district_user, data, "lop.txt") == NAME


def test_a_missing_required_column_is_one_file_level_message(district_user):
    headers = [header for header in HEADERS if header not in ("Số học viên", "Mã đơn vị")]
    result = run_import(district_user, xlsx_bytes([class_row()], headers=headers))
    assert import_errors(result) == [
        "Thiếu cột bắt buộc: “Mã đơn vị”, “Số học viên”. Dòng tiêu đề cần các cột: " + ", ".join(HEADERS) + ".",
    ]
    assert not result.invalid_rows


def test_unknown_columns_are_named_in_a_warning_and_ignored(district_user):
    headers = ["STT", *HEADERS, "Người lập"]
    rows = [{**class_row(), "STT": 1, "Người lập": "Nguyễn Văn A"}]
    result = import_both_steps(district_user, xlsx_bytes(rows, headers=headers))
    assert result.file_warnings == ["Bỏ qua các cột không dùng: “STT”, “Người lập”."]
    assert TrainingClass.objects.count() == 1


def test_optional_columns_may_be_left_out(district_user):
    headers = ["Mã lớp", "Tên lớp", "Mã chương trình", "Mã đơn vị", "Ngày khai giảng", "Số học viên"]
    import_both_steps(district_user, xlsx_bytes([class_row()], headers=headers))
    training_class = TrainingClass.objects.get()
    assert (training_class.centre.code, training_class.venue, training_class.completed) == (
        "TTCT-443",
        "tai_trung_tam",
        0,
    )


@pytest.mark.parametrize(
    ("cell", "expected"),
    [("1.234", 1234), ("1234", 1234), (1234, 1234), (1234.0, 1234), ("12.345", 12345), ("1 234", 1234), ("0", 0)],
)
def test_vietnamese_thousands_and_numeric_cells_are_read_as_whole_numbers(district_user, cell, expected):
    import_both_steps(
        district_user,
        xlsx_bytes(
            [
                class_row(
                    **{"Số học viên": cell, "Số hoàn thành": 0, "Xuất sắc": 0, "Giỏi": 0, "Khá": 0, "Trung bình": 0}
                )
            ]
        ),
    )
    assert TrainingClass.objects.get().learners == expected


def test_dates_are_read_from_text_and_from_excel_date_cells(district_user):
    rows = [
        class_row(
            "CL-1", **{"Ngày khai giảng": datetime.date(2024, 3, 5), "Ngày bế giảng": datetime.datetime(2024, 3, 9)}
        ),
        class_row("CL-2", **{"Ngày khai giảng": "5/3/2024", "Ngày bế giảng": "2024-03-09"}),
        class_row("CL-3", **{"Ngày khai giảng": "25/03/2024", "Ngày bế giảng": ""}),
        class_row("CL-4", **{"Ngày khai giảng": "05/03/2024 00:00:00", "Ngày bế giảng": "09-03-2024"}),
    ]
    import_both_steps(district_user, xlsx_bytes(rows))
    assert dict(TrainingClass.objects.values_list("code", "start_date")) == {
        "CL-1": datetime.date(2024, 3, 5),
        "CL-2": datetime.date(2024, 3, 5),
        "CL-3": datetime.date(2024, 3, 25),
        "CL-4": datetime.date(2024, 3, 5),
    }
    assert TrainingClass.objects.get(code="CL-3").end_date is None


def test_an_xls_file_is_read_with_its_date_and_number_cells(district_user):
    book = xlwt.Workbook()
    sheet = book.add_sheet("Lớp")
    date_style = xlwt.easyxf(num_format_str="DD/MM/YYYY")
    row = class_row(
        **{"Ngày khai giảng": datetime.date(2024, 3, 5), "Ngày bế giảng": datetime.date(2024, 3, 9), "Tên lớp": NAME}
    )
    for column, header in enumerate(HEADERS):
        sheet.write(0, column, header)
        value = row[header]
        if isinstance(value, datetime.date):
            sheet.write(1, column, value, date_style)
        else:
            sheet.write(1, column, value)
    buffer = io.BytesIO()
    book.save(buffer)
    import_both_steps(district_user, buffer.getvalue(), "lop.xls")
    training_class = TrainingClass.objects.get()
    assert (training_class.name, training_class.start_date, training_class.learners) == (
        NAME,
        datetime.date(2024, 3, 5),
        120,
    )


def test_blank_rows_are_skipped_and_errors_keep_the_sheet_line_numbers(district_user):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([class_row("CL-1")[header] for header in HEADERS])
    sheet.append([])
    sheet.append([])
    sheet.append([class_row("CL-2", **{"Số hoàn thành": 130})[header] for header in HEADERS])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = run_import(district_user, buffer.getvalue())
    assert import_errors(result) == ["Dòng 5, cột Số hoàn thành: Số hoàn thành (130) lớn hơn số học viên (120)."]


def test_a_formula_without_a_computed_value_is_refused_not_read_as_empty(district_user):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    sheet.append([class_row()[header] for header in HEADERS])
    sheet["J2"] = "=I2-2"  # openpyxl stores no computed value
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportFileError, match="Ô J2 có công thức nhưng chưa có giá trị tính sẵn"):
        read_file("lop.xlsx", buffer.getvalue())


def test_a_file_over_the_row_cap_is_refused_with_the_cap(monkeypatch):
    monkeypatch.setattr(importing, "MAX_ROWS", 50)
    data = csv_text([class_row(f"CL-{index}") for index in range(51)]).encode("utf-8")
    with pytest.raises(ImportFileError, match="hơn 50 dòng dữ liệu; mỗi lần nhập tối đa 50 dòng"):
        read_file("lop.csv", data)


def test_the_row_cap_fits_a_whole_provinces_year():
    assert importing.MAX_ROWS >= 5000


def test_a_file_over_the_size_cap_is_refused_with_the_cap():
    with pytest.raises(ImportFileError, match="vượt giới hạn 10 MB"):
        read_file("lop.csv", b"x" * (importing.MAX_FILE_BYTES + 1))


def test_an_xlsx_that_unpacks_past_the_cap_is_refused_before_it_is_read(monkeypatch):
    monkeypatch.setattr(importing, "MAX_UNZIPPED_BYTES", 10_000)
    with pytest.raises(ImportFileError, match="giải nén ra hơn 0 MB"):
        read_file("lop.xlsx", xlsx_bytes([class_row(f"CL-{index}") for index in range(100)]))


@pytest.mark.parametrize("name", ["lop.xlsx", "lop.xls"])
def test_a_damaged_spreadsheet_is_refused_in_vietnamese(name):
    with pytest.raises(ImportFileError, match="Không đọc được tệp"):
        read_file(name, b"PK\x03\x04 not really a workbook")


def test_a_file_with_only_a_header_is_refused():
    with pytest.raises(ImportFileError, match="không có dòng dữ liệu"):
        read_file("lop.csv", ",".join(HEADERS).encode("utf-8"))


@pytest.mark.parametrize(
    ("column", "cell"),
    [
        ("Số học viên", "١٢٠"),
        ("Số học viên", "１２０"),
        ("Số học viên", "๑๒๐"),
        ("Ngày khai giảng", "٠٥/٠٣/٢٠٢٤"),
        ("Ngày khai giảng", "２０２４-０３-０５"),
    ],
)
def test_digits_of_other_scripts_are_refused_naming_the_column(district_user, column, cell):
    result = run_import(district_user, csv_text([class_row(**{column: cell})]).encode("utf-8"), "lop.csv")
    assert import_errors(result) == [
        (
            f"Dòng 2, cột {column}: “{cell}” có chữ số không phải 0–9 (chữ số của bảng chữ khác hoặc chữ số toàn khổ); "
            "hãy gõ lại bằng chữ số 0–9."
        )
    ]
