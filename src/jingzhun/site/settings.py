"""The one settings file. Everything that differs between machines comes from the environment.

* ``DATABASE_URL`` — unset: SQLite at ``var/jingzhun.sqlite3`` (WAL); ``sqlite:///path`` or
  ``postgres://user@host:port/db`` otherwise.
* ``JINGZHUN_SECRET_KEY`` — required to serve with ``JINGZHUN_DEBUG`` off: ``jingzhun serve`` and the WSGI
  application refuse the built-in development key with a Chinese message saying how to set one
  (``site/secret.py``). Commands that do not serve (migrate, imports, entitle, tests) work without it.
  ``jingzhun demo`` generates its own once, keeps it in ``var/secret-key`` (mode 600) and passes it to
  the server it starts through this variable.
* ``JINGZHUN_DEBUG`` — ``1`` to turn on Django's debug pages.
* ``JINGZHUN_ALLOWED_HOSTS`` — comma separated, default ``127.0.0.1,localhost`` (the tests add
  ``testserver`` themselves).
* ``JINGZHUN_HTTPS`` — ``1`` when the site is reached over HTTPS through the reverse proxy: session and
  CSRF cookies are sent over HTTPS only (``Secure``), ``Strict-Transport-Security`` for one year, and the
  proxy's ``X-Forwarded-Proto: https`` is believed (nginx: ``proxy_set_header X-Forwarded-Proto
  $scheme;``). HTTP → HTTPS redirects are left to the proxy (``JINGZHUN_SSL_REDIRECT=1`` makes Django do
  them too).
* ``JINGZHUN_SESSION_IDLE_MINUTES`` — a signed-in session with no request for this many minutes ends
  (default 30: village offices share PCs; ``core.middleware.IdleTimeoutMiddleware``). Closing the browser
  ends it as well.
* ``JINGZHUN_DB_CONN_MAX_AGE`` — seconds a database connection is kept between requests (default 60).
* ``JINGZHUN_PUBLIC_RATE_LIMIT`` — 一码清 requests per minute per client address (default 60, 0 = off).
* ``JINGZHUN_TRUSTED_PROXIES`` — reverse proxies (addresses or networks, comma separated; default
  ``127.0.0.1,::1``) whose ``X-Forwarded-For`` names the client the rate limit counts.
* ``JINGZHUN_PUBLIC_BASE_URL`` — the public site's address printed in 一码清 QR codes and URLs
  (``jingzhun qr urls|labels`` without ``--base``; default ``http://127.0.0.1:8000``).
* ``JINGZHUN_STALE_JOB_MINUTES`` — a background import or month run without progress for this many
  minutes is marked failed when its page is viewed (default 30; its worker died).
* ``JINGZHUN_WORKING_MONTH`` — ``YYYY-MM``, the month the county works in (default: the calendar's month).
  Every default and bound that means "today" uses it (``core/workday.py``) and the staff header shows it
  when it is not the calendar's month. ``jingzhun demo`` keeps the demo's (the month after its last run)
  in ``var/working-month`` and hands it to the server it starts.

Language: Chinese first, English available (DESIGN.md). Every page and every Django form message is in
Chinese whatever the browser's ``Accept-Language`` says (many office PCs and phones are set to English);
English only for a user who explicitly chooses it — the ``django_language`` cookie, set by POSTing
``language=en`` to ``/i18n/setlang/``. ``core.middleware.ChineseFirstLocaleMiddleware`` does this in
place of Django's ``LocaleMiddleware``. ``jingzhun.core`` comes before ``django.contrib.admin`` so that
its ``registration/`` templates (修改密码 inside the app's own layout) win over the admin's.

Hardening (issue #11): logins are throttled per account and per client address (django-axes, 5 failures
→ locked 15 minutes from the last try, ``core/login.py``); passwords follow Django's rules plus "not all
digits" and "not built from the user name" (``core/validators.py``), all in Chinese; every page carries
a Content-Security-Policy allowing only the site's own scripts, styles and images (django-csp; no inline
script or style anywhere); every response to a signed-in user is ``Cache-Control: private, no-store``.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from jingzhun.site.secret import DEVELOPMENT_KEY

BASE_DIR = Path(os.environ.get("JINGZHUN_HOME", Path.cwd())).resolve()
VAR_DIR = BASE_DIR / "var"

DEBUG = os.environ.get("JINGZHUN_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("JINGZHUN_SECRET_KEY", "") or DEVELOPMENT_KEY
ALLOWED_HOSTS = os.environ.get("JINGZHUN_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

HTTPS = os.environ.get("JINGZHUN_HTTPS", "0") == "1"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = 365 * 24 * 3600 if HTTPS else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_SSL_REDIRECT = HTTPS and os.environ.get("JINGZHUN_SSL_REDIRECT", "0") == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SESSION_IDLE_MINUTES = int(os.environ.get("JINGZHUN_SESSION_IDLE_MINUTES", "30"))
# The cookie outlives the idle limit a little (the last activity is written at most once a minute);
# IdleTimeoutMiddleware ends the session itself. Closing the browser ends it too.
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60 + 120
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

INSTALLED_APPS = [
    "jingzhun.core",  # first: its templates (registration/*, 500.html) win over Django admin's
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "jingzhun.registry",
    "jingzhun.public",
    "jingzhun.assistance",
    "jingzhun.helping",
    "jingzhun.monitoring",
    "jingzhun.medical",
    "jingzhun.insurance",
    "jingzhun.ledger",
    "jingzhun.projects",
    "jingzhun.dashboard",
    "ninja",
    "axes",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jingzhun.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jingzhun.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jingzhun.core.middleware.IdleTimeoutMiddleware",
    "jingzhun.core.middleware.NoStoreForStaffMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a locked-out login into the Chinese lock page
]

# Only the site's own files: no inline script or style, no other origin (the Swagger page included).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

AUTHENTICATION_BACKENDS = [
    "jingzhun.core.login.Backend",  # first: refuses a locked-out account or address
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: an account, an address
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "jingzhun.core.login.client_ip"
AXES_LOCKOUT_CALLABLE = "jingzhun.core.login.locked_out"
AXES_VERBOSE = False

ROOT_URLCONF = "jingzhun.site.urls"
WSGI_APPLICATION = "jingzhun.site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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


def _database() -> dict[str, object]:
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{VAR_DIR / 'jingzhun.sqlite3'}"
    max_age = int(os.environ.get("JINGZHUN_DB_CONN_MAX_AGE", "60"))
    db: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True))
    if db["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web app read while a month run writes; IMMEDIATE avoids lock upgrades mid-transaction.
        db["OPTIONS"] = {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;",
            "transaction_mode": "IMMEDIATE",
        }
    return db


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "jingzhun.core.validators.UserAttributeSimilarityValidator"},  # Django's, Chinese messages
    {"NAME": "jingzhun.core.validators.MinimumLengthValidator"},
    {"NAME": "jingzhun.core.validators.CommonPasswordValidator"},
    {"NAME": "jingzhun.core.validators.NotOnlyDigitsValidator"},
    {"NAME": "jingzhun.core.validators.NotFromUsernameValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Serve app static files straight from the packages too, so a fresh checkout works before collectstatic.
WHITENOISE_USE_FINDERS = True

# 附件 (registry/attachments.py): no URL serves this folder; files are read through the staff view only.
MEDIA_ROOT = (
    Path(os.environ.get("JINGZHUN_MEDIA_ROOT", "")) if os.environ.get("JINGZHUN_MEDIA_ROOT") else VAR_DIR / "media"
)
PUBLIC_RATE_LIMIT = int(os.environ.get("JINGZHUN_PUBLIC_RATE_LIMIT", "60"))
# The 一码清 rate-limit counts, shared by every worker process on this machine (public/ratelimit.py).
PUBLIC_TRUSTED_PROXIES = os.environ.get("JINGZHUN_TRUSTED_PROXIES", "127.0.0.1,::1")
PUBLIC_RATE_LIMIT_DB = VAR_DIR / "public-ratelimit.sqlite3"
JINGZHUN_STALE_JOB_MINUTES = int(os.environ.get("JINGZHUN_STALE_JOB_MINUTES", "30"))
WORKING_MONTH = os.environ.get("JINGZHUN_WORKING_MONTH", "")
PUBLIC_BASE_URL = os.environ.get("JINGZHUN_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

# In-process caches. "public" keeps rendered 一码清 pages (1.5–3.5 kB each), keyed by token and data
# version (public/views.py); 10 000 of them are some 35 MB in each worker process, least recently
# used dropped first.
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "jingzhun-default"},
    "public": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "jingzhun-public",
        "OPTIONS": {"MAX_ENTRIES": 10_000, "CULL_FREQUENCY": 4},
    },
}

# Uploads stream to a temporary file in var/upload-tmp and stop at the import size limit (registry/uploads.py).
FILE_UPLOAD_HANDLERS = ["jingzhun.registry.uploads.LimitedUploadHandler"]
FILE_UPLOAD_TEMP_DIR = VAR_DIR / "upload-tmp"
FILE_UPLOAD_TEMP_DIR.mkdir(parents=True, exist_ok=True)

CSRF_FAILURE_VIEW = "jingzhun.core.errors.csrf_failure"
LOGIN_URL = "/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/login/"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusal": {"()": "jingzhun.site.log_filters.RefusalWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"filters": ["refusal"]}},  # a 403: one line, no traceback
    "root": {"handlers": ["console"], "level": os.environ.get("JINGZHUN_LOG_LEVEL", "WARNING")},
}
