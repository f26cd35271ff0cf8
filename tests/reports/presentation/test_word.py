"""The Word report: a Party document (Hướng dẫn 36-HD/VPTW) holding the JSON's figures."""

import datetime
import io

import pytest
from docx import Document

from classes.models import AdministrativeUnit, AnnualPlan, LearningNeedsSurvey, Programme
from reports.presentation.party import board_name, issuing_body
from tests.browser.pages import ARTIFACTS
from tests.reports.test_yearly import empty_cache, report_data  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.fixture
def planned(report_data):  # noqa: F811
    """A 2023 plan for Can Lộc (4 classes, 200 learners) and a 2024 plan and survey."""
    can_loc, ntd = AdministrativeUnit.objects.get(code="443"), Programme.objects.get(code="NTD")
    AnnualPlan.objects.create(year=2023, unit=can_loc, programme=ntd, planned_classes=4, planned_learners=200)
    AnnualPlan.objects.create(year=2024, unit=can_loc, programme=ntd, planned_classes=6, planned_learners=330)
    LearningNeedsSurvey.objects.create(
        year=2024, unit=can_loc, programme=ntd, people_needing=350, survey_date=datetime.date(2023, 10, 1)
    )
    return report_data


def texts(document):
    return [p.text for p in document.paragraphs]


def head_texts(document):
    return [p.text for cell in document.tables[0]._cells for p in cell.paragraphs if p.text]


def download(client, user, name):
    client.force_login(user)
    data = client.get("/api/reports/yearly/2023/").json()
    response = client.get("/reports/yearly/2023/export.docx")
    assert response.status_code == 200
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / name).write_bytes(response.content)
    return data, Document(io.BytesIO(response.content))


def test_the_board_report_is_an_a4_party_document_with_the_guides_margins_and_font(planned, client, province_user):
    _data, document = download(client, province_user, "bao-cao-2023-tinh.docx")
    section = document.sections[0]
    # Word stores twentieths of a point: millimetres to the tenth.
    assert [round(length.mm, 1) for length in (section.page_width, section.page_height)] == [210, 297]
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert [round(length.mm, 1) for length in margins] == [20, 20, 30, 15]
    assert document.styles["Normal"].font.name == "Times New Roman" and document.styles["Normal"].font.size.pt == 14
    runs = [run for p in document.paragraphs for run in p.runs if run.text.strip()]
    assert {run.font.name for run in runs} == {"Times New Roman"}
    # Page numbers from the second page: the first page has its own, empty header.
    assert section.different_first_page_header_footer and 'w:instr="PAGE"' in section.header._element.xml
    assert not section.first_page_header.paragraphs[0].text


def test_the_board_report_has_the_compulsory_parts_in_order(planned, client, province_user):
    _data, document = download(client, province_user, "bao-cao-2023-tinh.docx")
    assert head_texts(document) == [
        "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "BAN TUYÊN GIÁO TỈNH ỦY",  # 2023: before the boards merged
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số     -BC/BTGTU",
        "Hà Tĩnh, ngày … tháng … năm …",
    ]
    paragraphs = texts(document)
    order = [
        "BÁO CÁO",
        "kết quả công tác giáo dục lý luận chính trị năm 2023, phương hướng, nhiệm vụ năm 2024",
        "I. KẾT QUẢ CÔNG TÁC GIÁO DỤC LÝ LUẬN CHÍNH TRỊ NĂM 2023",
        "II. ĐÁNH GIÁ CHUNG",
        "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM 2024",
    ]
    assert [paragraphs.index(text) for text in order] == sorted(paragraphs.index(text) for text in order)
    title = next(p for p in document.paragraphs if p.text == "BÁO CÁO")
    assert title.runs[0].bold and title.runs[0].font.size.pt == 16
    headings = [p for p in document.paragraphs if p.text[:3] in ("I. ", "II.", "III") or p.text[:2] in ("1.", "2.")]
    assert headings and all(p.paragraph_format.keep_with_next for p in headings)
    signature = document.tables[-1]
    recipients = [p.text for p in signature.cell(0, 0).paragraphs]
    assert recipients[0] == "Nơi nhận:" and "- Thường trực Tỉnh ủy (để báo cáo)," in recipients
    assert [p.text for p in signature.cell(0, 1).paragraphs if p.text][0] == "TRƯỞNG BAN"


def test_the_board_report_holds_the_jsons_figures_in_numbered_tables_and_the_charts(planned, client, province_user):
    data, document = download(client, province_user, "bao-cao-2023-tinh.docx")
    captions = [p.text for p in document.paragraphs if p.text.startswith("Biểu ") and not p.text.startswith("Biểu đồ")]
    assert captions[:3] == [
        "Biểu 1. Số lớp, số học viên năm 2023 so với năm 2022",
        "Biểu 2. Số lớp, số học viên theo đơn vị năm 2023",
        "Biểu 3. Số lớp, số học viên theo địa bàn năm 2023",
    ]
    assert [int(c.split(".")[0].split()[1]) for c in captions] == list(range(1, len(captions) + 1))
    tables = document.tables[1:-1]  # between the head and the signature
    assert len(tables) == len(captions)
    totals, by_unit, by_area, by_programme, by_venue, by_centre, results, plan, commendations, outlook = tables
    assert [c.text for c in totals.rows[1].cells] == ["Số lớp mở được", "5", "3", "+2", "+66,7%"]
    assert [c.text for c in totals.rows[2].cells] == ["Số học viên", "270", "150", "+120", "+80,0%"]
    # Two header rows repeated on every page; every column of the page's table, the completed one too.
    assert [c.text for c in by_unit.rows[1].cells] == [
        "Đơn vị",
        "2023",
        "2022",
        "Tăng/giảm",
        "%",
        "2023",
        "2022",
        "Tăng/giảm",
        "%",
        "Hoàn thành 2023",
    ]
    assert all(
        row._tr.trPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None
        for row in by_unit.rows[:2]
    )
    for table, key in (
        (by_unit, "by_unit"),
        (by_area, "by_area"),
        (by_programme, "by_programme"),
        (by_venue, "by_venue"),
        (by_centre, "by_centre"),
    ):
        assert [row.cells[0].text for row in table.rows[2:]] == [e["name"] for e in data[key]] + ["Tổng cộng"]
    can_loc = next(row for row in by_unit.rows if row.cells[0].text == "Huyện Can Lộc")
    assert [c.text for c in can_loc.cells] == [
        "Huyện Can Lộc",
        "3",
        "1",
        "+2",
        "+200,0%",
        "180",
        "50",
        "+130",
        "+260,0%",
        "175",
    ]
    assert [c.text for c in by_unit.rows[-1].cells] == [
        "Tổng cộng",
        "5",
        "3",
        "+2",
        "+66,7%",
        "270",
        "150",
        "+120",
        "+80,0%",
        "263",
    ]
    # Names stay on one line; numbers sit right.
    assert "<w:noWrap/>" in can_loc.cells[0]._tc.xml and can_loc.cells[1].paragraphs[0].alignment == 2
    assert [c.text for c in results.rows[1].cells] == ["Xuất sắc", "15", "5,7%", "5", "3,3%", "+10"]
    assert [c.text for c in plan.rows[2].cells] == ["Huyện Can Lộc", "4", "3", "75,0%", "200", "180", "90,0%"]
    assert [c.text for c in commendations.rows[1].cells] == [
        "Giấy khen",
        "Trung tâm Chính trị huyện Can Lộc (tập thể)",
        "125-QĐ/BTGTU",
        "28/11/2023",
    ]
    assert [c.text for c in outlook.rows[-1].cells] == ["Tổng cộng", "6", "330", "350"]
    assert data["summary_text"] in texts(document)
    pictures = document.inline_shapes
    assert len(pictures) == 3 and all(shape.width == pictures[0].width for shape in pictures)
    assert [p.text for p in document.paragraphs if p.text.startswith("Biểu đồ ")] == [
        "Biểu đồ 1. Số lớp mở được theo năm",
        "Biểu đồ 2. Số học viên theo năm",
        "Biểu đồ 3. Số lớp theo đơn vị: năm 2023 so với năm 2022",
    ]


def test_the_report_is_vietnamese_whatever_the_interface_language(planned, client, province_user):
    client.force_login(province_user)
    client.cookies["django_language"] = "en"
    document = Document(io.BytesIO(client.get("/reports/yearly/2023/export.docx", HTTP_ACCEPT_LANGUAGE="en").content))
    assert "BÁO CÁO" in texts(document) and "Nơi nhận:" in [p.text for p in document.tables[-1].cell(0, 0).paragraphs]
    assert any(row.cells[0].text == "Tổng cộng" for row in document.tables[2].rows)


def test_a_districts_report_is_issued_by_its_own_board_with_only_its_figures(planned, client, district_user):
    data, document = download(client, district_user, "bao-cao-2023-443.docx")
    assert head_texts(document) == [
        "ĐẢNG BỘ HUYỆN CAN LỘC",
        "BAN TUYÊN GIÁO HUYỆN ỦY",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số     -BC/BTGHU",
        "Can Lộc, ngày … tháng … năm …",
    ]
    by_unit = document.tables[2]
    assert [row.cells[0].text for row in by_unit.rows[2:]] == ["Huyện Can Lộc", "Tổng cộng"]
    assert [c.text for c in by_unit.rows[-1].cells][1:3] == [str(data["totals"]["classes"]), "1"]
    text = "\n".join(texts(document) + [c.text for t in document.tables for r in t.rows for c in r.cells])
    assert "Đức Thọ" not in text


def test_a_communes_report_is_issued_by_its_party_committee(client, django_user_model):
    from classes import services
    from tests.factories import PASSWORD, make_class

    commune = AdministrativeUnit.objects.get(code="18406")
    user = services.user_save(username="xacanloc", role="district", unit=commune, password=PASSWORD)
    from classes.models import TrainingCentre

    TrainingCentre.objects.get_or_create(code="TTCT-18406", defaults={"name": "Đảng ủy xã Can Lộc", "unit": commune})
    make_class("XCL-2026-01", "18406", start=datetime.date(2026, 3, 2), learners=45, completed=45)
    client.force_login(user)
    data = client.get("/api/reports/yearly/2026/").json()
    response = client.get("/reports/yearly/2026/export.docx")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "bao-cao-2026-18406.docx").write_bytes(response.content)
    document = Document(io.BytesIO(response.content))
    assert head_texts(document) == [
        "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "ĐẢNG ỦY XÃ CAN LỘC",
        "*",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Số     -BC/ĐU",
        "Can Lộc, ngày … tháng … năm …",
    ]
    assert "kết quả công tác giáo dục lý luận chính trị năm 2026, phương hướng, nhiệm vụ năm 2027" in texts(document)
    assert [c.text for c in document.tables[1].rows[2].cells][:2] == ["Số học viên", str(data["totals"]["learners"])]
    signer = [p.text for p in document.tables[-1].cell(0, 1).paragraphs if p.text]
    assert signer[:2] == ["T/M ĐẢNG ỦY", "BÍ THƯ"]
    assert "- Ban Tuyên giáo và Dân vận Tỉnh ủy (để báo cáo)," in [
        p.text for p in document.tables[-1].cell(0, 0).paragraphs
    ]
    assert len(document.inline_shapes) == 3


def test_the_boards_name_changes_with_the_2025_merger():
    assert board_name(2024) == "Ban Tuyên giáo Tỉnh ủy" and board_name(2025) == "Ban Tuyên giáo và Dân vận Tỉnh ủy"
    body = issuing_body({"level": "province", "code": "42", "name": "Tỉnh Hà Tĩnh"}, 2026)
    assert (body.upper, body.name, body.symbol) == (
        "ĐẢNG BỘ TỈNH HÀ TĨNH",
        "BAN TUYÊN GIÁO VÀ DÂN VẬN TỈNH ỦY",
        "BC/BTGDVTU",
    )


def test_the_schools_report_is_issued_by_the_school():
    body = issuing_body({"level": "centre", "code": "TCT-HT", "name": "Trường Chính trị Trần Phú"}, 2026)
    assert (body.upper, body.name, body.title) == ("ĐẢNG BỘ TỈNH HÀ TĨNH", "TRƯỜNG CHÍNH TRỊ TRẦN PHÚ", "HIỆU TRƯỞNG")
