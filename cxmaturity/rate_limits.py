"""Fixed-window request counters in Django's cache (shared by every web process: the
database cache by default, or CACHE_URL)."""

import hashlib
import time

from django.core.cache import cache


def rate_limit_exceeded(*, scope: str, key: str, limit: int, window: int) -> bool:
    """Count one more request for `key` in this window; True once there are more than
    `limit`. Keys are hashed, so no address or email is stored in the cache."""
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rate:{scope}:{digest}:{int(time.time() // window)}"
    cache.add(cache_key, 0, timeout=window)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    return count > limit
