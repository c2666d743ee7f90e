"""The one settings module of dichvucong, read from the environment.

Every variable is documented, with a placeholder value, in `.env.example`. Development defaults
apply only while DEBUG is on; with DEBUG off (production) secrets are required and every
security setting is on, so that `manage.py check --deploy` is clean.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF

from dichvucong.core.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
PACKAGE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(env_str("VAR_DIR", str(BASE_DIR / "var")))
# Runtime state (SQLite databases, media, logs) lives here; a fresh clone has no such folder yet, and
# SQLite cannot create a database file in a missing folder.
VAR_DIR.mkdir(parents=True, exist_ok=True)

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
    "dichvucong.documents",
    "dichvucong.notifications",
    "dichvucong.dossiers",
    "dichvucong.processing",
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
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "dichvucong.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Session timeouts, then the officials' two-factor rule (accounts issue).
    "dichvucong.accounts.middleware.SessionTimeoutMiddleware",
    "dichvucong.accounts.middleware.OfficialTwoFactorMiddleware",
    # Last: turns a lockout into a clear page with the unlock time.
    "axes.middleware.AxesMiddleware",
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
    # Tests use a file, not memory: concurrency tests need real separate connections (WAL, IMMEDIATE).
    # One file per test process, so two runs (or xdist workers) never share it.
    _db["TEST"] = {"NAME": str(VAR_DIR / f"test-dichvucong-{os.getpid()}.sqlite3")}
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
# Argon2id first; older hashes are upgraded on the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
# The password policy of DOMAIN.md §5: see accounts/passwords.py.
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "dichvucong.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "dichvucong.accounts.passwords.CompositionValidator"},
    {"NAME": "dichvucong.accounts.passwords.CommonPasswordValidator"},
    {"NAME": "dichvucong.accounts.passwords.PersonalDataSimilarityValidator"},
    {"NAME": "dichvucong.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
PASSWORD_MAX_AGE_DAYS = env_int("PASSWORD_MAX_AGE_DAYS", 180)
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "dichvucong.accounts.vneid.VNeIDBackend",
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:profile"
LOGOUT_REDIRECT_URL = "catalog:home"

# Brute force (django-axes): 5 failures for one username from one IP lock it for 15 minutes.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("AXES_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "dichvucong.accounts.views.auth.locked_out"
AXES_USERNAME_FORM_FIELD = "username"
AXES_VERBOSE = False
# Never store what was typed in a code field with a failed attempt.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# Behind a load balancer the client address is the first of X-Forwarded-For (SECURE_PROXY_SSL_HEADER).
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if env_bool("SECURE_PROXY_SSL_HEADER", False) else ["REMOTE_ADDR"]
)

# Sessions: an absolute lifetime, and idle timeouts per kind of user (accounts.middleware).
SESSION_COOKIE_AGE = env_int("SESSION_ABSOLUTE_HOURS", 12) * 3600
SESSION_IDLE_MINUTES_CITIZEN = env_int("SESSION_IDLE_MINUTES_CITIZEN", 30)
SESSION_IDLE_MINUTES_OFFICIAL = env_int("SESSION_IDLE_MINUTES_OFFICIAL", 15)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# One-time codes (phone verification, password reset by SMS): lifetime, attempts, sending rate.
OTP_CODE_MINUTES = env_int("OTP_CODE_MINUTES", 5)
OTP_MAX_ATTEMPTS = env_int("OTP_MAX_ATTEMPTS", 5)
OTP_MAX_SENDS_PER_HOUR = env_int("OTP_MAX_SENDS_PER_HOUR", 5)
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_MINUTES", 30) * 60
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Dịch vụ công")

# "Đăng nhập bằng VNeID": OpenID Connect (mozilla-django-oidc), entirely from the environment. The
# button appears only when VNEID_CLIENT_ID and the endpoints are set (docs/vneid.md).
OIDC_RP_CLIENT_ID = env_str("VNEID_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = env_str("VNEID_CLIENT_SECRET", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("VNEID_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("VNEID_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("VNEID_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("VNEID_JWKS_ENDPOINT", "")
OIDC_OP_ISSUER = env_str("VNEID_ISSUER", "")
OIDC_RP_SIGN_ALGO = env_str("VNEID_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("VNEID_SCOPES", "openid profile phone")
OIDC_USE_NONCE = True
# PKCE on top of state and nonce; and never wait forever for the identity provider.
OIDC_USE_PKCE = env_bool("VNEID_USE_PKCE", True)
OIDC_TIMEOUT = env_int("VNEID_TIMEOUT_SECONDS", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:vneid_callback"
OIDC_CREATE_USER = True
# Claim names differ between identity providers; every one can be renamed here.
VNEID_CLAIM_PERSONAL_ID = env_str("VNEID_CLAIM_PERSONAL_ID", "personal_id")
VNEID_CLAIM_FULL_NAME = env_str("VNEID_CLAIM_FULL_NAME", "name")
VNEID_CLAIM_BIRTH_DATE = env_str("VNEID_CLAIM_BIRTH_DATE", "birthdate")
VNEID_CLAIM_PHONE = env_str("VNEID_CLAIM_PHONE", "phone_number")
VNEID_CLAIM_LEVEL = env_str("VNEID_CLAIM_LEVEL", "acr")
VNEID_ENABLED = bool(OIDC_RP_CLIENT_ID and OIDC_OP_AUTHORIZATION_ENDPOINT and OIDC_OP_TOKEN_ENDPOINT)

# SMS (core.sms): "console" prints messages (development), "file" appends them to VAR_DIR/sms.log.
# The notifications issue adds the HTTP gateway.
SMS_BACKEND = env_str("SMS_BACKEND", "memory" if TESTING else "console" if DEBUG else "file")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Dịch vụ công <khong-tra-loi@dichvucong.local>")
# The public address of the site, for links in e-mails and SMS.
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000")

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
        "axes": {"level": "WARNING"},
        # Anyone can upload a tampered PDF to /xac-thuc/: pyHanko's warnings with tracebacks are noise.
        "pyhanko": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
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
# --- Dossiers and files ---------------------------------------------------------------------------
# Dossier code: {agency} (the receiving agency's identifier), {date} (submission day, local time),
# {number} (the agency's daily sequence). Default: 10993.01.H31-261128-0001 (DOMAIN.md §3).
DOSSIER_CODE_FORMAT = env_str("DOSSIER_CODE_FORMAT", "{agency}-{date:%y%m%d}-{number:04d}")
# Uploads: per file and per dossier, in megabytes; files are checked by content (libmagic).
UPLOAD_MAX_FILE_MB = env_int("UPLOAD_MAX_FILE_MB", 10)
UPLOAD_MAX_DOSSIER_MB = env_int("UPLOAD_MAX_DOSSIER_MB", 50)
# Django keeps larger request bodies on disk while they stream in; the limit above is the rule.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
PRIVATE_MEDIA_ROOT = VAR_DIR / "media" / "private"
# Drafts untouched for this many days are deleted; a warning goes out DRAFT_WARNING_DAYS before.
DRAFT_RETENTION_DAYS = env_int("DRAFT_RETENTION_DAYS", 30)
DRAFT_WARNING_DAYS = env_int("DRAFT_WARNING_DAYS", 5)
# Public lookup (/tra-cuu/): tries per IP per hour.
LOOKUP_MAX_PER_HOUR = env_int("LOOKUP_MAX_PER_HOUR", 30)
# Office hours: online submissions outside them count from the next working day (DOMAIN.md §4).
OFFICE_HOURS_START = env_str("OFFICE_HOURS_START", "07:30")
OFFICE_HOURS_END = env_str("OFFICE_HOURS_END", "17:00")
# Extensions (form 4) allowed per dossier; 0 = no limit (the 2018 rules allowed one; DOMAIN.md §4).
PROCESSING_MAX_EXTENSIONS = env_int("PROCESSING_MAX_EXTENSIONS", 0) or None
# Digital signatures of results (docs/signing.md): agency keys and certificates live under SIGNING_DIR
# (made by `manage.py documents_make_dev_ca` in development); extra trusted roots as PEM paths.
SIGNING_DIR = Path(env_str("SIGNING_DIR", str(VAR_DIR / "signing")))
SIGNING_TRUST_ROOTS = env_list("SIGNING_TRUST_ROOTS", [])
SIGNING_KEY_PASSPHRASE = env_str("SIGNING_KEY_PASSPHRASE", "")
# Verification page (/xac-thuc/<token>/): requests per IP per hour; largest PDF compared, in MB.
VERIFY_MAX_PER_HOUR = env_int("VERIFY_MAX_PER_HOUR", 120)
VERIFY_UPLOAD_MAX_MB = env_int("VERIFY_UPLOAD_MAX_MB", 10)
# Indicative postal fee shown when the procedure names none (đồng); the post office's tariff applies.
POSTAL_FEE_DEFAULT = env_int("POSTAL_FEE_DEFAULT", 25000)

# Periodic jobs run by `manage.py core_run_scheduler` in `make run` (cron in production):
# (management command, interval in seconds).
SCHEDULED_COMMANDS = [
    ("prune_db_task_results", 24 * 3600),
    ("dossiers_purge_drafts", 24 * 3600),
    ("documents_sweep_orphans", 24 * 3600),
    # Dossiers about to be late and late ones: alerts to the officials holding them (once a day each).
    ("processing_scan_deadlines", 3600),
]
