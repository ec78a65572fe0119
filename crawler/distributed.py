"""Distributed crawls: several crawler processes share one frontier in Redis (scrapy-redis).

`newsarchive crawl --redis redis://host:6379/0 ...` (or the setting NEWSARCHIVE_REDIS_URL with
the `DistributedMode` add-on) turns a crawl into a worker:

* scrapy-redis's scheduler and dupefilter hold the requests and the fingerprints of everything
  requested, under keys namespaced per job (`<prefix>:crawl:<job>:requests`, `:dupefilter`),
  so no two workers fetch the same URL;
* extraction stays in the worker's own process pool (crawler/pipelines/extraction.py);
* instead of writing SQLite, each article record goes as JSON onto `<prefix>:items`, which the
  single writer, `newsarchive ingest` (archive/ingest.py), stores;
* a worker never opens the archive: no archive lock, no crawl ledger, no 304 bookkeeping, and
  no incremental planning (it needs the archive's fetch state): every article found is fetched;
* WARC files stay local to each worker, named after its host and process id.

Workers register in `<prefix>:crawl:<job>:workers` and end when the shared frontier has been
empty, and every live worker idle, for NEWSARCHIVE_REDIS_IDLE_TIMEOUT seconds; the last one out
deletes the job's keys, so the next run of the same job starts afresh. Everything is in
docs/distributed.md.

Compatibility with Scrapy 2.13+ (scrapy-redis 0.9.1 was written for older releases):
`DistributedScheduler` counts its stats without the `spider` argument and logs without
`Spider.log()` (both deprecated by Scrapy), waits without blocking the event loop
(scrapy-redis's SCHEDULER_IDLE_BEFORE_CLOSE blocks the reactor in BRPOP, and its priority queue
ignores it), stops the worker when Redis is lost (the engine would stall forever), and stores
requests as JSON instead of pickle.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import re
import socket
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from redis.exceptions import RedisError
from scrapy import Request, Spider, signals
from scrapy.exceptions import CloseSpider, DontCloseSpider, NotConfigured
from scrapy.utils.defer import deferred_from_coro
from scrapy.utils.misc import load_object
from scrapy_redis.connection import get_redis_from_settings
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.scheduler import Scheduler
from twisted.internet import task

from archive.ingest import ItemQueueKeys, encode_item, redact_url
from archive.warcs import WARC_SUFFIX
from crawler.items import FetchRecord
from crawler.signals import crawl_error
from crawler.warc import RotatingWarcWriter, WarcCaptureMiddleware

if TYPE_CHECKING:
    from scrapy.crawler import Crawler
    from scrapy.settings import BaseSettings, Settings

    from crawler.runner import CrawlOptions

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

    @classmethod
    def for_job(cls, prefix: str, job: str) -> JobKeys:
        # `%` would be read as a placeholder by scrapy-redis, which formats the queue key.
        job = _UNSAFE_IN_KEYS.sub("-", job)
        base = f"{prefix}:crawl:{job}"
        return cls(job, f"{base}:requests", f"{base}:dupefilter", f"{base}:workers")

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

# Register a worker in its job, in one atomic step with the check for leftovers: a job with no
# live worker and an empty frontier is over (its last workers were killed before they could
# clean up), so its dupefilter goes and the run starts afresh. A job with requests left in its
# frontier (workers stopped by a Redis outage, say) goes on from there.
_JOIN_JOB = """
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
local live = 0
for _, entry in ipairs(redis.call('HVALS', KEYS[1])) do
  local ok, worker = pcall(cjson.decode, entry)
  if ok and type(worker) == 'table' and worker['seen']
     and now - tonumber(worker['seen']) < tonumber(ARGV[3]) then
    live = live + 1
  end
end
local waiting = redis.call('ZCARD', KEYS[2])
local stale = 0
if live == 0 and waiting == 0 then
  stale = redis.call('DEL', KEYS[1], KEYS[3])
end
local me = cjson.decode(ARGV[2])
me['seen'] = now
me['active'] = now
me['since'] = now
redis.call('HSET', KEYS[1], ARGV[1], cjson.encode(me))
return {live, waiting, stale}
"""


def join_job(server: Any, keys: JobKeys, worker: str) -> None:
    """Register this worker in its job (see _JOIN_JOB) and say what it found."""
    me = json.dumps({"pid": os.getpid(), "host": socket.gethostname()})
    job_keys = (keys.workers, keys.requests, keys.dupefilter)
    live, waiting, stale = server.eval(_JOIN_JOB, 3, *job_keys, worker, me, WORKER_TIMEOUT)
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
    """

    crawler: Crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DistributedScheduler:
        scheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        scheduler.serializer = JsonRequestSerializer
        # The frontier is shared: a worker that finishes must not flush it under the others.
        # WorkerCoordinator deletes it when the last worker leaves.
        scheduler.persist = True
        scheduler.idle_before_close = 0  # never block the event loop waiting for requests
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
        # Before the first request is scheduled: a stale dupefilter would filter them all.
        join_job(self.server, keys, worker_name())

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
            request = self.queue.pop(0)
        except RedisError as error:
            stop_worker_without_redis(self.crawler, error)
            return None
        if request is not None:
            self.crawler.stats.inc_value("scheduler/dequeued/redis")
        return request

    def has_pending_requests(self) -> bool:
        if self._redis_lost():
            return False
        try:
            return len(self) > 0
        except RedisError as error:
            stop_worker_without_redis(self.crawler, error)
            return False

    def close(self, reason: str) -> None:
        """Keep the shared frontier and dupefilter: other workers may still be using them."""


# Leave the job; if no live worker is left, delete the job's keys (one atomic step, so that
# two workers leaving together cannot both think the other one is still there).
_LEAVE_JOB = """
redis.call('HDEL', KEYS[1], ARGV[1])
local now = redis.call('TIME')
now = tonumber(now[1]) + tonumber(now[2]) / 1000000
for _, entry in ipairs(redis.call('HVALS', KEYS[1])) do
  local ok, worker = pcall(cjson.decode, entry)
  if ok and type(worker) == 'table' and worker['seen']
     and now - tonumber(worker['seen']) < tonumber(ARGV[2]) then
    return 0
  end
end
redis.call('DEL', KEYS[1], KEYS[2], KEYS[3])
return 1
"""


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

    def record_error(self, url: str, status: int | None, reason: str) -> None:
        # The crawl ledger counts these in a local crawl; a worker has none (the spider logs them).
        self.crawler.stats.inc_value("newsarchive/errors")

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
            now = self._now()
            if self._busy():
                self.last_active = now
                self.waiting_logged = False
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

    def spider_opened(self, spider: Spider) -> None:
        # The scheduler registered this worker (join_job); from now on, heartbeats.
        self.keys = JobKeys.for_spider(spider, self.crawler.settings)
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
        now = self._now()
        live = {
            name: worker
            for name, worker in self._workers().items()
            if now - float(worker.get("seen", 0)) < WORKER_TIMEOUT
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
        try:
            job_keys = (keys.workers, keys.requests, keys.dupefilter)
            last = self.server.eval(_LEAVE_JOB, 3, *job_keys, self.worker, WORKER_TIMEOUT)
        except Exception as error:
            logger.error("Could not leave job %s cleanly: %s", keys.job, error)
            return
        if last:
            logger.info("Last worker of job %s: removed its frontier and dupefilter", keys.job)
        else:
            logger.info("Left job %s; other workers go on", keys.job)


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
        if isinstance(item, FetchRecord):
            return item  # a sitemap's or feed's fetch state: kept only by a local crawl
        record = ItemAdapter(item).asdict()
        payload = encode_item(record, site=self.site, job=self.job, worker=self.worker)
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
    # The worker has no archive: nothing to plan revisits from, no lock or ledger to keep.
    "NEWSARCHIVE_INCREMENTAL": False,
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
