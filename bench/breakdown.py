"""Where each millisecond goes, per article, on real-weight pages.

    python bench/breakdown.py                          # 500 pages, 2 workers: about 3 minutes
    python bench/breakdown.py --pages 300 --out /tmp/breakdown.txt --json /tmp/breakdown.json

Serves the real-page site of bench/real_pages.py (same pages, same URLs) on 127.0.0.1 in a
thread of this process, then:

1. **Crawls it twice** (`run_crawl`, `--site generic --delay 0 --workers N`, WARC on) in a child
   process of its own, so that the site's CPU is not counted: once plain, to count CPU from the
   OS per process (the crawl process from its own `getrusage`, minus its start-up; the
   extraction workers and the fork server sampled from /proc every 50 ms), once under cProfile
   (main thread of the crawl process), to see which functions of that process take the time.
2. **Times each piece directly**, in this process, over the same pages (CPU time, one core):
   the spider's own `NewsSpider.parse_page` (links parsed and followed), and of it the parsing
   for links alone (HtmlResponse, `a::attr(href)`, the menu XPath, urljoin); WARC capture
   (`RotatingWarcWriter.write_exchange`); the hand-over to the workers (pickling a batch of 8
   pages and its outcomes, both ways); extraction (`crawler.workers.extract_page`, which also
   makes the record's Dutch search-index entry, `archive.db.search_entry`) and that analysis
   alone; saving (`archive.db.save_articles` in batches of 100 into a fresh archive, the
   quickest of 3 runs), with and without the workers' entries, split into the Dutch index
   (`index_analyzed`, `sync_search_index`), the plain FTS5 index (its triggers: the difference
   with an archive where they are dropped) and the rest of SQLite; bare
   `trafilatura.bare_extraction(with_metadata=True)`, the reference.

Output (stdout, and --out if given), Markdown tables:

* one row per piece: the process that runs it, ms of CPU per article measured directly, and
  its share of the crawl process's main thread under cProfile (waits in epoll left out);
  "Scrapy and the rest" is the crawl process's OS CPU per article minus the pieces timed
  directly that run in it;
* the save path with and without the workers' analysis (ms per article);
* OS CPU per article by process (crawl process after start-up, its start-up, extraction
  workers, fork server) and the whole crawl, against bare extraction per page;
* the crawl process's top 15 functions by own time under cProfile.

--json keeps every raw figure. Not part of the test run; results in docs/performance.md.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pickle
import pstats
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable
from multiprocessing.reduction import ForkingPickler
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_peers import REPO, _parent_ids, cpu_seconds, descendants, machine
from real_pages import SHARED, RealPagesSite

OUT = Path(tempfile.gettempdir()) / "newsarchive-bench" / "breakdown"
PROFILE = "generic"
SAMPLE_SECONDS = 0.05
# Pages per hand-over task and articles per save, as in crawler/workers.py and the storage
# pipeline.
HANDOVER_BATCH = 8
SAVE_BATCH = 100
SAVE_RUNS = 3


# --------------------------------------------------------------------------- the crawls


def crawl_child(arguments: dict[str, Any]) -> None:
    """In the child process: crawl (under cProfile if asked), then write its own CPU counts."""
    import crawler.options
    import crawler.runner
    import crawler.spiders.news  # loaded before the start-up count

    started_cpu = time.process_time()
    options = crawler.options.CrawlOptions(
        db=arguments["db"],
        site=PROFILE,
        start_urls=[arguments["url"]],
        delay=0,
        workers=arguments["workers"],
        log_file=arguments["log"],
        warc_dir=arguments["warc_dir"],
    )
    # cProfile follows the main thread only (not the WARC thread, not the executor's threads)
    profiler = cProfile.Profile() if arguments.get("profile") else None
    if profiler is not None:
        profiler.runcall(crawler.runner.run_crawl, options)
        profiler.dump_stats(arguments["profile"])
    else:
        crawler.runner.run_crawl(options)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    Path(arguments["counts"]).write_text(
        json.dumps(
            {"startup_cpu": started_cpu, "cpu": usage.ru_utime + usage.ru_stime},
        )
    )


class ProcessSampler(threading.Thread):
    """CPU seconds of each descendant of a process, read from /proc until stopped."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root = root
        self.stop = threading.Event()
        self.cpu: dict[int, float] = {}
        self.depth: dict[int, int] = {}

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_SECONDS):
            parents = _parent_ids()
            for pid in descendants(self.root, parents):
                self.cpu[pid] = max(self.cpu.get(pid, 0.0), cpu_seconds(pid))
                if pid not in self.depth:
                    depth, parent = 1, parents.get(pid, 0)
                    while parent not in (self.root, 0, 1):
                        depth, parent = depth + 1, parents.get(parent, 0)
                    self.depth[pid] = depth


def crawl(
    site: RealPagesSite,
    folder: Path,
    workers: int,
    profile: Path | None,
    code: Path | None = None,
) -> dict[str, Any]:
    """One crawl in a child process: its CPU by process, and the articles stored.

    With `code`, the crawler and archive packages are imported from that checkout instead.
    """
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    arguments = {
        "db": str(folder / "archive.db"),
        "url": f"{site.url}/",
        "workers": workers,
        "log": str(folder / "crawl.log"),
        "warc_dir": str(folder / "warc"),
        "counts": str(folder / "counts.json"),
        "profile": str(profile) if profile else None,
    }
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": str(code)} if code else None
    child = subprocess.Popen(  # noqa: S603 - this script, with arguments built here
        [sys.executable, __file__, "--crawl-child", json.dumps(arguments)],
        cwd=code or REPO,
        env=env,
    )
    sampler = ProcessSampler(child.pid)
    sampler.start()
    returncode = child.wait()
    wall = time.perf_counter() - started
    sampler.stop.set()
    sampler.join()
    if returncode:
        raise RuntimeError(f"the crawl failed (status {returncode}); see {arguments['log']}")
    counts = json.loads(Path(arguments["counts"]).read_text())
    import sqlite3

    with sqlite3.connect(arguments["db"]) as conn:
        articles = int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    # depth 1: the fork server and multiprocessing's resource tracker; 2: extraction workers
    helpers = sum(cpu for pid, cpu in sampler.cpu.items() if sampler.depth.get(pid) == 1)
    workers_cpu = sum(cpu for pid, cpu in sampler.cpu.items() if sampler.depth.get(pid, 0) >= 2)
    return {
        "articles": articles,
        "wall": wall,
        "crawl_cpu": counts["cpu"],
        "crawl_startup_cpu": counts["startup_cpu"],
        "workers_cpu": workers_cpu,
        "workers": sum(1 for depth in sampler.depth.values() if depth >= 2),
        "helpers_cpu": helpers,
    }


# Functions of the crawl process whose cumulative time cProfile reports: (file, name).
PROFILED = {
    "parse_page": ("spiders/news.py", "parse_page"),
    "warc": ("crawler/warc.py", "process_response"),
    "handover": ("crawler/workers.py", "_run_batch"),
    "save_articles": ("archive/db.py", "save_articles"),
    "sync_search_index": ("archive/search.py", "sync_search_index"),
    "index_analyzed": ("archive/search.py", "index_analyzed"),
}
# Where the main thread waits for the network or the workers: not work.
WAITS = ("poll", "select", "epoll")


def profiled_times(path: Path) -> tuple[dict[str, float], float, list[tuple[str, float]]]:
    """Cumulative seconds of the PROFILED functions, the busy total, and the top own times."""
    stats = pstats.Stats(str(path))
    entries = stats.stats  # type: ignore[attr-defined]
    found = dict.fromkeys(PROFILED, 0.0)
    total = 0.0
    own: list[tuple[str, float]] = []
    for (filename, line, name), (_, _, own_time, cumulative, _) in entries.items():
        if any(wait in name for wait in WAITS):
            continue
        total += own_time
        own.append((f"{Path(filename).name}:{line}({name})", own_time))
        for label, (file_part, function) in PROFILED.items():
            if name == function and filename.endswith(file_part):
                found[label] += cumulative
    own.sort(key=lambda item: -item[1])
    return found, total, own[:15]


# --------------------------------------------------------------------------- direct timings


def cpu_of(function: Callable[[], Any]) -> tuple[float, Any]:
    started = time.process_time()
    result = function()
    return time.process_time() - started, result


def time_links(pages: list[tuple[bytes, str]]) -> float:
    """CPU seconds of parse_page's link extraction over the pages."""
    from scrapy.http import HtmlResponse

    from crawler.links import links_of_response

    def run() -> int:
        count = 0
        for body, url in pages:
            response = HtmlResponse(url, body=body, headers={"Content-Type": "text/html"})
            links = links_of_response(response)
            count += len(links.hrefs) + len(links.menu_hrefs)
        return count

    return cpu_of(run)[0]


def time_parse_page(pages: list[tuple[bytes, str]], site_url: str) -> float:
    """CPU seconds of the spider's own parse_page over the pages (links parsed and followed)."""
    from scrapy.crawler import Crawler
    from scrapy.http import HtmlResponse, Request
    from scrapy.utils.reactor import install_reactor

    from crawler.options import CrawlOptions
    from crawler.runner import crawl_settings, spider_arguments
    from crawler.spiders.news import NewsSpider

    options = CrawlOptions(db=str(OUT / "unused.db"), site=PROFILE, start_urls=[f"{site_url}/"])
    settings = crawl_settings(options)
    settings["NEWSARCHIVE_LINKS_IN_WORKERS"] = False  # the links parsed and followed here
    install_reactor(settings["TWISTED_REACTOR"])
    crawler = Crawler(NewsSpider, settings)
    crawler._apply_settings()
    spider = NewsSpider.from_crawler(crawler, **spider_arguments(options))
    responses = [
        HtmlResponse(
            url,
            body=body,
            request=Request(url, callback=spider.parse_page),
            headers={"Content-Type": "text/html; charset=utf-8"},
        )
        for body, url in pages
    ]
    return cpu_of(lambda: [list(spider.parse_page(response)) for response in responses])[0]


def time_warc(pages: list[tuple[bytes, str]], folder: Path) -> tuple[float, list[dict[str, Any]]]:
    """CPU seconds of writing each exchange to a WARC file; the record pointers."""
    from crawler.warc import Exchange, RotatingWarcWriter

    writer = RotatingWarcWriter(folder, prefix="breakdown")
    exchanges = [
        Exchange(
            url=url,
            method="GET",
            request_headers=[("User-Agent", "newsarchive"), ("Accept", "text/html")],
            request_body=b"",
            status=200,
            response_headers=[
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
            body=body,
            ip_address="127.0.0.1",
        )
        for body, url in pages
    ]
    seconds, pointers = cpu_of(lambda: [writer.write_exchange(e).columns() for e in exchanges])
    writer.close()
    return seconds, pointers


def batches(items: list[Any], size: int) -> Iterable[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def time_extraction(
    pages: list[tuple[bytes, str]],
) -> tuple[float, float, float, list[Any]]:
    """Extraction in this process, and the hand-over's pickling on each side; the outcomes."""
    from crawler.workers import cached_profile, extract_page, warm_up

    warm_up()
    cached_profile(PROFILE)
    arguments = [(body, url, PROFILE, "utf-8", {}, 30.0) for body, url in pages]
    extract_page(*arguments[0])  # lazy imports, caches: not timed
    extraction, outcomes = cpu_of(lambda: [extract_page(*args) for args in arguments])
    crawl_side = worker_side = 0.0
    for start in range(0, len(arguments), HANDOVER_BATCH):
        batch = arguments[start : start + HANDOVER_BATCH]
        results = outcomes[start : start + HANDOVER_BATCH]
        seconds, sent = cpu_of(lambda batch=batch: bytes(ForkingPickler.dumps(batch)))
        crawl_side += seconds
        worker_side += cpu_of(lambda sent=sent: pickle.loads(sent))[0]  # noqa: S301 - ours
        seconds, returned = cpu_of(lambda results=results: bytes(ForkingPickler.dumps(results)))
        worker_side += seconds
        crawl_side += cpu_of(lambda returned=returned: pickle.loads(returned))[0]  # noqa: S301
    return extraction, crawl_side, worker_side, outcomes


def time_bare(pages: list[tuple[bytes, str]]) -> float:
    import trafilatura

    trafilatura.bare_extraction(pages[0][0], url=pages[0][1], with_metadata=True)
    return cpu_of(
        lambda: [
            trafilatura.bare_extraction(body, url=url, with_metadata=True) for body, url in pages
        ]
    )[0]


def time_save(records: list[dict[str, Any]], path: Path, *, plain_fts: bool) -> dict[str, float]:
    """The quickest of SAVE_RUNS `time_save_once` (SQLite's writes vary from run to run)."""
    runs = [time_save_once(records, path, plain_fts=plain_fts) for _ in range(SAVE_RUNS)]
    return min(runs, key=lambda run: run["total"])


def time_save_once(
    records: list[dict[str, Any]], path: Path, *, plain_fts: bool
) -> dict[str, float]:
    """save_articles in batches into a fresh archive: total, and the Dutch index's part."""
    import archive.search
    from archive.db import open_archive, save_articles

    path.unlink(missing_ok=True)
    db = open_archive(path)
    if not plain_fts:
        for suffix in ("ai", "ad", "au"):
            db.execute(f"DROP TRIGGER IF EXISTS articles_{suffix}")
    spent = {"sync_search_index": 0.0, "index_analyzed": 0.0}
    originals = {name: getattr(archive.search, name, None) for name in spent}

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            seconds, result = cpu_of(lambda: function(*args, **kwargs))
            spent[name] += seconds
            return result

        return wrapper

    for name, function in originals.items():
        if function is not None:
            setattr(archive.search, name, timed(name, function))
    try:
        total = 0.0
        for batch in batches(records, SAVE_BATCH):
            total += cpu_of(lambda batch=batch: save_articles(db, batch, site=PROFILE))[0]
    finally:
        for name, function in originals.items():
            if function is not None:
                setattr(archive.search, name, function)
        db.close()
    return {"total": total, **spent}


def time_analysis(records: list[dict[str, Any]]) -> float:
    """The Dutch analysis of each record as the index does it (columns and vocabulary)."""
    from archive.db import search_entry

    runs = [cpu_of(lambda: [search_entry(record) for record in records])[0] for _ in range(3)]
    return min(runs)  # the quickest of 3: a shared machine slows some runs down


# --------------------------------------------------------------------------- the report


def ms(seconds: float, count: int) -> str:
    return f"{seconds / count * 1000:.2f}" if count else "-"


def report(figures: dict[str, Any]) -> str:
    n = figures["articles_timed"]
    plain, profiled = figures["crawl"], figures["profiled_crawl"]
    articles = plain["articles"]
    direct = figures["direct"]
    prof, prof_total = figures["profile"], figures["profile_total"]
    with_entries = figures["worker_analysis"]
    save = direct["save_with_entries"] if with_entries else direct["save"]
    nl = save["sync_search_index"] + save["index_analyzed"]
    fts = direct["save"]["total"] - direct["save_no_fts"]["total"]
    sqlite_rest = save["total"] - nl - fts
    crawl_per = (plain["crawl_cpu"] - plain["crawl_startup_cpu"]) / articles
    in_crawl = (
        direct["parse_page"] + direct["warc"] + direct["handover_crawl"] + save["total"]
    ) / n

    def share(*labels: str) -> float:
        return sum(prof[label] for label in labels) / prof_total

    rows = [
        (
            "parse_page in all (links parsed and followed, FetchedPage)",
            "crawl",
            direct["parse_page"] / n,
            share("parse_page"),
        ),
        (
            "  of which parsing for links (parsel/lxml: a::attr(href), menus, urljoin)",
            "crawl",
            direct["links"] / n,
            None,
        ),
        (
            "WARC capture (serialise, gzip, digests)",
            "crawl (WARC thread)",
            direct["warc"] / n,
            share("warc"),
        ),
        (
            "hand-over, crawl side (pickle a batch, unpickle outcomes)",
            "crawl",
            direct["handover_crawl"] / n,
            share("handover"),
        ),
        ("save_articles in all", "crawl", save["total"] / n, share("save_articles")),
        ("  SQLite rows, versions, fetch state", "crawl", sqlite_rest / n, None),
        ("  plain FTS5 (articles_fts triggers)", "crawl", fts / n, None),
        (
            "  Dutch index (articles_nl + vocabulary)",
            "crawl",
            nl / n,
            share("sync_search_index", "index_analyzed"),
        ),
        (
            "Scrapy and the rest (crawl process OS CPU minus the rows above)",
            "crawl",
            crawl_per - in_crawl,
            None,
        ),
        (
            "hand-over, worker side (unpickle a batch, pickle outcomes)",
            "workers",
            direct["handover_worker"] / n,
            None,
        ),
        (
            "extraction (extract_page)" + (", Dutch analysis included" if with_entries else ""),
            "workers",
            direct["extraction"] / n,
            None,
        ),
        (
            "Dutch analysis for the index (columns and vocabulary words)",
            "workers" if with_entries else "crawl (in save_articles)",
            direct["analysis"] / n,
            None,
        ),
    ]
    lines = [
        f"{figures['pages']} real-weight pages, {articles} articles stored; direct timings over "
        f"the {n} article pages, one core; Dutch analysis in the workers: "
        f"{'yes' if with_entries else 'no'}",
        "",
        "| piece | process | ms/article (direct) | share of the crawl process's main thread "
        "(cProfile) |",
        "| --- | --- | ---: | ---: |",
    ]
    for label, process, direct_ms, profiled_share in rows:
        shown = f"{profiled_share:.0%}" if profiled_share is not None else ""
        lines.append(f"| {label} | {process} | {direct_ms * 1000:.2f} | {shown} |")
    save_before = direct["save"]
    lines += [
        "",
        "Saving, per article: without analyzed columns (the Dutch analysis in the writer) "
        f"{ms(save_before['total'], n)} ms, of which sync_search_index "
        f"{ms(save_before['sync_search_index'], n)}"
        + (
            f"; with the worker's analyzed columns {ms(direct['save_with_entries']['total'], n)}"
            f" ms, of which index_analyzed {ms(direct['save_with_entries']['index_analyzed'], n)}"
            f" and sync_search_index {ms(direct['save_with_entries']['sync_search_index'], n)}"
            if with_entries
            else ""
        ),
        "",
        "| process (OS CPU, plain crawl) | ms/article |",
        "| --- | ---: |",
        f"| crawl process, after start-up | {crawl_per * 1000:.2f} |",
        f"| crawl process start-up (imports; {plain['crawl_startup_cpu']:.2f} s once) | "
        f"{ms(plain['crawl_startup_cpu'], articles)} |",
        f"| extraction workers ({plain['workers']}, start-up included) | "
        f"{ms(plain['workers_cpu'], articles)} |",
        f"| fork server and resource tracker | {ms(plain['helpers_cpu'], articles)} |",
        f"| whole crawl | "
        f"{ms(plain['crawl_cpu'] + plain['workers_cpu'] + plain['helpers_cpu'], articles)} |",
        f"| bare trafilatura.bare_extraction(with_metadata=True), per page | "
        f"{direct['bare'] / n * 1000:.2f} |",
        "",
        f"crawl wall time {plain['wall']:.1f} s ({articles / plain['wall']:.1f} articles/s); "
        f"under cProfile: crawl process {profiled['crawl_cpu']:.1f} s CPU, main thread busy "
        f"{prof_total:.1f} s (profiler overhead included)",
        "",
        "Crawl process under cProfile, top own time (share of the main thread's busy time):",
    ]
    for name, seconds in figures["profile_top"]:
        lines.append(f"  {seconds / prof_total:6.1%}  {name}")
    lines.append(f"machine: {figures['machine']}; load average {figures['load']}")
    return "\n".join(lines)


def compare_with(baseline: Path, pages: int, workers: int, rounds: int) -> str:
    """Crawls by the baseline checkout and by this one, in alternation: medians per process."""
    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "this checkout": []}
    load = [" ".join(f"{v:.2f}" for v in os.getloadavg())]
    with RealPagesSite(pages) as site:
        for number in range(1, rounds + 1):
            for name, code in (("baseline", baseline), ("this checkout", None)):
                print(f"round {number}: {name} …", file=sys.stderr)
                runs[name].append(crawl(site, OUT / "compare", workers, None, code))
    load.append(" ".join(f"{v:.2f}" for v in os.getloadavg()))

    def median_ms(name: str, cpu: Callable[[dict[str, Any]], float]) -> str:
        values = [cpu(run) / run["articles"] * 1000 for run in runs[name]]
        return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"

    lines = [
        f"{pages} real-weight pages, {rounds} rounds in alternation, medians (range), "
        "ms of CPU per article stored",
        "",
        "| code | crawl process, after start-up | extraction workers | whole crawl |",
        "| --- | ---: | ---: | ---: |",
    ]
    for name in runs:
        lines.append(
            f"| {name} | {median_ms(name, lambda r: r['crawl_cpu'] - r['crawl_startup_cpu'])} | "
            f"{median_ms(name, lambda r: r['workers_cpu'])} | "
            f"{median_ms(name, lambda r: r['crawl_cpu'] + r['workers_cpu'] + r['helpers_cpu'])}"
            " |"
        )
    lines.append(f"baseline: {baseline}; load average {load[0]} at the start, {load[1]} at the end")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=500, help="pages on the site (500)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--out", type=Path, help="also write the report to this file")
    parser.add_argument("--json", type=Path, help="write the raw figures to this file")
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (e.g. `git archive HEAD | tar -x -C DIR`): only compare the "
        "crawl's OS CPU per process, this checkout's against that one's, in alternation",
    )
    parser.add_argument("--rounds", type=int, default=3, help="rounds with --baseline (3)")
    parser.add_argument("--crawl-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.crawl_child:
        crawl_child(json.loads(args.crawl_child))
        return 0
    if not SHARED.is_dir():
        parser.error(f"no real pages at {SHARED}: ../shared must sit beside the repository")
    OUT.mkdir(parents=True, exist_ok=True)
    if args.baseline:
        text = compare_with(args.baseline.resolve(), args.pages, args.workers, args.rounds)
        print(text)
        if args.out:
            args.out.write_text(text + "\n")
        return 0
    figures: dict[str, Any] = {"pages": args.pages, "machine": machine()}
    figures["load"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
    with RealPagesSite(args.pages) as site:
        print("crawling (plain) …", file=sys.stderr)
        figures["crawl"] = crawl(site, OUT / "crawl", args.workers, None)
        print("crawling (under cProfile) …", file=sys.stderr)
        profile_path = OUT / "crawl.prof"
        figures["profiled_crawl"] = crawl(site, OUT / "profiled", args.workers, profile_path)
        pages = [(body, f"{site.url}{path}") for path, body in site.pages.items()]
        site_url = site.url
    found, total, top = profiled_times(profile_path)
    figures.update(profile=found, profile_total=total, profile_top=top)
    print("timing each piece …", file=sys.stderr)
    direct: dict[str, Any] = {}
    extraction, crawl_side, worker_side, outcomes = time_extraction(pages)
    articles = [
        (page, outcome.record)
        for page, outcome in zip(pages, outcomes, strict=True)
        if outcome.kind == "article"
    ]
    article_pages = [page for page, _ in articles]
    n = len(articles)
    direct.update(
        extraction=extraction * n / len(pages),  # per article: every page's share
        handover_crawl=crawl_side * n / len(pages),
        handover_worker=worker_side * n / len(pages),
    )
    direct["links"] = time_links(article_pages)
    direct["parse_page"] = time_parse_page(article_pages, site_url)
    shutil.rmtree(OUT / "warc", ignore_errors=True)
    direct["warc"], pointers = time_warc(article_pages, OUT / "warc")
    records = [
        {
            **record,
            **pointer,
            "fetch": {"url": page[1], "aliases": [], "status": 200, "etag": None},
        }
        for (page, record), pointer in zip(articles, pointers, strict=True)
    ]
    from archive.db import SEARCH_ENTRY_KEY

    # what the workers sent (SEARCH_ENTRY_KEY: analyzed there), and the same without
    with_entries = any(SEARCH_ENTRY_KEY in record for record in records)
    figures["worker_analysis"] = with_entries
    plain_records = [{k: v for k, v in r.items() if k != SEARCH_ENTRY_KEY} for r in records]
    direct["analysis"] = time_analysis(plain_records)
    direct["save"] = time_save(plain_records, OUT / "save.db", plain_fts=True)
    direct["save_no_fts"] = time_save(plain_records, OUT / "save-no-fts.db", plain_fts=False)
    if with_entries:
        direct["save_with_entries"] = time_save(records, OUT / "save-entries.db", plain_fts=True)
    direct["bare"] = time_bare(article_pages)
    figures["direct"] = direct
    figures["articles_timed"] = n
    text = report(figures)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=1, default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())
