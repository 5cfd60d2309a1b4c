"""Settings for the benchmarks: the base settings against the bench database (DATABASE_URL),
with Celery messages left in an in-memory queue (the benchmark runs the task function itself, in
its own process), an in-process cache and generated files under var/bench/."""

from config.settings.base import *  # noqa: F403
from config.settings.base import VAR_DIR

DEBUG = False
SECRET_KEY = "bench-secret-key"  # noqa: S105
# One hash for every bench user; they never sign in.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CELERY_BROKER_URL = "memory://localhost/"
CELERY_RESULT_BACKEND = "cache+memory://"
CELERY_TASK_ALWAYS_EAGER = False
TANDEM_JOBS_IN_THREADS = False  # the benchmark runs the task itself
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
MEDIA_ROOT = VAR_DIR / "bench" / "media"
REDIS_URL = ""
# Keep WeasyPrint's step-by-step notes out of the benchmark's output.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# The portal's addresses and the benchmark's floor (bench/urls.py).
ROOT_URLCONF = "bench.urls"
# What production runs: connections kept between requests (config/settings/production.py).
DATABASES["default"]["CONN_MAX_AGE"] = 60  # noqa: F405
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True  # noqa: F405
# The static floor: a file of the same bytes as a download, served by WhiteNoise at the root.
STATIC_FLOOR_DIR = VAR_DIR / "bench" / "floor"
STATIC_FLOOR_DIR.mkdir(parents=True, exist_ok=True)
WHITENOISE_ROOT = STATIC_FLOOR_DIR
