"""Scrapy settings for the newsarchive crawler.

Defaults are polite, for a real news site. `newsarchive crawl --delay 0` (or `-s DOWNLOAD_DELAY=0`)
is meant for sites served locally.
"""

from scrapy.settings import default_settings as _scrapy_defaults

BOT_NAME = "newsarchive"

SPIDER_MODULES = ["crawler.spiders"]
NEWSPIDER_MODULE = "crawler.spiders"

# --- newsarchive's own settings (documented in the README, "Settings") ---
NEWSARCHIVE_DB = "archive.db"
NEWSARCHIVE_CONTACT = "https://github.com/newsarchive/newsarchive"
NEWSARCHIVE_EXTRACT_WORKERS = 0  # 0: one per CPU core
NEWSARCHIVE_EXTRACT_TIMEOUT = 30.0
NEWSARCHIVE_BATCH_SIZE = 100
# True: the links of pages that go to extraction are read by the extraction worker, from the
# tree it parses anyway, and followed when its outcome is back, in the order the pages were
# handed over (docs/performance.md, "Where the time goes"). False: read by the spider.
NEWSARCHIVE_LINKS_IN_WORKERS = True
NEWSARCHIVE_TRIGGER = "manual"
NEWSARCHIVE_MAX_QUERY_PAGE = 500
NEWSARCHIVE_MAX_PATH_DEPTH = 12
NEWSARCHIVE_MAX_LINKS_PER_PATTERN = 10_000
# Requests by yield (crawler/frontier.py): a listing is paged while it finds new articles, and
# stops after this many pages in a row without any; a listing family (tags, authors …) is judged
# on this many of its listings first; a URL pattern whose pages yield no article and no new
# link is cut after this many in a row (at most 50).
NEWSARCHIVE_LISTING_PATIENCE = 2
NEWSARCHIVE_LISTING_SAMPLE = 2
NEWSARCHIVE_TRAP_PATIENCE = 20
NEWSARCHIVE_MAX_RETRY_AFTER = 300.0
NEWSARCHIVE_MAX_CRAWL_DELAY = 60.0
NEWSARCHIVE_ALLOWED_NETWORKS: list[str] = []  # e.g. ["10.1.0.0/16"] for an intranet site
# Archiving (docs/archiving.md): WARC capture of every exchange, incremental re-crawls.
NEWSARCHIVE_WARC = True
NEWSARCHIVE_WARC_DIR = ""  # empty: <db stem>-warc/ beside the archive
NEWSARCHIVE_WARC_MAX_SIZE = 1_000_000_000  # bytes per WARC file before a new one is started
NEWSARCHIVE_WARC_GZIP_LEVEL = 3  # 1 (fastest) to 9 (smallest files)
NEWSARCHIVE_INCREMENTAL = True
NEWSARCHIVE_LOCK = True  # one crawl at a time per archive (<db>.lock)
# Progress (crawler/costs.py): a live line on a terminal, else an INFO log line every interval.
NEWSARCHIVE_PROGRESS = "auto"  # auto, bar, log or off
NEWSARCHIVE_PROGRESS_INTERVAL = 60.0  # seconds between progress log lines; 0: none
# Distributed crawls (docs/distributed.md): a Redis URL turns the crawl into a worker that shares
# its frontier and dupefilter through Redis and pushes articles to `newsarchive ingest`.
NEWSARCHIVE_REDIS_URL = ""  # e.g. redis://crawlhub:6379/0; empty: a normal, local crawl
NEWSARCHIVE_REDIS_PREFIX = "newsarchive"  # first part of every Redis key
NEWSARCHIVE_REDIS_JOB = ""  # empty: <site profile>@<host:port of the first start URL>
NEWSARCHIVE_REDIS_IDLE_TIMEOUT = 10.0  # seconds the frontier must stay empty, all workers idle
# seconds without a heartbeat before a worker is taken for dead and its requests re-queued
NEWSARCHIVE_REDIS_WORKER_TIMEOUT = 60.0

# An identifying User-Agent with a way to reach whoever runs the crawl.
USER_AGENT = f"newsarchive/0.1 (+{NEWSARCHIVE_CONTACT})"

# Politeness: obey robots.txt, one request at a time per host, at least 1 s apart,
# slowed down further by AutoThrottle when the server answers slowly.
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 1
# Each delay is drawn from 1 to 2 s (1.5 s ± a third): never under 1 s, never regular.
DOWNLOAD_DELAY = 1.5
DOWNLOAD_DELAY_JITTER = 1 / 3
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# Items handled at once per response. Scrapy starts this many tasks for every response's
# output (default 100); a page yields one item and a few requests, so 100 tasks per page
# were most of the crawl process's event-loop work (docs/performance.md).
CONCURRENT_ITEMS = 8

DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
DOWNLOAD_WARNSIZE = 8 * 1024 * 1024
RETRY_TIMES = 2
REDIRECT_MAX_TIMES = 10
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

DOWNLOADER_MIDDLEWARES = {
    # RFC 9309: an unreachable or 5xx robots.txt means "disallow all".
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.middlewares.StrictRobotsTxtMiddleware": 100,
    # Scope is checked on every request, redirects and start URLs included. It replaces
    # Scrapy's offsite filter, which drops off-site redirects silently when they are scheduled.
    "crawler.middlewares.ScopeMiddleware": 40,
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    # Just above RetryMiddleware (550): 429/503 with Retry-After slow the host down first.
    "crawler.middlewares.RetryAfterMiddleware": 560,
    # Next to the downloader, above HttpCompressionMiddleware (590): sees bodies as sent.
    "crawler.warc.WarcCaptureMiddleware": 950,
    # Next to the downloader too: counts every exchange with the server by kind, redirects and
    # retries included (crawler/costs.py).
    "crawler.costs.RequestCostMiddleware": 960,
}

ITEM_PIPELINES = {
    "crawler.pipelines.revisits.NotModifiedPipeline": 250,
    "crawler.pipelines.extraction.ExtractionPipeline": 300,
    "crawler.pipelines.storage.StoragePipeline": 800,
}

# Switches a crawl to a distributed worker when NEWSARCHIVE_REDIS_URL is set; otherwise inert.
ADDONS = {"crawler.distributed.DistributedMode": 0}

EXTENSIONS = {
    "crawler.ledger.CrawlLedger": 100,
    "crawler.lock.ArchiveLockExtension": 50,
    "crawler.costs.CrawlProgress": 500,
}
# Scrapy's remote control (on by default in recent Scrapy) serves a localhost endpoint that
# runs Python code sent to it, and leaves a job file in the user's state directory: a crawler
# of the open web has no use for it, and importing it (aiohttp) costs every crawl about 0.17 s
# of CPU. Scrapy imports every extension it names, even one set to None in EXTENSIONS, so it is
# taken out of Scrapy's own list; REMOTE_CONTROL_ENABLED covers a list that names it again.
EXTENSIONS_BASE = {
    name: order
    for name, order in _scrapy_defaults.EXTENSIONS_BASE.items()
    if name != "scrapy.extensions.remote_control.RemoteControl"
}
REMOTE_CONTROL_ENABLED = False

# Scrapy's defaults made explicit: asyncio reactor (extraction is awaited from a process pool).
TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
