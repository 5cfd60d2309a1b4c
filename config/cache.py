"""The Redis cache, made so that the portal carries on when Redis is down.

Django's own ``RedisCache`` raises when Redis cannot be reached, and allauth keeps its sign-in
rate limits in the cache: with Redis down nobody could sign in (a 500 on the sign-in form). Here,
while Redis cannot be reached, the cache answers as Django's ``DummyCache`` does (every read a
miss, every write dropped, ``add`` succeeds so that allauth's lock is taken), with a warning in
the log. The rate limits therefore do not apply while Redis is down; pages, sign-in and the job
pages keep working. Short socket timeouts keep a Redis that hangs from hanging the request, and
after a failure the cache is skipped for a few seconds rather than tried again on every call.
"""

import logging
import time
from functools import partial

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
SOCKET_TIMEOUTS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}
SKIP_SECONDS = 5.0


class FaultTolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        options = {**SOCKET_TIMEOUTS, **params.get("OPTIONS", {})}
        super().__init__(server, {**params, "OPTIONS": options})
        self._skip_until = 0.0

    def _or(self, fallback, call):
        """``call()``, or ``fallback`` when Redis cannot be reached."""
        if time.monotonic() < self._skip_until:
            return fallback
        try:
            return call()
        except UNREACHABLE as error:
            self._skip_until = time.monotonic() + SKIP_SECONDS
            logger.warning("Cache unreachable, going without it for %ss: %s", SKIP_SECONDS, error)
            return fallback

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(True, partial(super().add, key, value, timeout, version))

    def get(self, key, default=None, version=None):
        return self._or(default, partial(super().get, key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._or(None, partial(super().set, key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or(False, partial(super().touch, key, timeout, version))

    def delete(self, key, version=None):
        return self._or(False, partial(super().delete, key, version))

    def get_many(self, keys, version=None):
        return self._or({}, partial(super().get_many, keys, version))

    def has_key(self, key, version=None):
        return self._or(False, partial(super().has_key, key, version))

    def incr(self, key, delta=1, version=None):
        # Django raises ValueError for a missing key; an unreachable one is missing too.
        result = self._or(None, partial(super().incr, key, delta, version))
        if result is None:
            raise ValueError(f"Key '{key}' not found")
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._or([], partial(super().set_many, data, timeout, version))

    def delete_many(self, keys, version=None):
        self._or(None, partial(super().delete_many, keys, version))

    def clear(self):
        return self._or(False, super().clear)
