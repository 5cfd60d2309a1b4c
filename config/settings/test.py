"""Tests: fast hashing, e-mail kept in memory, Celery tasks run eagerly in the test process.

The one test that starts a real worker switches eager mode off for itself.
"""

from .base import *  # noqa: F403
from .base import DATABASES

SECRET_KEY = "test-secret-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = True
# Jobs run inside the request that asks for them, once it commits, not in a thread beside it; the
# tests of the threaded mode (tests/documents/test_threads.py) switch it on for themselves.
TANDEM_JOBS_IN_THREADS = False
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
ACCOUNT_RATE_LIMITS = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than memory, so that a worker in another process sees the test database.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / "var" / "test.sqlite3")}  # noqa: F405
STATIC_ROOT = None  # static files come from the finders; nothing is collected for tests
WHITENOISE_USE_FINDERS = True
# Each static file is looked up when it is asked for, rather than every file listed when the
# middleware starts: every test client starts the middleware afresh, and listing the 465 files
# through the finders cost 85 ms a client (a fifth of the endpoint matrix's time).
WHITENOISE_AUTOREFRESH = True
TANDEM_MAP_TILES_URL = ""  # no tile server in tests: the map draws cities and pairings only
# The API's request rates count in the cache for the whole test process, and the tests make far
# more requests a minute than any reader may; tests/api/test_tokens.py sets a low rate to see 429.
TANDEM_API_RATE = TANDEM_API_ANONYMOUS_RATE = "1000000/minute"
# One layout process per all-cities report: the test processes already keep every core busy,
# and a second child would only add its start-up; tests/documents/test_pdf_processes.py runs two.
TANDEM_PDF_PROCESSES = 1
