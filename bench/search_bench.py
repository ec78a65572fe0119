"""Search benchmark: build a large archive from the demo site and time searches over HTTP.

    python bench/search_bench.py --articles 100000
    python bench/search_bench.py --articles 100000 1000000 --dir /work/bench-data \\
        --markdown /work/bench-data/search-scale.md

For each size, builds the archive once (straight from the demo site's generated Dutch articles
through `save_articles`, no crawl), measures its size (file, and per table and index with
SQLite's dbstat), starts `newsarchive serve` on a free loopback port and times a fixed set of
requests through the JSON API: query classes (rare, common and most common words, phrases,
prefixes, compound parts, deep pages, filters), the canned queries, `/counts`, the table API
with and without facets, and the HTML pages. Each request is sent once to warm up, then
`--runs` times (`--slow-runs` when the warm-up took over a second); median and 95th percentile
of the wall-clock time seen by the client, and the server's CPU time per request (from /proc:
less sensitive to other work on a shared machine).
With two sizes, a side-by-side report with ratios follows. Exit status 1 when a request fails.

Building (`--build`):

* `bulk` (default) — how an operator backfills a big archive: rows first through
  `save_articles` with the two index insert triggers (`articles_ai` for the plain index,
  `articles_nl_ai` for the Dutch queue) dropped, then the plain index rebuilt in one statement
  (FTS5 `rebuild`), then every article queued and analyzed into the Dutch index by
  `sync_search_index` in committed chunks, then both indexes merged (`optimize`). Timed phase by
  phase; the triggers are put back.
* `incremental` — how a crawl fills the archive: `save_articles` with every trigger live (the
  plain index by trigger, the Dutch index by `sync_search_index` inside each batch); the time
  spent in `sync_search_index` is reported apart.

A build is resumable: rows are committed per batch of 2 000 and the Dutch index per chunk, and
`<db>.build.json` beside the archive records the phase and the time spent so far; run the same
command again after an interruption. A complete archive is reused as it is. After the build,
the cost of a crawl's save at that size is measured: 2 000 new articles saved with every trigger
live, in a transaction that is rolled back (the archive is left as it was).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive import search as nl_search  # noqa: E402
from archive.db import open_archive, save_articles  # noqa: E402
from demosite import DemoSite, article_record  # noqa: E402

BATCH = 2000
INDEX_CHUNK = 20_000  # articles analyzed into the Dutch index per committed chunk
SAVE_PROBE = 2000  # new articles saved (and rolled back) to measure a crawl's save
SITE_URL = "https://www.antwerpspersbureau.be"
# Insert triggers dropped during a bulk load: the plain index's and the Dutch queue's.
BULK_TRIGGERS = ("articles_ai", "articles_nl_ai")
BENCH_DIR_ENV = "NEWSARCHIVE_BENCH_DIR"
PROGRESS_EVERY_S = 30.0
# The table's default facets (metadata.json); fewer in an answer means some timed out.
DEFAULT_FACETS = len(
    json.loads((REPO / "metadata.json").read_text(encoding="utf-8"))["databases"]["archive"][
        "tables"
    ]["articles"]["facets"]
)
FACETS_TIMED_OUT = re.compile(r'class="facets-timed-out">These facets timed out: ([^<]*)<')

# ---------------------------------------------------------------------------- the requests

# (label, path, query parameters). "{t1}" and "{t2}" stand for the two most common indexed
# terms of the archive (from the Dutch index's vocabulary), "{a1}" for its most frequent author,
# filled in when the archive is known.
Request = tuple[str, str, dict[str, str]]

QUERY_GROUPS: list[tuple[str, list[Request]]] = [
    (
        "Search API by query class (`/search.json`, best match first, 20 a page)",
        [
            ("rare word (1 article): polarisatie", "/search.json", {"q": "polarisatie"}),
            ("rare word (0.2 %): muziekacademie", "/search.json", {"q": "muziekacademie"}),
            ("common word (4 %): brandweer", "/search.json", {"q": "brandweer"}),
            ("common word (9 %): scholen", "/search.json", {"q": "scholen"}),
            ("most common word: {t1}", "/search.json", {"q": "{t1}"}),
            ("2nd most common word: {t2}", "/search.json", {"q": "{t2}"}),
            ("two most common, AND: {t1} {t2}", "/search.json", {"q": "{t1} {t2}"}),
            ("two most common, OR", "/search.json", {"q": "{t1} OR {t2}"}),
            ('phrase, rare: "betalend parkeren"', "/search.json", {"q": '"betalend parkeren"'}),
            ('phrase, common: "zegt schepen"', "/search.json", {"q": '"zegt schepen"'}),
            ("prefix, narrow: verkeers*", "/search.json", {"q": "verkeers*"}),
            ("prefix, broad: ge*", "/search.json", {"q": "ge*"}),
            ("compound part: *veiligheid", "/search.json", {"q": "*veiligheid"}),
            ("compound part, broad: *straat", "/search.json", {"q": "*straat"}),
            ("stop word only: de", "/search.json", {"q": "de"}),
        ],
    ),
    (
        "Search API: typical requests (the earlier benchmark's set)",
        [
            ("word, relevance", "/search.json", {"q": "scholen"}),
            ("word, newest", "/search.json", {"q": "brandweer", "sort": "newest"}),
            ("name, accents folded", "/search.json", {"q": "Marien"}),
            ("phrase", "/search.json", {"q": '"betalend parkeren"'}),
            ("prefix", "/search.json", {"q": "verkeers*"}),
            ("compound part", "/search.json", {"q": "*veiligheid"}),
            ("boolean", "/search.json", {"q": "(school OR kerk) NOT sport"}),
            ("word + place", "/search.json", {"q": "gemeente", "place": "Mechelen"}),
            (
                "word + date range",
                "/search.json",
                {"q": "festival", "from": "2022-01-01", "to": "2022-12-31"},
            ),
            ("word + category", "/search.json", {"q": "erfgoed", "category": "Kempen"}),
            ("word, page 3", "/search.json", {"q": "school", "page": "3"}),
        ],
    ),
    (
        "Search API: broad, sorted and deep",
        [
            ("most common, newest first", "/search.json", {"q": "{t1}", "sort": "newest"}),
            ("most common, in one place", "/search.json", {"q": "{t1}", "place": "Lier"}),
            ("most common, one category", "/search.json", {"q": "{t1}", "category": "Kempen"}),
            (
                "most common, one year",
                "/search.json",
                {"q": "{t1}", "from": "2022-01-01", "to": "2022-12-31"},
            ),
            ("most common, one author", "/search.json", {"q": "{t1}", "author": "{a1}"}),
            ("broad prefix, in one place", "/search.json", {"q": "ge*", "place": "Lier"}),
            ("most common, page 500 (deepest)", "/search.json", {"q": "{t1}", "page": "500"}),
            (
                "most common, newest, page 500",
                "/search.json",
                {"q": "{t1}", "sort": "newest", "page": "500"},
            ),
            ("common word, page 500", "/search.json", {"q": "scholen", "page": "500"}),
            ("no words: all articles, newest", "/search.json", {"sort": "newest"}),
            ("no words: one place, newest", "/search.json", {"place": "Mechelen"}),
        ],
    ),
    (
        "Canned queries and counts",
        [
            ("canned search, common word", "/archive/search.json", {"q": "scholen"}),
            (
                "canned search, word + place",
                "/archive/search.json",
                {"q": "school", "place": "Lier"},
            ),
            ("canned search, most common", "/archive/search.json", {"q": "{t1}"}),
            ("/counts.json, all articles", "/counts.json", {}),
            ("/counts.json, common word", "/counts.json", {"q": "brandweer"}),
            ("/counts.json, most common", "/counts.json", {"q": "{t1}"}),
            (
                "canned articles_per_month, common",
                "/archive/articles_per_month.json",
                {"q": "brandweer"},
            ),
        ],
    ),
    (
        "Table API (`/archive/articles.json`, Datasette; plain index for `_search`)",
        [
            ("default view (6 facets, count)", "/archive/articles.json", {}),
            (
                "default view, _nofacet _nocount",
                "/archive/articles.json",
                {"_nofacet": "1", "_nocount": "1"},
            ),
            (
                "place filter (facets)",
                "/archive/articles.json",
                {"place": "Mechelen", "_size": "20"},
            ),
            (
                "place filter, _nofacet _nocount",
                "/archive/articles.json",
                {"place": "Mechelen", "_size": "20", "_nofacet": "1", "_nocount": "1"},
            ),
            (
                "_search + place filter (facets)",
                "/archive/articles.json",
                {"_search": "school", "place": "Lier"},
            ),
            (
                "_search common word (9 %), _nofacet _nocount",
                "/archive/articles.json",
                {"_search": "scholen", "_nofacet": "1", "_nocount": "1"},
            ),
            ("_search most common (facets)", "/archive/articles.json", {"_search": "{t1}"}),
            (
                "_search most common, _nofacet _nocount",
                "/archive/articles.json",
                {"_search": "{t1}", "_nofacet": "1", "_nocount": "1"},
            ),
            ("_search stop word 'de' (facets)", "/archive/articles.json", {"_search": "de"}),
        ],
    ),
    (
        "Pages (HTML) and feed",
        [
            ("page: home", "/", {}),
            ("page: search", "/search", {"q": "scholen", "place": "Lier"}),
            ("page: search, most common", "/search", {"q": "{t1}"}),
            ("page: article", "/article/{article}", {}),
            ("page: articles per month", "/counts", {}),
            ("page: Atom feed of a search", "/search.atom", {"q": "brandweer"}),
            ("page: table, default facets", "/archive/articles", {}),
        ],
    ),
]


# ---------------------------------------------------------------------------- building


def build_archive(path: Path, articles: int) -> float:
    """Fill `path` with `articles` demo articles, every trigger live; returns seconds taken.

    The builder the tests and bench/load_test.py use: the crawl's own path, resumable, reused
    when the file already holds the articles.
    """
    state = build(path, articles, mode="incremental", quiet=True)
    return _total(state)


def _total(state: dict[str, Any]) -> float:
    """Seconds of the whole build (the phases, without the shares of other phases)."""
    skip = state.get("not_summed") or []
    return float(sum(v for k, v in state.get("phases", {}).items() if k not in skip))


def _state_path(path: Path) -> Path:
    return path.with_name(path.name + ".build.json")


def _load_state(path: Path) -> dict[str, Any]:
    try:
        return json.loads(_state_path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return {}


def _save_state(path: Path, state: dict[str, Any]) -> None:
    target = _state_path(path)
    temporary = target.with_name(target.name + ".tmp")
    temporary.write_text(json.dumps(state, indent=1), encoding="utf-8")
    temporary.replace(target)


class _Progress:
    """A line every PROGRESS_EVERY_S seconds: done, rate and time to go."""

    def __init__(self, what: str, total: int, done: int, quiet: bool) -> None:
        self.what, self.total, self.quiet = what, total, quiet
        self.started, self.start_done = time.monotonic(), done
        self.last = self.started

    def update(self, done: int) -> None:
        now = time.monotonic()
        if self.quiet or (now - self.last < PROGRESS_EVERY_S and done < self.total):
            return
        self.last = now
        rate = (done - self.start_done) / max(now - self.started, 1e-9)
        to_go = (self.total - done) / rate if rate else float("inf")
        print(
            f"  {self.what}: {done:,} / {self.total:,} ({rate:,.0f}/s, {_duration(to_go)} to go)",
            file=sys.stderr,
            flush=True,
        )


def _duration(seconds: float) -> str:
    if seconds != seconds or seconds == float("inf"):
        return "?"
    if seconds < 120:
        return f"{seconds:.0f} s"
    if seconds < 7200:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


@contextmanager
def _phase(path: Path, state: dict[str, Any], name: str) -> Iterator[Callable[[], None]]:
    """Time a phase; `checkpoint()` adds the time so far to the state file (resumable)."""
    started = time.perf_counter()

    def checkpoint() -> None:
        nonlocal started
        now = time.perf_counter()
        state["phases"][name] = state["phases"].get(name, 0.0) + now - started
        started = now
        _save_state(path, state)

    yield checkpoint
    checkpoint()


def build(
    path: Path, articles: int, *, mode: str = "bulk", optimize: bool = True, quiet: bool = False
) -> dict[str, Any]:
    """Build (or resume, or reuse) the archive at `path`; returns the build state with timings.

    Without `optimize`, the full-text indexes keep the segments FTS5's automerge left, as in an
    archive filled by crawls (a crawl never runs 'optimize').
    """
    state = _load_state(path)
    db = open_archive(path)
    try:
        have = db["articles"].count
        if state.get("complete") and have >= articles:
            return state
        if not state and have >= articles:
            pending = db.execute(f"SELECT count(*) FROM {nl_search.PENDING_TABLE}").fetchone()[0]
            if not pending:  # an archive built before build states existed: not timed
                return {"articles": have, "mode": "unknown", "phases": {}, "complete": True}
        if not state or state.get("articles") != articles:
            state = {"articles": articles, "mode": mode, "phases": {}, "step": "rows"}
        mode = state["mode"]
        _save_state(path, state)
        site = DemoSite(articles=articles)
        if mode == "bulk":
            _build_bulk(db, path, site, state, quiet)
        else:
            _build_incremental(db, path, site, state, quiet)
        state["optimized"] = optimize
        if optimize:
            with _phase(path, state, "merge indexes (optimize)"):
                db.execute("INSERT INTO articles_nl(articles_nl) VALUES ('optimize')")
                db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('optimize')")
                db.execute("PRAGMA optimize")
                db.conn.commit()
        state["segments"] = _segments(db.conn)
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        state["complete"] = True
        state["step"] = "done"
        _save_state(path, state)
        return state
    finally:
        db.close()


def _segments(conn: sqlite3.Connection) -> dict[str, int]:
    """Segments of each full-text index (1 after 'optimize'); more make a query slower."""
    found = {}
    for table in ("articles_nl", "articles_fts"):
        found[table] = conn.execute(f"SELECT count(DISTINCT segid) FROM {table}_idx").fetchone()[0]
    return found


def _insert_rows(db: Any, path: Path, site: DemoSite, state: dict, name: str, quiet: bool) -> None:
    articles = site.articles
    have = db["articles"].count
    progress = _Progress("articles saved", articles, have, quiet)
    with _phase(path, state, name) as checkpoint:
        for start in range(have, articles, BATCH):
            records = [_record(site, i) for i in range(start, min(start + BATCH, articles))]
            save_articles(db, records, site="antwerpspersbureau")
            checkpoint()
            progress.update(start + len(records))


def _build_incremental(db: Any, path: Path, site: DemoSite, state: dict, quiet: bool) -> None:
    if state["step"] != "rows":
        return
    # The time spent analyzing into the Dutch index, inside each batch's transaction, is
    # counted apart (saved with the batch's checkpoint, so it survives a resume).
    real_sync = nl_search.sync_search_index
    share = "of which Dutch index (sync_search_index)"
    state["not_summed"] = [share]

    def timed_sync(conn: sqlite3.Connection, **kwargs: Any) -> int:
        started = time.perf_counter()
        try:
            return real_sync(conn, **kwargs)
        finally:
            state["phases"][share] = state["phases"].get(share, 0.0) + (
                time.perf_counter() - started
            )

    nl_search.sync_search_index = timed_sync  # type: ignore[assignment]
    try:
        _insert_rows(db, path, site, state, "rows + plain index (triggers) + Dutch index", quiet)
    finally:
        nl_search.sync_search_index = real_sync  # type: ignore[assignment]
    state["step"] = "optimize"
    _save_state(path, state)


def _build_bulk(db: Any, path: Path, site: DemoSite, state: dict, quiet: bool) -> None:
    if state["step"] == "rows":
        triggers = dict(
            db.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
                BULK_TRIGGERS,
            ).fetchall()
        )
        state.setdefault("triggers", {}).update(triggers)
        _save_state(path, state)
        for name in triggers:
            db.execute(f"DROP TRIGGER {name}")
        db.conn.commit()
        _insert_rows(db, path, site, state, "rows (save_articles, index triggers off)", quiet)
        state["step"] = "plain index"
        _save_state(path, state)
    if state["step"] == "plain index":
        with _phase(path, state, "plain index (articles_fts rebuild)"):
            db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")
            db.execute(state["triggers"]["articles_ai"])
            db.conn.commit()
        state["step"] = "Dutch index"
        _save_state(path, state)
    if state["step"] == "Dutch index":
        conn = db.conn
        if not state.get("queued"):
            with _phase(path, state, "Dutch index (queue + sync_search_index)"):
                conn.execute(
                    f"INSERT OR IGNORE INTO {nl_search.PENDING_TABLE}(id) SELECT id FROM articles"
                )
                conn.execute(state["triggers"]["articles_nl_ai"])
                conn.commit()
            state["queued"] = True
            _save_state(path, state)
        pending = conn.execute(f"SELECT count(*) FROM {nl_search.PENDING_TABLE}").fetchone()[0]
        total = site.articles
        progress = _Progress("articles indexed", total, total - pending, quiet)
        with _phase(path, state, "Dutch index (queue + sync_search_index)") as checkpoint:
            while True:
                done = nl_search.sync_search_index(conn, limit=INDEX_CHUNK)
                conn.commit()
                checkpoint()
                if not done:
                    break
                pending -= done
                progress.update(total - pending)
        state["step"] = "optimize"
        _save_state(path, state)


def _record(site: DemoSite, index: int) -> dict[str, Any]:
    return {**article_record(site, index, SITE_URL), "date_source": "json-ld"}


def crawl_save_cost(path: Path, articles: int = SAVE_PROBE, repeats: int = 3) -> dict[str, float]:
    """Seconds to save `articles` new articles with every trigger live, rolled back each time."""
    site = DemoSite(articles=max(articles, 1000))
    records = []
    for i in range(articles):
        record = _record(site, i % site.articles)
        record["url"] = f"{SITE_URL}/bench-save-probe-{i}/"
        records.append(record)
    db = open_archive(path)
    timings = []
    try:
        for _ in range(repeats):
            db.execute("BEGIN")
            started = time.perf_counter()
            save_articles(db, records, site="antwerpspersbureau")
            timings.append(time.perf_counter() - started)
            db.conn.rollback()
    finally:
        db.close()
    median = statistics.median(timings)
    return {"articles": articles, "seconds": median, "per_second": articles / median}


# ---------------------------------------------------------------------------- describing


def most_common_words(path: Path, limit: int = 3) -> list[tuple[str, int]]:
    """The indexed terms in the most articles (from the FTS5 vocabulary of the Dutch index)."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nl_vocab "
            "USING fts5vocab(main, articles_nl, row)"
        )
        return conn.execute(
            "SELECT term, doc FROM temp.nl_vocab ORDER BY doc DESC LIMIT ?", [limit]
        ).fetchall()
    finally:
        conn.close()


def most_common_author(path: Path) -> str:
    """The author of the most articles (the `author` index answers)."""
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        row = conn.execute(
            "SELECT author FROM articles WHERE author IS NOT NULL "
            "GROUP BY author ORDER BY count(*) DESC LIMIT 1"
        ).fetchone()
    return row[0] if row else ""


def vocabulary_size(path: Path) -> dict[str, int]:
    """Distinct terms of the Dutch index and words of the part-search vocabulary."""
    conn = sqlite3.connect(path)
    try:
        conn.execute(
            "CREATE VIRTUAL TABLE IF NOT EXISTS temp.nl_vocab "
            "USING fts5vocab(main, articles_nl, row)"
        )
        terms = conn.execute("SELECT count(*) FROM temp.nl_vocab").fetchone()[0]
        words = conn.execute(f"SELECT count(*) FROM {nl_search.WORDS_TABLE}_seen").fetchone()[0]
        return {"index terms": terms, "part-search words": words}
    finally:
        conn.close()


SIZE_GROUPS = (
    ("articles_nl_words", "part-search vocabulary (articles_nl_words*)"),
    ("articles_nl_content", "Dutch index: analyzed text (articles_nl_content)"),
    ("articles_nl", "Dutch index: postings (articles_nl_data, _idx, _docsize)"),
    ("articles_fts", "plain index (articles_fts*)"),
    ("idx_articles", "articles: indexes"),
    ("sqlite_autoindex_articles", "articles: indexes"),
    ("articles", "articles (rows)"),
    ("article_versions", "article_versions (rows + index)"),
    ("idx_article_versions", "article_versions (rows + index)"),
    ("url_state", "url_state (rows + index)"),
    ("sqlite_autoindex_url_state", "url_state (rows + index)"),
)


def sizes(path: Path) -> dict[str, int]:
    """Bytes per table and index (SQLite's dbstat), grouped by what they serve."""
    conn = sqlite3.connect(path)
    try:
        rows = conn.execute("SELECT name, sum(pgsize) FROM dbstat GROUP BY name").fetchall()
    except sqlite3.OperationalError:  # SQLite built without dbstat
        return {}
    finally:
        conn.close()
    groups: dict[str, int] = {}
    for name, size in rows:
        group = next((label for prefix, label in SIZE_GROUPS if name.startswith(prefix)), "other")
        groups[group] = groups.get(group, 0) + size
    return dict(sorted(groups.items(), key=lambda item: -item[1]))


def describe(path: Path, state: dict[str, Any]) -> dict[str, Any]:
    """Size, vocabulary and most common terms (cached in the build state: they cost a scan)."""
    if "describe" not in state or state["describe"].get("file_bytes") != path.stat().st_size:
        state["describe"] = {
            "file_bytes": path.stat().st_size,
            "sizes": sizes(path),
            "vocabulary": vocabulary_size(path),
            "most_common": most_common_words(path, 5),
        }
        _save_state(path, state)
    return state["describe"]


# ---------------------------------------------------------------------------- timing


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"newsarchive serve exited with {process.returncode}")
        try:
            httpx.get(url, timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def time_query(
    client: httpx.Client,
    path: str,
    params: dict[str, str],
    runs: int,
    slow_runs: int | None = None,
    cpu: Callable[[], float] | None = None,
) -> tuple[list[float], dict[str, Any]]:
    """Seconds per request after one warm-up request, and what the answers said.

    `slow_runs` (fewer) applies when the warm-up took more than a second. `cpu()` gives the
    server's CPU seconds so far: the CPU time per timed request is in the answer's facts
    (`cpu_ms`), a figure that depends less on what else the machine runs. Raises RuntimeError
    on an error answer.
    """
    is_json = path.endswith(".json")
    url = f"{path}?{urlencode({**params, '_shape': 'objects'} if is_json else params)}"
    timings: list[float] = []
    info: dict[str, Any] = {}
    planned = runs
    cpu_started = 0.0
    for attempt in range(runs + 1):
        if attempt > planned:
            break
        if attempt == 1 and cpu:
            cpu_started = cpu()
        started = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - started
        data = response.json() if response.status_code == 200 and is_json else {}
        if response.status_code != 200 or data.get("ok") is False or data.get("error"):
            raise RuntimeError(f"{url}: HTTP {response.status_code}: {response.text[:300]}")
        if not is_json:
            timed_out = FACETS_TIMED_OUT.search(response.text)
            if timed_out:
                data = {"facets_timed_out": timed_out.group(1).split(", ")}
        if "_nofacet" in params:
            data.pop("facet_results", None)
        facts = _answer_facts(data)
        if attempt == 0:
            if slow_runs is not None and elapsed > 1.0:
                planned = min(runs, slow_runs)
            continue
        timings.append(elapsed)
        if "hits" in facts:
            info["hits"] = facts["hits"]  # of the last timed answer
        if facts.get("capped"):
            info["capped"] = info.get("capped", 0) + 1
        if facts.get("facets_timed_out"):
            info["facets_timed_out"] = sorted(
                set(info.get("facets_timed_out", [])) | set(facts["facets_timed_out"])
            )
        if "facets_min" in facts:
            info["facets_min"] = min(
                info.get("facets_min", facts["facets_min"]), facts["facets_min"]
            )
    if cpu:
        info["cpu_ms"] = (cpu() - cpu_started) * 1000 / len(timings)
    return timings, info


def server_cpu(pid: int) -> Callable[[], float]:
    """CPU seconds (user + system, all threads) of a process so far, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    stat = Path(f"/proc/{pid}/stat")

    def read() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime

    return read


def _answer_facts(data: dict[str, Any]) -> dict[str, Any]:
    """What a JSON answer says about its own completeness: hits, cap, facets that timed out."""
    facts: dict[str, Any] = {}
    for key in ("total", "filtered_table_rows_count"):
        if isinstance(data.get(key), int):
            facts["hits"] = data[key]
    if data.get("capped"):
        facts["capped"] = True
    if data.get("facets_timed_out"):
        facts["facets_timed_out"] = sorted(data["facets_timed_out"])
    if isinstance(data.get("facet_results"), dict):
        facts["facets"] = len(data["facet_results"])
        facts["facets_min"] = len(data["facet_results"])
    if isinstance(data.get("months"), list):
        facts["hits"] = sum(month["articles"] for month in data["months"])
    return facts


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _fill(text: str, terms: dict[str, str]) -> str:
    for key, value in terms.items():
        text = text.replace("{" + key + "}", value)
    return text


def measure(path: Path, runs: int, slow_runs: int, terms: dict[str, str]) -> dict[str, Any]:
    """Serve the archive and time every request; returns {group: {label: result}}."""
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    process = subprocess.Popen(  # noqa: S603 - our own command line
        [sys.executable, "-m", "newsarchive", "serve", "--db", str(path), "--port", str(port)],
        cwd=REPO,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    results: dict[str, Any] = {}
    results["_load"] = {"before": os.getloadavg()}
    cpu = server_cpu(process.pid) if Path(f"/proc/{process.pid}/stat").exists() else None
    try:
        wait_for(f"{base}/-/versions.json", process, timeout=600)
        with httpx.Client(base_url=base, timeout=60) as client:
            for group, requests in QUERY_GROUPS:
                print(f"\n{group}\n  {'':46} {'p50 ms':>9} {'p95 ms':>9} {'CPU ms':>9}", flush=True)
                results[group] = {}
                for label, route, params in requests:
                    label = _fill(label, terms)
                    route = _fill(route, terms)
                    filled = {key: _fill(value, terms) for key, value in params.items()}
                    try:
                        timings, info = time_query(client, route, filled, runs, slow_runs, cpu=cpu)
                    except (RuntimeError, httpx.HTTPError) as error:
                        results[group][label] = {"error": str(error)[:300]}
                        print(f"  {label:46} FAILED: {str(error)[:200]}", flush=True)
                        continue
                    result = {
                        "request": f"{route}?{urlencode(filled)}" if filled else route,
                        "p50_ms": statistics.median(timings) * 1000,
                        "p95_ms": p95(timings) * 1000,
                        "runs": len(timings),
                        **info,
                    }
                    results[group][label] = result
                    print(
                        f"  {label:46} {result['p50_ms']:9.1f} {result['p95_ms']:9.1f} "
                        f"{result.get('cpu_ms', float('nan')):9.1f}  {_notes(result)}",
                        flush=True,
                    )
    finally:
        process.terminate()
        process.wait(timeout=30)
    results["_load"]["after"] = os.getloadavg()
    return results


def _notes(result: dict[str, Any]) -> str:
    notes = []
    if "hits" in result:
        notes.append(f"{result['hits']:,} hit" + ("" if result["hits"] == 1 else "s"))
    if result.get("capped"):
        notes.append(f"capped in {result['capped']} of {result.get('runs', '?')} runs")
    if result.get("facets_timed_out"):
        notes.append("facets timed out: " + ", ".join(result["facets_timed_out"]))
    if result.get("facets_min", DEFAULT_FACETS) < DEFAULT_FACETS:
        notes.append(f"only {result['facets_min']} of {DEFAULT_FACETS} facets (others timed out)")
    if result.get("runs") and result["runs"] < 20:
        notes.append(f"{result['runs']} runs")
    return "; ".join(notes)


# ---------------------------------------------------------------------------- reporting


def _mb(size: float) -> str:
    return f"{size / 1e6:,.0f} MB" if size >= 1e7 else f"{size / 1e6:,.1f} MB"


def _seconds(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f} s" if value >= 100 else f"{value:,.1f} s"


def _loads(values: list[float]) -> str:
    return " ".join(f"{value:.1f}" for value in values)


def _ratio(a: float | None, b: float | None) -> str:
    if not a or b is None:
        return "–"
    return f"{b / a:,.1f}×"


def report(sizes_done: list[dict[str, Any]]) -> str:
    """Markdown tables: build, sizes and requests, one pair of columns per size, with ratios."""
    labels = [f"{entry['articles']:,}".replace(",", " ") for entry in sizes_done]
    lines: list[str] = []

    def table(header: list[str], rows: list[list[str]]) -> None:
        lines.append("| " + " | ".join(header) + " |")
        aligns = ["---", *["---:"] * (len(header) - 1)]
        if header[-1] == "notes":
            aligns[-1] = "---"
        lines.append("| " + " | ".join(aligns) + " |")
        lines.extend("| " + " | ".join(row) + " |" for row in rows)
        lines.append("")

    two = len(sizes_done) == 2
    ratio_head = [f"{labels[1]} / {labels[0]}"] if two else []

    # Build.
    phase_names: list[str] = []
    for entry in sizes_done:
        for name in entry["build"]["phases"]:
            if name not in phase_names:
                phase_names.append(name)
    rows = []
    for name in phase_names:
        values = [entry["build"]["phases"].get(name) for entry in sizes_done]
        rows.append([name, *(_seconds(v) for v in values), *([_ratio(*values)] if two else [])])
    totals = [_total(entry["build"]) or None for entry in sizes_done]
    rows.append(["**total**", *(_seconds(v) for v in totals), *([_ratio(*totals)] if two else [])])
    saves = [entry.get("save") for entry in sizes_done]
    if all(saves):
        per_s = [save["per_second"] for save in saves]  # type: ignore[index]
        rows.append(
            [
                f"a crawl's save: {SAVE_PROBE} new articles, every trigger live",
                *(f"{save['seconds']:.1f} s ({save['per_second']:,.0f}/s)" for save in saves),  # type: ignore[index]
                *([_ratio(1 / per_s[0], 1 / per_s[1])] if two else []),
            ]
        )
    modes = ", ".join(sorted({entry["build"].get("mode", "?") for entry in sizes_done}))
    lines.append(f"Build ({modes}):\n")
    table(["phase", *labels, *ratio_head], rows)

    # Sizes.
    groups: list[str] = []
    for entry in sizes_done:
        for name in entry["describe"]["sizes"]:
            if name not in groups:
                groups.append(name)
    rows = [
        [
            "**file**",
            *(_mb(entry["describe"]["file_bytes"]) for entry in sizes_done),
            *([_ratio(*(entry["describe"]["file_bytes"] for entry in sizes_done))] if two else []),
        ]
    ]
    for name in groups:
        values = [entry["describe"]["sizes"].get(name) for entry in sizes_done]
        rows.append(
            [
                name,
                *(_mb(v) if v is not None else "–" for v in values),
                *([_ratio(*values)] if two else []),
            ]
        )
    for name in sizes_done[0]["describe"]["vocabulary"]:
        values = [entry["describe"]["vocabulary"].get(name) for entry in sizes_done]
        rows.append([name, *(f"{v:,}" for v in values), *([_ratio(*values)] if two else [])])
    for entry in sizes_done:
        common = ", ".join(f"{t} ({n:,})" for t, n in entry["describe"]["most_common"][:3])
        entry["_common"] = common
    lines.append("Size:\n")
    table(["", *labels, *ratio_head], rows)
    for label, entry in zip(labels, sizes_done, strict=True):
        lines.append(f"Most common indexed terms at {label}: {entry['_common']}.  ")
    for label, entry in zip(labels, sizes_done, strict=True):
        if entry.get("load"):
            before, after = entry["load"]["before"], entry["load"]["after"]
            lines.append(
                f"Load average (1, 5, 15 min) at {label}: {_loads(before)} before the requests, "
                f"{_loads(after)} after, measured {entry.get('measured_at', '?')}.  "
            )
    lines.append("")

    # Requests.
    for group, _requests in QUERY_GROUPS:
        request_labels: list[str] = []
        for entry in sizes_done:
            for label in entry["results"].get(group, {}):
                if label not in request_labels:
                    request_labels.append(label)
        rows = []
        for label in request_labels:
            results = [entry["results"].get(group, {}).get(label, {}) for entry in sizes_done]
            cells = []
            for result in results:
                if "error" in result:
                    cells.extend(["failed"] * 3)
                elif result:
                    cpu_ms = result.get("cpu_ms")
                    cells.extend(
                        [
                            f"{result['p50_ms']:,.1f}",
                            f"{result['p95_ms']:,.1f}",
                            f"{cpu_ms:,.1f}" if cpu_ms is not None else "–",
                        ]
                    )
                else:
                    cells.extend(["–"] * 3)
            ratio = (
                [_ratio(*(r.get("p50_ms") for r in results))]
                if two and all("p50_ms" in r for r in results)
                else (["–"] if two else [])
            )
            notes = " / ".join(_notes(r) or "–" for r in results) if any(results) else ""
            rows.append([label, *cells, *ratio, notes])
        header = ["request"]
        for label in labels:
            header.extend([f"{label} p50 ms", "p95 ms", "CPU ms"])
        lines.append(f"{group}:\n")
        table([*header, *(["p50 ratio"] if two else []), "notes"], rows)
    return "\n".join(lines)


# ---------------------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--articles", type=int, nargs="+", default=[100_000], help="one or two archive sizes"
    )
    parser.add_argument(
        "--db",
        type=Path,
        help="archive file (one size only), named archive.db for the canned queries",
    )
    parser.add_argument(
        "--dir",
        type=Path,
        default=Path(os.environ.get(BENCH_DIR_ENV) or tempfile.gettempdir()),
        help=f"where the archives go, as newsarchive-bench-N/archive.db (default: ${BENCH_DIR_ENV} "
        "or the temporary directory)",
    )
    parser.add_argument("--build", choices=("bulk", "incremental"), default="bulk")
    parser.add_argument(
        "--no-optimize",
        action="store_true",
        help="leave the full-text indexes as FTS5's automerge left them (as crawls do)",
    )
    parser.add_argument("--build-only", action="store_true", help="build and describe, no requests")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="print the report from the last saved results (results.json beside each archive)",
    )
    parser.add_argument("--runs", type=int, default=20, help="timed requests per query")
    parser.add_argument(
        "--slow-runs", type=int, default=10, help="timed requests when the warm-up took > 1 s"
    )
    parser.add_argument("--markdown", type=Path, help="also write the report to this file")
    args = parser.parse_args(argv)
    if args.db and len(args.articles) > 1:
        parser.error("--db takes one size")
    if len(args.articles) > 2:
        parser.error("one or two sizes")

    done: list[dict[str, Any]] = []
    failures = 0
    for articles in args.articles:
        path = args.db or args.dir / f"newsarchive-bench-{articles}" / "archive.db"
        results_path = path.with_name("results.json")
        if args.report_only:
            done.append(json.loads(results_path.read_text(encoding="utf-8")))
            continue
        print(f"Archive: {path} ({articles:,} articles, {args.build} build)", flush=True)
        state = build(path, articles, mode=args.build, optimize=not args.no_optimize)
        built = {
            key: state.get(key) for key in ("mode", "phases", "not_summed", "optimized", "segments")
        }
        print(f"  full-text index segments: {state.get('segments')}")
        for name, seconds in state["phases"].items():
            print(f"  {name}: {_seconds(seconds)}")
        facts = describe(path, state)
        print(f"  file {_mb(facts['file_bytes'])}")
        for group, size in facts["sizes"].items():
            print(f"  {_mb(size):>10}  {group}")
        print("  " + ", ".join(f"{k}: {v:,}" for k, v in facts["vocabulary"].items()))
        common = facts["most_common"]
        print("  most common indexed terms: " + ", ".join(f"{t} ({n:,})" for t, n in common))
        if "save" not in state:
            state["save"] = crawl_save_cost(path)
            _save_state(path, state)
        save = state["save"]
        print(f"  a crawl's save of {save['articles']} new articles: {save['seconds']:.2f} s")
        entry = {
            "articles": articles,
            "path": str(path),
            "build": built,
            "describe": facts,
            "save": save,
            "results": {},
        }
        if not args.build_only:
            terms = {
                "t1": common[0][0],
                "t2": common[1][0],
                "a1": most_common_author(path),
                "article": str(min(4242, max(1, articles // 2))),
            }
            entry["results"] = measure(path, args.runs, args.slow_runs, terms)
            entry["load"] = entry["results"].pop("_load")
            entry["measured_at"] = time.strftime("%Y-%m-%d %H:%M:%S")
            results_path.write_text(json.dumps(entry, indent=1), encoding="utf-8")
            failures += sum(
                1 for group in entry["results"].values() for r in group.values() if "error" in r
            )
        done.append(entry)
    if not args.build_only:
        text = report(done)
        print("\n" + text)
        if args.markdown:
            args.markdown.write_text(text, encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
