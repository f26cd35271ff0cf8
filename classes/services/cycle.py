"""The reporting cycle: a year's settings, sending, accepting and returning unit reports, publishing."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from classes import access, selectors
from classes.access import _require_board
from classes.models import AdministrativeUnit, ReportingPeriod, UnitReport
from classes.services.locks import year_lock, year_unlock


def reporting_period_save(*, user, period):
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được đặt hạn báo cáo và điểm đạt chuẩn."))
    with transaction.atomic():
        period.full_clean()
        period.save()
    return period


def _report_refusal(report, action: str) -> ValidationError:
    return ValidationError(
        _("Không thể %(action)s: báo cáo năm %(year)s của %(unit)s đang ở trạng thái “%(status)s”.")
        % {
            "action": action,
            "year": report.year,
            "unit": report.unit.name,
            "status": report.get_status_display(),
        }
    )


def unit_report_submit(*, user, unit: AdministrativeUnit, year: int, note: str = ""):
    """The unit sends its year's figures (đã gửi). Allowed when nothing was sent yet or it was returned.

    A year with no class, or with fewer than half the classes of the year before, is sent
    only with a note saying why (an empty year sent by mistake reads as "no classes")."""
    note = (note or "").strip()
    with transaction.atomic():
        access.write_check(user, unit, year)
        report = UnitReport.objects.select_for_update().filter(unit=unit, year=year).first()
        if report is None:
            report = UnitReport(unit=unit, year=year)
        elif report.status != UnitReport.Status.RETURNED:
            raise _report_refusal(report, _("gửi lại"))
        check = selectors.unit_year_send_check(unit_id=unit.pk, year=year)
        if check["needs_note"] and not note:
            raise ValidationError({"send_note": send_note_question(check, year=year)})
        report.status = UnitReport.Status.SUBMITTED
        report.submitted_by, report.submitted_at = user, timezone.now()
        report.send_note = note
        report.full_clean()
        report.save()
    return report


def send_note_question(check: dict, *, year: int) -> str:
    """Why sending this year needs a note, as the unit reads it (check: selectors.unit_year_send_check)."""
    if check["needs_note"] == "empty":
        return _("Năm %(year)s chưa có lớp nào được mở: ghi rõ lý do nếu vẫn gửi báo cáo năm trống.") % {"year": year}
    return _(
        "Năm %(year)s chỉ có %(classes)s lớp, chưa bằng một nửa năm %(previous)s (%(previous_classes)s lớp): "
        "ghi rõ lý do nếu số liệu đã đủ."
    ) % {
        "year": year,
        "classes": number_format(check["classes"], force_grouping=True),
        "previous": year - 1,
        "previous_classes": number_format(check["previous_classes"], force_grouping=True),
    }


def _published_period(year):
    period = selectors.reporting_period_for(year)
    return period if period is not None and period.published_at else None


def unit_report_accept(*, user, report):
    """The board accepts a sent report (đã duyệt): the unit's year is locked."""
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được duyệt báo cáo."))
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if report.status != UnitReport.Status.SUBMITTED:
            raise _report_refusal(report, _("duyệt"))
        report.status = UnitReport.Status.ACCEPTED
        report.reviewed_by, report.reviewed_at = user, timezone.now()
        report.return_reason = ""
        report.save()
        year_lock(user=user, year=report.year, unit=report.unit, reason=_("Đã duyệt báo cáo năm."))
    return report


def unit_report_return(*, user, report, reason: str):
    """The board sends a report back with a reason (trả lại): the unit's year opens again."""
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được trả lại báo cáo."))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": _("Trả lại báo cáo phải ghi lý do.")})
    with transaction.atomic():
        report = UnitReport.objects.select_for_update().select_related("unit").get(pk=report.pk)
        if report.status == UnitReport.Status.RETURNED:
            raise _report_refusal(report, _("trả lại"))
        if _published_period(report.year):
            raise ValidationError(
                _("Năm %(year)s đã công bố số liệu: không trả lại báo cáo được nữa; Ban sửa trực tiếp nếu cần.")
                % {
                    "year": report.year,
                }
            )
        report.status = UnitReport.Status.RETURNED
        report.reviewed_by, report.reviewed_at = user, timezone.now()
        report.return_reason = reason
        report.save()
        for lock in access.year_locks_of(unit_id=report.unit_id, year=report.year):
            year_unlock(user=user, lock=lock)
    return report


def reporting_period_publish(*, user, year: int):
    """The board publishes a year: its figures are frozen as published and the year is
    locked province-wide. Publishing again replaces the frozen figures."""
    _require_board(user, _("Chỉ Ban Tuyên giáo Tỉnh ủy được công bố số liệu."))
    with transaction.atomic():
        period, _created = ReportingPeriod.objects.select_for_update().get_or_create(year=year)
        period.published_figures = selectors.published_figures_compute(user=user, year=year)
        period.published_at, period.published_by = timezone.now(), user
        period.save()
        year_lock(user=user, year=year, unit=None, reason=_("Đã công bố số liệu năm."))
    return period
