"""Settings, read from the environment.

DEBUG is off unless DEBUG=true is set (`make run` and the tests set it); with
DEBUG off the app wants SECRET_KEY, ALLOWED_HOSTS, CSRF_TRUSTED_ORIGINS and
DATABASE_URL (postgres://user:pass@host:5432/name), and turns on HTTPS-only
cookies, HSTS and the redirect to HTTPS (each overridable below for a proxy).
The database defaults to an SQLite file in the project folder.
"""

import datetime
import os
import tempfile
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def env_tuple(name: str) -> tuple[str, ...] | None:
    value = os.environ.get(name, "")
    items = tuple(item.strip() for item in value.split(",") if item.strip())
    return items or None


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or list(default or [])


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "import_export",
    "simple_history",
    "axes",
    "hatinh_training",
    "classes",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "hatinh_training.logs.RequestContextMiddleware",
    "hatinh_training.security.UploadSizeLimitMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "hatinh_training.security.SessionIdleTimeoutMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Cache-Control: private on everything a logged-in user receives.
    "hatinh_training.security.PrivateCacheMiddleware",
    # Every page needs an account; the login page and /healthz opt out.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "hatinh_training.first_login.PasswordChangeRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, so it turns axes' lock-out flag into the lock-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hatinh_training.urls"
WSGI_APPLICATION = "hatinh_training.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        # Persistent connections: docs/findings.md measured 4.3x more report requests per second.
        conn_max_age=env_int("CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}


def cache_from_url(url: str) -> dict:
    """CACHE_URL: locmem:// (one process, the default) or redis://host:6379/0 (rediss://,
    unix://), through Django's own Redis backend, for several app servers sharing reports."""
    if url.startswith(("redis://", "rediss://", "unix://")):
        return {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    if url.startswith("locmem://"):
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": url[len("locmem://") :]}
    raise ImproperlyConfigured(f"CACHE_URL must start with locmem:// or redis://, not {url!r}.")


CACHES = {"default": cache_from_url(env_str("CACHE_URL", "locmem://"))}
# Import previews wait for their confirm in the shared cache when there is one; a local-memory
# cache is one process's, so then a folder every worker of this host reads (never served).
CACHES["imports"] = (
    CACHES["default"]
    if CACHES["default"]["BACKEND"].endswith("RedisCache")
    else {
        "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
        "LOCATION": str(Path(tempfile.gettempdir()) / "hatinh-import"),
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }
)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The report's covering index has INCLUDE columns, which only PostgreSQL uses.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

AUTH_USER_MODEL = "classes.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is checked.
    "hatinh_training.security.AxesLoginBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "reports:start"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Vietnamese first. The stock `vi` locale prints 129557 and reads 05/03/2024 as
# 3 May; the project format module fixes both (see hatinh_training/formats/vi).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["hatinh_training.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves the collected files with hashed names (cached for ever) when
# DEBUG is off; development reads them straight from the app folders.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
# Development (and the tests) read static files from the app folders on each request.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Uploads: the import reads one spreadsheet at a time. Files above the memory
# cap spill to FILE_UPLOAD_TEMP_DIR (default: the system temporary folder),
# never under a folder the web server serves.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = env_int("FILE_UPLOAD_MAX_MEMORY_SIZE", 2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = env_int("DATA_UPLOAD_MAX_NUMBER_FIELDS", 5000)
FILE_UPLOAD_TEMP_DIR = env_str("FILE_UPLOAD_TEMP_DIR") or None
# Largest spreadsheet the import accepts (checked by hatinh_training.security).
UPLOAD_MAX_FILE_SIZE = env_int("UPLOAD_MAX_FILE_SIZE", 10 * 1024 * 1024)

# HTTPS. On by default when DEBUG is off; a proxy that terminates TLS sets
# SECURE_PROXY_SSL_HEADER=HTTP_X_FORWARDED_PROTO,https so Django sees https.
SECURE_PROXY_SSL_HEADER = env_tuple("SECURE_PROXY_SSL_HEADER")
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# The load balancer probes over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", default=not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", default=not DEBUG)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Sessions end after SESSION_IDLE_MINUTES without a request, and when the
# browser closes: SessionIdleTimeoutMiddleware pushes the expiry forward while
# the user is active (once a minute, or every tenth of a shorter timeout,
# instead of a write on every request).
SESSION_COOKIE_AGE = env_int("SESSION_IDLE_MINUTES", 60) * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Content-Security-Policy: only the app's own files, no inline script or style.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        # The one inline style attribute left: django-simple-history's history
        # list (`border-top: 0`), allowed by its hash only.
        "style-src-attr": ["'unsafe-hashes'", "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# django-axes: after AXES_FAILURE_LIMIT wrong passwords for one user name from
# one address the login is refused for AXES_COOLOFF_MINUTES, or until an
# administrator runs `manage.py axes_reset_username NAME` (or axes_reset).
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "axes/lockout.html"
# AXES_PROXY_COUNT: how many proxies stand in front of gunicorn (1 behind nginx).
# Each appends the address it saw to X-Forwarded-For and the last one is
# REMOTE_ADDR, so the client is the AXES_PROXY_COUNT-th entry from the right;
# django-ipware counts only the proxies listed in the header, one fewer. A header
# with more entries (a client writing its own) does not match and falls back to
# REMOTE_ADDR, so forged addresses share one bucket instead of escaping the limit.
# (Not a setting of its own: axes warns that AXES_PROXY_COUNT is deprecated.)
proxy_count = env_int("AXES_PROXY_COUNT", 0)
AXES_IPWARE_PROXY_COUNT = proxy_count - 1 if proxy_count else None
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if proxy_count else ["REMOTE_ADDR"]

# The province the district units belong to; the units themselves are data.
PROVINCE_CODE = env_str("PROVINCE_CODE", "42")
PROVINCE_NAME = env_str("PROVINCE_NAME", "Tỉnh Hà Tĩnh")

# django-import-export: its default lets a view-only user import (docs/findings.md).
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"
IMPORT_EXPORT_SKIP_ADMIN_LOG = True

# Standard output, one line per record with the request it belongs to
# (request id, user, method, path); secrets are masked (hatinh_training.logs).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_context": {"()": "hatinh_training.logs.RequestContextFilter"},
        "redact": {"()": "hatinh_training.logs.RedactSecretsFilter"},
    },
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s [req=%(request_id)s user=%(user)s %(method)s %(path)s] %(message)s"
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
            "filters": ["request_context", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Django's request logger ships its own handlers only with DEBUG; route it here.
    "loggers": {
        "django": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO"), "propagate": False},
        # Failed logins and lock-outs are warnings; axes' INFO lines repeat every login.
        "axes": {"level": "WARNING"},
    },
}
