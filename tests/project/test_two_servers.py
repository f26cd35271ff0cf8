"""Two gunicorn servers sharing one PostgreSQL and one Redis: nothing depends on which
server a request reaches (README, Deployment: several app servers). PostgreSQL only;
on SQLite tests/conftest.py deselects these."""

import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
import redis
from django.db import connection

from tests.classes.spreadsheets.helpers import class_row, xlsx_bytes

pytestmark = pytest.mark.two_servers
ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "Mat-khau-thu-2024!"
SETUP = f"""
from classes import services
from classes.models import AdministrativeUnit, User
services.user_save(username="canloc", role="district", unit=AdministrativeUnit.objects.get(code="443"),
                   password={PASSWORD!r})
services.user_save(username="tinh", role="province", password={PASSWORD!r}, first_name="Ban Tuyên giáo")
User.objects.update(must_change_password=False)
"""
IMPORT = "/admin/classes/trainingclass/import/"
CONFIRM = "/admin/classes/trainingclass/process_import/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{url}: the server stopped"
        try:
            with urllib.request.urlopen(url, timeout=5) as answer:
                if answer.status == 200:
                    return
        except OSError:  # refused, reset or timed out while the workers start
            time.sleep(0.3)
    raise AssertionError(f"{url} never answered")


class Browser:
    """One person's cookies, sent to whichever server is asked."""

    def __init__(self):
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def csrf(self):
        return next(cookie.value for cookie in self.jar if cookie.name == "csrftoken")

    def get(self, url):
        with self.opener.open(url, timeout=60) as answer:
            return answer.status, answer.read().decode()

    def post(self, url, fields, files=None):
        fields = {**fields, "csrfmiddlewaretoken": self.csrf()}
        if files:
            boundary = uuid.uuid4().hex
            parts = [
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
                for name, value in fields.items()
            ]
            for name, (filename, data) in files.items():
                head = f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                parts.append(head.encode() + b"Content-Type: application/octet-stream\r\n\r\n" + data + b"\r\n")
            body = b"".join(parts) + f"--{boundary}--\r\n".encode()
            kind = f"multipart/form-data; boundary={boundary}"
        else:
            body, kind = urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded"
        origin = re.match(r"https?://[^/]+", url).group(0)
        request = urllib.request.Request(url, body, {"Content-Type": kind, "Referer": url, "Origin": origin})
        with self.opener.open(request, timeout=60) as answer:
            return answer.status, answer.read().decode()

    def log_in(self, server, username):
        self.get(f"{server}/admin/login/")
        status, html = self.post(f"{server}/admin/login/?next=/admin/", {"username": username, "password": PASSWORD})
        assert status == 200 and "/admin/logout/" in html, html[:2000]


@pytest.fixture(scope="module")
def stack(tmp_path_factory, django_db_blocker):
    """Redis on a free port, a database of its own on the test's PostgreSQL, two gunicorns."""
    import psycopg

    tmp = tmp_path_factory.mktemp("two-servers")
    server_binary = shutil.which("redis-server")
    assert server_binary, "redis-server is not installed (apt-get install redis-server)"
    redis_port = free_port()
    processes = [
        subprocess.Popen(
            [server_binary, "--port", str(redis_port), "--bind", "127.0.0.1", "--dir", str(tmp)]
            + ["--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
    ]
    params = connection.settings_dict
    server = {"host": params["HOST"], "port": params["PORT"], "user": params["USER"], "password": params["PASSWORD"]}
    name = f"two_servers_{secrets.token_hex(4)}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"postgres://{params['USER']}@{params['HOST']}:{params['PORT']}/{name}",
        "CACHE_URL": f"redis://127.0.0.1:{redis_port}/0",
        "STATIC_ROOT": str(tmp / "static"),
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "WEB_CONCURRENCY": "2",
    }
    try:
        for command in (["migrate", "--noinput"], ["collectstatic", "--noinput"], ["shell", "-c", SETUP]):
            done = subprocess.run(
                [sys.executable, "manage.py", *command], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
            )
            assert done.returncode == 0, done.stderr[-3000:]
        urls = []
        for index in range(2):
            port = free_port()
            # A temporary folder each, as on two hosts: only the shared Redis can carry a preview.
            (tmp / f"tmp-{index}").mkdir()
            origin = f"http://127.0.0.1:{port}"
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "gunicorn", "hatinh_training.wsgi:application"]
                    + ["-c", "hatinh_training/gunicorn_conf.py"],
                    cwd=ROOT,
                    env={
                        **env,
                        "BIND": f"127.0.0.1:{port}",
                        "CSRF_TRUSTED_ORIGINS": origin,
                        "TMPDIR": str(tmp / f"tmp-{index}"),
                    },
                    stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL,
                )
            )
            urls.append(origin)
        for url, process in zip(urls, processes[1:], strict=True):
            wait_for(f"{url}/healthz", process)
        yield {"a": urls[0], "b": urls[1], "redis": redis.Redis(port=redis_port)}
    finally:
        for process in reversed(processes):
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def confirm_fields(html):
    fields = {}
    for name in ("import_file_name", "original_file_name", "format", "resource"):
        tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', html).group(0)
        fields[name] = re.search(r'value="([^"]*)"', tag).group(1)
    return fields


def upload(browser, server, code):
    data = xlsx_bytes([class_row(code)])
    return browser.post(f"{server}{IMPORT}", {"resource": "0"}, {"import_file": ("lop.xlsx", data)})


def test_a_preview_on_one_server_is_confirmed_on_the_other_and_a_lock_and_a_report_are_shared(stack):
    a, b, shared = stack["a"], stack["b"], stack["redis"]
    district = Browser()
    district.log_in(a, "canloc")

    status, preview = upload(district, a, "CL-2024-01")
    assert status == 200 and "1 dòng mới, 0 dòng thay đổi, 0 dòng không đổi." in preview
    status, done = district.post(f"{b}{CONFIRM}", confirm_fields(preview))
    assert status == 200 and "Đã nhập xong: 1 mới, 0 thay đổi, 0 không đổi." in done
    assert "CL-2024-01" in district.get(f"{b}/admin/classes/trainingclass/")[1]

    board = Browser()
    board.log_in(a, "tinh")
    status, report_a = board.get(f"{a}/api/reports/yearly/2024/")
    assert status == 200 and report_a.startswith("{")
    keys = sorted(shared.keys("*reports:yearly:2024*"))
    assert len(keys) == 1, "the report computed on A is not in the shared Redis"
    assert board.get(f"{b}/api/reports/yearly/2024/") == (200, report_a)
    assert sorted(shared.keys("*reports:yearly:2024*")) == keys  # B served A's entry, built none

    board.get(f"{a}/admin/classes/yearlock/add/")
    status, locked = board.post(
        f"{a}/admin/classes/yearlock/add/", {"year": "2024", "unit": "", "reason": "Đã công bố"}
    )
    assert status == 200 and "đã khóa" in locked
    status, refused = upload(district, b, "CL-2024-02")
    assert "Số liệu năm 2024 của toàn tỉnh đã khóa" in refused
    assert "CL-2024-02" not in district.get(f"{b}/admin/classes/trainingclass/")[1]
    # The lock renewed the year's stamp: B misses A's entry and builds a new one at once.
    assert board.get(f"{b}/api/reports/yearly/2024/")[0] == 200
    assert len(shared.keys("*reports:yearly:2024*")) == 2
