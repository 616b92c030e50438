"""The Redis result cache (CACHE_URL=redis://…), with a clear() that empties only its own
keys when it has a KEY_PREFIX: Django's clear() empties the whole Redis database, which
the parallel test processes (one prefix each) share, and so may other sites."""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache


class RedisCache(DjangoRedisCache):
    def clear(self) -> bool:
        if not self.key_prefix:
            return super().clear()
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True
