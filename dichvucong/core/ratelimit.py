"""A fixed-window rate limit on the cache (per IP, per account…), for OTP sending and resets."""

from django.core.cache import cache


def rate_limit_hit(key: str, *, limit: int, window_seconds: int) -> bool:
    """Count one hit on `key`; True when this hit is over `limit` within the window."""
    cache_key = f"ratelimit:{key}"
    if cache.add(cache_key, 1, window_seconds):
        return limit < 1
    try:
        count = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.add(cache_key, 1, window_seconds)
        count = 1
    return count > limit
