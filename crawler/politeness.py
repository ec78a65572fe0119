"""One politeness budget per host, shared by every worker of a distributed crawl.

A single crawler is polite by itself: one request at a time per host, a randomised delay
between requests, robots.txt's Crawl-delay, AutoThrottle's adaptive delay, and Retry-After
back-off (crawler/middlewares.py), all kept in Scrapy's per-host download slot. N workers each
keeping their own would hit a site N times as hard. Here the slot's state lives in Redis, one
hash per host (`<prefix>:polite:<host>`), so the site sees one polite crawler however many
workers there are; different hosts still run in parallel.

The hash holds

* `next`: the earliest moment (Redis server time, `TIME`) the host may get its next request;
* `delay`: the host's current delay (the largest Crawl-delay or DOWNLOAD_DELAY of the workers,
  raised by AutoThrottle from the latencies it sees), so every worker draws from the same one;
* `holder`, `until`, `taken`: the lease of the request in flight. One request at a time per host
  across all workers; a lease lapses after DOWNLOAD_TIMEOUT + LEASE_MARGIN seconds, so a worker
  killed in the middle of a request does not leave the host locked.

`SharedPolitenessMiddleware`, last before the download handler, claims the host (one atomic
Lua script: lease free and `next` reached, or how long to wait), sleeps without blocking the
event loop, and lets the request go. When the request leaves the downloader (answered or
failed), the worker releases the lease and sets `next` to the later of

* the claim time plus a delay drawn from the host's delay ± DOWNLOAD_DELAY_JITTER, as Scrapy
  draws it between two requests of one slot;
* the release time plus the smallest delay that draw can give (the `--delay`): since the
  request reached the server before its answer left it, two requests arrive at the site at
  least that far apart, however late a loaded worker sends or hears back;
* the release time plus a 429/503 Retry-After (up to NEWSARCHIVE_MAX_RETRY_AFTER).

Scrapy's own slot delay would add its wait to this one: the worker's slots are `SharedSlot`s,
whose delay is still the value AutoThrottle, Crawl-delay and RetryAfterMiddleware write, but
which wait nothing themselves. A host whose delay is 0 (`--delay 0`, a local copy) takes no
lease: only a Retry-After back-off holds it.
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import os
import random
import socket
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from redis.exceptions import RedisError
from scrapy import Request, Spider, signals
from scrapy.core.downloader import Slot
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response
from scrapy.utils.httpobj import urlparse_cached
from scrapy_redis.connection import get_redis_from_settings

from crawler.middlewares import retry_after_seconds

if TYPE_CHECKING:
    from scrapy.core.downloader import Downloader
    from scrapy.crawler import Crawler

logger = logging.getLogger(__name__)

# Seconds a lease outlives the download timeout: a killed worker's host is free after that.
LEASE_MARGIN = 5.0
# A host's hash is dropped after this long without a request (its delay starts afresh).
HOST_KEY_TTL = 3600
# While another worker's request is in flight, ask again this often.
BUSY_POLL = 0.02

# Claim the host: 'go' (the lease is ours, or the host needs none), or 'busy' / 'wait' with the
# seconds to wait. Returns {status, seconds, delay, now}; numbers as strings (Lua truncates).
_CLAIM = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
local floor = tonumber(ARGV[2])
local delay = math.max(tonumber(redis.call('HGET', KEYS[1], 'delay') or '0') or 0, floor)
local until_ = tonumber(redis.call('HGET', KEYS[1], 'until') or '0') or 0
redis.call('EXPIRE', KEYS[1], ARGV[4])
if until_ > now then
  return {'busy', tostring(until_ - now), tostring(delay), tostring(now)}
end
local next_at = tonumber(redis.call('HGET', KEYS[1], 'next') or '0') or 0
if next_at > now then
  return {'wait', tostring(next_at - now), tostring(delay), tostring(now)}
end
if delay > 0 then
  redis.call('HSET', KEYS[1], 'holder', ARGV[1], 'until', tostring(now + tonumber(ARGV[3])),
             'taken', tostring(now))
end
return {'go', '0', tostring(delay), tostring(now)}
"""

# Release the lease (if still ours) and move `next` on; ARGV: token, taken, drawn delay,
# smallest delay, back-off, the host's delay now (-1: unchanged), TTL.
_RELEASE = """
local t = redis.call('TIME')
local now = tonumber(t[1]) + tonumber(t[2]) / 1000000
if redis.call('HGET', KEYS[1], 'holder') == ARGV[1] then
  redis.call('HDEL', KEYS[1], 'holder', 'until', 'taken')
end
local next_at = tonumber(redis.call('HGET', KEYS[1], 'next') or '0') or 0
next_at = math.max(next_at, tonumber(ARGV[2]) + tonumber(ARGV[3]),
                   now + tonumber(ARGV[4]), now + tonumber(ARGV[5]))
redis.call('HSET', KEYS[1], 'next', tostring(next_at))
if tonumber(ARGV[6]) >= 0 then redis.call('HSET', KEYS[1], 'delay', ARGV[6]) end
redis.call('EXPIRE', KEYS[1], ARGV[7])
return tostring(next_at - now)
"""


def host_key(prefix: str, host: str) -> str:
    """The Redis hash holding one host's shared politeness state."""
    return f"{prefix}:polite:{host.lower()}"


class SharedSlot(Slot):
    """A download slot that keeps its delay (for AutoThrottle and the others to adjust) but
    waits nothing itself: SharedPolitenessMiddleware has waited for the whole site already."""

    __slots__ = ()

    def download_delay(self) -> float:
        return 0.0


@dataclass(frozen=True)
class Claim:
    """A request's claim on its host: the Redis key, the lease token (None: no lease taken)
    and the Redis server time of the claim."""

    key: str
    token: str | None
    taken: float


class HostBudget:
    """The Redis side: claim a host for one request, release it afterwards."""

    def __init__(self, server: Any, prefix: str, lease_seconds: float):
        self.server = server
        self.prefix = prefix
        self.lease_seconds = lease_seconds
        self.claim_script = server.register_script(_CLAIM)
        self.release_script = server.register_script(_RELEASE)
        self.tokens = itertools.count(1)
        self.name = f"{socket.gethostname()}-{os.getpid()}"

    def try_claim(self, host: str, floor: float) -> tuple[str, float, float, Claim]:
        """One attempt: ('go' | 'busy' | 'wait', seconds to wait, the host's delay, claim)."""
        key = host_key(self.prefix, host)
        token = f"{self.name}:{next(self.tokens)}"
        status, wait, delay, now = self.claim_script(
            keys=[key], args=[token, floor, self.lease_seconds, HOST_KEY_TTL]
        )
        delay_value = float(delay)
        claim = Claim(key, token if delay_value > 0 else None, float(now))
        return status.decode(), float(wait), delay_value, claim

    def release(
        self, claim: Claim, *, drawn: float, smallest: float, backoff: float, delay: float
    ) -> float:
        """Free the lease and set the host's next allowed moment; returns seconds until then."""
        left = self.release_script(
            keys=[claim.key],
            args=[
                claim.token or "",
                repr(claim.taken),
                repr(drawn),
                repr(smallest),
                repr(backoff),
                repr(delay),
                HOST_KEY_TTL,
            ],
        )
        return float(left)


class SharedPolitenessMiddleware:
    """Downloader middleware of a distributed worker: the site's politeness, shared (module doc).

    Ordered last before the download handler (990), after robots.txt and scope checks, so only
    requests that really go to the site claim it.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        settings = crawler.settings
        lease = settings.getfloat("DOWNLOAD_TIMEOUT", 180.0) + LEASE_MARGIN
        prefix = settings.get("NEWSARCHIVE_REDIS_PREFIX") or "newsarchive"
        self.budget = HostBudget(get_redis_from_settings(settings), prefix, lease)
        self.max_retry_after = settings.getfloat("NEWSARCHIVE_MAX_RETRY_AFTER", 300.0)
        self.claims: dict[Request, Claim] = {}
        self.backoffs: dict[Request, float] = {}
        # One claimant per host in this worker; the others wait here, not in Redis.
        self.host_locks: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> SharedPolitenessMiddleware:
        if not crawler.settings.get("NEWSARCHIVE_REDIS_URL"):
            raise NotConfigured("not a distributed crawl (NEWSARCHIVE_REDIS_URL is empty)")
        middleware = cls(crawler)
        crawler.signals.connect(middleware.response_downloaded, signal=signals.response_downloaded)
        crawler.signals.connect(
            middleware.request_left_downloader, signal=signals.request_left_downloader
        )
        return middleware

    # --- the delays this worker knows of ---

    def floor(self) -> float:
        """The least delay: DOWNLOAD_DELAY, or a robots.txt Crawl-delay (the spider's)."""
        settings = self.crawler.settings
        base = settings.getfloat("DOWNLOAD_DELAY")
        return max(base, float(getattr(self.crawler.spider, "download_delay", base) or 0.0))

    def start_delay(self) -> float:
        settings = self.crawler.settings
        if settings.getbool("AUTOTHROTTLE_ENABLED"):
            return max(self.floor(), settings.getfloat("AUTOTHROTTLE_START_DELAY"))
        return self.floor()

    def shared_slot(self, downloader: Downloader, key: str) -> SharedSlot:
        """The request's download slot, made a SharedSlot (created as Scrapy would create it)."""
        slot = downloader.slots.get(key)
        if isinstance(slot, SharedSlot):
            return slot
        settings = self.crawler.settings
        if slot is not None:
            concurrency, delay, jitter = slot.concurrency, slot.delay, slot.jitter
            slot.close()
        else:
            own = downloader.per_slot_settings.get(key, {})
            concurrency = own.get(
                "concurrency",
                settings.getint("CONCURRENT_REQUESTS_PER_IP")
                or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            )
            delay = float(own.get("delay", self.start_delay()))
            jitter = float(own.get("jitter", settings.getfloat("DOWNLOAD_DELAY_JITTER")))
        shared = SharedSlot(concurrency, delay, jitter)
        downloader.slots[key] = shared
        return shared

    # --- the request's way through ---

    async def process_request(self, request: Request, spider: Spider | None = None) -> None:
        engine = self.crawler.engine
        if engine is None:
            return
        downloader = engine.downloader
        slot = self.shared_slot(downloader, downloader.get_slot_key(request))
        host = urlparse_cached(request).hostname or downloader.get_slot_key(request)
        stats = self.crawler.stats
        waited = 0.0
        try:
            async with self.host_locks[host]:
                while True:
                    status, wait, delay, claim = self.budget.try_claim(host, self.floor())
                    if status == "go":
                        break
                    pause = min(wait, BUSY_POLL) if status == "busy" else wait + 0.001
                    waited += pause
                    await asyncio.sleep(pause)
        except RedisError as error:
            from crawler.distributed import stop_worker_without_redis

            stop_worker_without_redis(self.crawler, error)
            raise IgnoreRequest(f"{request.url} not fetched: lost Redis ({error})") from error
        # AutoThrottle adjusts the host's delay from here, with this request's latency.
        slot.delay = max(slot.delay if claim.token is None else delay, self.floor())
        self.claims[request] = claim
        stats.inc_value("newsarchive/politeness/claims")
        if waited:
            stats.inc_value("newsarchive/politeness/wait_seconds", waited)

    def response_downloaded(self, response: Response, request: Request, spider: Spider) -> None:
        if response.status not in (429, 503):
            return
        wait = retry_after_seconds(response.headers.get(b"Retry-After"))
        if wait is not None and wait <= self.max_retry_after:
            self.backoffs[request] = wait

    def request_left_downloader(self, request: Request, spider: Spider) -> None:
        claim = self.claims.pop(request, None)
        backoff = self.backoffs.pop(request, 0.0)
        if claim is None or (claim.token is None and not backoff):
            return
        engine = self.crawler.engine
        slot = None
        if engine is not None:
            slot = engine.downloader.slots.get(request.meta.get("download_slot", ""))
        delay = max(slot.delay if slot is not None else 0.0, self.floor())
        jitter = min(max(slot.jitter if slot is not None else 0.0, 0.0), 1.0)
        drawn = delay * (1 + random.uniform(-jitter, jitter)) if jitter else delay  # noqa: S311
        try:
            self.budget.release(
                claim,
                drawn=drawn,
                smallest=delay * (1 - jitter),
                backoff=backoff,
                delay=delay if claim.token is not None else -1.0,
            )
        except RedisError as error:  # the lease lapses by itself
            logger.warning("Could not release the host lease %s: %s", claim.key, error)
        if backoff:
            self.crawler.stats.inc_value("newsarchive/politeness/backoffs")
            logger.warning(
                "%s asked every worker to back off %.1f s (Retry-After)", claim.key, backoff
            )
