"""The one settings module of dichvucong, read from the environment.

Every variable is documented, with a placeholder value, in `.env.example`. Development defaults
apply only while DEBUG is on; with DEBUG off (production) secrets are required and every
security setting is on, so that `manage.py check --deploy` is clean.
"""

import sys
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from dichvucong.core.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))

DEBUG = env_bool("DEBUG", False)
# Under pytest the suite runs with immediate tasks and development secrets; DVC_TESTING overrides.
TESTING = env_bool("DVC_TESTING", "pytest" in sys.modules)

SECRET_KEY = env_secret(
    "SECRET_KEY",
    required=not (DEBUG or TESTING),
    dev_default="dev-only-insecure-key-do-not-use-in-production-0123456789abcdef",
)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG or TESTING else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "dichvucong.core",
    "dichvucong.directory",
    "dichvucong.catalog",
    "dichvucong.accounts",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_tasks",
    "django_tasks_db",
    "csp",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dichvucong.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
]

ROOT_URLCONF = "dichvucong.urls"
WSGI_APPLICATION = "dichvucong.wsgi.application"
ASGI_APPLICATION = "dichvucong.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "dichvucong.core.context_processors.site",
            ],
        },
    },
]

# --- Database ------------------------------------------------------------------------------------
# SQLite under var/ is the embedded default; DATABASE_URL selects PostgreSQL in production.
DATABASE_URL = env_str("DATABASE_URL", "")
if DATABASE_URL:
    _db = dj_database_url.parse(DATABASE_URL, conn_health_checks=True)
else:
    _db = {"ENGINE": "django.db.backends.sqlite3", "NAME": str(VAR_DIR / "dichvucong.sqlite3")}

if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {
        # IMMEDIATE takes the write lock at BEGIN, so two concurrent writers queue on busy_timeout
        # instead of failing with "database is locked" when a read transaction upgrades to a write.
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            "PRAGMA journal_mode=WAL;"
            "PRAGMA synchronous=NORMAL;"
            "PRAGMA foreign_keys=ON;"
            "PRAGMA busy_timeout=20000;"
        ),
    }
elif _db["ENGINE"] == "django.db.backends.postgresql" and env_bool("DATABASE_POOL", True):
    # psycopg 3 connection pool (Django ≥ 5.1); CONN_MAX_AGE must stay 0 with a pool.
    _db["CONN_MAX_AGE"] = 0
    _db.setdefault("OPTIONS", {})["pool"] = {
        "min_size": env_int("DATABASE_POOL_MIN", 1),
        "max_size": env_int("DATABASE_POOL_MAX", 10),
    }
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language, time, formats -------------------------------------------------------------------
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
# dd/mm/yyyy and 1.000.000 in both languages: see dichvucong/formats/.
FORMAT_MODULE_PATH = ["dichvucong.formats"]

# --- Static and media --------------------------------------------------------------------------
STATIC_URL = "/static/"
# Production serves collected files (collectstatic); development and tests serve from the finders.
STATIC_ROOT = VAR_DIR / "static" if not (DEBUG or TESTING) else None
WHITENOISE_USE_FINDERS = DEBUG or TESTING
WHITENOISE_AUTOREFRESH = DEBUG or TESTING
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    # Private by default: media is never served from a public URL (ARCHITECTURE.md, Files).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(VAR_DIR / "media"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        ),
    },
}

CACHES = {
    "default": {
        "BACKEND": env_str("CACHE_BACKEND", "django.core.cache.backends.locmem.LocMemCache"),
        "LOCATION": env_str("CACHE_LOCATION", "dichvucong"),
    }
}

# --- Background tasks (django-tasks, database backend) -----------------------------------------
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if TESTING
            else "django_tasks_db.DatabaseBackend"
        ),
    }
}

# --- Security ------------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
    # Behind a load balancer that terminates TLS (ARCHITECTURE.md, production).
    if env_bool("SECURE_PROXY_SSL_HEADER", False):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp 4): everything comes from our own origin; no inline script or
# style, which is why htmx's indicator style is switched off in static/js/app.js.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

ADMIN_URL = env_str("ADMIN_URL", "quan-tri/")

# --- Logging ---------------------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}

# --- dichvucong ------------------------------------------------------------------------------------
SITE_NAME = env_str("SITE_NAME", "Cổng Dịch vụ công")
SITE_OPERATOR = env_str("SITE_OPERATOR", "")
# How agency identifiers (used later in dossier codes) are generated; see docs/directory.md.
AGENCY_IDENTIFIER_FORMAT = env_str("AGENCY_IDENTIFIER_FORMAT", "{scope}.{body}.H{province}")
AGENCY_DEFAULT_OPENING_HOURS = env_str(
    "AGENCY_DEFAULT_OPENING_HOURS",
    "Thứ Hai – Thứ Sáu: 7:30 – 11:30 và 13:30 – 17:00",
)
CATALOG_PAGE_SIZE = env_int("CATALOG_PAGE_SIZE", 20)
# Longest search query we look at; the rest is ignored (a 10,000-character query is not an error).
CATALOG_SEARCH_MAX_QUERY = env_int("CATALOG_SEARCH_MAX_QUERY", 200)
# Results counted and paged for one search; beyond it the page asks for more precise words.
CATALOG_SEARCH_MAX_RESULTS = env_int("CATALOG_SEARCH_MAX_RESULTS", 1000)
# Periodic jobs run by `manage.py core_run_scheduler` in `make run` (cron in production):
# (management command, interval in seconds).
SCHEDULED_COMMANDS = [
    ("prune_db_task_results", 24 * 3600),
]
