"""The one settings module of the KLA platform, driven by environment variables.

Defaults suit development on the embedded SQLite database. A deployment sets at least `DEBUG=0`, `SECRET_KEY`,
`ALLOWED_HOSTS` and `DATABASE_URL` (see docs/deploy.md); with `DEBUG=0` and no `SECRET_KEY` the site refuses to
start.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on", "ya"}


def env_list(name: str, default: str = "") -> list[str]:
    return [v.strip() for v in os.environ.get(name, default).split(",") if v.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY wajib diisi bila DEBUG=0 (SECRET_KEY is required when DEBUG=0). "
            'Buat dengan: python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production-0123456789abcdef"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tasks_db",
    "ninja",
    "kla.core",
    "kla.regions",
    "kla.agencies",
    "kla.accounts",
    "kla.indicators",
    "kla.evaluations",
    "kla.evidence",
    "kla.results",
    "kla.verification",
    "kla.fieldvisits",
    "kla.reports",
    "kla.api",
    "kla.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "kla.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kla.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kla.accounts.middleware.SessionTimeoutMiddleware",
    "kla.accounts.middleware.SecondStepMiddleware",
    "kla.core.middleware.NoStoreForUsersMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kla.accounts.context_processors.access_flags",
            ],
        },
    }
]

# Database: the embedded SQLite file by default, anything dj-database-url understands by DATABASE_URL
# (postgres://user:pass@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'kla.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["TEST"] = {"NAME": os.environ.get("SQLITE_TEST_NAME") or None}
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Prepared statements: psycopg prepares a query after DB_PREPARE_THRESHOLD runs on the same (persistent)
    # connection, so PostgreSQL stops re-planning the few dozen queries every page repeats. Planning was most of
    # PostgreSQL's CPU per page (measured at national scale: 131 → 54 ms per second of the peak-hour mix).
    # DB_PREPARE_THRESHOLD=0 turns it off, e.g. behind a transaction-pooling PgBouncer older than 1.21.
    _prepare = int(os.environ.get("DB_PREPARE_THRESHOLD", "5"))
    if _prepare > 0:
        DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=_prepare)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "kla.accounts.passwords.ProgrammeWordsValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "accounts:me"
LOGOUT_REDIRECT_URL = "core:home"

# Sessions: idle and absolute limits by role are enforced by kla.accounts.middleware (KLA_SESSION_* below); the
# cookie lives as long as the longest absolute limit, and the session is written only when it changes (the
# middleware records activity at most once a minute), not on every request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(24 * 3600)))
SESSION_SAVE_EVERY_REQUEST = False
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Account security (kla.accounts.security; README "Keamanan akun"). Province and ministry roles type a code from an
# authenticator app after the password (TOTP); failed attempts are throttled per username and per client address
# with a temporary lock; sessions end after idle and absolute limits that are shorter for those roles.
KLA_TOTP_REQUIRED = env_bool("KLA_TOTP_REQUIRED", True)
KLA_LOGIN_FAILURE_LIMIT = int(os.environ.get("KLA_LOGIN_FAILURE_LIMIT", "10"))
KLA_LOGIN_FAILURE_WINDOW_MINUTES = int(os.environ.get("KLA_LOGIN_FAILURE_WINDOW_MINUTES", "15"))
# Client addresses never locked as a source (a reverse proxy on the same host would be every client at once).
# The reverse proxy in front of the application (docs/deploy.md): its X-Forwarded-For names the client.
KLA_TRUSTED_PROXIES = env_list("KLA_TRUSTED_PROXIES", "127.0.0.1,::1")
KLA_LOGIN_IP_EXEMPT = env_list("KLA_LOGIN_IP_EXEMPT", "127.0.0.0/8,::1")
KLA_SESSION_IDLE_MINUTES_PRIVILEGED = int(os.environ.get("KLA_SESSION_IDLE_MINUTES_PRIVILEGED", "30"))
KLA_SESSION_ABSOLUTE_HOURS_PRIVILEGED = int(os.environ.get("KLA_SESSION_ABSOLUTE_HOURS_PRIVILEGED", "12"))
KLA_SESSION_IDLE_MINUTES = int(os.environ.get("KLA_SESSION_IDLE_MINUTES", "120"))
KLA_SESSION_ABSOLUTE_HOURS = int(os.environ.get("KLA_SESSION_ABSOLUTE_HOURS", "24"))
# Exports (kla.reports) hold scores, some sealed: each file is kept this many days after it was made, then deleted.
KLA_EXPORT_KEEP_DAYS = int(os.environ.get("KLA_EXPORT_KEEP_DAYS", "7"))
# An evidence pack (ZIP of an evaluation's files) larger than this is refused at once: ask per indicator instead.
KLA_EVIDENCE_PACK_MAX_BYTES = int(os.environ.get("KLA_EVIDENCE_PACK_MAX_BYTES", str(4 * 1024**3)))

# Internationalisation: Bahasa Indonesia first, English on request (cookie set by the language switcher).
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "var" / "static"))
# Uploaded files are never served from a public URL: only through permission-checked views. No URL pattern (and no
# nginx location) serves MEDIA_URL; it exists because Django's storages and test servers expect one.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
MEDIA_URL = "/media-not-public/"
# Evidence storage: the local filesystem (MEDIA_ROOT) by default; any S3-compatible object store with
# MEDIA_STORAGE=s3 and the S3_* variables. Objects stay private: downloads always go through permission-checked views.
MEDIA_STORAGE = os.environ.get("MEDIA_STORAGE", "filesystem")
# The filesystem storage never leaves a half-written file when the disk is full (kla.core.storage).
DEFAULT_STORAGE: dict[str, object] = {"BACKEND": "kla.core.storage.SafeFileSystemStorage"}
if MEDIA_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": os.environ.get("S3_ACCESS_KEY_ID", ""),
            "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY", ""),
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": os.environ.get("S3_PREFIX", ""),
        },
    }
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured("MEDIA_STORAGE harus 'filesystem' atau 's3'.")
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# Email: printed to the console unless an SMTP host is configured (Django 6.1 MAILERS).
smtp_host = os.environ.get("EMAIL_HOST", "")
if smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": int(os.environ.get("EMAIL_PORT", "587")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Platform KLA <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background tasks: run at once in development and tests; a database-backed worker (manage.py db_worker) when
# TASKS_BACKEND=database.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if os.environ.get("TASKS_BACKEND") == "database"
        else "django.tasks.backends.immediate.ImmediateBackend"
    }
}

# Evidence uploads: bodies above 2.5 MB stream to temporary files, never into memory. Malware scanning through clamd
# (CLAMD_ADDRESS = a Unix socket path or host:port); without it, files are stored as "not scanned" (development only).
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_TEMP_DIR = os.environ.get("FILE_UPLOAD_TEMP_DIR") or None
# Uploads above the memory limit are spooled to FILE_UPLOAD_TEMP_DIR; a full temp dir answers 507, not 500.
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "kla.core.storage.SafeTemporaryFileUploadHandler",
]
DATA_UPLOAD_MAX_NUMBER_FILES = 10
CLAMD_ADDRESS = os.environ.get("CLAMD_ADDRESS") or None
# Accepted evidence kinds and their size limits in MB (1 MB = 1,048,576 bytes), shown to users before they upload.
EVIDENCE_KINDS = env_list("EVIDENCE_KINDS", "pdf,image,office,video,data")
EVIDENCE_LIMITS_MB = {
    kind: int(limit)
    for kind, limit in (
        item.split("=", 1) for item in env_list("EVIDENCE_LIMITS_MB", "pdf=50,image=20,office=25,video=200,data=10")
    )
}

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Security headers. CSP has no 'unsafe-inline' anywhere: templates carry no inline script or style.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if not DEBUG:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

NINJA_PAGINATION_MAX_LIMIT = 500

# Region levels loaded by `manage.py load_regions` when no level is given (kecamatan and desa on demand).
KLA_DEFAULT_REGION_LEVELS = ("provinsi", "kabkota")
