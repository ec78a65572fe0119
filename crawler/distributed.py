"""Distributed crawls: several crawler processes share one frontier in Redis (scrapy-redis).

`newsarchive crawl --redis redis://host:6379/0 ...` (or the setting NEWSARCHIVE_REDIS_URL with
the `DistributedMode` add-on) turns a crawl into a worker:

* scrapy-redis's scheduler and dupefilter hold the requests and the fingerprints of everything
  requested, under keys namespaced per job (`<prefix>:crawl:<job>:requests`, `:dupefilter`),
  so no two workers fetch the same URL;
* extraction stays in the worker's own process pool (crawler/pipelines/extraction.py);
* requests are leased, not popped (`<job>:leased`): those of a worker that dies go back into
  the frontier for another one;
* a worker takes no more requests of a host than it can start soon
  (NEWSARCHIVE_REDIS_LEASES_PER_HOST, by default its requests per host at once): the rest stay
  in the frontier for the other workers instead of waiting in its downloader;
* the site's politeness (one request at a time, delay, Crawl-delay, AutoThrottle, Retry-After)
  is one budget per host in Redis, shared by all workers (crawler/politeness.py);
* instead of writing SQLite, each article record goes as JSON onto `<prefix>:items`, which the
  single writer, `newsarchive ingest` (archive/ingest.py), stores; so do 304s, the fetch state
  of sitemaps and feeds, crawl errors (robots.txt denials and trap cuts included) and each
  worker's figures when it ends;
* a worker never opens the archive: no archive lock, no crawl ledger; it plans revisits from
  the fetch state the ingest publishes in Redis (crawler/incremental.py);
* WARC files stay local to each worker, named after its host and process id.

Workers register in `<prefix>:crawl:<job>:workers` and end when the shared frontier has been
empty, no request leased, and every live worker idle, for NEWSARCHIVE_REDIS_IDLE_TIMEOUT
seconds; the last one out deletes the job's keys, so the next run of the same job starts
afresh. Everything is in docs/distributed.md.

Compatibility with Scrapy 2.13+ (scrapy-redis 0.9.1 was written for older releases):
`DistributedScheduler` counts its stats without the `spider` argument and logs without
`Spider.log()` (both deprecated by Scrapy), waits without blocking the event loop
(scrapy-redis's SCHEDULER_IDLE_BEFORE_CLOSE blocks the reactor in BRPOP, and its priority queue
ignores it), stops the worker when Redis is lost (the engine would stall forever), and stores
requests as JSON instead of pickle.
"""

from __future__ import annotations

import base64
import gc
import itertools
import json
import logging
import os
import re
import socket
import weakref
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from redis.exceptions import RedisError
from scrapy import Request, Spider, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, IgnoreRequest, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy.utils.request import request_from_dict
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archive.ingest import (
    ERROR_FORMAT,
    FETCH_FORMAT,
    NOT_MODIFIED_FORMAT,
    WORKER_FORMAT,
    ItemQueueKeys,
    encode_item,
    redact_url,
)
from archive.warcs import WARC_SUFFIX
from crawler.items import FetchRecord, NotModified
from crawler.signals import crawl_error
from crawler.warc import RotatingWarcWriter, WarcCaptureMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings, Settings

    from crawler.options import CrawlOptions

logger = logging.getLogger(__name__)

# How often a worker tells the others it is alive, and whether it has work in hand.
HEARTBEAT_SECONDS = 2.0
# A worker not heard of for this long is taken for dead (killed, lost its network).
WORKER_TIMEOUT = 60.0

_UNSAFE_IN_KEYS = re.compile(r"[^A-Za-z0-9._@:-]+")


def worker_name() -> str:
    """This worker's name: host and process id (also the prefix of its WARC files)."""
    host = _UNSAFE_IN_KEYS.sub("-", socket.gethostname()) or "host"
    return f"{host}-{os.getpid()}"


def default_job(site: str, start_urls: list[str]) -> str:
    """The job of a crawl: the site profile and the host of its first start URL."""
    netloc = urlsplit(start_urls[0]).netloc if start_urls else ""
    return f"{site}@{netloc}" if netloc else site


@dataclass(frozen=True)
class JobKeys:
    """The Redis keys of one crawl job (documented in docs/distributed.md)."""

    job: str
    requests: str
    dupefilter: str
    workers: str
    leased: str

    @classmethod
    def for_job(cls, prefix: str, job: str) -> JobKeys:
        # `%` would be read as a placeholder by scrapy-redis, which formats the queue key.
        job = _UNSAFE_IN_KEYS.sub("-", job)
        base = f"{prefix}:crawl:{job}"
        return cls(
            job, f"{base}:requests", f"{base}:dupefilter", f"{base}:workers", f"{base}:leased"
        )

    @classmethod
    def for_spider(cls, spider: Spider, settings: BaseSettings) -> JobKeys:
        site = getattr(spider, "site_name", None) or spider.name
        job = settings.get("NEWSARCHIVE_REDIS_JOB") or default_job(
            site, list(getattr(spider, "start_urls", []))
        )
        return cls.for_job(settings.get("NEWSARCHIVE_REDIS_PREFIX") or "newsarchive", job)


# --- requests in the shared frontier: JSON, never pickle ---


def _encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if isinstance(value, Mapping):
        if all(isinstance(key, str) and not key.startswith("$") for key in value):
            return {key: _encode(item) for key, item in value.items()}
        return {"$items": [[_encode(key), _encode(item)] for key, item in value.items()]}
    if isinstance(value, list | tuple):
        return [_encode(item) for item in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    raise TypeError(f"a {type(value).__name__} cannot travel in the shared frontier: {value!r:.80}")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(item) for item in value]
    if isinstance(value, dict):
        if set(value) == {"$bytes"}:
            return base64.b64decode(value["$bytes"])
        if set(value) == {"$items"}:
            return {_decode(key): _decode(item) for key, item in value["$items"]}
        return {key: _decode(item) for key, item in value.items()}
    return value


class JsonRequestSerializer:
    """scrapy-redis serializer storing requests as JSON (bytes as base64).

    scrapy-redis pickles by default: a worker would then run whatever code anyone able to write
    to the Redis server put there. JSON can only carry data.
    """

    @staticmethod
    def dumps(request: dict[str, Any]) -> bytes:
        return json.dumps(_encode(request), separators=(",", ":")).encode("utf-8")

    @staticmethod
    def loads(data: bytes) -> dict[str, Any]:
        return _decode(json.loads(data))


# Why a worker stops when it loses Redis (its Scrapy finish reason).
REDIS_LOST = "redis_lost"

# Which workers are alive (heard of within ARGV[n] seconds), and the requests held by those
# that are not put back into the frontier: the start of every job script below.
# KEYS: workers, requests, dupefilter, leased.
_LIVE_AND_RECOVER = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local timeout = tonumber(ARGV[TIMEOUT_ARG])
local live = {}
local live_count = 0
local registry = redis.call('HGETALL', KEYS[1])
for i = 1, #registry, 2 do
  local ok, worker = pcall(cjson.decode, registry[i + 1])
  if ok and type(worker) == 'table' and worker['seen']
     and now - tonumber(worker['seen']) < timeout then
    live[registry[i]] = true
    live_count = live_count + 1
  end
end
local recovered = 0
local leases = redis.call('HGETALL', KEYS[4])
for i = 1, #leases, 2 do
  local ok, lease = pcall(cjson.decode, leases[i + 1])
  if not (ok and type(lease) == 'table' and live[lease['worker']]) then
    if ok and type(lease) == 'table' and lease['data'] then
      redis.call('ZADD', KEYS[2], lease['score'], lease['data'])
    end
    redis.call('HDEL', KEYS[4], leases[i])
    recovered = recovered + 1
  end
end
"""

# Register a worker in its job, in one atomic step with the check for leftovers: requests held
# by dead workers go back into the frontier; a job with no live worker and an empty frontier is
# over (its last workers were killed before they could clean up), so its dupefilter goes and
# the run starts afresh. A job with requests left in its frontier (workers stopped by a Redis
# outage, say) goes on from there. ARGV: worker, its entry, timeout.
_JOIN_JOB = (
    _LIVE_AND_RECOVER.replace("TIMEOUT_ARG", "3")
    + """
local waiting = redis.call('ZCARD', KEYS[2])
local stale = 0
if live_count == 0 and waiting == 0 then
  stale = redis.call('DEL', KEYS[1], KEYS[3], KEYS[4])
end
local me = cjson.decode(ARGV[2])
me['seen'] = now
me['active'] = now
me['since'] = now
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(me))
return {live_count, waiting, stale, recovered}
"""
)

# Put back the requests of dead workers; returns how many. ARGV: timeout.
_RECOVER_LEASES = (
    _LIVE_AND_RECOVER.replace("TIMEOUT_ARG", "1")
    + """
return recovered
"""
)

# How far into the frontier a worker holding its limit of requests of some hosts looks for a
# request of another host (DistributedScheduler.next_request).
LEASE_SCAN = 64

# Take the frontier's first request and lease it to this worker (scrapy-redis pops it, and a
# worker killed before it is done would lose it). ARGV[4...] are the hosts this worker holds
# its limit of requests for: their requests are skipped, among the first ARGV[3]; the host is
# read from the URL as `request_host` reads it. ARGV: lease id, worker, scan, full hosts...
_LEASE_REQUEST = """
local full = {}
local last = 0
if #ARGV >= 4 then
  for i = 4, #ARGV do full[ARGV[i]] = true end
  last = tonumber(ARGV[3]) - 1
end
local first = redis.call('ZRANGE', KEYS[1], 0, last, 'WITHSCORES')
for i = 1, #first, 2 do
  local data = first[i]
  local take = #ARGV < 4
  if not take then
    local host = ''
    local ok, request = pcall(cjson.decode, data)
    if ok and type(request) == 'table' and type(request['url']) == 'string' then
      local netloc = string.match(request['url'], '^[%w+.-]+://([^/?#]*)') or ''
      netloc = string.gsub(netloc, '^.*@', '')
      host = string.match(netloc, '^%[([^%]]*)') or string.match(netloc, '^[^:]*')
      host = string.lower(host)
    end
    take = not full[host]
  end
  if take then
    redis.call('ZREM', KEYS[1], data)
    redis.call('HSET', KEYS[2], ARGV[1],
               cjson.encode({worker = ARGV[2], score = first[i + 1], data = data}))
    return data
  end
end
return false
"""

_SCHEME_AND_NETLOC = re.compile(r"^[A-Za-z0-9+.-]+://([^/?#]*)")


def request_host(url: str) -> str:
    """The host of a request's URL, lower-cased, without user or port: what _LEASE_REQUEST
    reads from a request in the frontier (the same as Scrapy's download slot for http(s))."""
    match = _SCHEME_AND_NETLOC.match(url)
    netloc = match.group(1).rpartition("@")[2] if match else ""
    if netloc.startswith("["):
        return netloc[1:].partition("]")[0].lower()
    return netloc.partition(":")[0].lower()


def leases_per_host(settings: BaseSettings) -> int:
    """How many requests of one host a worker holds in its downloader (waiting for the shared
    politeness budget, or downloading) before it takes more of that host from the frontier.

    NEWSARCHIVE_REDIS_LEASES_PER_HOST, or by default as many as the worker downloads from one
    host at once (CONCURRENT_REQUESTS_PER_IP when set, else CONCURRENT_REQUESTS_PER_DOMAIN).
    """
    value = settings.get("NEWSARCHIVE_REDIS_LEASES_PER_HOST")
    if value is None or value == "":
        per_ip = settings.getint("CONCURRENT_REQUESTS_PER_IP")
        return max(1, per_ip or settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"))
    try:
        limit = int(str(value).strip())
    except ValueError:
        limit = 0
    if limit < 1:
        raise ValueError(
            f"NEWSARCHIVE_REDIS_LEASES_PER_HOST must be a whole number of at least 1 (requests "
            f"of one host a worker holds before it takes more), not {value!r}"
        )
    return limit


def worker_timeout(settings: BaseSettings) -> float:
    """Seconds without a heartbeat after which a worker is taken for dead."""
    return settings.getfloat("NEWSARCHIVE_REDIS_WORKER_TIMEOUT", WORKER_TIMEOUT)


def join_job(server: Any, keys: JobKeys, worker: str, timeout: float = WORKER_TIMEOUT) -> None:
    """Register this worker in its job (see _JOIN_JOB) and say what it found."""
    me = json.dumps({"pid": os.getpid(), "host": socket.gethostname()})
    job_keys = (keys.workers, keys.requests, keys.dupefilter, keys.leased)
    live, waiting, stale, recovered = server.eval(_JOIN_JOB, 4, *job_keys, worker, me, timeout)
    if recovered:
        logger.warning(
            "Job %s: %d request(s) held by workers that stopped answering go back into the "
            "frontier",
            keys.job,
            recovered,
        )
    if live:
        logger.info("Joining job %s: %d other worker(s) at work", keys.job, live)
    elif waiting:
        logger.info(
            "Resuming job %s: %d requests left in its frontier by an earlier run", keys.job, waiting
        )
    elif stale:
        logger.warning(
            "Job %s: an earlier run ended without cleaning up (workers killed?); starting afresh",
            keys.job,
        )
    else:
        logger.info("Starting job %s", keys.job)


def recover_leases(server: Any, keys: JobKeys, timeout: float) -> int:
    """Put the requests held by dead workers back into the frontier; returns how many."""
    job_keys = (keys.workers, keys.requests, keys.dupefilter, keys.leased)
    recovered = int(server.eval(_RECOVER_LEASES, 4, *job_keys, timeout))
    if recovered:
        logger.warning(
            "Job %s: %d request(s) held by a worker that stopped answering (killed?) go back "
            "into the frontier",
            keys.job,
            recovered,
        )
    return recovered


class RequestLeases:
    """The requests this worker took from the frontier and has not finished yet.

    A request is leased, not popped: it stays in `<job>:leased` under this worker's name until
    the engine is done with it (downloaded, parsed, its items through the pipelines, i.e. the
    Request object is gone), or until the worker is idle. If the worker dies first, any other
    worker puts it back into the frontier once the dead one's heartbeat is WORKER_TIMEOUT old.
    """

    def __init__(self, server: Any, worker: str):
        self.server = server
        self.worker = worker
        self.key: str | None = None
        self.count = itertools.count(1)
        self.owned: set[str] = set()
        self.finished: list[str] = []
        self.lease_script = server.register_script(_LEASE_REQUEST)

    def take(self, frontier: str, spider: Spider, full_hosts: Iterable[str] = ()) -> Request | None:
        """Lease the frontier's first request, skipping those of `full_hosts` (among the first
        LEASE_SCAN); None when there is none to take."""
        assert self.key is not None
        lease = f"{self.worker}:{next(self.count)}"
        args = [lease, self.worker, LEASE_SCAN, *full_hosts]
        data = self.lease_script(keys=[frontier, self.key], args=args)
        if data is None:
            return None
        request = request_from_dict(JsonRequestSerializer.loads(data), spider=spider)
        self.owned.add(lease)
        weakref.finalize(request, self.finished.append, lease)
        return request

    def flush(self) -> None:
        """Confirm the requests the engine is done with."""
        if not self.finished or self.key is None:
            return
        done, self.finished = self.finished, []
        self.server.hdel(self.key, *done)
        self.owned.difference_update(done)

    def release_all(self) -> None:
        """The worker is idle (or finished): whatever it took is done."""
        self.finished.clear()
        if self.owned and self.key is not None:
            self.server.hdel(self.key, *self.owned)
        self.owned.clear()


_LEASES: weakref.WeakKeyDictionary[Any, RequestLeases] = weakref.WeakKeyDictionary()


def request_leases(crawler: Crawler) -> RequestLeases:
    """The worker's RequestLeases (one per crawler, shared by scheduler and coordinator)."""
    leases = _LEASES.get(crawler)
    if leases is None:
        leases = _LEASES[crawler] = RequestLeases(
            get_redis_from_settings(crawler.settings), worker_name()
        )
    return leases


def stop_worker_without_redis(crawler: Crawler, error: Exception) -> None:
    """Redis is gone: stop the worker (once) rather than wait forever for a frontier it lost."""
    if crawler.stats.get_value("newsarchive/redis/lost"):
        return
    crawler.stats.set_value("newsarchive/redis/lost", str(error))
    logger.error(
        "Lost Redis at %s (%s): stopping this worker. Start it again when Redis is back: the "
        "job goes on from the frontier Redis kept.",
        redact_url(crawler.settings.get("NEWSARCHIVE_REDIS_URL") or ""),
        error,
    )
    if crawler.engine is not None and crawler.engine.spider is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason=REDIS_LOST))


class DistributedScheduler(Scheduler):
    """scrapy-redis's scheduler, with keys per job and fixes for Scrapy 2.13+ (module doc).

    A Redis error stops the worker (scrapy-redis would leave the engine stalled forever).

    A worker takes no more requests of a host than it can start soon (`leases_per_host`):
    Scrapy's engine asks for requests until the downloader holds CONCURRENT_REQUESTS, and with
    the shared politeness budget those would only wait in this worker, leased, while other
    workers had nothing to do (and, if this one died, wait for lease recovery). Requests of a
    host this worker is full of stay in the frontier for the others; the engine asks again as
    soon as one of its downloads ends.
    """

    crawler: Crawler
    per_host: int

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.serializer = JsonRequestSerializer
        # The frontier is shared: a worker that finishes must not flush it under the others.
        # WorkerCoordinator deletes it when the last worker leaves.
        scheduler.persist = True
        scheduler.idle_before_close = 0  # never block the event loop waiting for requests
        scheduler.per_host = leases_per_host(crawler.settings)
        return scheduler

    def open(self, spider: Spider) -> None:
        # scrapy-redis's open() with the job's keys, and without its deprecated spider.log().
        self.spider = spider
        keys = JobKeys.for_spider(spider, self.crawler.settings)
        self.queue_key = keys.requests
        self.dupefilter_key = keys.dupefilter
        self.queue = load_object(self.queue_cls)(
            server=self.server, spider=spider, key=keys.requests, serializer=self.serializer
        )
        debug = self.crawler.settings.getbool("DUPEFILTER_DEBUG")
        self.df = RFPDupeFilter(self.server, key=keys.dupefilter, debug=debug)
        if self.flush_on_start:
            self.flush()
        self.leases = request_leases(self.crawler)
        self.leases.key = keys.leased
        # Before the first request is scheduled: a stale dupefilter would filter them all.
        join_job(self.server, keys, worker_name(), worker_timeout(self.crawler.settings))

    def _redis_lost(self) -> bool:
        return bool(self.crawler.stats.get_value("newsarchive/redis/lost"))

    def enqueue_request(self, request: Request) -> bool:
        # As scrapy-redis's, without the `spider` argument to the stats (deprecated in Scrapy).
        if self._redis_lost():
            return False
        try:
            if not request.dont_filter and self.df.request_seen(request):
                self.df.log(request, self.spider)
                return False
            self.queue.push(request)
        except RedisError as error:
            stop_worker_without_redis(self.crawler, error)
            return False
        self.crawler.stats.inc_value("scheduler/enqueued/redis")
        return True

    def next_request(self) -> Request | None:
        if self._redis_lost():
            return None
        try:
            self.leases.flush()
            request = self.leases.take(self.queue_key, self.spider, self.full_hosts())
        except RedisError as error:
            stop_worker_without_redis(self.crawler, error)
            return None
        if request is not None:
            self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request

    def full_hosts(self) -> list[str]:
        """The hosts of which this worker's downloader holds `per_host` requests or more (waiting
        for the shared politeness budget, or downloading): take no more of those for now."""
        downloader = getattr(self.crawler.engine, "downloader", None)
        if downloader is None:
            return []
        held = Counter(request_host(request.url) for request in downloader.active)
        return sorted(host for host, count in held.items() if count >= self.per_host)

    def has_pending_requests(self) -> bool:
        # The shared frontier's requests, including those of hosts this worker is full of for
        # now: the worker is not idle while they wait (its downloads of them end soon).
        if self._redis_lost():
            return False
        try:
            return len(self) > 0
        except RedisError as error:
            stop_worker_without_redis(self.crawler, error)
            return False

    def close(self, reason: str) -> None:
        """Keep the shared frontier and dupefilter: other workers may still be using them."""


# Leave the job; requests this worker still held go back into the frontier (a stop before the
# end: Ctrl-C, --max-pages); if no live worker is left, delete the job's keys (one atomic step,
# so that two workers leaving together cannot both think the other one is still there).
# ARGV: worker, timeout.
_LEAVE_JOB = (
    """
redis.call('HDEL', KEYS[1], ARGV[1])
"""
    + _LIVE_AND_RECOVER.replace("TIMEOUT_ARG", "2")
    + """
if live_count > 0 then return 0 end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4])
return 1
"""
)

# What a worker reports to the ingest besides articles: crawl errors by kind.
ROBOTS_DENIED = "denied by robots.txt"
TRAP_CUT_PREFIX = "spider trap cut"


def error_kind(reason: str) -> str:
    """`robots`, `trap` or `error`: how the ingest counts a worker's crawl error."""
    if reason == ROBOTS_DENIED:
        return "robots"
    if reason.startswith(TRAP_CUT_PREFIX):
        return "trap"
    return "error"


class WorkerCoordinator:
    """Extension: keeps the worker's entry in its job's registry beating, keeps the worker open
    while others may add work, and lets the last worker out clean up the job's keys.

    The engine calls `spider_idle` when this worker has nothing left; it stays open (raises
    DontCloseSpider) while the shared frontier has requests or any live worker was busy within
    the idle timeout, because a busy worker may still discover new links. Times are the Redis
    server's (TIME), so the workers' clocks need not agree.
    """

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        self.idle_timeout = crawler.settings.getfloat("NEWSARCHIVE_REDIS_IDLE_TIMEOUT", 10.0)
        self.worker_timeout = worker_timeout(crawler.settings)
        prefix = crawler.settings.get("NEWSARCHIVE_REDIS_PREFIX") or "newsarchive"
        self.items_key = ItemQueueKeys.for_prefix(prefix).items
        self.job = ""
        self.site: str | None = None
        self.worker = worker_name()
        self.keys: JobKeys | None = None
        self.started = 0.0
        self.last_active = 0.0
        self.heartbeat_loop: task.LoopingCall | None = None
        self.waiting_logged = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WorkerCoordinator:
        if not crawler.settings.get("NEWSARCHIVE_REDIS_URL"):
            raise NotConfigured("not a distributed crawl (NEWSARCHIVE_REDIS_URL is empty)")
        coordinator = cls(crawler)
        crawler.signals.connect(coordinator.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(coordinator.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(coordinator.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(coordinator.record_error, signal=crawl_error)
        return coordinator

    def push(self, payload: dict[str, Any], kind: str) -> None:
        """Queue a report for the ingest (a crawl error, the worker's figures)."""
        item = encode_item(payload, site=self.site, job=self.job, worker=self.worker, kind=kind)
        try:
            self.server.lpush(self.items_key, item)
        except RedisError as error:
            logger.error("Could not queue %s for the ingest: %s", payload, error)

    def record_error(self, url: str, status: int | None, reason: str) -> None:
        """A crawl error (HTTP error, robots.txt denial, trap cut…): the ingest keeps it in
        `crawl_errors`, as the crawl ledger does in a local crawl."""
        kind = error_kind(reason)
        if kind != "robots":
            self.crawler.stats.inc_value("newsarchive/errors")
        self.push({"url": url, "status": status, "reason": reason, "kind": kind}, ERROR_FORMAT)

    def _now(self) -> float:
        seconds, microseconds = self.server.time()
        return seconds + microseconds / 1_000_000

    def _busy(self) -> bool:
        engine = self.crawler.engine
        try:
            return engine is not None and not engine.spider_is_idle()
        except RuntimeError:  # the engine has no spider open (yet, or any more)
            return False

    def heartbeat(self) -> None:
        if self.keys is None:
            return
        try:
            request_leases(self.crawler).flush()
            now = self._now()
            if self._busy():
                self.last_active = now
                self.waiting_logged = False
            self._look_for_work()
            entry = {
                "seen": now,
                "active": self.last_active,
                "since": self.started,
                "pid": os.getpid(),
                "host": socket.gethostname(),
            }
            self.server.hset(self.keys.workers, self.worker, json.dumps(entry))
        except Exception as error:  # Redis away for a moment: the next beat tries again
            logger.warning("Worker heartbeat failed: %s", error)

    def _look_for_work(self) -> None:
        """Ask the shared frontier again now: Scrapy's engine, with no download of its own
        ending, looks only every 5 s, and what other workers enqueue, or leave there because
        they hold their share of a host (DistributedScheduler), would wait that long. (The
        engine takes nothing while its downloader is full.)"""
        slot = getattr(self.crawler.engine, "_slot", None)
        nextcall = getattr(slot, "nextcall", None)
        if nextcall is not None and slot.closing is None:
            nextcall.schedule()

    def spider_opened(self, spider: Spider) -> None:
        # The scheduler registered this worker (join_job); from now on, heartbeats.
        self.keys = JobKeys.for_spider(spider, self.crawler.settings)
        self.job = self.keys.job
        self.site = getattr(spider, "site_name", None)
        self.started = self.last_active = self._now()
        self.heartbeat()
        stats = self.crawler.stats
        stats.set_value("newsarchive/redis/job", self.keys.job)
        stats.set_value("newsarchive/redis/worker", self.worker)
        logger.info(
            "Worker %s of job %s at %s; frontier %s",
            self.worker,
            self.keys.job,
            redact_url(self.crawler.settings.get("NEWSARCHIVE_REDIS_URL")),
            self.keys.requests,
        )
        self.heartbeat_loop = task.LoopingCall(self.heartbeat)
        self.heartbeat_loop.start(HEARTBEAT_SECONDS, now=False)

    def _workers(self) -> dict[str, dict[str, Any]]:
        assert self.keys is not None
        workers = {}
        for name, entry in self.server.hgetall(self.keys.workers).items():
            try:
                workers[name.decode()] = json.loads(entry)
            except ValueError:
                continue
        return workers

    def spider_idle(self, spider: Spider) -> None:
        if self.keys is None:
            return
        if self.crawler.stats.get_value("newsarchive/redis/lost"):
            raise CloseSpider(REDIS_LOST)
        try:
            self._stay_while_others_work()
        except RedisError as error:
            stop_worker_without_redis(self.crawler, error)
            raise CloseSpider(REDIS_LOST) from error

    def _stay_while_others_work(self) -> None:
        assert self.keys is not None
        waiting = self.server.zcard(self.keys.requests)
        if waiting:
            raise DontCloseSpider(f"{waiting} requests wait in the shared frontier")
        # This worker is idle: whatever it took is done. Others may still hold requests, or
        # may have died holding them: those go back into the frontier.
        gc.collect()
        request_leases(self.crawler).release_all()
        if recover_leases(self.server, self.keys, self.worker_timeout):
            raise DontCloseSpider("requests of a dead worker are back in the frontier")
        held = self.server.hlen(self.keys.leased)
        if held:
            raise DontCloseSpider(f"{held} requests in the hands of other workers")
        now = self._now()
        live = {
            name: worker
            for name, worker in self._workers().items()
            if now - float(worker.get("seen", 0)) < self.worker_timeout
        }
        busy = sorted(
            name
            for name, worker in live.items()
            if now - float(worker.get("active", 0)) < self.idle_timeout
        )
        if busy:
            if not self.waiting_logged:
                self.waiting_logged = True
                logger.info(
                    "Nothing to do for now; staying until the frontier has been empty and all "
                    "workers idle for %g s (busy: %s)",
                    self.idle_timeout,
                    ", ".join(busy),
                )
            raise DontCloseSpider(f"worker(s) {', '.join(busy)} busy a moment ago")
        logger.info(
            "The shared frontier has been empty and all %d worker(s) idle for %g s: done",
            len(live),
            self.idle_timeout,
        )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.heartbeat_loop is not None and self.heartbeat_loop.running:
            self.heartbeat_loop.stop()
        if self.keys is None:
            return
        keys = self.keys
        self.push_summary(reason)
        try:
            leases = request_leases(self.crawler)
            if reason == "finished":
                leases.release_all()  # a worker that finished did everything it took
            else:
                gc.collect()
                leases.flush()
            job_keys = (keys.workers, keys.requests, keys.dupefilter, keys.leased)
            last = self.server.eval(_LEAVE_JOB, 4, *job_keys, self.worker, self.worker_timeout)
        except Exception as error:
            logger.error("Could not leave job %s cleanly: %s", keys.job, error)
            return
        if last:
            logger.info("Last worker of job %s: removed its frontier and dupefilter", keys.job)
        else:
            logger.info("Left job %s; other workers go on", keys.job)

    def push_summary(self, reason: str) -> None:
        """This worker's figures (pages, requests by kind…), for the ingest's ledger row."""
        from crawler.ledger import ledger_counts

        if self.crawler.stats.get_value("newsarchive/redis/lost"):
            return
        counts = ledger_counts(self.crawler.stats.get_stats())
        self.push({"reason": reason, "counts": counts}, WORKER_FORMAT)


class RobotsDenialReporter:
    """Downloader middleware of a worker: a URL robots.txt forbids becomes a crawl error
    (kind `robots`) that the ingest keeps in `crawl_errors`; a local crawl only counts them."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RobotsDenialReporter:
        return cls(crawler)

    def process_exception(
        self, request: Request, exception: Exception, spider: Spider | None = None
    ) -> None:
        if isinstance(exception, IgnoreRequest) and "robots.txt" in str(exception):
            self.crawler.signals.send_catch_log(
                crawl_error, url=request.url, status=None, reason=ROBOTS_DENIED
            )


class RedisItemPipeline:
    """Item pipeline: each extracted article record, as JSON, onto `<prefix>:items`."""

    def __init__(self, crawler: Crawler):
        self.crawler = crawler
        self.server = get_redis_from_settings(crawler.settings)
        prefix = crawler.settings.get("NEWSARCHIVE_REDIS_PREFIX") or "newsarchive"
        self.items_key = ItemQueueKeys.for_prefix(prefix).items
        self.worker = worker_name()
        self.site: str | None = None
        self.job = ""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisItemPipeline:
        return cls(crawler)

    def open_spider(self) -> None:
        spider = self.crawler.spider
        self.site = getattr(spider, "site_name", None)
        self.job = JobKeys.for_spider(spider, self.crawler.settings).job

    def process_item(self, item: Any) -> Any:
        kind = None
        if isinstance(item, FetchRecord):
            kind = FETCH_FORMAT  # a sitemap's or feed's fetch state, for the next crawl
        elif isinstance(item, NotModified):
            kind = NOT_MODIFIED_FORMAT  # a 304: the archived article is current
        record = ItemAdapter(item).asdict()
        if kind is not None:
            record = {"url": record["url"], "fetch": {**record["fetch"], "url": record["url"]}}
        payload = encode_item(record, site=self.site, job=self.job, worker=self.worker, kind=kind)
        try:
            self.server.lpush(self.items_key, payload)
        except RedisError as error:
            # Not raised: Scrapy would log the whole record. The page is in this worker's WARC
            # files, from which `newsarchive reextract` rebuilds it.
            self.crawler.stats.inc_value("newsarchive/redis/push_failed")
            logger.error(
                "Could not queue the article %s in %s (%s); its response is in WARC file %s",
                record.get("url"),
                self.items_key,
                error,
                record.get("warc_file") or "(none: WARC capture is off)",
            )
            stop_worker_without_redis(self.crawler, error)
            return item
        if kind is None:
            self.crawler.stats.inc_value("newsarchive/redis/items_pushed")
        return item


class DistributedWarcCapture(WarcCaptureMiddleware):
    """WARC capture of a worker: files and index named after the worker, not a crawl id.

    A worker has no crawl id (that is the archive's), and several workers may share a WARC
    folder or have their folders copied into one: `newsarchive-<host>-<pid>-<time>-NNNNN.warc.gz`
    never collides.
    """

    def _writer(self) -> RotatingWarcWriter:
        if self.writer is None:
            settings = self.crawler.settings
            spider = self.crawler.spider
            info = {
                "operator-contact": settings.get("NEWSARCHIVE_CONTACT", ""),
                "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                "newsarchive-site": getattr(spider, "site_name", "") or "",
                "newsarchive-worker": worker_name(),
            }
            self.writer = RotatingWarcWriter(
                self.directory,
                prefix=f"newsarchive-{worker_name()}",
                max_size=self.max_size,
                info=info,
                gzip_level=self.gzip_level,
            )
            self.stats.set_value("newsarchive/warc/dir", str(self.directory))
        return self.writer

    def _index_file(self) -> Path:
        files = self.writer.files if self.writer is not None else []
        name = files[0].removesuffix(WARC_SUFFIX) if files else worker_name()
        return self.directory / "indexes" / f"{name}.cdxj"


# Settings a worker cannot do without, whatever else is configured.
WORKER_SETTINGS: dict[str, Any] = {
    "SCHEDULER": "crawler.distributed.DistributedScheduler",
    "DUPEFILTER_CLASS": "scrapy_redis.dupefilter.RFPDupeFilter",
    "SCHEDULER_QUEUE_CLASS": "scrapy_redis.queue.PriorityQueue",
    "SCHEDULER_PERSIST": True,
    "SCHEDULER_IDLE_BEFORE_CLOSE": 0,
    # The worker has no archive: no lock or ledger to keep. Revisits are planned from the fetch
    # state the ingest publishes in Redis (crawler/incremental.py).
    "NEWSARCHIVE_LOCK": False,
}
WORKER_COMPONENTS: dict[str, dict[str, int | None]] = {
    "ITEM_PIPELINES": {
        "crawler.pipelines.revisits.NotModifiedPipeline": None,
        "crawler.pipelines.storage.StoragePipeline": None,
        "crawler.distributed.RedisItemPipeline": 800,
    },
    "EXTENSIONS": {
        "crawler.ledger.CrawlLedger": None,
        "crawler.lock.ArchiveLockExtension": None,
        "crawler.distributed.WorkerCoordinator": 100,
    },
    "DOWNLOADER_MIDDLEWARES": {
        "crawler.warc.WarcCaptureMiddleware": None,
        "crawler.distributed.DistributedWarcCapture": 950,
        "crawler.distributed.RobotsDenialReporter": 970,
        # Last before the download handler: the site's politeness, shared by all workers.
        "crawler.politeness.SharedPolitenessMiddleware": 990,
    },
}


def apply_worker_settings(settings: BaseSettings) -> None:
    """Turn a crawl's settings into a worker's (requires NEWSARCHIVE_REDIS_URL)."""
    url = settings.get("NEWSARCHIVE_REDIS_URL")
    settings.set("REDIS_URL", url, priority="cmdline")
    settings.setdict(WORKER_SETTINGS, priority="cmdline")
    for name, components in WORKER_COMPONENTS.items():
        # The crawl's own components stay (extraction, scope, robots.txt...); None switches one off.
        settings.set(name, {**settings.getdict(name), **components}, priority="cmdline")


class DistributedMode:
    """Scrapy add-on: a crawl with NEWSARCHIVE_REDIS_URL set runs as a distributed worker.

    Listed in the project's ADDONS, so `newsarchive crawl --redis URL`, `scrapy crawl -s
    NEWSARCHIVE_REDIS_URL=...` and scrapyd all enable it (docs/distributed.md).
    """

    def update_settings(self, settings: Settings) -> None:
        if settings.get("NEWSARCHIVE_REDIS_URL"):
            apply_worker_settings(settings)


@dataclass
class WorkerSummary:
    """What one worker did, from its Scrapy stats."""

    worker: str
    job: str
    redis_url: str
    items_key: str
    reason: str
    pages: int
    articles_queued: int
    articles_not_queued: int
    not_articles: int
    failed: int
    robots_denied: int
    errors: int

    @property
    def completed(self) -> bool:
        from crawler.ledger import COMPLETED_REASONS

        return self.reason in COMPLETED_REASONS

    def line(self) -> str:
        return (
            f"Worker {self.worker} of job {self.job} {'finished' if self.completed else 'failed'} "
            f"({self.reason}): {self.pages} pages fetched, {self.articles_queued} articles "
            f"queued in {self.items_key} at {redact_url(self.redis_url)}"
            + (f" ({self.articles_not_queued} could not be)" if self.articles_not_queued else "")
            + "; "
            f"{self.not_articles} pages not articles, {self.failed} failed, "
            f"{self.robots_denied} denied by robots.txt, {self.errors} errors"
        )


def run_worker(options: CrawlOptions, redis_url: str) -> WorkerSummary:
    """Crawl as a distributed worker in this process (blocks until the job is done)."""
    from scrapy.crawler import CrawlerProcess

    from archive.ingest import connect
    from crawler.runner import crawl_settings, spider_arguments

    connect(redis_url)  # fail early, with a clear message, when Redis is not there
    settings = crawl_settings(options)
    settings.set("NEWSARCHIVE_REDIS_URL", redis_url, priority="cmdline")
    settings.set("ADDONS", {"crawler.distributed.DistributedMode": 0}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler("news")
    process.crawl(crawler, **spider_arguments(options))
    process.start()
    stats = crawler.stats.get_stats() if crawler.stats else {}

    def stat(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    return WorkerSummary(
        worker=str(stats.get("newsarchive/redis/worker") or worker_name()),
        job=str(stats.get("newsarchive/redis/job") or "?"),
        redis_url=redis_url,
        items_key=ItemQueueKeys.for_prefix(settings.get("NEWSARCHIVE_REDIS_PREFIX")).items,
        reason=str(stats.get("finish_reason") or "not started"),
        pages=stat("newsarchive/pages"),
        articles_queued=stat("newsarchive/redis/items_pushed"),
        articles_not_queued=stat("newsarchive/redis/push_failed"),
        not_articles=stat("newsarchive/not_article"),
        failed=stat("newsarchive/extraction/failed"),
        robots_denied=stat("robotstxt/forbidden"),
        errors=stat("newsarchive/errors"),
    )
