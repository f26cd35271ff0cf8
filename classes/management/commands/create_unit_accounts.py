"""`manage.py create_unit_accounts --on YYYY-MM-DD [--out FILE.xlsx]`.

One unit-staff account for every unit in force that day that has none, each with a
one-time password it must change at first login. The passwords are shown once: in
the workbook (--out) or, without it, on the screen. A second run creates only what
is missing and never shows an old password again.
"""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from classes import services


class Command(BaseCommand):
    help = "Tạo tài khoản cán bộ đơn vị (mật khẩu dùng một lần) cho mọi đơn vị có hiệu lực vào một ngày mà chưa có tài khoản."

    def add_arguments(self, parser):
        # Not `required`: argparse would refuse in English.
        parser.add_argument("--on", default="", help="Ngày xét hiệu lực, dạng YYYY-MM-DD (ví dụ 2025-07-01).")
        parser.add_argument(
            "--out", default="", help="Tệp Excel (.xlsx) ghi tên đăng nhập và mật khẩu; không ghi đè tệp đã có."
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(**options)

    def _handle(self, *, on, out, **options):
        day = self._day(on)
        path = self._path(out) if out else None
        result = services.unit_accounts_create(
            day=day, on_created=(lambda accounts: self._write(path, accounts)) if path else None
        )
        created = result["created"]
        if created and path is None:
            self._print(created)
        for unit in result["name_taken"]:
            self.stderr.write(
                _("Bỏ qua %(unit)s (%(code)s): tên đăng nhập %(username)s đã thuộc một tài khoản khác.")
                % {"unit": unit.name, "code": unit.code, "username": services.unit_account_username(unit)}
            )
        summary = _("Ngày %(day)s: đã tạo %(created)s tài khoản; %(existing)s đơn vị đã có tài khoản.") % {
            "day": date_format(day, "SHORT_DATE_FORMAT"),
            "created": len(created),
            "existing": result["existing"],
        }
        if created and path is not None:
            summary += " " + _(
                "Mật khẩu dùng một lần đã ghi vào %(path)s; mỗi tài khoản phải đổi mật khẩu khi đăng nhập lần đầu."
            ) % {"path": path}
        elif created:
            summary += " " + _(
                "Mật khẩu dùng một lần chỉ hiện một lần này; mỗi tài khoản phải đổi mật khẩu khi đăng nhập lần đầu."
            )
        self.stdout.write(self.style.SUCCESS(summary))

    def _day(self, text):
        if not text:
            raise CommandError(_("Thiếu ngày: thêm --on YYYY-MM-DD (ví dụ --on 2025-07-01)."))
        try:
            return datetime.date.fromisoformat(text.strip())
        except ValueError:
            raise CommandError(
                _("Ngày “%(value)s” không hợp lệ; viết dạng YYYY-MM-DD, ví dụ 2025-07-01.") % {"value": text}
            ) from None

    def _path(self, text):
        path = Path(text)
        if path.suffix.lower() != ".xlsx":
            raise CommandError(_("Tệp “%(path)s” phải có đuôi .xlsx.") % {"path": text})
        if path.exists():
            # It may hold the passwords of an earlier run that were not handed out yet.
            raise CommandError(
                _("Tệp “%(path)s” đã có; chọn tên khác để không ghi đè danh sách mật khẩu cũ.") % {"path": text}
            )
        if not path.parent.is_dir():
            raise CommandError(_("Không có thư mục “%(folder)s”.") % {"folder": path.parent})
        return path

    @staticmethod
    def _headers():
        return [_("Tên đăng nhập"), _("Mã đơn vị"), _("Tên đơn vị"), _("Mật khẩu dùng một lần")]

    def _write(self, path, accounts):
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = _("Tài khoản")
        sheet.append(self._headers())
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for user, unit, password in accounts:
            sheet.append([user.username, unit.code, unit.name, password])
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                cell.number_format = "@"  # codes and passwords stay text (18406, not a number)
        for column, width in zip("ABCD", (16, 12, 32, 22)):
            sheet.column_dimensions[column].width = width
        try:
            workbook.save(path)
        except OSError as error:
            raise CommandError(
                _("Không ghi được tệp “%(path)s”: %(reason)s. Chưa tạo tài khoản nào.")
                % {
                    "path": path,
                    "reason": error.strerror or error,
                }
            ) from None

    def _print(self, accounts):
        rows = [self._headers()] + [
            [user.username, unit.code, unit.name, password] for user, unit, password in accounts
        ]
        widths = [max(len(str(row[index])) for row in rows) for index in range(4)]
        for row in rows:
            self.stdout.write("  ".join(str(value).ljust(width) for value, width in zip(row, widths)).rstrip())
