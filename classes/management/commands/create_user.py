"""`manage.py create_user USERNAME --role district|province|admin|centre [--unit CODE] [--centre CODE]`.

The password comes from HATINH_PASSWORD when set (for scripts creating the 13
district accounts), otherwise from a prompt asked twice. Nothing is written
unless every check passes.
"""

import getpass
import os
import sys

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from classes import services
from classes.models import AdministrativeUnit, TrainingCentre, User
from classes.roles import GROUP_NAMES
from classes.text import error_text

PASSWORD_ENV = "HATINH_PASSWORD"


class Command(BaseCommand):
    help = (
        "Tạo hoặc cập nhật tài khoản: cán bộ đơn vị (district, cần --unit), Ban Tuyên giáo Tỉnh ủy (province), "
        "quản trị (admin) hoặc cán bộ trung tâm (centre, cần --centre)."
    )

    def add_arguments(self, parser):
        parser.add_argument("username", help="Tên đăng nhập.")
        # Neither `choices` nor `required`: argparse would refuse in English.
        parser.add_argument("--role", default="", help="district, province, admin hoặc centre.")
        parser.add_argument(
            "--unit", help="Mã đơn vị (mã Tổng cục Thống kê, ví dụ 443 hoặc 18406); bắt buộc với district."
        )
        parser.add_argument("--centre", help="Mã trung tâm (ví dụ TCT-HT); bắt buộc với centre.")
        parser.add_argument("--first-name", default=None, help="Tên hiển thị (không bắt buộc).")

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(**options)

    def _handle(self, *, username, role, unit, centre, first_name, **options):
        username = username.strip()
        if not username:
            raise CommandError(_("Tên đăng nhập không được để trống."))
        if not role:
            raise CommandError(
                _("Thiếu vai trò: thêm --role district, --role province, --role admin hoặc --role centre.")
            )
        if role not in GROUP_NAMES:
            raise CommandError(
                _("Vai trò không hợp lệ: “%(role)s”. Chọn một trong: district, province, admin, centre.")
                % {"role": role}
            )
        unit_obj = self._unit(role, unit)
        centre_obj = self._centre(role, centre)
        existing = User.objects.filter(username=username).first()
        password = self._password(existing)

        candidate = existing or User(username=username)
        if first_name is not None:
            candidate.first_name = first_name
        if password is not None:
            try:
                password_validation.validate_password(password, user=candidate)
            except ValidationError as error:
                raise CommandError(_("Mật khẩu chưa đạt: %(reasons)s") % {"reasons": error_text(error)}) from None

        fields = {"first_name": first_name} if first_name is not None else {}
        try:
            user = services.user_save(
                username=username, role=role, unit=unit_obj, centre=centre_obj, password=password, **fields
            )
        except ValidationError as error:
            raise CommandError(error_text(error)) from None

        place = unit_obj or centre_obj
        details = str(User.Role(role).label) + (f", {place.name}" if place else "")
        template = (
            _("Đã cập nhật tài khoản %(username)s (%(details)s).")
            if existing
            else _("Đã tạo tài khoản %(username)s (%(details)s).")
        )
        self.stdout.write(self.style.SUCCESS(template % {"username": user.username, "details": details}))

    def _unit(self, role, code):
        if role == User.Role.DISTRICT:
            if not code:
                raise CommandError(_("Cán bộ huyện phải gắn với một đơn vị: thêm --unit MÃ (ví dụ --unit 443)."))
        elif code:
            raise CommandError(_("Chỉ cán bộ huyện gắn với đơn vị; bỏ --unit với vai trò %(role)s.") % {"role": role})
        else:
            return None
        unit = AdministrativeUnit.objects.filter(code=code.strip()).first()
        if unit is None:
            raise CommandError(
                _("Không có đơn vị mã “%(code)s”. Xem danh sách mã trong trang Đơn vị hành chính.") % {"code": code}
            )
        return unit

    def _centre(self, role, code):
        if role == User.Role.CENTRE:
            if not code:
                raise CommandError(
                    _("Cán bộ trung tâm phải gắn với một trung tâm: thêm --centre MÃ (ví dụ --centre TCT-HT).")
                )
        elif code:
            raise CommandError(
                _("Chỉ cán bộ trung tâm gắn với trung tâm; bỏ --centre với vai trò %(role)s.") % {"role": role}
            )
        else:
            return None
        centre = TrainingCentre.objects.filter(code=code.strip()).first()
        if centre is None:
            raise CommandError(
                _("Không có trung tâm mã “%(code)s”. Xem danh sách mã trong trang Trung tâm đào tạo.") % {"code": code}
            )
        return centre

    def _password(self, existing):
        """The new password, or None to keep an existing user's current one."""
        from_env = os.environ.get(PASSWORD_ENV)
        if from_env:
            return from_env
        if not self._interactive():
            raise CommandError(
                _("Không có mật khẩu: đặt biến môi trường %(env)s hoặc chạy lệnh trong cửa sổ dòng lệnh để nhập.")
                % {"env": PASSWORD_ENV}
            )
        prompt = _("Mật khẩu (để trống để giữ mật khẩu cũ): ") if existing else _("Mật khẩu: ")
        first = getpass.getpass(prompt)
        if not first:
            if existing:
                return None
            raise CommandError(_("Mật khẩu không được để trống."))
        if getpass.getpass(_("Nhập lại mật khẩu: ")) != first:
            raise CommandError(_("Hai lần nhập mật khẩu không khớp; chưa tạo hay sửa gì."))
        return first

    def _interactive(self):
        return sys.stdin.isatty()
