"""Golden Thread settings: every setting comes from the environment.

GT_MODE selects the profile: ``development`` (the default, used by ``make demo``
and the tests) or ``production`` (secure cookies, HSTS, a required SECRET_KEY).
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONCE
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def env_str(name: str, default: str | None = None) -> str:
    value = os.environ.get(name, default)
    if value is None:
        raise ImproperlyConfigured(f"Set the environment variable {name}.")
    return value


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value in ("True", "true", "1"):
        return True
    if value in ("False", "false", "0"):
        return False
    raise ImproperlyConfigured(f"{name} must be True or False, not {value!r}.")


def env_list(name: str, default: str = "") -> list[str]:
    return [part.strip() for part in env_str(name, default).split(",") if part.strip()]


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from exc


GT_MODE = env_str("GT_MODE", "development")
if GT_MODE not in ("development", "production"):
    raise ImproperlyConfigured("GT_MODE must be 'development' or 'production'.")
PRODUCTION = GT_MODE == "production"

DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = env_str(
    "SECRET_KEY", None if PRODUCTION else "development-only-key-never-used-in-production"
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

DATA_DIR = Path(env_str("GT_DATA_DIR", str(BASE_DIR / "data")))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "govuk_frontend_django",
    "axes",  # repeated failed sign-ins lock out; its records are in set-up
    "django_tasks",
    "django_tasks_db",
    "goldenthread.core",
    "goldenthread.documents",
    "goldenthread.plans",
    "goldenthread.performance",
    "goldenthread.finance",
    "goldenthread.governance",
    "goldenthread.delegation",
    "goldenthread.registers",
    "goldenthread.commercial",
    "goldenthread.dashboards",
    "goldenthread.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "goldenthread.core.middleware.RefuseNulMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "goldenthread.core.middleware.PrivatePagesMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

ROOT_URLCONF = "goldenthread.urls"
WSGI_APPLICATION = "goldenthread.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "goldenthread" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "goldenthread.core.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{DATA_DIR / 'goldenthread.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # SQLite as an embedded database for several processes (web, worker, scheduler):
    # readers never wait for the writer (WAL), a write transaction takes the lock when it
    # begins (so two never deadlock upgrading from read to write) and waits up to
    # `timeout` seconds for it rather than failing with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": env_int("DATABASE_TIMEOUT", 30),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# With several web processes (compose.yaml) the cache is shared through Redis; one process
# (the demo) keeps it in memory.
REDIS_URL = env_str("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out username and address first
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
# `manage.py collectstatic` builds here at install; WhiteNoise serves it (hashed names in
# production, from the manifest).
STATIC_ROOT = Path(env_str("GT_STATIC_ROOT", str(DATA_DIR / "static")))
STATICFILES_DIRS = [BASE_DIR / "goldenthread" / "static"]
MEDIA_ROOT = Path(env_str("GT_MEDIA_DIR", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}

# Who the product presents itself as in the generic header.
GT_SERVICE_NAME = env_str("GT_SERVICE_NAME", "Golden Thread")
GT_ORGANISATION_NAME = env_str("GT_ORGANISATION_NAME", "oneSource partnership")
# Uploaded spreadsheets (plans, actuals, comparators, finance sheets) are refused while
# they are read once they pass any of these (goldenthread/core/sheets.py).
GT_UPLOAD_MAX_BYTES = env_int("GT_UPLOAD_MAX_BYTES", 10 * 1024 * 1024)
GT_UPLOAD_MAX_ROWS = env_int("GT_UPLOAD_MAX_ROWS", 5000)
GT_UPLOAD_MAX_COLUMNS = env_int("GT_UPLOAD_MAX_COLUMNS", 100)
GT_UPLOAD_MAX_UNPACKED_BYTES = env_int("GT_UPLOAD_MAX_UNPACKED_BYTES", 50 * 1024 * 1024)
# Small uploads stay in memory; larger ones go to a temporary file, of which no more than
# GT_UPLOAD_MAX_BYTES is kept. Form fields other than files are limited as Django's default.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_HANDLERS = [
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "goldenthread.core.sheets.BoundedUploadHandler",
]
# Background work (report packs, reminders) goes through Django's tasks API; the database
# backend keeps the queue in our own database and `manage.py db_worker` runs it
# (docs/adr/0005-background-work.md). `manage.py run_scheduler` enqueues periodic tasks.
TASKS = {
    "default": {
        "BACKEND": env_str("GT_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# A report job still "running" this long after it started is taken to have lost its worker
# and is put back in the queue by the periodic recovery task.
GT_REPORT_JOB_STALE_MINUTES = env_int("GT_REPORT_JOB_STALE_MINUTES", 30)

# Reminders to leads. Without a mail server (development and the demo) messages are
# written as files under the data folder, where an officer can read them.
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "golden-thread@localhost")
# The address emails link to (scheduled reminders have no request to take it from).
GT_SITE_URL = env_str(
    "GT_SITE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
)
# Opening a period sets its updates due this many working days after it ends
# (England and Wales bank holidays skipped).
GT_UPDATES_DUE_WORKING_DAYS = env_int("GT_UPDATES_DUE_WORKING_DAYS", 10)
# The scheduled reminders: working days before the due date, on it (True/False), and
# working days after it, when the lead's line manager is copied in. 0 turns a step off.
GT_REMINDER_DAYS_BEFORE_DUE = env_int("GT_REMINDER_DAYS_BEFORE_DUE", 5)
GT_REMINDER_ON_DUE_DATE = env_bool("GT_REMINDER_ON_DUE_DATE", True)
GT_REMINDER_DAYS_AFTER_DUE = env_int("GT_REMINDER_DAYS_AFTER_DUE", 3)

SESSION_COOKIE_HTTPONLY = True
# A session ends when the browser closes, and after GT_SESSION_HOURS at most.
SESSION_COOKIE_AGE = env_int("GT_SESSION_HOURS", 8) * 60 * 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Sign-in lockout (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is refused for GT_SIGN_IN_COOL_OFF_MINUTES.
AXES_FAILURE_LIMIT = env_int("GT_SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("GT_SIGN_IN_COOL_OFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# Behind N reverse proxies, the address is read from X-Forwarded-For, N from the right.
AXES_IPWARE_PROXY_COUNT = env_int("GT_PROXY_COUNT", 0) or None
AXES_IPWARE_PROXY_ORDER = "right-most"

# Content-Security-Policy (django-csp): our own files only; an inline script needs the
# request's nonce; no <style> elements in pages (a rendered document's own page, which has
# no script, may: goldenthread/core/middleware.py). Permissions-Policy: no powerful features.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'", NONCE],
        "style-src": ["'self'"],
        # Style attributes (a table column's width, a chart's colours) cannot run code.
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}
GT_PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), payment=(), usb=(), interest-cohort=()"
)
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
}

# The menu: (text, URL name, roles that see it — empty for everyone signed in).
GT_NAVIGATION = [
    ("Home", "home", ()),
    ("Dashboards", "dashboards:index", ()),
    ("Plans", "plans:list", ()),
    ("Golden thread", "plans:golden_thread_index", ()),
    ("Approvals", "plans:approvals", ("approver",)),
    ("Indicators", "performance:index", ()),
    ("Finance", "finance:index", ()),
    ("Reports", "governance:index", ()),
    ("Delegation", "delegation:index", ()),
    ("Registers", "registers:index", ()),
    ("Commercial", "commercial:index", ()),
]

# What each domain app shows on the home page, in order (see goldenthread/core/home.py).
GT_HOME_PANELS = [
    "goldenthread.governance.home.panel",
    "goldenthread.performance.home.panel",
    "goldenthread.finance.home.panel",
]

# Each domain app's demo loader, run in order by `manage.py load_demo`.
GT_DEMO_LOADERS = [
    "goldenthread.performance.demo.load",
    "goldenthread.finance.demo.load",
    "goldenthread.governance.demo.load",
    "goldenthread.delegation.demo.load",
    "goldenthread.registers.demo.load",
    "goldenthread.commercial.demo.load",
]
