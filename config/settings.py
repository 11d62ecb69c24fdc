"""The one settings module of the KLA platform, driven by environment variables.

Defaults suit development on the embedded SQLite database. A deployment sets at least `DEBUG=0`, `SECRET_KEY`,
`ALLOWED_HOSTS` and `DATABASE_URL` (see docs/deploy.md); with `DEBUG=0` and no `SECRET_KEY` the site refuses to
start. Every boolean, integer and choice is read strictly (config/env.py): a value it does not understand stops the
start-up with the variable's name; secrets may come from files (`SECRET_KEY_FILE`, `DATABASE_URL_FILE`, ...).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from config.env import env_bool, env_choice, env_int, env_list, env_secret, env_sizes
from kla.core.logs import logging_config

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)

SECRET_KEY = env_secret("SECRET_KEY")
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
    "kla.taskforce",
    "kla.rad",
    "kla.activities",
    "kla.notifications",
    "kla.reports",
    "kla.people",
    "kla.dashboards",
    "kla.site",
    "kla.api",
]
# The demo data set (`manage.py seed_demo`: accounts with a published password, what `make run` shows a newcomer) is
# installed in development (DEBUG=1) or where KLA_DEMO=1 asks for it; a production site does not carry the command.
KLA_DEMO = env_bool("KLA_DEMO", False)
if DEBUG or KLA_DEMO:
    INSTALLED_APPS.append("kla.demo")

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files with far-future caching by hash, gzip-compressed, when nginx does not serve /static/ itself.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "kla.core.middleware.DatabaseUnavailableMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "kla.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's, reading the user with their memberships in one query compiled once per process.
    "kla.accounts.signed_in.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "kla.accounts.middleware.SessionTimeoutMiddleware",
    "kla.accounts.middleware.SecondStepMiddleware",
    # Instants on pages and typed times in the viewer's region zone (WIB, WITA, WIT; WIB for the public).
    "kla.accounts.viewer_zone.ViewerZoneMiddleware",
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
                "kla.notifications.context_processors.unread",
            ],
        },
    }
]

# Database: the embedded SQLite file by default, anything dj-database-url understands by DATABASE_URL
# (postgres://user:pass@host:5432/name).
DATABASES = {
    "default": dj_database_url.parse(
        env_secret("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'kla.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 60, minimum=0),
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
    _prepare = env_int("DB_PREPARE_THRESHOLD", 5, minimum=0)
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
LOGOUT_REDIRECT_URL = "site:home"

# Sessions: idle and absolute limits by role are enforced by kla.accounts.middleware (KLA_SESSION_* below); the
# cookie lives as long as the longest absolute limit, and the session is written only when it changes (the
# middleware records activity at most once a minute), not on every request.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 24 * 3600, minimum=60)
SESSION_SAVE_EVERY_REQUEST = False
# Django's database sessions, the row read by a query compiled once per process (kla.core.sessions).
SESSION_ENGINE = "kla.core.sessions"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Account security (kla.accounts.security; README "Keamanan akun"). Province and ministry roles type a code from an
# authenticator app after the password (TOTP); failed attempts are throttled per username and per client address
# with a temporary lock; sessions end after idle and absolute limits that are shorter for those roles.
KLA_TOTP_REQUIRED = env_bool("KLA_TOTP_REQUIRED", True)
KLA_LOGIN_FAILURE_LIMIT = env_int("KLA_LOGIN_FAILURE_LIMIT", 10, minimum=1)
KLA_LOGIN_FAILURE_WINDOW_MINUTES = env_int("KLA_LOGIN_FAILURE_WINDOW_MINUTES", 15, minimum=1)
# Client addresses never locked as a source (a reverse proxy on the same host would be every client at once).
# The reverse proxy in front of the application (docs/deploy.md): its X-Forwarded-For names the client.
KLA_TRUSTED_PROXIES = env_list("KLA_TRUSTED_PROXIES", "127.0.0.1,::1")
KLA_LOGIN_IP_EXEMPT = env_list("KLA_LOGIN_IP_EXEMPT", "127.0.0.0/8,::1")
KLA_SESSION_IDLE_MINUTES_PRIVILEGED = env_int("KLA_SESSION_IDLE_MINUTES_PRIVILEGED", 30, minimum=1)
KLA_SESSION_ABSOLUTE_HOURS_PRIVILEGED = env_int("KLA_SESSION_ABSOLUTE_HOURS_PRIVILEGED", 12, minimum=1)
KLA_SESSION_IDLE_MINUTES = env_int("KLA_SESSION_IDLE_MINUTES", 120, minimum=1)
KLA_SESSION_ABSOLUTE_HOURS = env_int("KLA_SESSION_ABSOLUTE_HOURS", 24, minimum=1)
# Exports (kla.reports) hold scores, some sealed: each file is kept this many days after it was made, then deleted.
KLA_EXPORT_KEEP_DAYS = env_int("KLA_EXPORT_KEEP_DAYS", 7, minimum=1)
# An evidence pack (ZIP of an evaluation's files) larger than this is refused at once: ask per indicator instead.
KLA_EVIDENCE_PACK_MAX_BYTES = env_int("KLA_EVIDENCE_PACK_MAX_BYTES", 4 * 1024**3, minimum=1)

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
MEDIA_STORAGE = env_choice("MEDIA_STORAGE", "filesystem", ("filesystem", "s3"))
# The filesystem storage never leaves a half-written file when the disk is full (kla.core.storage).
DEFAULT_STORAGE: dict[str, object] = {"BACKEND": "kla.core.storage.SafeFileSystemStorage"}
if MEDIA_STORAGE == "s3":
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("S3_BUCKET", ""),
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "access_key": env_secret("S3_ACCESS_KEY_ID"),
            "secret_key": env_secret("S3_SECRET_ACCESS_KEY"),
            "region_name": os.environ.get("S3_REGION", "us-east-1"),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
            "location": os.environ.get("S3_PREFIX", ""),
        },
    }
# Static files: in production `collectstatic` writes each file under a hashed name (cached for a year by nginx or
# whitenoise) plus a gzip copy (nginx `gzip_static`); in development and tests the plain storage needs no
# collectstatic.
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# Email: printed to the console unless an SMTP host is configured (Django 6.1 MAILERS).
smtp_host = os.environ.get("EMAIL_HOST", "")
if smtp_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": smtp_host,
                "port": env_int("EMAIL_PORT", 587, minimum=1),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": env_secret("EMAIL_HOST_PASSWORD"),
                "use_tls": env_bool("EMAIL_USE_TLS", True),
                "timeout": 20,
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Platform KLA <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# The address of the site as people reach it, for the links in notification emails (https://kla.example.go.id).
KLA_SITE_URL = os.environ.get("KLA_SITE_URL", "")

# Background tasks: run at once in development and tests; a database-backed worker (manage.py task_worker) when
# TASKS_BACKEND=database.
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend"
        if env_choice("TASKS_BACKEND", "immediate", ("immediate", "database")) == "database"
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
EVIDENCE_LIMITS_MB = env_sizes("EVIDENCE_LIMITS_MB", "pdf=50,image=20,office=25,video=200,data=10")
# Days a returned indicator, a submitted evaluation or a proposal may wait before it escalates (kla.notifications).
KLA_SERVICE_LEVEL_DAYS = env_sizes("KLA_SERVICE_LEVEL_DAYS", "returned=7,submitted=14,proposed=14")

# Backups (manage.py backup, kla.core.backup): the dump is encrypted with age to these public keys (age1..., comma
# separated) when set, for storage off the machine; restore opens it with the identity file KLA_BACKUP_AGE_IDENTITY
# (or --identity), which is kept off the server.
KLA_BACKUP_AGE_RECIPIENT = env_list("KLA_BACKUP_AGE_RECIPIENT")
KLA_BACKUP_AGE_IDENTITY = os.environ.get("KLA_BACKUP_AGE_IDENTITY", "")

# Readiness (/readyz, kla.site.views): free space each of MEDIA_ROOT and the upload spool must keep, and how far
# the background-task queue may fall behind (the oldest due task's wait, the number of due tasks).
KLA_HEALTH_MIN_FREE_MB = env_int("KLA_HEALTH_MIN_FREE_MB", 512, minimum=0)
KLA_HEALTH_TASK_MAX_AGE_SECONDS = env_int("KLA_HEALTH_TASK_MAX_AGE_SECONDS", 600, minimum=1)
KLA_HEALTH_TASK_MAX_READY = env_int("KLA_HEALTH_TASK_MAX_READY", 1000, minimum=1)

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
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# Every log line carries time, level and logger (kla.core.logs); LOG_FORMAT=json gives one JSON object per line.
LOGGING = logging_config(
    log_format=env_choice("LOG_FORMAT", "text", ("text", "json")),
    level=env_choice("LOG_LEVEL", "INFO", ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")),
)

NINJA_PAGINATION_MAX_LIMIT = 500

# Region levels loaded by `manage.py load_regions` when no level is given (kecamatan and desa on demand).
KLA_DEFAULT_REGION_LEVELS = ("provinsi", "kabkota")
