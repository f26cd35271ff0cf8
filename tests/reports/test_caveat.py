"""The honest caveat: while units that must report a year have not all sent it, the report says so."""

import datetime
import io

import openpyxl
import pytest
from django.utils import timezone
from docx import Document

from classes.models import AdministrativeUnit, ReportingPeriod, UnitReport, YearLock
from classes.selectors.training import in_force_on

pytestmark = pytest.mark.django_db


def required_2023():
    units = AdministrativeUnit.objects.exclude(kind=AdministrativeUnit.Kind.PROVINCE)
    return list(in_force_on(units, datetime.date(2023, 12, 31)).order_by("code"))


def send(units, status=UnitReport.Status.SUBMITTED):
    for unit in units:
        reason = "Thiếu kết quả học tập." if status == UnitReport.Status.RETURNED else ""
        UnitReport.objects.create(
            unit=unit, year=2023, status=status, submitted_at=timezone.now(), return_reason=reason
        )


def test_the_paragraph_page_and_exports_name_the_units_that_have_not_sent(small_dataset, client, province_user):
    units = required_2023()
    assert len(units) == 13  # the 13 district-level units of 2023
    send(units[:2])
    send(units[2:3], UnitReport.Status.ACCEPTED)
    send(units[3:4], UnitReport.Status.RETURNED)  # returned: waiting for the unit again
    client.force_login(province_user)
    sentence = "Số liệu của 3/13 đơn vị đã gửi; 10 đơn vị chưa gửi báo cáo."
    report = client.get("/api/reports/yearly/2023/").json()
    assert report["caveat"] == {"sent": 3, "required": 13, "missing": 10}
    assert sentence in report["summary_text"]
    assert report["summary_text"].startswith("Năm 2023, toàn tỉnh mở được 5 lớp")
    assert (
        f'<p class="caveat" id="caveat"><strong>{sentence}</strong></p>'
        in client.get("/reports/yearly/2023/").content.decode()
    )
    word = Document(io.BytesIO(client.get("/reports/yearly/2023/export.docx").content))
    assert any(sentence in paragraph.text for paragraph in word.paragraphs)
    book = openpyxl.load_workbook(io.BytesIO(client.get("/reports/yearly/2023/export.xlsx").content))
    assert any(sentence in str(cell) for row in book.worksheets[0].values for cell in row if cell)


def test_no_caveat_once_every_required_unit_has_sent(small_dataset, client, province_user):
    send(required_2023())
    client.force_login(province_user)
    report = client.get("/api/reports/yearly/2023/").json()
    assert report["caveat"] is None and "chưa gửi báo cáo" not in report["summary_text"]
    assert 'id="caveat"' not in client.get("/reports/yearly/2023/").content.decode()


def test_no_caveat_for_a_year_the_board_locked_or_published_whole(small_dataset, client, province_user):
    client.force_login(province_user)
    assert client.get("/api/reports/yearly/2023/").json()["caveat"]["missing"] == 13
    YearLock.objects.create(year=2023, unit=None, locked_by=province_user)
    assert client.get("/api/reports/yearly/2023/").json()["caveat"] is None
    YearLock.objects.all().delete()
    frozen = {"classes": 5, "learners": 270, "completed": 263}
    figures = {"total": frozen, "by_unit": {}, "by_programme": {}}
    ReportingPeriod.objects.create(year=2023, published_at=timezone.now(), published_figures=figures)
    assert client.get("/api/reports/yearly/2023/").json()["caveat"] is None


def test_a_units_own_report_carries_no_caveat(small_dataset, client, district_user):
    client.force_login(district_user)
    assert client.get("/api/reports/yearly/2023/").json()["caveat"] is None
