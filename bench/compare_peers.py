"""Side by side: this project and its peers crawl the same demo site, on this machine, in one run.

    sudo python bench/compare_peers.py                       # 2 000 articles, 3 runs per system
    sudo python bench/compare_peers.py --articles 20000 --runs 3 --markdown /tmp/peers-20k.md

Not part of the test run; docs/performance.md explains the set-up and shows the results.

The demo site (`python -m demosite serve`) runs in a process of its own on port 80 of a loopback
address (127.0.0.77 by default: port 80 because some peers keep no port in a site's domain,
root for port 80), so that its CPU time is the same for every system and shown apart. Peers
reach it as `http://demo.localhost/` (some refuse IP addresses; `bench/peers/loopback_names.py`
resolves `*.localhost` inside their processes), this project as `http://127.0.0.77/`.

Systems, each in its own virtualenv under --venvs (created and filled from PyPI when missing):

* newsarchive - `newsarchive crawl --delay 0 --site antwerpspersbureau --workers CORES`
  (32 concurrent requests at delay 0, WARC capture on, as shipped: sitemaps, feeds and every
  listing, tag and archive page), and newsarchive-sitemap: the same with `--route sitemap`,
  which discovers articles the way the peers do (from the sitemap only).
* news-please - its Scrapy crawl process with its SitemapCrawler, CONCURRENCY requests
  (bench/peers/news_please_crawl.py).
* newspaper4k - `fetch_news` over the site's sitemap URLs with CONCURRENCY threads, and
  newspaper4k-build: `newspaper.build(url)` + download + parse (bench/peers/newspaper4k_build.py).
* trafilatura - its CLI: `trafilatura --sitemap URL --list`, then `trafilatura -i LIST --json`
  (bench/peers/trafilatura_cli.py; `--sitemap` alone loops on the home page, see the docs).

Each system runs --runs times, the systems interleaved round by round so that a busy machine
slows all alike. Per system: articles stored (matched to the site's articles by URL path) and
other pages stored as articles, articles per second (median), CPU seconds per 1 000 articles of
the whole process tree (median), peak RSS of the process tree (largest), and extraction quality
against the site's ground truth: title, day of publication and author exactly right, body token
F1 (crawler.evaluate.token_scores). "The limit" is bare trafilatura over the same article pages,
fetched beforehand, in a process pool with one worker per core.
"""

from __future__ import annotations

import argparse
import ctypes
import json
import math
import multiprocessing
import os
import platform
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
# Outside the repository: peer virtualenvs and every run's output.
BENCH_DIR = Path(tempfile.gettempdir()) / "newsarchive-bench"
SAMPLE_SECONDS = 0.2
PR_SET_CHILD_SUBREAPER = 36
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def become_subreaper() -> None:
    """Have orphaned descendants reparented to this process (Linux only)."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")


def _parent_ids() -> dict[int, int]:
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # the command name (field 2) may hold spaces and parentheses: split after the last ")"
        fields = stat.rsplit(")", 1)[1].split()
        parents[int(entry.name)] = int(fields[1])
    return parents


def descendants(root: int, parents: dict[int, int] | None = None) -> list[int]:
    """Process ids of root's descendants (not root itself)."""
    parents = parents if parents is not None else _parent_ids()
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, stack = [], [root]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


def rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_SIZE
    except (OSError, IndexError, ValueError):
        return 0


def cpu_seconds(pid: int) -> float:
    """User plus system CPU seconds a running process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


@dataclass
class RunResult:
    """What one measured run cost."""

    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    returncode: int
    rss_timeline: list[tuple[float, int]] = field(default_factory=list)


class _TreeSampler(threading.Thread):
    def __init__(self, keep: set[int]) -> None:
        super().__init__(daemon=True)
        self.keep = keep  # processes of ours that are not part of the run (the site's server)
        self.stop = threading.Event()
        self.peak = 0
        self.started = time.monotonic()
        self.timeline: list[tuple[float, int]] = []

    def run(self) -> None:
        while not self.stop.wait(SAMPLE_SECONDS):
            parents = _parent_ids()
            pids = [pid for pid in descendants(os.getpid(), parents) if pid not in self.keep]
            pids = [pid for pid in pids if not _below(pid, self.keep, parents)]
            total = sum(rss_bytes(pid) for pid in pids)
            self.peak = max(self.peak, total)
            self.timeline.append((time.monotonic() - self.started, total))


def _below(pid: int, ancestors: set[int], parents: dict[int, int]) -> bool:
    while pid > 1:
        pid = parents.get(pid, 0)
        if pid in ancestors:
            return True
    return False


def _reap_orphans(keep: set[int], deadline: float) -> None:
    """Wait for descendants reparented to us once the run's own process has exited."""
    while True:
        orphans = [
            pid
            for pid, parent in _parent_ids().items()
            if parent == os.getpid() and pid not in keep
        ]
        if not orphans:
            return
        for pid in orphans:
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
            try:
                finished, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                continue
            if not finished:
                time.sleep(0.05)


def run_measured(
    commands: Sequence[Sequence[str]],
    *,
    keep: set[int],
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    log: Path | None = None,
    timeout: float = 7200.0,
) -> RunResult:
    """Run commands one after the other; wall time, CPU of every process, peak tree RSS.

    `keep` holds the pids of our own long-lived children (the site's server), left out of both.
    """
    sampler = _TreeSampler(keep)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    sampler.start()
    returncode = 0
    output = log.open("ab") if log else subprocess.DEVNULL
    try:
        for command in commands:
            process = subprocess.Popen(  # noqa: S603 - benchmark commands built by this module
                list(command), cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT
            )
            returncode = process.wait(timeout=timeout) or returncode
            _reap_orphans(keep | {process.pid}, time.monotonic() + 60)
    finally:
        wall = time.perf_counter() - started
        sampler.stop.set()
        sampler.join()
        if log:
            output.close()  # type: ignore[union-attr]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return RunResult(wall, cpu, sampler.peak, returncode, sampler.timeline)


class DemoSiteServer:
    """`python -m demosite serve` in its own process, on ADDRESS:PORT."""

    def __init__(self, articles: int, address: str, port: int, theme: str = "plain") -> None:
        self.articles, self.address, self.port, self.theme = articles, address, port, theme
        self.process: subprocess.Popen[str] | None = None

    def __enter__(self) -> DemoSiteServer:
        command = [sys.executable, "-m", "demosite", "serve", "--articles", str(self.articles)]
        command += ["--theme", self.theme]
        command += ["--host", self.address, "--port", str(self.port)]
        self.process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        line = self.process.stdout.readline() if self.process.stdout else ""
        if not line.startswith("serving"):
            self.process.kill()
            raise RuntimeError(f"the demo site did not start: {line.strip()}")
        self.port = urlsplit(line.split()[1]).port or 80  # the one it got when asked for 0
        return self

    def __exit__(self, *exc: object) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def url(self, host: str | None = None) -> str:
        port = "" if self.port == 80 else f":{self.port}"
        return f"http://{host or self.address}{port}/"

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)


def machine() -> dict[str, str]:
    """Cores, memory, CPU model, Python and OS of this machine, and its load now."""
    model = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory_kib = int(line.split()[1])
    return {
        "cores": str(os.cpu_count()),
        "cpu": model,
        "memory": f"{memory_kib / 1024 / 1024:.1f} GiB",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load average": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


# --------------------------------------------------------------------------- peers

PEERS = Path(__file__).resolve().parent / "peers"
PROFILE = "antwerpspersbureau"
PEER_HOST = "demo.localhost"
# What each virtualenv is filled with (the newest release on PyPI when it is created).
# justext (used by trafilatura) imports lxml.html.clean, split out of lxml 5.2+ into its own
# package that trafilatura does not require: without it `import trafilatura` fails.
VENV_PACKAGES = {
    "news-please": ["news-please", "lxml_html_clean"],
    "newspaper4k": ["newspaper4k", "lxml_html_clean"],
    "trafilatura": ["trafilatura", "lxml_html_clean"],
}
# The module each peer is used through: a virtualenv that cannot import it is filled again.
VENV_IMPORTS = {
    "news-please": "newsplease",
    "newspaper4k": "newspaper",
    "trafilatura": "trafilatura",
}


class PeerSetupError(RuntimeError):
    """A peer's virtualenv could not be made complete."""


def _imports(python: Path, module: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603
        [str(python), "-c", f"import {module}"], capture_output=True, text=True, check=False
    )


def ensure_venv(venvs: Path, name: str) -> Path:
    """The peer's virtualenv, created and filled from PyPI until it imports; returns its python."""
    python = venvs / name / "bin" / "python"
    if python.exists() and _imports(python, VENV_IMPORTS[name]).returncode == 0:
        return python
    if not python.exists():
        print(f"creating the virtualenv of {name} in {venvs / name}", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", str(venvs / name)], check=True)  # noqa: S603
    else:
        print(f"completing the virtualenv of {name} in {venvs / name}", file=sys.stderr)
    pip = [str(python), "-m", "pip", "install", "-q"]
    subprocess.run([*pip, *VENV_PACKAGES[name]], check=True)  # noqa: S603
    check = _imports(python, VENV_IMPORTS[name])
    if check.returncode != 0:
        last = (check.stderr.strip().splitlines() or ["no output"])[-1]
        raise PeerSetupError(
            f"{name}: 'import {VENV_IMPORTS[name]}' fails in {venvs / name}: {last}"
        )
    return python


def package_version(python: Path | str, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    result = subprocess.run(  # noqa: S603 - our own one-liner
        [str(python), "-c", code], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "?"


@dataclass(frozen=True)
class Extracted:
    """One page a system stored as an article, in common terms."""

    url: str
    title: str | None
    published: str | None
    author: str | None
    text: str


@dataclass
class System:
    """How to run one system and read what it stored."""

    name: str
    commands: Callable[[Path], list[list[str]]]  # run directory -> commands
    read: Callable[[Path], list[Extracted]]  # run directory -> stored pages
    version: str = ""
    settings: str = ""
    cwd: Path | None = None


def _jsonl(path: Path) -> Iterator[dict[str, Any]]:
    if not path.exists():
        return
    with path.open(encoding="utf-8") as file:
        for line in file:
            if line.strip():
                yield json.loads(line)


def _names(value: Any) -> str | None:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or None
    return value or None


def read_newsarchive(run: Path) -> list[Extracted]:
    connection = sqlite3.connect(run / "archive.db")
    try:
        rows = connection.execute("select url, title, published, author, text from articles")
        return [Extracted(*row) for row in rows]
    finally:
        connection.close()


def read_trafilatura(run: Path) -> list[Extracted]:
    pages = []
    for path in sorted((run / "out").glob("**/*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        pages.append(
            Extracted(
                record.get("source") or record.get("url") or "",
                record.get("title"),
                record.get("date"),
                record.get("author"),
                record.get("text") or record.get("raw_text") or "",
            )
        )
    return pages


def read_newspaper4k(run: Path) -> list[Extracted]:
    return [
        Extracted(r["url"], r["title"], r["publish_date"], _names(r["authors"]), r["text"] or "")
        for r in _jsonl(run / "articles.jsonl")
    ]


def read_news_please(run: Path) -> list[Extracted]:
    return [
        Extracted(
            r["url"], r["title"], r["date_publish"], _names(r["authors"]), r["maintext"] or ""
        )
        for r in _jsonl(run / "articles.jsonl")
    ]


def build_systems(
    names: Sequence[str], venvs: Path, site: str, peer_site: str, workers: int, concurrency: int
) -> list[System]:
    """The systems to compare, their virtualenvs made ready."""
    return [_build_system(name, venvs, site, peer_site, workers, concurrency) for name in names]


def _build_system(
    name: str, venvs: Path, site: str, peer_site: str, workers: int, concurrency: int
) -> System:
    if name in ("newsarchive", "newsarchive-sitemap"):
        crawl = [sys.executable, "-m", "newsarchive", "crawl", "--start-url", site, "--delay", "0"]
        crawl += ["--site", PROFILE, "--workers", str(workers)]
        settings = f"`--delay 0 --workers {workers}` (32 requests at a time)"
        if name == "newsarchive-sitemap":  # the peers' discovery: the sitemap's URLs only
            crawl += ["--route", "sitemap"]
            settings += ", `--route sitemap`"
        return System(
            name,
            lambda run: [[*crawl, "--db", str(run / "archive.db")]],
            read_newsarchive,
            version=package_version(sys.executable, "newsarchive"),
            settings=settings,
            cwd=REPO,
        )
    if name == "trafilatura":
        python = ensure_venv(venvs, "trafilatura")
        config = venvs / "trafilatura-bench.cfg"
        write_trafilatura_config(python, config)
        cli = [str(python), str(PEERS / "trafilatura_cli.py")]
        options = ["--config-file", str(config), "--parallel", str(concurrency)]
        extract = ["--output-format", "json", "--with-metadata", *options]

        def trafilatura_commands(run: Path) -> list[list[str]]:
            urls = str(run / "urls.txt")
            return [
                [*cli, "--stdout-to", urls, "--sitemap", peer_site, "--list", *options],
                [*cli, "-i", urls, "-o", str(run / "out"), *extract],
            ]

        return System(
            name,
            trafilatura_commands,
            read_trafilatura,
            version=package_version(python, "trafilatura"),
            settings=f"`--parallel {concurrency}`, SLEEP_TIME 0, SSRF_PROTECTION off",
        )
    if name in ("newspaper4k", "newspaper4k-build"):
        python = ensure_venv(venvs, "newspaper4k")
        mode = "build" if name.endswith("build") else "sitemap"
        adapter = [str(python), str(PEERS / "newspaper4k_build.py"), mode, peer_site]
        return System(
            name,
            lambda run: [[*adapter, str(run / "articles.jsonl"), str(concurrency)]],
            read_newspaper4k,
            version=package_version(python, "newspaper4k"),
            settings=f"{concurrency} threads, "
            + ("sitemap URLs" if mode == "sitemap" else "`newspaper.build`"),
        )
    if name == "news-please":
        python = ensure_venv(venvs, "news-please")
        adapter = [str(python), str(PEERS / "news_please_crawl.py"), peer_site]
        return System(
            name,
            lambda run: [[*adapter, str(run), str(concurrency)]],
            read_news_please,
            version=package_version(python, "news-please"),
            settings=f"SitemapCrawler, {concurrency} requests at a time",
        )
    raise SystemExit(f"unknown system {name!r}")


def write_trafilatura_config(python: Path, target: Path) -> None:
    """trafilatura's settings.cfg with no wait between requests and loopback addresses allowed."""
    code = "import trafilatura, pathlib; print(pathlib.Path(trafilatura.__file__).parent)"
    package = subprocess.run(  # noqa: S603 - our own one-liner
        [str(python), "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    lines = []
    for line in Path(package, "settings.cfg").read_text(encoding="utf-8").splitlines():
        if line.startswith("SLEEP_TIME"):
            line = "SLEEP_TIME = 0"
        elif line.startswith("SSRF_PROTECTION"):
            line = "SSRF_PROTECTION = off"
        lines.append(line)
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


# --------------------------------------------------------------------------- quality


def _path(url: str) -> str:
    path = urlsplit(url).path or "/"
    return path if path.endswith("/") else path + "/"


def ground_truth(articles: int) -> dict[str, dict[str, Any]]:
    """The demo site's articles by URL path, with what a correct extraction gives."""
    from demosite import DemoSite

    site = DemoSite(articles=articles)
    truth = (site.ground_truth(index) for index in range(articles))
    return {_path(str(t["url_path"])): t for t in truth}


@dataclass
class Quality:
    """What a system stored, matched against the site's articles."""

    articles: int = 0  # distinct demo articles stored
    other_pages: int = 0  # stored pages that are no article of the site
    title: float = 0.0
    day: float = 0.0
    author: float = 0.0
    body_f1: float = 0.0


def score(pages: list[Extracted], truth: dict[str, dict[str, Any]]) -> Quality:
    from crawler.evaluate import token_scores

    seen: dict[str, Extracted] = {}
    other = 0
    for page in pages:
        path = _path(page.url)
        if path in truth:
            seen.setdefault(path, page)
        else:
            other += 1
    if not seen:
        return Quality(other_pages=other)
    titles = days = authors = 0
    f1 = 0.0
    for path, page in seen.items():
        expected = truth[path]
        titles += (page.title or "").strip() == expected["title"]
        days += (page.published or "")[:10] == str(expected["published"])[:10]
        authors += (page.author or "") == (expected["author"] or "")
        f1 += token_scores(page.text or "", str(expected["text"])).f1
    count = len(seen)
    return Quality(count, other, titles / count, days / count, authors / count, f1 / count)


# --------------------------------------------------------------------------- the limit


def _warm_up() -> None:
    import trafilatura  # noqa: F401

    import crawler.extract  # noqa: F401


def _timed(function: Callable[[bytes, str], Any], page: tuple[bytes, str]) -> float:
    """CPU seconds the worker spent on one page."""
    started = time.process_time()
    function(*page)
    return time.process_time() - started


def _bare_extract(html: bytes, url: str) -> Any:
    import trafilatura

    return trafilatura.extract(html, url=url)


def _bare_extraction(html: bytes, url: str) -> Any:
    import trafilatura

    return trafilatura.bare_extraction(html, url=url, with_metadata=True)


def _ours(html: bytes, url: str) -> Any:
    from crawler.extract import NotAnArticle, extract_article
    from crawler.workers import cached_profile

    try:
        return extract_article(html, url, profile=cached_profile(PROFILE))
    except NotAnArticle:
        return None


def _timed_bare_extract(page: tuple[bytes, str]) -> float:
    return _timed(_bare_extract, page)


def _timed_bare_extraction(page: tuple[bytes, str]) -> float:
    return _timed(_bare_extraction, page)


def _timed_ours(page: tuple[bytes, str]) -> float:
    return _timed(_ours, page)


LIMIT_FUNCTIONS: dict[str, Callable[[tuple[bytes, str]], float]] = {
    "trafilatura.extract": _timed_bare_extract,
    "trafilatura.bare_extraction(with_metadata=True)": _timed_bare_extraction,
    "newsarchive extract_article": _timed_ours,
}


def article_pages(articles: int, limit: int, theme: str = "plain") -> list[tuple[bytes, str]]:
    """The HTML of the site's first `limit` articles, as the server sends it."""
    from demosite import DemoSite

    site = DemoSite(articles=articles, theme=theme)
    host = "127.0.0.77"
    pages = []
    for index in range(min(articles, limit)):
        path = str(site.ground_truth(index)["url_path"])
        _, _, body = site.render(path, host)
        pages.append((body, f"http://{host}{path}"))
    return pages


def limit_rates(
    pages: list[tuple[bytes, str]], workers: int, runs: int
) -> dict[str, dict[str, list[float]]]:
    """Each bare extraction over the pages in `workers` processes, per run: pages per second
    ("rate") and CPU seconds per 1 000 pages summed over the workers ("cpu_per_1000")."""
    results: dict[str, dict[str, list[float]]] = {
        name: {"rate": [], "cpu_per_1000": []} for name in LIMIT_FUNCTIONS
    }
    context = multiprocessing.get_context("forkserver")
    with context.Pool(workers, initializer=_warm_up) as pool:
        for function in LIMIT_FUNCTIONS.values():  # untimed: load what loads lazily
            list(pool.imap_unordered(function, pages[: workers * 4], chunksize=1))
        for _ in range(runs):
            for name, function in LIMIT_FUNCTIONS.items():
                started = time.perf_counter()
                cpu = sum(pool.imap_unordered(function, pages, chunksize=8))
                results[name]["rate"].append(len(pages) / (time.perf_counter() - started))
                results[name]["cpu_per_1000"].append(cpu / len(pages) * 1000)
    return results


# --------------------------------------------------------------------------- runs and report


@dataclass
class Measurement:
    """One system, one run."""

    system: str
    wall_seconds: float
    cpu_seconds: float
    server_cpu_seconds: float
    peak_rss_bytes: int
    returncode: int
    quality: Quality = field(default_factory=Quality)

    @property
    def rate(self) -> float:
        return self.quality.articles / self.wall_seconds if self.wall_seconds else 0.0

    @property
    def cpu_per_1000(self) -> float:
        articles = self.quality.articles
        return self.cpu_seconds / articles * 1000 if articles else float("nan")


def measure_system(
    system: System,
    run_dir: Path,
    server: DemoSiteServer,
    truth: dict[str, dict[str, Any]],
    env: dict[str, str],
) -> Measurement:
    if run_dir.exists():
        shutil.rmtree(run_dir)
    run_dir.mkdir(parents=True)
    server_cpu = server.cpu_seconds()
    result = run_measured(
        system.commands(run_dir),
        keep={server.pid},
        cwd=system.cwd or run_dir,
        env=env,
        log=run_dir / "output.log",
    )
    server_cpu = server.cpu_seconds() - server_cpu
    measurement = Measurement(
        system.name,
        result.wall_seconds,
        result.cpu_seconds,
        server_cpu,
        result.peak_rss_bytes,
        result.returncode,
    )
    measurement.quality = score(system.read(run_dir), truth)
    return measurement


def _median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _thousands(number: int) -> str:
    return f"{number:,}".replace(",", " ")


def _percent(share: float) -> str:
    return f"{share * 100:.1f} %"


def report(
    articles: int,
    systems: list[System],
    measurements: list[Measurement],
    limits: dict[str, dict[str, list[float]]],
    limit_pages: int,
    info: dict[str, str],
    runs: int,
) -> str:
    by_system: dict[str, list[Measurement]] = {}
    for m in measurements:
        by_system.setdefault(m.system, []).append(m)
    ours = _median([m.rate for m in by_system.get("newsarchive", [])])
    lines = [
        f"### Demo site, {_thousands(articles)} articles, {info.get('theme', 'plain')} theme "
        f"({runs} runs per system, medians)",
        "",
        "| system | version | settings | articles stored | other pages stored | articles/s "
        "| vs newsarchive | CPU s / 1 000 articles | peak RSS (MiB) | server CPU s "
        "| title | day | author | body F1 |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
        "| ---: | ---: |",
    ]
    for system in systems:
        runs_of = by_system.get(system.name, [])
        if not runs_of:
            continue
        rate = _median([m.rate for m in runs_of])
        quality = runs_of[-1].quality
        failed = sum(m.returncode != 0 for m in runs_of)
        scores = (
            f"| {_percent(quality.title)} | {_percent(quality.day)} "
            f"| {_percent(quality.author)} | {quality.body_f1:.4f} |"
            if quality.articles
            else "| – | – | – | – |"
        )
        cpu = _median([m.cpu_per_1000 for m in runs_of])
        lines.append(
            f"| {system.name}{f' ({failed} runs exited non-zero)' if failed else ''} "
            f"| {system.version} | {system.settings} "
            f"| {_median([m.quality.articles for m in runs_of]):.0f} "
            f"| {_median([m.quality.other_pages for m in runs_of]):.0f} "
            f"| {rate:.1f} | {rate / ours:.2f} × "
            f"| {'–' if math.isnan(cpu) else f'{cpu:.0f}'} "
            f"| {max(m.peak_rss_bytes for m in runs_of) / 2**20:.0f} "
            f"| {_median([m.server_cpu_seconds for m in runs_of]):.1f} {scores}"
        )
    lines += [
        "",
        f"**The limit**: bare extraction of {_thousands(limit_pages)} of the site's article pages, "
        f"fetched beforehand, {info['cores']} worker processes (one per core), medians of {runs} "
        "runs; each newsarchive crawl's articles per second as a share of it:",
        "",
    ]
    ours_names = [
        s.name for s in systems if s.name.startswith("newsarchive") and s.name in by_system
    ]
    lines += [
        "| extraction alone | pages/s | CPU s / 1 000 pages | "
        + " | ".join(f"{name} / this" for name in ours_names)
        + " |",
        "| --- | ---: | ---: |" + " ---: |" * len(ours_names),
    ]
    for name, figures in limits.items():
        rate, cpu = _median(figures["rate"]), _median(figures["cpu_per_1000"])
        shares = " | ".join(
            _percent(_median([m.rate for m in by_system[ours]]) / rate) for ours in ours_names
        )
        lines.append(f"| {name} | {rate:.1f} | {cpu:.1f} | {shares} |")
    lines += [
        "",
        "Machine: "
        + ", ".join(f"{key} {value}" for key, value in info.items())
        + ". The machine is shared: absolute figures vary from run to run, ratios measured "
        "in the same run hold better.",
    ]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="demo site size (2000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per system (3)")
    parser.add_argument(
        "--systems",
        default="newsarchive,newsarchive-sitemap,trafilatura,newspaper4k,newspaper4k-build,"
        "news-please",
        help="comma-separated systems to run (default: all)",
    )
    parser.add_argument("--concurrency", type=int, default=32, help="requests/threads (32)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--limit-pages", type=int, default=2000, help="pages for the limit")
    parser.add_argument("--address", default="127.0.0.77", help="loopback address to serve on")
    parser.add_argument("--port", type=int, default=80)
    parser.add_argument("--venvs", type=Path, default=BENCH_DIR / "venvs", help="peer virtualenvs")
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "runs", help="run outputs")
    parser.add_argument("--markdown", type=Path, help="also write the tables to this file")
    parser.add_argument("--json", type=Path, help="write every measurement to this file")
    parser.add_argument(
        "--theme",
        choices=("plain", "full"),
        default="plain",
        help="demo site pages: plain (~13 KB) or full (a real theme's weight, ~75 KB)",
    )
    args = parser.parse_args(argv)
    if args.port < 1024 and os.geteuid() != 0:
        parser.error("port 80 needs root (some peers keep no port in a site's domain)")

    become_subreaper()
    info = machine()
    names = [name.strip() for name in args.systems.split(",") if name.strip()]
    env = {**os.environ, "BENCH_LOOPBACK_ADDRESS": args.address, "PYTHONWARNINGS": "ignore"}
    env["TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS"] = ""
    truth = ground_truth(args.articles)
    measurements: list[Measurement] = []
    with DemoSiteServer(args.articles, args.address, args.port, args.theme) as server:
        peer_site = server.url(PEER_HOST)
        try:
            systems = build_systems(
                names, args.venvs, server.url(), peer_site, args.workers, args.concurrency
            )
        except PeerSetupError as error:
            print(f"error: {error}", file=sys.stderr)
            return 2
        for round_number in range(1, args.runs + 1):
            for system in systems:
                run_dir = args.work / f"{args.articles}" / system.name
                m = measure_system(system, run_dir, server, truth, env)
                measurements.append(m)
                print(
                    f"run {round_number}/{args.runs} {system.name}: {m.quality.articles} "
                    f"articles in {m.wall_seconds:.1f} s ({m.rate:.1f}/s), CPU "
                    f"{m.cpu_seconds:.1f} s, peak RSS {m.peak_rss_bytes / 2**20:.0f} MiB, "
                    f"server CPU {m.server_cpu_seconds:.1f} s, exit {m.returncode}",
                    file=sys.stderr,
                    flush=True,
                )
    pages = article_pages(args.articles, args.limit_pages, args.theme)
    limits = limit_rates(pages, args.workers, args.runs)
    info["theme"] = args.theme
    table = report(args.articles, systems, measurements, limits, len(pages), info, args.runs)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    if args.json:
        data = {
            "articles": args.articles,
            "machine": info,
            "versions": {s.name: s.version for s in systems},
            "runs": [{**asdict(m), "rate": m.rate} for m in measurements],
            "limits": limits,
        }
        args.json.write_text(json.dumps(data, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    raise SystemExit(main())
