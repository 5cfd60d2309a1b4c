"""Settings shared by every environment. Every value can come from the environment.

With no environment at all the portal runs embedded: SQLite in ``var/``, Celery tasks run
in-process, e-mail printed to the console. ``DATABASE_URL`` switches to PostgreSQL and
``REDIS_URL`` to a Redis broker with real Celery workers.
"""

import os
from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; the real environment wins

DEBUG = env.bool("DJANGO_DEBUG", default=False)
SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-development-key-change-me")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Apps -------------------------------------------------------------------------------------------

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_countries",
    "accounts",
    "documents",
    "notifications",
    "cities",
    "mentoring",
    "toolkits",
    "actionplans",
    "reporting",
    "claims",
    "matching",
    "auditlog",
    "audit",
    "portal",
]

MIDDLEWARE = [
    # First: a path, query or form with a NUL or another control character is a 400 before
    # anything (sessions, lookups, views) reads it.
    "config.middleware.RejectControlCharactersMiddleware",
    # Every request to the API is logged once, whatever its answer (outside the retry below).
    "accounts.api.ApiRequestLogMiddleware",
    # A request whose database connection was lost before it wrote anything runs once more.
    "config.middleware.RetryOnLostConnectionMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # The signed-in person's time zone, for every page and every "today" (after request.user).
    "config.middleware.TimeZoneMiddleware",
    "config.middleware.PrivateNoStoreMiddleware",
    "config.middleware.SlugRedirectMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.mfa.RequiredTwoFactorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.navigation",
                "notifications.context_processors.bell",
                "accounts.context_processors.signup",
            ],
        },
    },
]

# Database: SQLite file unless DATABASE_URL names another (postgres://user@host:5432/name) ----

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(exist_ok=True)  # the embedded database lives in var/
    # A job's thread (TANDEM_JOBS_IN_THREADS) writes while requests read: in WAL mode readers
    # never wait for a writer; a transaction takes the write lock when it begins (IMMEDIATE), so
    # two writers queue instead of failing on upgrading a read lock; a writer waits up to
    # 20 seconds for the other's commit.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("DJANGO_CONN_MAX_AGE", default=0))
# A kept connection is checked before a request reuses it, so one the server dropped while it
# was idle is replaced instead of failing the request (a no-op when CONN_MAX_AGE is 0).
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts: e-mail login, invitation-only, optional two-factor (TOTP) ---------------------------

AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, whose user carries the bell's count of unread notifications.
AUTHENTICATION_BACKENDS = [
    "notifications.backends.ModelBackendWithBell",
    "notifications.backends.AllauthBackendWithBell",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
ACCOUNT_LOGOUT_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = None
# Public self-signup is off: people join through a coordinator's invitation.
ACCOUNT_ALLOW_SIGNUP = env.bool("TANDEM_ALLOW_SIGNUP", default=False)
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Tandem"
MFA_ADAPTER = "accounts.mfa.MFAAdapter"
INVITATION_VALID_DAYS = env.int("TANDEM_INVITATION_VALID_DAYS", default=14)

# Internationalisation ----------------------------------------------------------------------------

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French")), ("de", _("German"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True

# Static and uploaded files: served by the app (WhiteNoise), never from a CDN ------------------

STATIC_URL = "/static/"
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Stored files (reports, PDFs, practice images) are streamed by the portal after it has checked
# who may have them, unless a front server sends them: "x-accel-redirect" (nginx: the answer names
# the file under TANDEM_SENDFILE_PREFIX, an internal location aliased to MEDIA_ROOT) or
# "x-sendfile" (Apache's mod_xsendfile, lighttpd: the answer names the file's path on disk). The
# answer then carries the headers and no body. See README.md, "Serving stored files".
TANDEM_SENDFILE = env("TANDEM_SENDFILE", default="")
TANDEM_SENDFILE_PREFIX = env("TANDEM_SENDFILE_PREFIX", default="/protected-media/")

# E-mail: console by default; EMAIL_URL=smtp://mailpit:1025 (docker compose) or a real relay ----

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Tandem <noreply@tandem.example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Celery: REDIS_URL → Redis broker and real workers; none → tasks run in-process -------------

REDIS_URL = env("REDIS_URL", default="")
CELERY_BROKER_URL = REDIS_URL or "memory://localhost/"
CELERY_RESULT_BACKEND = REDIS_URL or "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = not REDIS_URL
# Without Redis (`make run`) a job (a report, a PDF) runs in a thread of the web process, started
# after the commit of the request that asked for it: the page answers at once and follows the
# job's progress as it does with a worker. With Redis a Celery worker runs it.
TANDEM_JOBS_IN_THREADS = env.bool("TANDEM_JOBS_IN_THREADS", default=not REDIS_URL)
# Child processes that lay out a PDF which grows with the programme (the all-cities staff-cost
# report) side by side, each replaced after a few dozen pieces (documents/pdf_processes.py).
TANDEM_PDF_PROCESSES = env.int("TANDEM_PDF_PROCESSES", default=min(2, os.cpu_count() or 1))
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=15 * 60)
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=14 * 60)
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# Publishing never holds a request up: one try, short connect and read timeouts. What cannot be
# published waits in the database (documents.OutboxMessage, a job's empty enqueued_at) and the
# sweep below hands it over once Redis is back. Tasks that return nothing keep no result
# (ignore_result), so a dead result backend cannot hang a request either; the result backend
# gives up after one quick retry instead of twenty seconds of them.
CELERY_TASK_PUBLISH_RETRY = False
CELERY_BROKER_CONNECTION_TIMEOUT = 2.0
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2.0
CELERY_REDIS_SOCKET_TIMEOUT = 3.0
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
}
# The queue this process sends to and a worker started with these settings reads by default.
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", default="celery")
# Every minute (and when a worker starts): mark interrupted the jobs whose worker is gone and
# start them again, hand over the jobs and messages that waited for the queue.
CELERY_BEAT_SCHEDULE: dict = {
    "sweep-jobs": {
        "task": "documents.tasks.sweep_jobs",
        "schedule": env.float("TANDEM_SWEEP_SECONDS", default=60.0),
    },
    # Digests go out once it is morning where each person is: looked at every quarter hour.
    "notification-digests": {
        "task": "notifications.tasks.send_digests",
        "schedule": env.float("TANDEM_DIGEST_SWEEP_SECONDS", default=15 * 60.0),
    },
    # Reminders of deadlines; each is sent once per object and deadline however often this runs.
    "notification-reminders": {
        "task": "notifications.tasks.send_reminders",
        "schedule": env.float("TANDEM_REMINDER_SWEEP_SECONDS", default=60 * 60.0),
    },
    "forget-old-api-requests": {
        "task": "accounts.tasks.forget_old_api_requests",
        "schedule": 24 * 60 * 60.0,
    },
    "forget-old-notifications": {
        "task": "notifications.tasks.forget_old_notifications",
        "schedule": 24 * 60 * 60.0,
    },
}
# Notifications: the local hour of the morning digest, how often an open page asks the bell's
# count again, and how long read notifications are kept.
TANDEM_DIGEST_HOUR = env.int("TANDEM_DIGEST_HOUR", default=7)
TANDEM_BELL_POLL_SECONDS = env.float("TANDEM_BELL_POLL_SECONDS", default=60.0)
TANDEM_NOTIFICATIONS_KEEP_DAYS = env.int("TANDEM_NOTIFICATIONS_KEEP_DAYS", default=365)
# A running job's worker refreshes the job's heartbeat this often; once it has been silent for
# the lease, the worker is taken to be gone (a killed process group, a lost machine) and the
# sweep starts the job again. The lease is several heartbeats long, so a busy worker is never
# taken for a dead one.
TANDEM_JOB_HEARTBEAT_SECONDS = env.float("TANDEM_JOB_HEARTBEAT_SECONDS", default=15.0)
TANDEM_JOB_LEASE_SECONDS = env.float("TANDEM_JOB_LEASE_SECONDS", default=90.0)

# A message a worker took but never acknowledged (the worker was killed mid-job) goes back to the
# queue after this many seconds; longer than the hard time limit, so that a job still running is
# never handed to a second worker. The job starts over (tasks are acks_late and idempotent); the
# job's lease (above) lets the sweep notice a lost job much sooner, and start() never lets two
# runs of one job go on at once.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int(
        "CELERY_VISIBILITY_TIMEOUT", default=CELERY_TASK_TIME_LIMIT + 5 * 60
    ),
    "socket_connect_timeout": 2.0,
    "socket_timeout": 3.0,
    # A process that publishes reconnects once, at once, rather than for the connect timeout.
    "max_retries": 1,
    "interval_start": 0,
}

# Redis down: the cache misses and drops writes instead of failing the request (config/cache.py).
CACHES = {
    "default": (
        {"BACKEND": "config.cache.FaultTolerantRedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Demo -------------------------------------------------------------------------------------------

DEMO_PASSWORD = env("DEMO_PASSWORD", default="tandem-demo")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}

# The address people reach the portal at: links in e-mails are built from it.
SITE_URL = env("TANDEM_SITE_URL", default="http://127.0.0.1:8000")

# Map tiles for the programme dashboard. Leaflet itself is served by the app; tiles come from this
# server (empty: no background tiles, the cities and pairing lines still show).
TANDEM_MAP_TILES_URL = env(
    "TANDEM_MAP_TILES_URL", default="https://tile.openstreetmap.org/{z}/{x}/{y}.png"
)
TANDEM_MAP_ATTRIBUTION = env("TANDEM_MAP_ATTRIBUTION", default="© OpenStreetMap contributors")

# The largest image a practice may carry, in bytes.
TANDEM_MAX_IMAGE_BYTES = env.int("TANDEM_MAX_IMAGE_BYTES", default=5 * 1024 * 1024)

# Imports from spreadsheets (documents.imports): the largest file, the most rows and columns one
# import reads, what an XLSX may unpack to (in all, and as a multiple of its size: a zip bomb is
# refused before it is unpacked), and from how many rows the preview and the import run as a
# background job instead of in the request.
TANDEM_IMPORT_MAX_BYTES = env.int("TANDEM_IMPORT_MAX_BYTES", default=10 * 1024 * 1024)
TANDEM_IMPORT_MAX_ROWS = env.int("TANDEM_IMPORT_MAX_ROWS", default=20_000)
TANDEM_IMPORT_MAX_COLUMNS = env.int("TANDEM_IMPORT_MAX_COLUMNS", default=100)
TANDEM_IMPORT_MAX_UNPACKED_BYTES = env.int(
    "TANDEM_IMPORT_MAX_UNPACKED_BYTES", default=200 * 1024 * 1024
)
TANDEM_IMPORT_MAX_PACKING_RATIO = env.int("TANDEM_IMPORT_MAX_PACKING_RATIO", default=100)
TANDEM_IMPORT_BACKGROUND_ROWS = env.int("TANDEM_IMPORT_BACKGROUND_ROWS", default=500)

# Content-Security-Policy (django-csp), in every environment so that development and the tests
# see what production enforces: scripts, styles and fonts come from the portal itself only, no
# inline script or style, no plugins, no framing. Images may also be data: URIs (the two-factor
# QR code) and map tiles from the tile server above.
_TILE_ORIGIN = "/".join(TANDEM_MAP_TILES_URL.split("/")[:3]) if TANDEM_MAP_TILES_URL else ""
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", *([_TILE_ORIGIN] if _TILE_ORIGIN else [])],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

# Two-factor authentication: people holding one of these roles must set up an authenticator app
# before they can use the portal (production turns it on for coordinators and supervisors).
TANDEM_2FA_REQUIRED_ROLES = env.list("TANDEM_2FA_REQUIRED_ROLES", default=[])

# The read API (issue 18; config/api.py tells how it is laid out) -------------------------------

TANDEM_API_PREFIX = "/api/v1/"
TANDEM_API_PAGE_SIZE = env.int("TANDEM_API_PAGE_SIZE", default=50)
# Requests per token (or per signed-in person on the documentation page), and per address for
# anonymous readers of public data: "<number>/<second|minute|hour|day>".
TANDEM_API_RATE = env("TANDEM_API_RATE", default="120/minute")
TANDEM_API_ANONYMOUS_RATE = env("TANDEM_API_ANONYMOUS_RATE", default="30/minute")
# A personal token lives at most this long; the log of API requests is kept this long.
TANDEM_API_TOKEN_MAX_DAYS = env.int("TANDEM_API_TOKEN_MAX_DAYS", default=365)
TANDEM_API_LOG_KEEP_DAYS = env.int("TANDEM_API_LOG_KEEP_DAYS", default=90)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.api.BearerTokenAuthentication",
        # Reading only: a session needs no CSRF token for GET, HEAD and OPTIONS.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["config.api.ReadScope"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],  # nothing is written through the API
    "DEFAULT_PAGINATION_CLASS": "config.api.ApiPagination",
    "PAGE_SIZE": TANDEM_API_PAGE_SIZE,
    "DEFAULT_FILTER_BACKENDS": ["config.api.FilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["config.api.RequestRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "config.api.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Tandem API",
    # Markdown, as OpenAPI says: the code spans keep "<token>" from being read as an HTML tag.
    "DESCRIPTION": (
        "Read-only access to what a person sees in Tandem: send a personal token as "
        "`Authorization: Bearer <token>` (create one under "
        "[Your API tokens](/account/api-tokens/)). Lists are paged (`?page`, `?page_size`) "
        "and ordered by `?ordering`, then by id; dates are ISO 8601; amounts are exact decimal "
        "strings with their currency."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "persistAuthorization": False},
    # Choices of the same field name in several models, named in the schema by their model.
    "ENUM_NAME_OVERRIDES": {
        "PairingStatusEnum": "mentoring.models.PairingStatus",
        "EventStatusEnum": "mentoring.models.EventStatus",
    },
}
