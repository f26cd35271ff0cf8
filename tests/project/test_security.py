"""Production settings, login throttling, sessions, CSRF, uploads, health check and logs."""

import datetime
import io
import json
import logging
import os
import re
import runpy
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessAttemptExpiration
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import TemporaryUploadedFile
from django.core.management import call_command
from django.db import OperationalError
from django.db.models import F
from django.test import Client, RequestFactory, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from hatinh_training import health, security
from hatinh_training.security import SESSION_SEEN_KEY
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
LOGIN_URL = reverse("admin:login")
PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "k" * 20 + "production-test-key-with-enough-entropy-!x9Qz",
    "ALLOWED_HOSTS": "daotao.example",
    "CSRF_TRUSTED_ORIGINS": "https://daotao.example",
    "DATABASE_URL": "postgres://hatinh@127.0.0.1:5432/hatinh",
}


def run_with_env(env_overrides, *args, drop=()):
    env = {key: value for key, value in os.environ.items() if key not in ("DEBUG", *drop)}
    env.update(env_overrides)
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


SETTINGS_SHOWN = (
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY",
    "SECURE_PROXY_SSL_HEADER",
    "DATABASES",
)


def production_settings(**overrides):
    """The settings a fresh process reads from the production environment."""
    script = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{name: getattr(settings, name) for name in {SETTINGS_SHOWN!r}}}, default=str))"
    )
    result = run_with_env(
        {**PRODUCTION_ENV, "DJANGO_SETTINGS_MODULE": "hatinh_training.settings", **overrides}, "-c", script
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- deployment settings -------------------------------------------------------------------


def test_the_production_environment_passes_the_deployment_checks():
    result = run_with_env(PRODUCTION_ENV, "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_debug_is_off_unless_asked_and_then_a_secret_key_is_required():
    result = run_with_env({}, "manage.py", "check", drop=("SECRET_KEY",))
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_with_debug_off_cookies_are_https_only_and_browsers_are_told_to_keep_https():
    values = production_settings()
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] is True and values["CSRF_COOKIE_SECURE"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SECURE_HSTS_SECONDS"] >= 31536000 and values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY" and values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_PROXY_SSL_HEADER"] is None
    assert values["DATABASES"]["default"]["CONN_MAX_AGE"] == 600


def test_a_proxy_that_terminates_tls_is_configured_from_the_environment():
    values = production_settings(SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO,https", SECURE_SSL_REDIRECT="false")
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SECURE_SSL_REDIRECT"] is False


def test_pages_carry_a_content_security_policy_without_inline_script(client, db):
    response = client.get(LOGIN_URL)
    policy = dict(part.strip().split(" ", 1) for part in response["Content-Security-Policy"].split(";") if part.strip())
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'" and policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    # The admin's own pages have no inline script for the policy to block.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", response.content.decode())


@override_settings(SECURE_SSL_REDIRECT=True)
def test_plain_http_is_redirected_to_https_but_the_health_check_answers_the_load_balancer(db):
    client = Client()
    assert client.get("/admin/")["Location"].startswith("https://")
    assert client.get("/healthz").status_code == 200


# --- health check ----------------------------------------------------------------------------


def test_the_health_check_answers_without_a_login_when_the_database_is_up(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_the_health_check_answers_503_when_the_database_is_down(client, db, monkeypatch):
    class DownConnection:
        def cursor(self):
            raise OperationalError("connection refused")

    monkeypatch.setattr(health, "connection", DownConnection())
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


# --- every page needs an account -------------------------------------------------------------


def concrete_urls(resolver=None, prefix=""):
    """Every URL pattern of the project with sample values for its parameters."""
    samples = {"int": "2023", "str": "x", "slug": "x", "path": "x", "uuid": "00000000-0000-0000-0000-000000000000"}
    for entry in (resolver or get_resolver()).url_patterns:
        pattern = str(entry.pattern)
        if pattern.startswith("^") or "(?P" in pattern:
            continue  # regex patterns (admin's catch-all) have no sample form
        route = re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples[m.group(1) or "str"], pattern)
        if isinstance(entry, URLResolver):
            yield from concrete_urls(entry, prefix + route)
        elif isinstance(entry, URLPattern):
            yield "/" + prefix + route, entry.name


OPEN_URLS = {"healthz", "login", "logout"}


def test_every_page_except_the_login_and_the_health_check_needs_an_account(client, db):
    checked = []
    for url, name in concrete_urls():
        if name in OPEN_URLS:
            continue
        response = client.get(url)
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(LOGIN_URL), url
        checked.append(url)
    assert "/" in checked and "/admin/" in checked and "/admin/classes/trainingclass/" in checked
    assert len(checked) > 40


# --- CSRF -------------------------------------------------------------------------------------


def test_every_admin_form_carries_a_csrf_token(client, province_user):
    client.force_login(province_user)
    for model in ("trainingclass", "commendation", "yearlock"):
        page = client.get(f"/admin/classes/{model}/add/").content.decode()
        forms = re.findall(r"<form\b[^>]*method=\"post\"[^>]*>(.*?)</form>", page, re.S | re.I)
        assert forms, model
        assert all("csrfmiddlewaretoken" in form for form in forms), model


def test_a_post_without_the_csrf_token_is_refused(province_user):
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN_URL, {"username": "tinh", "password": PASSWORD}).status_code == 403
    client.force_login(province_user)
    response = client.post("/admin/classes/trainingclass/add/", {"code": "X"})
    assert response.status_code == 403
    response = client.post("/admin/logout/")
    assert response.status_code == 403


# --- login throttling -------------------------------------------------------------------------


def log_in(client, username, password):
    return client.post(LOGIN_URL, {"username": username, "password": password, "next": "/admin/"})


def test_repeated_wrong_passwords_lock_the_account_until_the_administrator_clears_it(district_user, province_user):
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert log_in(client, "canloc", "sai-mat-khau").status_code == 200
    locked = log_in(client, "canloc", "sai-mat-khau")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Tài khoản tạm khóa" in page and "liên hệ quản trị hệ thống" in page
    # Even the right password is refused now.
    assert log_in(Client(), "canloc", PASSWORD).status_code == 429
    # Another account from the same address is not affected.
    assert log_in(Client(), "tinh", PASSWORD).status_code == 302
    call_command("axes_reset_username", "canloc", stdout=io.StringIO())
    assert log_in(Client(), "canloc", PASSWORD).status_code == 302


def proxy_settings(proxy_count):
    """The axes address settings a process started with AXES_PROXY_COUNT reads."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("AXES_PROXY_COUNT", str(proxy_count))
        values = runpy.run_path(str(ROOT / "hatinh_training" / "settings.py"))
    return {name: values[name] for name in ("AXES_IPWARE_PROXY_COUNT", "AXES_IPWARE_META_PRECEDENCE_ORDER")}


def test_behind_one_proxy_a_client_locks_out_only_its_own_address(district_user):
    """nginx connects from 127.0.0.1 and names the client in X-Forwarded-For."""
    with override_settings(**proxy_settings(1)):
        attacker = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
        for _attempt in range(settings.AXES_FAILURE_LIMIT):
            last = log_in(attacker, "canloc", "sai-mat-khau")
        assert last.status_code == 429
        assert (
            log_in(Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"), "canloc", PASSWORD).status_code
            == 429
        )
        colleague = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.42.0.15")
        assert log_in(colleague, "canloc", PASSWORD).status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.7"


def test_a_client_writing_its_own_forwarded_address_does_not_escape_the_limit(district_user):
    with override_settings(**proxy_settings(1)):
        for attempt in range(settings.AXES_FAILURE_LIMIT):
            forged = Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR=f"198.51.100.{attempt}, 203.0.113.7")
            last = log_in(forged, "canloc", "sai-mat-khau")
        assert last.status_code == 429


def test_a_lock_out_ends_by_itself_after_the_cool_off(district_user):
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    client = Client()
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "canloc", "sai-mat-khau")
    assert log_in(Client(), "canloc", PASSWORD).status_code == 429
    earlier = datetime.timedelta(minutes=16)
    AccessAttempt.objects.update(attempt_time=F("attempt_time") - earlier)
    AccessAttemptExpiration.objects.update(expires_at=F("expires_at") - earlier)
    assert log_in(Client(), "canloc", PASSWORD).status_code == 302


def test_logging_in_from_tests_and_scripts_without_a_request_still_works(client, district_user):
    assert client.login(username="canloc", password=PASSWORD)
    assert client.get("/admin/").status_code == 200


def test_weak_passwords_are_refused():
    for weak in ("12345678", "password", "abc"):
        with pytest.raises(password_validation.ValidationError):
            password_validation.validate_password(weak)
    password_validation.validate_password("Mat-khau-thu-2024!")


# --- sessions -------------------------------------------------------------------------------


def test_a_session_ends_after_an_hour_without_requests(client, district_user):
    assert settings.SESSION_COOKIE_AGE == 3600 and settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
    assert log_in(client, "canloc", PASSWORD).status_code == 302
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    soon = timezone.now() + datetime.timedelta(minutes=5)
    Session.objects.filter(pk=key).update(expire_date=soon)
    # Within a minute of the last renewal a request writes nothing...
    assert client.get("/admin/").status_code == 200
    assert Session.objects.get(pk=key).expire_date == soon
    # ...later, activity pushes the end an hour forward...
    store = SessionStore(session_key=key)
    store[SESSION_SEEN_KEY] -= 120
    store.save()
    Session.objects.filter(pk=key).update(expire_date=soon)
    assert client.get("/admin/").status_code == 200
    assert Session.objects.get(pk=key).expire_date > timezone.now() + datetime.timedelta(minutes=59)
    # ...and an hour of silence ends it.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


class Clock:
    """One fake time for the session's stamp (time.time) and its expiry (timezone.now)."""

    def __init__(self, monkeypatch):
        self.now = timezone.now()
        monkeypatch.setattr(security, "time", self)
        monkeypatch.setattr(timezone, "now", lambda: self.now)

    def time(self):
        return self.now.timestamp()

    def advance(self, seconds):
        self.now += datetime.timedelta(seconds=seconds)


@override_settings(SESSION_COOKIE_AGE=120)
def test_with_a_two_minute_timeout_an_active_user_is_never_logged_out(client, district_user, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(district_user)
    # Every pause is shorter than the timeout; some follow a request that came soon after a renewal.
    for pause in (50, 100, 50, 100, 30, 100, 100, 15, 100):
        clock.advance(pause)
        response = client.get("/admin/")
        assert response.status_code == 200, f"logged out after a pause of {pause} s"
    clock.advance(121)
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(LOGIN_URL)


@override_settings(SESSION_COOKIE_AGE=120)
def test_with_a_short_timeout_requests_close_together_write_the_session_once(client, district_user, monkeypatch):
    clock = Clock(monkeypatch)
    client.force_login(district_user)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    clock.advance(30)
    client.get("/admin/")
    renewed = Session.objects.get(pk=key).expire_date
    assert renewed == clock.now + datetime.timedelta(seconds=120)
    clock.advance(5)
    client.get("/admin/")
    assert Session.objects.get(pk=key).expire_date == renewed


# --- caching ----------------------------------------------------------------------------------


def cache_directives(response):
    return {part.strip().split("=")[0] for part in response.get("Cache-Control", "").split(",") if part.strip()}


def test_what_a_logged_in_user_receives_no_shared_proxy_may_keep(client, province_user, small_dataset):
    client.force_login(province_user)
    for url in ("/reports/yearly/2023/", "/reports/completeness/2023/", "/api/reports/yearly/2023/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "private" in cache_directives(response) and "public" not in cache_directives(response), url
    for url in (
        "/reports/yearly/2023/export.xlsx",
        "/reports/yearly/2023/export.docx",
        "/admin/classes/trainingclass/",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"private", "no-store"} <= cache_directives(response), url
    export = client.post("/admin/classes/trainingclass/export/", {"format": "0", "resource": "0"})
    assert export.status_code == 200 and export.has_header("Content-Disposition")
    assert {"private", "no-store"} <= cache_directives(export)


# --- uploads ----------------------------------------------------------------------------------


def test_an_upload_above_the_cap_is_refused_with_a_vietnamese_message(client, province_user):
    client.force_login(province_user)
    big = io.BytesIO(b"0" * (settings.UPLOAD_MAX_FILE_SIZE + 1))
    big.name = "lop.csv"
    response = client.post("/admin/classes/trainingclass/", {"import_file": big})
    assert response.status_code == 413
    assert "Tệp tải lên quá lớn" in response.content.decode()


def served_folders():
    folders = [Path(settings.STATIC_ROOT), *map(Path, settings.STATICFILES_DIRS)]
    if settings.MEDIA_ROOT:
        folders.append(Path(settings.MEDIA_ROOT))
    return [folder.resolve() for folder in folders]


def test_large_uploads_spill_to_a_temporary_folder_the_web_server_does_not_serve(db):
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= settings.UPLOAD_MAX_FILE_SIZE
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= settings.UPLOAD_MAX_FILE_SIZE
    content = b"a" * (settings.FILE_UPLOAD_MAX_MEMORY_SIZE + 10)
    request = RequestFactory().post("/", {"import_file": io.BytesIO(content)})
    upload = request.FILES["import_file"]
    assert isinstance(upload, TemporaryUploadedFile)
    location = Path(upload.temporary_file_path()).resolve()
    assert location.is_relative_to(Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()).resolve())
    for folder in served_folders():
        assert not location.is_relative_to(folder)
    assert not location.is_relative_to(ROOT)


def test_the_import_keeps_its_pending_files_outside_the_served_folders():
    from django.contrib import admin
    from import_export.admin import ImportMixin
    from import_export.tmp_storages import MediaStorage, TempFolderStorage

    storage_classes = [ImportMixin.get_tmp_storage_class(ImportMixin)] + [
        model_admin.get_tmp_storage_class()
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, ImportMixin)
    ]
    for storage_class in storage_classes:
        assert not issubclass(storage_class, MediaStorage), storage_class
        if issubclass(storage_class, TempFolderStorage):
            pending = Path(storage_class(name="pending").get_full_path()).resolve().parent
            assert not pending.is_relative_to(ROOT)
            assert all(not pending.is_relative_to(folder) for folder in served_folders())


# --- logs -------------------------------------------------------------------------------------


@pytest.fixture
def log_output():
    """What the project's console handler writes, with its filters and format."""
    handlers = [h for h in logging.getLogger().handlers if isinstance(h, logging.StreamHandler) and h.filters]
    assert handlers, "the console handler of LOGGING is missing"
    stream = io.StringIO()
    previous = [handler.setStream(stream) for handler in handlers]
    yield stream
    for handler, old in zip(handlers, previous):
        handler.setStream(old)


def test_logs_name_the_request_and_never_hold_passwords_or_session_keys(log_output, province_user, district_user):
    client = Client()
    log_in(client, "canloc", "Sai-Mat-Khau-Bi-Mat-77")
    assert log_in(client, "tinh", PASSWORD).status_code == 302
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    client.get("/admin/khong-co-trang-nay/")  # logged: not found
    logging.getLogger("classes.spreadsheets.files").warning(
        "import failed: %s", {"password": PASSWORD, "sessionid": session_key, "rows": 3}
    )
    logging.getLogger("classes").info("cookie: sessionid=%s; csrftoken=abc", session_key)
    output = log_output.getvalue()
    assert "Sai-Mat-Khau-Bi-Mat-77" not in output and PASSWORD not in output
    assert session_key not in output
    assert re.search(r"\[req=\w+ user=tinh GET /admin/khong-co-trang-nay/\]", output), output
    assert "'password': '***'" in output and "'rows': 3" in output
    assert "AXES" in output  # the failed login is there, without its password
