import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection

from classes.models import User


class Command(BaseCommand):
    help = "Tạo tài khoản quản trị cục bộ trên cơ sở dữ liệu SQLite mặc định nếu chưa có."

    def handle(self, *args, **options):
        default_sqlite = str(settings.BASE_DIR / "db.sqlite3")
        if connection.vendor != "sqlite" or str(connection.settings_dict["NAME"]) != default_sqlite:
            self.stdout.write("Không phải cơ sở dữ liệu mặc định: không tạo tài khoản quản trị cục bộ.")
            return
        users = get_user_model().objects
        if users.filter(is_superuser=True).exists():
            self.stdout.write(
                "Đã có tài khoản quản trị; đặt lại mật khẩu bằng: DEBUG=true .venv/bin/python manage.py changepassword admin"
            )
            return
        password = secrets.token_urlsafe(12)
        users.create_superuser("admin", password=password, role=User.Role.ADMIN)
        self.stdout.write(self.style.SUCCESS(f"Đã tạo tài khoản quản trị: admin / {password}"))
