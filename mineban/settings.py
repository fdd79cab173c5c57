"""mineban settings: one module, driven by environment variables.

Local defaults are safe and need nothing installed (SQLite under ``var/``, Celery tasks run
in-process). Production strictness comes from the environment (``DEBUG`` off, a real
``SECRET_KEY``, ``DATABASE_URL``, ``REDIS_URL``) and is proven by ``check --deploy`` in CI.
"""

import os
from pathlib import Path

import dj_database_url
from celery.schedules import crontab
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {raw!r}") from exc


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_int_list(name: str, default: list[int]) -> list[int]:
    """Comma-separated positive integers, e.g. ``365,90``."""
    raw = env_list(name, [str(v) for v in default])
    if not raw or not all(item.isdigit() and int(item) > 0 for item in raw):
        raise ImproperlyConfigured(f"{name} must be comma-separated positive integers, got {raw!r}")
    return sorted((int(item) for item in raw), reverse=True)


DEBUG = env_bool("DEBUG", default=False)

SECRET_KEY = env_str("SECRET_KEY") or ""
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "django-insecure-local-development-only"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "simple_history",
    "mineban",
    "states",
    "obligations",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything reads the path, query, cookies or credentials (see the module).
    "mineban.guards.InvalidInputMiddleware",
    "mineban.guards.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "mineban.middleware.RequestIdMiddleware",
    # Before the session and authentication: a cached page or a 304 needs neither.
    "mineban.middleware.VersionedCacheMiddleware",
    "mineban.middleware.AnonymousGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Reads that hit a broken database connection are run once more (see the module).
    "mineban.guards.DatabaseRetryMiddleware",
    # Last: it answers the locked-out login attempts the views above it report.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mineban.urls"
WSGI_APPLICATION = "mineban.wsgi.application"

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

# --- Database -------------------------------------------------------------------------
VAR_DIR = Path(env_str("MINEBAN_VAR_DIR") or BASE_DIR / "var")
DATABASE_URL = env_str("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'mineban.sqlite3'}"
if DATABASE_URL.startswith("sqlite:///"):
    VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
# The password apart from the URL, where any character is safe (a URL needs it encoded).
DATABASE_PASSWORD = env_str("DATABASE_PASSWORD")
if DATABASE_PASSWORD:
    DATABASES["default"]["PASSWORD"] = DATABASE_PASSWORD
# Django's backends, extended to advance the data version as a commit's last step (mineban.db).
_VERSIONED_BACKENDS = {
    "django.db.backends.postgresql": "mineban.db.postgresql",
    "django.db.backends.sqlite3": "mineban.db.sqlite3",
}
DATABASES["default"]["ENGINE"] = _VERSIONED_BACKENDS.get(
    DATABASES["default"]["ENGINE"], DATABASES["default"]["ENGINE"]
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
# The model a recompute request names (like AUTH_USER_MODEL: the core names no app itself).
MINEBAN_STATE_MODEL = "states.Country"

# --- Celery ---------------------------------------------------------------------------
REDIS_URL = env_str("REDIS_URL") or ""
# Without a broker the app still works: tasks run in-process when they are enqueued.
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only once it has run: a worker killed mid-task leaves it queued.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("CELERY_TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("CELERY_TASK_TIME_LIMIT", 180)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# An editor's save must not hang when Redis is down: the outbox row is the durable record.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TIMEZONE = "UTC"
# The workers and beat log through LOGGING below (JSON lines with LOG_FORMAT=json), not
# through a handler of Celery's own.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Unacknowledged messages (a worker killed mid-task, acks_late) go back to the queue after
# this many seconds; the outbox sweep is the backstop whatever happens to the message.
CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] = env_int("CELERY_VISIBILITY_TIMEOUT", 3600)
# An outbox row still pending after this long was lost by the broker: the sweep re-enqueues it.
RECOMPUTE_SWEEP_AFTER_SECONDS = env_int("RECOMPUTE_SWEEP_AFTER_SECONDS", 60)
# A recompute that raises is retried after 1, 2, 4, ... minutes (at most RECOMPUTE_MAX_FAILURES
# times in a row); then it is given up, logged as an error and flagged in the admin, until
# the State is edited again. It never blocks other States or loops.
RECOMPUTE_MAX_FAILURES = env_int("RECOMPUTE_MAX_FAILURES", 5)
RECOMPUTE_RETRY_BASE_SECONDS = env_int("RECOMPUTE_RETRY_BASE_SECONDS", 60)
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    # Deadlines approach and pass with nobody editing: recompute every State once a day,
    # just after midnight UTC (the day "today" changes).
    "obligations-recompute-all-daily": {
        "task": "obligations.tasks.recompute_all",
        "schedule": crontab(hour=0, minute=15),
    },
    # Catch-up for a broker outage or a killed worker: re-enqueue every outbox row still
    # pending after RECOMPUTE_SWEEP_AFTER_SECONDS. Runs every minute; cheap when none is.
    "obligations-recompute-sweep": {
        "task": "obligations.tasks.recompute_sweep",
        "schedule": 60.0,
    },
}

# --- Cache ----------------------------------------------------------------------------
# Whole anonymous responses and the all-States evaluation, keyed by the data version
# (mineban.cache): a write makes new keys, so nothing is ever invalidated by hand. Redis when
# there is one (shared by every worker process), else this process's memory.
CACHE_URL = env_str("CACHE_URL") or REDIS_URL
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": CACHE_URL,
        "KEY_PREFIX": env_str("CACHE_KEY_PREFIX") or "mineban",
        # A cache that does not answer quickly is skipped (mineban.cache), not waited for.
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    if CACHE_URL
    else {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "mineban",
        "OPTIONS": {"MAX_ENTRIES": 2000},
    }
}
# Cached responses expire after this many seconds even if no write changes the version
# (only to bound what a quiet site keeps in the cache).
CACHE_RESPONSE_SECONDS = env_int("CACHE_RESPONSE_SECONDS", 3600)
# What renders responses: cached responses and their validators name a digest of these files
# (mineban.release), so a deployment never serves what the previous code rendered.
MINEBAN_RELEASE_SOURCES = [
    BASE_DIR / name for name in ("mineban", "states", "obligations", "reports", "templates", "static")
]
# A reader whose page another worker is rendering waits this long for it before rendering it
# too (mineban.middleware): after a write, one render per page instead of one per worker.
CACHE_RENDER_WAIT_SECONDS = float(env_int("CACHE_RENDER_WAIT_MS", 2000)) / 1000

# --- Alerts ---------------------------------------------------------------------------
# Days before a deadline at which an alert opens ("approaching"); the smallest one is also
# the warning window before a withdrawal takes effect. Comma-separated in the environment.
ALERT_APPROACHING_DAYS = env_int_list("ALERT_APPROACHING_DAYS", [365, 90])

# --- Auth -----------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    # First: counts failed logins (forms, admin and HTTP Basic) and refuses locked-out ones.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one username
# from one address, that pair is locked out for AXES_COOLOFF_HOURS (or until an operator runs
# `manage.py axes_reset`). Per username and address, so a guesser elsewhere cannot lock an
# editor out everywhere.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 30)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = False
# Editors' sessions end after a working day; a stolen cookie is worth less.
SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 8 * 60 * 60)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- REST API -------------------------------------------------------------------------
REST_FRAMEWORK = {
    # Anyone reads; only editors write, unless a view says otherwise.
    "DEFAULT_PERMISSION_CLASSES": ["mineban.permissions.IsEditorOrReadOnly"],
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Basic first: its WWW-Authenticate header makes an anonymous write a 401, not a 403.
        "mineban.authentication.BasicAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "mineban.schema.AutoSchema",
    "EXCEPTION_HANDLER": "mineban.api.exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "mineban API",
    "DESCRIPTION": "Participation, deadlines and alerts for the Anti-Personnel Mine Ban "
    "Convention and related treaties. Dates are ISO 8601; `as_of` turns any read to a past "
    "or future date.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    # The documentation's script from the app's own static files (drf-spectacular-sidecar).
    "REDOC_DIST": "SIDECAR",
    # Several models have a "kind": name the choice sets after their models.
    "ENUM_NAME_OVERRIDES": {
        "CompletionKindEnum": "obligations.models.Completion.Kind",
        "Article7ReportKindEnum": "obligations.models.Article7Report.Kind",
        "MeetingKindEnum": "states.models.Meeting.Kind",
    },
}

# --- Security (strict whenever DEBUG is off) ------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
# Health checks come from inside the container or the load balancer, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not DEBUG)
if env_bool("BEHIND_TLS_PROXY", False):
    # The proxy (e.g. a load balancer) terminates TLS and says so in this header.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (mineban.guards): the pages load only their own scripts,
# styles and images; nothing inline, no frames, forms post only here.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}
# Bodies larger than this are refused (JSON 413 on the API); no record is that large.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 1024 * 1024)

# --- Logging --------------------------------------------------------------------------
LOG_FORMAT = env_str("LOG_FORMAT") or "text"
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured(f"LOG_FORMAT must be text or json, got {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "mineban.logs.RequestIdFilter"}},
    "formatters": {"json": {"()": "mineban.logs.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id"],
            **({"formatter": "json"} if LOG_FORMAT == "json" else {}),
        }
    },
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL") or "INFO"},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # Failed logins and lockouts only; not every successful login.
        "axes": {"level": "WARNING"},
    },
}
