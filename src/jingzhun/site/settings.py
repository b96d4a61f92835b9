"""The one settings file. Everything that differs between machines comes from the environment.

* ``DATABASE_URL`` — unset: SQLite at ``var/jingzhun.sqlite3`` (WAL); ``sqlite:///path`` or
  ``postgres://user@host:port/db`` otherwise.
* ``JINGZHUN_SECRET_KEY`` — required when ``JINGZHUN_DEBUG`` is off and the site is served publicly;
  a development key is used otherwise.
* ``JINGZHUN_DEBUG`` — ``1`` to turn on Django's debug pages.
* ``JINGZHUN_ALLOWED_HOSTS`` — comma separated, default ``127.0.0.1,localhost``.
* ``JINGZHUN_DB_CONN_MAX_AGE`` — seconds a database connection is kept between requests (default 60).
* ``JINGZHUN_PUBLIC_RATE_LIMIT`` — 一码清 requests per minute per client address (default 60, 0 = off).
* ``JINGZHUN_TRUSTED_PROXIES`` — reverse proxies (addresses or networks, comma separated; default
  ``127.0.0.1,::1``) whose ``X-Forwarded-For`` names the client the rate limit counts.
* ``JINGZHUN_PUBLIC_BASE_URL`` — the public site's address printed in 一码清 QR codes and URLs
  (``jingzhun qr urls|labels`` without ``--base``; default ``http://127.0.0.1:8000``).
* ``JINGZHUN_STALE_JOB_MINUTES`` — a background import or month run without progress for this many
  minutes is marked failed when its page is viewed (default 30; its worker died).

Language: Chinese first, English available (DESIGN.md). Every page and every Django form message is in
Chinese whatever the browser's ``Accept-Language`` says (many office PCs and phones are set to English);
English only for a user who explicitly chooses it — the ``django_language`` cookie, set by POSTing
``language=en`` to ``/i18n/setlang/``. ``core.middleware.ChineseFirstLocaleMiddleware`` does this in
place of Django's ``LocaleMiddleware``. ``jingzhun.core`` comes before ``django.contrib.admin`` so that
its ``registration/`` templates (修改密码 inside the app's own layout) win over the admin's.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(os.environ.get("JINGZHUN_HOME", Path.cwd())).resolve()
VAR_DIR = BASE_DIR / "var"

DEBUG = os.environ.get("JINGZHUN_DEBUG", "0") == "1"
SECRET_KEY = os.environ.get("JINGZHUN_SECRET_KEY", "jingzhun-development-key-not-for-production-use")
ALLOWED_HOSTS = os.environ.get("JINGZHUN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")

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
    "jingzhun.ledger",
    "jingzhun.dashboard",
    "jingzhun.projects",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jingzhun.core.middleware.RejectNulBytesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "jingzhun.core.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

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
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
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

PUBLIC_RATE_LIMIT = int(os.environ.get("JINGZHUN_PUBLIC_RATE_LIMIT", "60"))
# The 一码清 rate-limit counts, shared by every worker process on this machine (public/ratelimit.py).
PUBLIC_TRUSTED_PROXIES = os.environ.get("JINGZHUN_TRUSTED_PROXIES", "127.0.0.1,::1")
PUBLIC_RATE_LIMIT_DB = VAR_DIR / "public-ratelimit.sqlite3"
JINGZHUN_STALE_JOB_MINUTES = int(os.environ.get("JINGZHUN_STALE_JOB_MINUTES", "30"))
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
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("JINGZHUN_LOG_LEVEL", "WARNING")},
}
