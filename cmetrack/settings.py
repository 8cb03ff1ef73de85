"""CME Track settings: one module, configured from the environment.

With no variables at all this is the *embedded default*: SQLite under ``var/``, Celery
tasks run in-process, email printed on the console, the cache in a database table
(``cmetrack_cache``, made by ``createcachetable``; Redis when ``REDIS_URL`` is set), uploaded
files under ``var/media``. Production sets the variables listed in the README's
"Configuration" section (and in ``.env.example``). A yes/no variable spelt wrong stops the
start with its name (``env_bool``), never a silent default.
"""

from __future__ import annotations

import os
from pathlib import Path

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

BOOLEANS = {"1": True, "true": True, "yes": True, "on": True}
BOOLEANS |= {"0": False, "false": False, "no": False, "off": False}


def env_bool(name: str, default: bool) -> bool:
    """A yes/no variable; unset means ``default``. Anything but the usual spellings (any case)
    stops the start: ``DJANGO_DEBUG=ture`` must not quietly mean "off"."""
    if name not in os.environ:
        return default
    value = os.environ[name]
    try:
        return BOOLEANS[value.strip().lower()]
    except KeyError:
        raise ImproperlyConfigured(
            f"{name} must be one of 1/0/true/false/yes/no/on/off, got {value!r}"
        ) from None


# The embedded default is a developer's machine, so DEBUG is on unless DJANGO_DEBUG=0.
DEBUG = env_bool("DJANGO_DEBUG", default=True)

if DEBUG:
    SECRET_KEY = env.str(
        "DJANGO_SECRET_KEY", default="django-insecure-development-key-never-used-in-production"
    )
else:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. With DJANGO_DEBUG=0 CME Track refuses to start "
            "without a secret key: set DJANGO_SECRET_KEY to a long random string, e.g. "
            "`python -c 'import secrets; print(secrets.token_urlsafe(50))'`."
        )

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "simple_history",
    "csp",
    "imports",
    "members",
    "credits",
    "reports",
    "staff",
    "operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "cmetrack.middleware.RequestSizeLimitMiddleware",
    "cmetrack.middleware.CleanQueryParametersMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "cmetrack.middleware.PrivateResponsesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "cmetrack.middleware.SessionLifetimeMiddleware",
    "cmetrack.middleware.StaffTwoFactorMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "cmetrack.urls"
WSGI_APPLICATION = "cmetrack.wsgi.application"

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
                "members.access.context",
            ],
            # |day, |moment, |iso_day, |iso_moment, |credits in every template and email
            # (members.formatting: the one home of presentation).
            "builtins": ["members.templatetags.formatting_tags"],
        },
    },
]

FORM_RENDERER = "cmetrack.forms.FormRenderer"

# --- REST API -------------------------------------------------------------------------
# How many proxies in front of the app add themselves to X-Forwarded-For (0: none, so the
# header is the client's own and never trusted). Rate limits and the security log take the
# client's address from it: the API's throttles, allauth's login limits, the security log.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# API tokens expire this many days after they were issued (members.tokens).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=30)

REST_FRAMEWORK = {
    # Token first: an anonymous request gets 401 with "WWW-Authenticate: Token".
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "members.tokens.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "cmetrack.pagination.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "COERCE_DECIMAL_TO_STRING": True,
    "DEFAULT_THROTTLE_RATES": {"token": env.str("API_TOKEN_RATE", default="10/minute")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CME Track API",
    "DESCRIPTION": "Members' CME records, compliance and staff reviews (docs/api.md).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Swagger UI from the installed sidecar package: nothing is fetched from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # A claim's review status appears both as a field and as the status a reviewer saw.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStatusEnum": "credits.models.ReviewStatus",
        "CatalogueKindEnum": "credits.models.CatalogueKind",
        "ContentAreaEnum": "credits.models.ContentArea",
        "ContentAreaOrNotRecordedEnum": "credits.rules.AREA_CODES",
        "RequirementCodeEnum": "credits.api.staff_compliance.REQUIREMENT_CHOICES",
    },
}

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=0))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # A Redis that is down fails fast (and /healthz says so) instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 5},
        }
    }
else:
    # The embedded default keeps the cache (and so allauth's login and password-reset rate
    # limits) in the database, shared by every process; `migrate` is followed by
    # `createcachetable` in `make run` and in the Compose file.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cmetrack_cache",
        }
    }

# --- Users and login (django-allauth) --------------------------------------------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/"
ACCOUNT_LOGOUT_REDIRECT_URL = "/accounts/login/"
ACCOUNT_ADAPTER = "members.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
# Accounts come from the society's roster (members) or from staff: the address is known.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[CME Track] "
ACCOUNT_PRESERVE_USERNAME_CASING = False
# The per-account lock shared by the web login and the API's token endpoint: after
# LOGIN_ATTEMPTS_LIMIT failures in LOGIN_LOCK_SECONDS the account's logins are refused
# (and at most 10 failures a minute from one address).
LOGIN_ATTEMPTS_LIMIT = env.int("LOGIN_ATTEMPTS_LIMIT", default=5)
LOGIN_LOCK_SECONDS = env.int("LOGIN_LOCK_SECONDS", default=300)
ACCOUNT_RATE_LIMITS = {
    "login_failed": f"10/m/ip,{LOGIN_ATTEMPTS_LIMIT}/{LOGIN_LOCK_SECONDS}s/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "CME Track"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not only spaces; not the user's name, email, ASPS ID, nor "CME Track", ASPS, ASAPS.
    {"NAME": "members.passwords.ContextWordsValidator"},
]

# --- Email ----------------------------------------------------------------------------
vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="CME Track <cme@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Absolute links in emails sent by jobs, which have no request to build them from.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")

# --- Files ----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# Uploaded certificates are never served from a public URL: only through views that check
# who is asking (README "Configuration": MEDIA_ROOT).
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No URL route serves this prefix; it is set only because Django's test live server expects one.
MEDIA_URL = "/media-is-never-served/"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- Celery ---------------------------------------------------------------------------
# Without a broker, tasks run in-process (eagerly) so the embedded default needs no Redis.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
# A task whose worker dies (killed, out of memory) goes back to the queue instead of being
# acknowledged as failed; every task is safe to run twice (docs/operations.md).
CELERY_TASK_REJECT_ON_WORKER_LOST = True
# With Redis, a task taken by a worker that then vanished is handed out again this many seconds
# after it was taken (it must be longer than the longest task); workers look for such tasks
# every few seconds.
CELERY_VISIBILITY_TIMEOUT = env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": CELERY_VISIBILITY_TIMEOUT,
    "unacked_restore_interval": max(1, min(10, CELERY_VISIBILITY_TIMEOUT // 4)),
    "unacked_restore_throttle": 1,
}
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = "UTC"
# Static schedule, read by `celery beat` (no database scheduler needed).
CELERY_BEAT_SCHEDULE: dict[str, dict] = {
    "evaluate-standing-nightly": {
        "task": "reports.tasks.evaluate_standing",
        "schedule": crontab(hour=2, minute=0),
    },
    "send-reminders-nightly": {
        "task": "reports.tasks.send_reminders",
        "schedule": crontab(hour=2, minute=30),
    },
    # Certificates kept for a form not yet submitted (or read and then abandoned) expire.
    "purge-kept-certificates-hourly": {
        "task": "credits.tasks.purge_kept_certificates",
        "schedule": crontab(minute=15),
    },
}

# --- Security -------------------------------------------------------------------------
# Sessions: a new key at login (Django), an idle timeout renewed by use (at most one session
# write a minute, not one per request), an absolute lifetime (cmetrack.middleware), and other
# sessions end when the password changes (Django's session auth hash).
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=60 * 60 * 2)
SESSION_RENEW_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = env.int("SESSION_ABSOLUTE_SECONDS", default=60 * 60 * 12)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# Requests larger than this are refused with 413 before they are read (certificates are at
# most 10 MB, import files at most 20 MB: the staff import upload allows more).
MAX_REQUEST_BYTES = env.int("MAX_REQUEST_BYTES", default=11 * 1024 * 1024)
MAX_IMPORT_REQUEST_BYTES = env.int("MAX_IMPORT_REQUEST_BYTES", default=21 * 1024 * 1024)
# An import run keeps at most this many rejected rows; the next one stops it (docs/imports.md).
IMPORT_MAX_REJECTED_ROWS = env.int("IMPORT_MAX_REJECTED_ROWS", default=1_000)
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
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31_536_000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
# Our wording of third-party strings (allauth's "Sign In" becomes "Log in"): locale/en.
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every page at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
# The standing job runs as this many chunks of members, one Celery task each, on as many
# workers as run (reports/standing_chunks.py, docs/performance.md).
STANDING_JOB_CHUNKS = env.int("STANDING_JOB_CHUNKS", default=8)
