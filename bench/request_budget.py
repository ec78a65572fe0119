"""Requests a crawl costs, counted at the server: first crawls and re-crawls.

    python bench/request_budget.py                          # every case, 1 000 articles
    python bench/request_budget.py --articles 1000 20000 --json /tmp/budget.json
    python bench/request_budget.py --cases demo baldr --quick

On the real site each request costs about 1.5 s (the politeness delay), so a crawl's duration
is its number of requests. This script serves sites on 127.0.0.1, runs `newsarchive crawl` against
them as a user would (a child process: `python -m newsarchive crawl --db DB --delay 0 --workers 2
--start-url URL`, with `--site antwerpspersbureau` for the demo site) and classifies every request
the server answered, from the server's side:

* robots (robots.txt, whatever the answer), sitemap, feed, listing (home, category, tag,
  author, date archive and their pagination), article (a page that is an article), other;
* revisit: a request carrying If-None-Match or If-Modified-Since (counted apart, whatever it
  asked for; the answer, 304 or 200, is kept in the JSON);
* redirect (a 3xx answer), error (a 4xx or 5xx answer).

Cases (`--cases`):

* demo, demo-no-sitemap, demo-no-feed, demo-no-slash, demo-full-theme: the demo site (default,
  `sitemap=False`, `feed=False`, `trailing_slash_links=False`, `theme="full"`) at each
  `--articles` size N, crawled three times into one archive: "first" (a site of N + 10 articles
  whose newest 10 are held back), "+10 new" (the same site with those 10 published, at the same
  address) and "unchanged" (the same site again);
* baldr: the static export of a real WordPress site (../shared/realdata/sites/baldr); hugo,
  jekyll: static sites laid out as those generators build them (tests/sites/hugo, tests/sites/
  jekyll). Each is crawled "first" and "unchanged". The folder is served by the request handler
  of ../shared/tools/serve_site.py (imported, so that each answer's status and the request's
  validators are logged); a missing folder is skipped with a note.

For each run: requests by kind, articles stored new (the crawl ledger's `articles_new`), requests
per new article, and the real-site estimate at 1.5 s a request: hours for a first crawl of
40 000 articles (requests per new article x 40 000 x 1.5 s), minutes for a daily re-crawl
(requests x 1.5 s). Re-crawls run seconds after the previous crawl, and the demo site's newest
articles date from November 2025, so age-based revisits are rare here.
Prints a Markdown table; `--json FILE` writes every run with its details. `--quick` crawls
200-article demo sites (unless `--articles` is given). `--repo DIR` runs the crawler of another
checkout (same virtualenv) to compare versions. Not part of the test run; outputs go to
$TMPDIR/newsarchive-bench/request-budget/ (`--keep` keeps each run's archive, crawl log and
requests-N.tsv, every request with its kind, status and validators). On 2 shared cores: every
case at 1 000 articles, 3 minutes; a demo case at 20 000 articles, 3.5 minutes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.costs import REQUEST_KINDS  # noqa: E402
from demosite import DemoSite, serve_demo_site  # noqa: E402
from demosite.server import LoggedRequest  # noqa: E402

SHARED = REPO.parent / "shared"
SERVE_SITE = SHARED / "tools" / "serve_site.py"
BENCH_DIR = Path(tempfile.gettempdir()) / "newsarchive-bench" / "request-budget"
PROFILE = "antwerpspersbureau"
HELD_BACK = 10
REAL_SITE_ARTICLES = 40_000
SECONDS_PER_REQUEST = 1.5
QUICK_ARTICLES = 200
# The crawler's own kinds, and "other" for what the server cannot place (a static page).
KINDS = (*REQUEST_KINDS, "other")
DEMO_VARIANTS: dict[str, dict[str, object]] = {
    "demo": {},
    "demo-no-sitemap": {"sitemap": False},
    "demo-no-feed": {"feed": False},
    "demo-no-slash": {"trailing_slash_links": False},
    "demo-full-theme": {"theme": "full"},
}
STATIC_SITES: dict[str, Path] = {
    "baldr": SHARED / "realdata" / "sites" / "baldr",
    "hugo": REPO / "tests" / "sites" / "hugo",
    "jekyll": REPO / "tests" / "sites" / "jekyll",
}
CASES = (*DEMO_VARIANTS, *STATIC_SITES)
LEDGER_COLUMNS = (
    "status",
    "pages_fetched",
    "articles_new",
    "articles_updated",
    "articles_unchanged",
    "articles_failed",
    "not_modified",
    "skipped_unchanged",
    "errors",
    "requests",
)


# --------------------------------------------------------------------------- classification

_DEMO_SITEMAP = re.compile(r"/wp-sitemap(?:-[a-z_-]+-\d+)?\.xml")
_DEMO_LISTING = re.compile(
    r"/(?:page/\d+/"
    r"|(?:category|tag|author)/[^/]+/(?:page/\d+/)?"
    r"|\d{4}/(?:\d{2}/(?:\d{2}/)?)?(?:page/\d+/)?)?"
)
_LISTING = re.compile(
    r"/"
    r"|(?:.*/)?page/\d+/?"
    r"|/(?:category|categories|tag|tags|author|authors|archives?|topics?)(?:/.*)?"
    r"|/\d{4}/(?:\d{1,2}/(?:\d{1,2}/)?)?",
    re.IGNORECASE,
)
_FEED = re.compile(
    r"(?:.*/)?(?:feed|rss|atom)/?|.*\.(?:rss|atom)|(?:.*/)?(?:index|feed|atom|rss)\.xml",
    re.IGNORECASE,
)


def demo_path_kind(site: DemoSite, target: str) -> str:
    """What a request to the demo site asked for, by its routes."""
    path = urlsplit(target).path or "/"
    if path == "/robots.txt":
        return "robots"
    if _DEMO_SITEMAP.fullmatch(path):
        return "sitemap"
    if path.rstrip("/").endswith("/feed"):
        return "feed"
    if _DEMO_LISTING.fullmatch(path):
        return "listing"
    slug = path.strip("/")
    if slug and "/" not in slug and site.index_of_slug(slug) is not None:
        return "article"
    return "other"


def static_path_kind(target: str, article_paths: set[str], section_paths: set[str]) -> str:
    """What a request to a static site asked for: article paths are those the archive stored."""
    path = urlsplit(target).path or "/"
    lower = path.lower()
    if lower == "/robots.txt":
        return "robots"
    if "sitemap" in lower and lower.endswith((".xml", ".xml.gz", ".txt")):
        return "sitemap"
    if _FEED.fullmatch(path):
        return "feed"
    if path in article_paths or path.rstrip("/") + "/" in article_paths:
        return "article"
    if _LISTING.fullmatch(path) or path in section_paths:
        return "listing"
    return "other"


def sections(article_paths: set[str]) -> set[str]:
    """Folders holding at least two stored articles (e.g. Hugo's /posts/): section listings."""
    counts: Counter[str] = Counter()
    for path in article_paths:
        parts = path.strip("/").split("/")
        for depth in range(1, len(parts)):
            counts["/" + "/".join(parts[:depth]) + "/"] += 1
    return {folder for folder, count in counts.items() if count >= 2}


def request_kind(request: LoggedRequest, path_kind: str) -> str:
    """The kind a request is counted as: validators first, then the answer, then the target.

    robots.txt counts as robots whatever the answer: a crawl asks for it once in any case.
    """
    if path_kind == "robots":
        return "robots"
    if request.conditional:
        return "revisit"
    if 300 <= request.status < 400:
        return "redirect"
    if request.status >= 400 or request.status == 0:
        return "error"
    return path_kind


# --------------------------------------------------------------------------- servers


class StaticServer:
    """A folder served in a thread by serve_site.py's own request handler, every answer logged."""

    def __init__(self, folder: Path) -> None:
        spec = importlib.util.spec_from_file_location("serve_site", SERVE_SITE)
        if spec is None or spec.loader is None:
            raise RuntimeError(f"cannot load {SERVE_SITE}")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        base = module.make_handler(folder.resolve(), [], None, 0.0, None)
        log: list[LoggedRequest] = []
        lock = threading.Lock()

        class LoggedHandler(base):  # type: ignore[misc, valid-type]
            answered = 0

            def send_response(self, code: int, message: str | None = None) -> None:
                self.answered = code
                super().send_response(code, message)

            def do_GET(self, head: bool = False) -> None:
                self.answered = 0
                try:
                    super().do_GET(head)
                finally:
                    entry = LoggedRequest(
                        method=self.command,
                        path=self.path,
                        status=self.answered,
                        if_none_match=self.headers.get("If-None-Match"),
                        if_modified_since=self.headers.get("If-Modified-Since"),
                    )
                    with lock:
                        log.append(entry)

        self.request_details = log
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), LoggedHandler)
        self._httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._httpd.server_address[1]}"
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True
        )
        self._thread.start()

    def close(self) -> None:
        """Stop serving and release the port."""
        self._httpd.shutdown()
        self._thread.join()
        self._httpd.server_close()


# --------------------------------------------------------------------------- crawling


@dataclass
class Run:
    """One crawl, as the server saw it and as the archive recorded it."""

    case: str
    articles: int | None  # the site's size; None for the static sites
    run: str  # "first", "+10 new", "unchanged"
    returncode: int
    seconds: float
    requests: int = 0
    by_kind: dict[str, int] = field(default_factory=dict)
    revisits: dict[str, int] = field(default_factory=dict)  # answer (304, 200, ...) -> count
    revisits_by_target: dict[str, int] = field(default_factory=dict)
    # "what was asked for, status" -> count, e.g. "sitemap 404" for a probed sitemap
    by_target_and_status: dict[str, int] = field(default_factory=dict)
    ledger: dict[str, object] = field(default_factory=dict)
    note: str = ""

    @property
    def articles_new(self) -> int:
        value = self.ledger.get("articles_new")
        return int(value) if isinstance(value, int) else 0

    @property
    def per_new_article(self) -> float | None:
        return self.requests / self.articles_new if self.articles_new else None

    def estimate(self) -> dict[str, float | None]:
        """The real site at 1.5 s a request: first crawl of 40 000 articles, daily re-crawl."""
        if self.run == "first":
            per = self.per_new_article
            hours = per * REAL_SITE_ARTICLES * SECONDS_PER_REQUEST / 3600 if per else None
            return {"first_crawl_hours": hours}
        return {"recrawl_minutes": self.requests * SECONDS_PER_REQUEST / 60}

    def as_json(self) -> dict[str, object]:
        return {
            "case": self.case,
            "articles": self.articles,
            "run": self.run,
            "returncode": self.returncode,
            "seconds": round(self.seconds, 1),
            "requests": self.requests,
            "by_kind": self.by_kind,
            "revisits": self.revisits,
            "revisits_by_target": self.revisits_by_target,
            "by_target_and_status": self.by_target_and_status,
            "articles_new": self.articles_new,
            "requests_per_new_article": self.per_new_article,
            "ledger": self.ledger,
            "estimate": self.estimate(),
            "note": self.note,
        }


def crawl_timeout(articles: int, override: float | None) -> float:
    """Generous: a crawl of the demo site runs at tens of articles a second."""
    return override if override is not None else 900 + 0.3 * articles


def run_crawl(
    db: Path, url: str, *, profile: str | None, repo: Path, timeout: float, log_file: Path
) -> tuple[int, float, str]:
    """`newsarchive crawl` at full speed into db; (exit status, seconds, last line of output)."""
    command = [sys.executable, "-m", "newsarchive", "crawl", "--db", str(db), "--delay", "0"]
    command += ["--workers", "2", "--start-url", url]
    if profile:
        command += ["--site", profile]
    started = time.monotonic()
    with log_file.open("w") as output:
        # A session of its own, so that a crawl past its time limit goes with all its workers.
        process = subprocess.Popen(  # noqa: S603 - our own command line
            command, cwd=repo, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            returncode = process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            returncode = -9
        except BaseException:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            raise
    seconds = time.monotonic() - started
    lines = log_file.read_text(errors="replace").strip().splitlines()
    tail = lines[-1][:300] if lines else ""
    if returncode == -9:
        tail = f"killed after {timeout:.0f} s"
    return returncode, seconds, tail


def read_ledger(db: Path) -> dict[str, object]:
    """The last row of the archive's crawl ledger (the columns this script reports)."""
    if not db.exists():
        return {}
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        columns = {row[1] for row in connection.execute("PRAGMA table_info(crawls)")}
        wanted = [column for column in LEDGER_COLUMNS if column in columns]
        if not wanted:
            return {}
        row = connection.execute(
            f"SELECT {', '.join(wanted)} FROM crawls ORDER BY id DESC LIMIT 1"
        ).fetchone()
        return dict(zip(wanted, row, strict=True)) if row else {}
    finally:
        connection.close()


def stored_paths(db: Path) -> set[str]:
    """URL paths of the articles in an archive."""
    if not db.exists():
        return set()
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return {urlsplit(url).path for (url,) in connection.execute("SELECT url FROM articles")}
    finally:
        connection.close()


def tally(
    run: Run, requests: list[LoggedRequest], path_kind: Callable[[str], str], listing: Path
) -> None:
    """Count a run's requests by kind, its revisits by answer and by target; list them all."""
    by_kind: Counter[str] = Counter()
    answers: Counter[str] = Counter()
    targets: Counter[str] = Counter()
    answered: Counter[str] = Counter()
    with listing.open("w") as out:
        out.write("kind\ttarget\tstatus\tmethod\tif-none-match\tif-modified-since\tpath\n")
        for request in requests:
            target = path_kind(request.path)
            kind = request_kind(request, target)
            by_kind[kind] += 1
            answered[f"{target} {request.status}"] += 1
            if kind == "revisit":
                answers[str(request.status)] += 1
                targets[target] += 1
            out.write(
                f"{kind}\t{target}\t{request.status}\t{request.method}\t"
                f"{request.if_none_match or ''}\t{request.if_modified_since or ''}\t"
                f"{request.path}\n"
            )
    run.requests = len(requests)
    run.by_kind = {kind: by_kind[kind] for kind in KINDS}
    run.revisits = dict(sorted(answers.items()))
    run.revisits_by_target = dict(sorted(targets.items()))
    run.by_target_and_status = dict(sorted(answered.items()))


@contextmanager
def fresh_folder(path: Path, *, keep: bool) -> Iterator[Path]:
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    try:
        yield path
    finally:
        if not keep:
            shutil.rmtree(path, ignore_errors=True)


def report_progress(run: Run) -> None:
    size = f" {run.articles}" if run.articles is not None else ""
    print(
        f"  {run.case}{size} {run.run}: {run.requests} requests, {run.articles_new} new, "
        f"exit {run.returncode}, {run.seconds:.0f} s{' - ' + run.note if run.note else ''}",
        file=sys.stderr,
        flush=True,
    )


def demo_case(
    case: str, articles: int, *, repo: Path, workdir: Path, timeout: float | None, keep: bool
) -> list[Run]:
    """First crawl with the newest 10 held back, re-crawl after they appear, re-crawl again."""
    options = DEMO_VARIANTS[case]
    total = articles + HELD_BACK
    held = DemoSite(total, hold_back=HELD_BACK, **options)  # type: ignore[arg-type]
    full = DemoSite(total, **options)  # type: ignore[arg-type]
    runs = []
    with (
        fresh_folder(workdir / f"{case}-{articles}", keep=keep) as folder,
        serve_demo_site(held, log_requests=True) as server,
    ):
        db = folder / "archive.db"
        for name, site in (("first", held), (f"+{HELD_BACK} new", full), ("unchanged", full)):
            server.swap_site(site)
            start = len(server.request_details)
            returncode, seconds, tail = run_crawl(
                db,
                f"{server.url}/",
                profile=PROFILE,
                repo=repo,
                timeout=crawl_timeout(total, timeout),
                log_file=folder / f"crawl-{len(runs) + 1}.log",
            )
            run = Run(case, articles, name, returncode, seconds, ledger=read_ledger(db))
            run.note = "" if returncode == 0 else tail
            tally(
                run,
                server.request_details[start:],
                lambda path, s=site: demo_path_kind(s, path),
                folder / f"requests-{len(runs) + 1}.tsv",
            )
            report_progress(run)
            runs.append(run)
    return runs


def static_case(
    case: str, *, repo: Path, workdir: Path, timeout: float | None, keep: bool
) -> list[Run]:
    """First crawl of a static site, then a re-crawl of the unchanged site."""
    folder_served = STATIC_SITES[case]
    runs = []
    server = StaticServer(folder_served)
    try:
        with fresh_folder(workdir / case, keep=keep) as folder:
            db = folder / "archive.db"
            for name in ("first", "unchanged"):
                start = len(server.request_details)
                returncode, seconds, tail = run_crawl(
                    db,
                    f"{server.url}/",
                    profile=None,
                    repo=repo,
                    timeout=crawl_timeout(1000, timeout),
                    log_file=folder / f"crawl-{len(runs) + 1}.log",
                )
                run = Run(case, None, name, returncode, seconds, ledger=read_ledger(db))
                run.note = "" if returncode == 0 else tail
                articles = stored_paths(db)
                folders = sections(articles)
                tally(
                    run,
                    server.request_details[start:],
                    lambda path, a=articles, f=folders: static_path_kind(path, a, f),
                    folder / f"requests-{len(runs) + 1}.tsv",
                )
                report_progress(run)
                runs.append(run)
    finally:
        server.close()
    return runs


# --------------------------------------------------------------------------- output


def _estimate_text(run: Run) -> str:
    estimate = run.estimate()
    hours = estimate.get("first_crawl_hours")
    if run.run == "first":
        return f"{hours:.1f} h" if hours is not None else "–"
    return f"{estimate['recrawl_minutes']:.1f} min"


def markdown(runs: list[Run]) -> str:
    """One row per crawl: requests by kind, new articles, requests per new article, estimate."""
    header = (
        "| case | articles | crawl | requests | robots | sitemap | feed | listing | article "
        "| revisit (304) | redirect | error | other | new | req./new | real site |"
    )
    lines = [header, "|" + " --- |" * 3 + " ---: |" * 13]
    for run in runs:
        kinds = run.by_kind
        not_modified = run.revisits.get("304", 0)
        per = run.per_new_article
        size = f"{run.articles:,}".replace(",", " ") if run.articles is not None else "–"
        cells = [
            run.case,
            size,
            run.run + ("" if run.returncode == 0 else f" (exit {run.returncode})"),
            str(run.requests),
            *(str(kinds.get(kind, 0)) for kind in KINDS[:5]),
            f"{kinds.get('revisit', 0)} ({not_modified})",
            *(str(kinds.get(kind, 0)) for kind in KINDS[6:]),
            str(run.articles_new),
            f"{per:.2f}" if per is not None else "–",
            _estimate_text(run),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def git_state(repo: Path) -> dict[str, str]:
    """Commit of the measured checkout, and how many files differ from it."""

    def git(*args: str) -> str:
        result = subprocess.run(  # noqa: S603 - read-only git commands
            ["git", *args],  # noqa: S607
            cwd=repo,
            capture_output=True,
            text=True,
            check=False,
        )
        return result.stdout.strip()

    changed = [line for line in git("status", "--porcelain").splitlines() if line.strip()]
    return {"commit": git("rev-parse", "HEAD"), "changed_files": str(len(changed))}


def machine() -> dict[str, str]:
    return {
        "cores": str(os.cpu_count()),
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
        "load average": " ".join(f"{value:.2f}" for value in os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--articles", type=int, nargs="+", help="demo site sizes (default 1000; --quick: 200)"
    )
    parser.add_argument(
        "--cases",
        nargs="+",
        choices=CASES,
        default=list(CASES),
        metavar="NAME",
        help=f"cases to run (default: all): {', '.join(CASES)}",
    )
    parser.add_argument("--quick", action="store_true", help="200-article demo sites")
    parser.add_argument("--json", type=Path, help="write every run's details here")
    parser.add_argument(
        "--repo", type=Path, default=REPO, help="checkout whose crawler runs (default: this one)"
    )
    parser.add_argument("--timeout", type=float, help="seconds a crawl may take (default: by size)")
    parser.add_argument("--workdir", type=Path, default=BENCH_DIR, help="where archives go")
    parser.add_argument("--keep", action="store_true", help="keep the archives, WARCs and logs")
    args = parser.parse_args(argv)
    sizes = args.articles or [QUICK_ARTICLES if args.quick else 1000]
    if any(size < 1 for size in sizes):
        parser.error("--articles must be 1 or more")
    started = datetime.now(UTC)
    runs: list[Run] = []
    notes: list[str] = []
    for case in args.cases:
        if case in DEMO_VARIANTS:
            for size in sizes:
                print(f"{case}, {size} articles", file=sys.stderr, flush=True)
                runs += demo_case(
                    case,
                    size,
                    repo=args.repo,
                    workdir=args.workdir,
                    timeout=args.timeout,
                    keep=args.keep,
                )
            continue
        folder = STATIC_SITES[case]
        if not folder.is_dir():
            note = f"{case}: skipped, {folder} does not exist"
            print(note, file=sys.stderr, flush=True)
            notes.append(note)
            continue
        print(f"{case}, {folder}", file=sys.stderr, flush=True)
        runs += static_case(
            case, repo=args.repo, workdir=args.workdir, timeout=args.timeout, keep=args.keep
        )
    print(markdown(runs))
    print()
    real_size = f"{REAL_SITE_ARTICLES:,}".replace(",", " ")
    print(
        f"real site: {SECONDS_PER_REQUEST} s a request; a first crawl of {real_size} articles "
        f"(requests per new article x {real_size}), a re-crawl's requests as a daily re-crawl."
    )
    for run in runs:
        claimed = run.ledger.get("requests")
        if isinstance(claimed, int) and claimed != run.requests:
            print(
                f"- {run.case} {run.articles or ''} {run.run}: the crawler counted {claimed} "
                f"requests, the server {run.requests}"
            )
        if run.note:
            print(f"- {run.case} {run.articles or ''} {run.run}: {run.note}")
    for note in notes:
        print(f"- {note}")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "started": started.isoformat(timespec="seconds"),
                    "command": [sys.argv[0], *(argv if argv is not None else sys.argv[1:])],
                    "machine": machine(),
                    "checkout": {"path": str(args.repo.resolve()), **git_state(args.repo)},
                    "held_back": HELD_BACK,
                    "seconds_per_request": SECONDS_PER_REQUEST,
                    "real_site_articles": REAL_SITE_ARTICLES,
                    "runs": [run.as_json() for run in runs],
                    "notes": notes,
                },
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    return 0 if all(run.returncode == 0 for run in runs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
