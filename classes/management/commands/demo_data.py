import time

from django.core.management.base import BaseCommand, CommandError
from django.utils.formats import number_format

from classes.demo import loader as demo
from classes.models import TrainingClass


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu mẫu: quy mô tỉnh (13 huyện, số liệu của Hội nghị tổng kết 2023) hoặc quy mô toàn quốc "
        "(63 tỉnh mẫu, khoảng 700 đơn vị, 50.000 lớp một năm) để đo tốc độ."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--years", help="Khoảng năm, ví dụ 2019-2024 (mặc định: tỉnh 2019-2024, toàn quốc 20 năm đến 2024)."
        )
        parser.add_argument("--scale", choices=("province", "national"), default="province")
        parser.add_argument("--seed", type=int, default=2023, help="Cùng hạt giống, cùng dữ liệu.")
        parser.add_argument("--reset", action="store_true", help="Xóa dữ liệu mẫu cũ trước (chỉ dữ liệu mẫu).")
        parser.add_argument(
            "--allow-with-real-data",
            action="store_true",
            help="Cho phép thêm dữ liệu mẫu vào cơ sở dữ liệu đã có lớp thật.",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Không làm gì nếu cơ sở dữ liệu đã có lớp (dùng cho make run).",
        )
        parser.add_argument(
            "--classes-per-year",
            type=int,
            default=demo.NATIONAL_CLASSES_PER_YEAR,
            help="Quy mô toàn quốc: số lớp mỗi năm (bản đo nhanh dùng số nhỏ hơn).",
        )

    def handle(self, *args, **options):
        if options["if_empty"] and TrainingClass.objects.exists():
            self.stdout.write("Cơ sở dữ liệu đã có lớp: không tạo dữ liệu mẫu.")
            return
        if demo.real_classes_exist() and not options["allow_with_real_data"]:
            raise CommandError(
                "Cơ sở dữ liệu đã có lớp thật (không phải dữ liệu mẫu): không tạo dữ liệu mẫu. "
                "Nếu chắc chắn, chạy lại với --allow-with-real-data."
            )
        started = time.monotonic()
        try:
            years = demo.parse_years(options["years"]) if options["years"] else None
            if options["reset"]:
                removed = demo.demo_reset()
                self.stdout.write(
                    "Đã xóa dữ liệu mẫu: {trainingclass} lớp, {commendation} khen thưởng, "
                    "{administrativeunit} đơn vị, {trainingcentre} trung tâm.".format(**removed)
                )
            elif demo.demo_rows_exist():
                raise CommandError("Đã có dữ liệu mẫu. Chạy lại với --reset để tạo lại.")
            if options["scale"] == "national":
                if options["classes_per_year"] < 1:
                    raise CommandError("--classes-per-year phải là số nguyên dương.")
                summary = demo.load_national(
                    years=years, seed=options["seed"], classes_per_year=options["classes_per_year"]
                )
            else:
                summary = demo.load_province(years=years or demo.DEFAULT_YEARS, seed=options["seed"])
        except demo.DemoError as error:
            raise CommandError(str(error)) from error
        self._report(summary, time.monotonic() - started)
        if options["scale"] == "province" and demo.is_default_local_database():
            self._users(demo.demo_users_save(demo.UNIT_WEIGHTS))

    def _report(self, summary, seconds):
        self.stdout.write(
            self.style.SUCCESS(
                f"Dữ liệu mẫu quy mô {'tỉnh' if summary.scale == 'province' else 'toàn quốc'}: "
                f"{number_format(summary.classes, force_grouping=True)} lớp, {summary.units} đơn vị, "
                f"{summary.commendations} khen thưởng, trong {number_format(round(seconds, 1))} giây."
            )
        )
        for year, (classes, learners) in summary.by_year.items():
            self.stdout.write(
                f"  Năm {year}: {number_format(classes, force_grouping=True)} lớp, "
                f"{number_format(learners, force_grouping=True)} học viên (được tính vào báo cáo)"
            )

    def _users(self, users):
        self.stdout.write("Tài khoản mẫu (chỉ trên cơ sở dữ liệu SQLite cục bộ; mật khẩu mới mỗi lần chạy):")
        for username, role, password in users:
            self.stdout.write(f"  {username:<14} {role:<9} {password}")
