"""Last-week-of-the-year load: district staff add and edit classes and import
small files, the board opens the yearly report, its JSON and its exports.

Run by bench/load/run.sh (headless, 127.0.0.1 only, bounded in time). Every
class a district user creates carries a code starting LOAD-; the codes and the
number of successful edits per class are written to $LOAD_LEDGER at the end so
run.sh can count the rows in the database (no lost or duplicated row).
"""

import itertools
import json
import os
import random
import re
import threading
import uuid

from locust import HttpUser, between, events, task

with open(os.environ["LOAD_SESSIONS"], encoding="utf-8") as _sessions:
    _SESSIONS = json.load(_sessions)
UNITS = os.environ.get("LOAD_UNITS", "436,437,438,439,440,441,442,443,444,445,446,447,448").split(",")
YEAR = int(os.environ.get("LOAD_YEAR", "2023"))
HIDDEN = re.compile(r'<input type="hidden" name="([\w-]+)" value="([^"]*)"')

_ledger_lock = threading.Lock()
_ledger = {"created": [], "edits": {}, "conflicts": 0}
_district_numbers = itertools.count()


def _record(kind, value=None):
    with _ledger_lock:
        if kind == "created":
            _ledger["created"].extend(value)
        elif kind == "edit":
            _ledger["edits"][value] = _ledger["edits"].get(value, 0) + 1
        else:
            _ledger["conflicts"] += 1


@events.test_stop.add_listener
def _write_ledger(environment, **kwargs):
    with open(os.environ["LOAD_LEDGER"], "w", encoding="utf-8") as ledger:
        json.dump(_ledger, ledger)


class StaffUser(HttpUser):
    abstract = True
    username = None

    def on_start(self):
        # A session opened by run.sh for this account; the start page sets the CSRF cookie.
        self.client.cookies.set("sessionid", _SESSIONS[self.username].pop(), domain="127.0.0.1")
        start = self.client.get("/admin/", name="start page", allow_redirects=False)
        if start.status_code != 200 or "csrftoken" not in self.client.cookies:
            raise RuntimeError(f"session of {self.username} refused: {start.status_code}")

    def post_form(self, url, data, name, judge, files=None):
        """POST with the CSRF token; judge(response) returns None for success or the failure reason."""
        data = {**data, "csrfmiddlewaretoken": self.client.cookies["csrftoken"]}
        with self.client.post(
            url, data=data, files=files, name=name, allow_redirects=False, catch_response=True
        ) as response:
            reason = judge(response)
            if reason:
                errors = re.findall(r'class="errorlist[^"]*"[^>]*>\s*<li>(.*?)</li>', response.text)[:2]
                response.failure(f"{reason} {errors}")
            else:
                response.success()
            return response


class DistrictUser(StaffUser):
    weight = 7
    wait_time = between(1, 3)

    def on_start(self):
        number = next(_district_numbers)
        self.unit = UNITS[number % len(UNITS)]
        self.username = f"load-{self.unit}"
        self.mine = []  # (pk, code) of classes this user created
        super().on_start()

    def class_data(self, code, learners):
        return {
            "code": code,
            "name": f"Lớp tải thử {code}",
            "programme": "1",
            "unit": "",
            "centre": "",
            "venue": "tai_trung_tam",
            "status": "da_ket_thuc",
            "start_date": f"05/03/{YEAR + 1}",
            "end_date": f"09/03/{YEAR + 1}",
            "learners": str(learners),
            "completed": str(learners - 2),
            "excellent": "0",
            "good": "0",
            "fair": "0",
            "average": "0",
            "failed": "0",
            "notes": "",
        }

    @task(4)
    def add_class(self):
        form = self.client.get("/admin/classes/trainingclass/add/", name="class add: form")
        programme = re.search(r'<option value="(\d+)"[^>]*>NTD', form.text)
        code = f"LOAD-{self.unit}-{uuid.uuid4().hex[:10]}"
        data = self.class_data(code, random.randint(20, 120))
        data["programme"] = programme.group(1) if programme else "1"
        # A district account sees one unit in the list: its own.
        unit = re.search(r'<select name="unit"[^>]*>.*?<option value="(\d+)"', form.text, re.S)
        data["unit"] = self.unit_pk = unit.group(1) if unit else ""
        response = self.post_form(
            "/admin/classes/trainingclass/add/",
            {**data, "_continue": "1"},
            "class add: save",
            lambda r: None if r.status_code == 302 else f"add refused: {r.status_code}",
        )
        if response.status_code == 302:
            _record("created", [code])
            pk = re.search(r"/(\d+)/change/", response.headers.get("Location", ""))
            if pk:
                self.mine.append((int(pk.group(1)), code, data["programme"]))

    @task(4)
    def edit_class(self):
        if not self.mine:
            return self.add_class()
        pk, code, programme = random.choice(self.mine)
        url = f"/admin/classes/trainingclass/{pk}/change/"
        form = self.client.get(url, name="class edit: form")
        version = re.search(r'name="expected_version" value="(\d+)"', form.text)
        data = self.class_data(code, random.randint(20, 120))
        data.update(programme=programme, unit=self.unit_pk, expected_version=version.group(1) if version else "")
        response = self.post_form(
            url, data, "class edit: save", lambda r: None if r.status_code == 302 else f"edit refused: {r.status_code}"
        )
        if response.status_code == 302:
            _record("edit", code)
        elif "vừa được" in response.text:
            _record("conflict")

    @task(1)
    def import_small_file(self):
        codes = [f"LOAD-{self.unit}-I{uuid.uuid4().hex[:9]}" for _ in range(3)]
        lines = ["Mã lớp,Tên lớp,Mã chương trình,Mã đơn vị,Ngày khai giảng,Số học viên,Số hoàn thành"]
        lines += [f"{code},Lớp nhập từ tệp {code},DVM,{self.unit},12/04/{YEAR + 1},45,44" for code in codes]
        content = ("\r\n".join(lines) + "\r\n").encode("utf-8")
        self.client.get("/admin/classes/trainingclass/import/", name="import: page")
        preview = self.post_form(
            "/admin/classes/trainingclass/import/",
            {"resource": "0"},
            "import: preview",
            lambda r: None if 'name="import_file_name"' in r.text else f"no confirm form: {r.status_code}",
            files={"import_file": ("lop.csv", content, "text/csv")},
        )
        fields = dict(HIDDEN.findall(preview.text))
        if "import_file_name" not in fields:
            return
        confirm = {
            key: fields[key]
            for key in ("import_file_name", "original_file_name", "format", "resource")
            if key in fields
        }
        done = self.post_form(
            "/admin/classes/trainingclass/process_import/",
            confirm,
            "import: confirm",
            lambda r: None if r.status_code == 302 else f"confirm refused: {r.status_code}",
        )
        if done.status_code == 302:
            _record("created", codes)


class BoardUser(StaffUser):
    weight = 3
    wait_time = between(1, 3)
    username = "load-tinh"

    @task(4)
    def report_page(self):
        self.client.get(f"/reports/yearly/{YEAR}/", name="report: page")

    @task(3)
    def report_json(self):
        self.client.get(f"/api/reports/yearly/{YEAR}/", name="report: JSON")

    @task(1)
    def export_xlsx(self):
        self.client.get(f"/reports/yearly/{YEAR}/export.xlsx", name="report: export .xlsx")

    @task(1)
    def export_docx(self):
        self.client.get(f"/reports/yearly/{YEAR}/export.docx", name="report: export .docx")

    @task(1)
    def class_list(self):
        self.client.get(f"/admin/classes/trainingclass/?year={YEAR}", name="board: class list")
