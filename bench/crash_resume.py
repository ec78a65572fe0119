"""Crash and resume: kill -9 a crawl at a random moment, check the archive, resume, compare.

    python bench/crash_resume.py --runs 20 --articles 300

Serves the demo site, crawls it once uninterrupted (the reference), then for each run: starts
`newsarchive crawl` into a fresh archive, kills its whole process group with SIGKILL at a random
moment (once the archive holds a random number of committed articles, 0 to 90 % of the site),
checks SQLite's integrity, the full-text indexes, the lock and the WARC files (each valid, or
truncated and reported by `verify`), resumes with a second crawl and compares the archive with
the reference: no duplicate, no lost article, one version per article, every article's WARC
pointer readable. Exit status 1 when any run fails a check.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from archive.lock import ArchiveLocked, check_unlocked  # noqa: E402
from archive.warcs import default_warc_dir, read_capture, verify_warc_file, warc_files  # noqa: E402
from demosite import DemoSite, serve_demo_site  # noqa: E402

PROFILE = "antwerpspersbureau"


def crawl_command(db: Path, url: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "newsarchive",
        "crawl",
        "--db",
        str(db),
        "--start-url",
        url,
        "--site",
        PROFILE,
        "--delay",
        "0",
        "--workers",
        "2",
        # small batches: a short crawl writes many times, so kills land mid-write too
        "--set",
        "NEWSARCHIVE_BATCH_SIZE=10",
    ]


def run_crawl(db: Path, url: str) -> None:
    result = subprocess.run(  # noqa: S603 - our own command line, no user input
        crawl_command(db, url), cwd=REPO, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise RuntimeError(f"crawl failed ({result.returncode}): {result.stderr[-2000:]}")


def kill_crawl(db: Path, url: str, after_articles: int, deadline: float = 600) -> bool:
    """Start a crawl and SIGKILL its process group once the archive holds `after_articles`
    committed articles (0: as soon as the crawl has opened the archive); False if it ended
    first. Driven by what the archive shows, not by the clock, so a busy machine only slows
    the trial down."""
    process = subprocess.Popen(  # noqa: S603 - our own command line, no user input
        crawl_command(db, url),
        cwd=REPO,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    give_up = time.monotonic() + deadline  # a safety net only: a hung crawl is killed too
    while process.poll() is None:
        stored = committed_articles(db)
        if (stored is not None and stored >= after_articles) or time.monotonic() > give_up:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
            wait_for_group_to_die(process.pid)
            return True
        time.sleep(0.01)
    return False


def committed_articles(db: Path) -> int | None:
    """Articles committed to the archive, or None while it has no articles table yet."""
    if not db.exists():
        return None
    try:
        conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=1)
        try:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def wait_for_group_to_die(group: int, timeout: float = 30) -> None:
    """Wait until every process of the group (the crawl's child, its workers) is gone."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise RuntimeError(f"processes of group {group} survived SIGKILL")


def articles(db: Path) -> dict[str, str]:
    conn = sqlite3.connect(db)
    try:
        return dict(conn.execute("SELECT url, content_hash FROM articles").fetchall())
    finally:
        conn.close()


@dataclass
class Trial:
    """The outcome of one kill-and-resume run."""

    kill_at_articles: int
    killed: bool = False
    stored_when_killed: int = 0
    truncated_warcs: int = 0
    problems: list[str] = field(default_factory=list)


def check_killed_archive(db: Path, trial: Trial) -> None:
    """The state right after the kill: database whole, lock free, WARCs valid or truncated."""
    if db.exists():
        conn = sqlite3.connect(db)
        try:
            result = conn.execute("PRAGMA integrity_check").fetchone()[0]
            if result != "ok":
                trial.problems.append(f"integrity_check after kill: {result}")
            tables = [
                name
                for (name,) in conn.execute(
                    "SELECT name FROM sqlite_master WHERE sql LIKE 'CREATE VIRTUAL TABLE%fts5%'"
                )
            ]
            for table in tables:
                try:
                    conn.execute(f"INSERT INTO [{table}]([{table}]) VALUES ('integrity-check')")
                except sqlite3.DatabaseError as error:
                    trial.problems.append(f"{table} after kill: {error}")
            trial.stored_when_killed = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        except sqlite3.OperationalError:
            pass  # killed before the schema was created
        finally:
            conn.close()
    try:
        check_unlocked(db)
    except ArchiveLocked as error:
        trial.problems.append(f"lock still held after kill: {error}")
    for path in warc_files(default_warc_dir(db)):
        problems = verify_warc_file(path)
        if not problems:
            continue
        if all("truncated" in problem or "unreadable after" in problem for problem in problems):
            trial.truncated_warcs += 1
        else:
            trial.problems += problems


def check_resumed_archive(db: Path, reference: dict[str, str], trial: Trial) -> None:
    """After the resume: the same articles as an uninterrupted crawl, once each."""
    stored = articles(db)
    lost = set(reference) - set(stored)
    extra = set(stored) - set(reference)
    if lost:
        trial.problems.append(f"{len(lost)} article(s) lost, e.g. {sorted(lost)[0]}")
    if extra:
        trial.problems.append(f"{len(extra)} unexpected article(s), e.g. {sorted(extra)[0]}")
    changed = [url for url in set(stored) & set(reference) if stored[url] != reference[url]]
    if changed:
        trial.problems.append(f"{len(changed)} article(s) differ from the reference")
    conn = sqlite3.connect(db)
    try:
        duplicates = conn.execute("SELECT count(*) - count(DISTINCT url) FROM articles").fetchone()[
            0
        ]
        versions = conn.execute(
            "SELECT count(*) FROM (SELECT article_id FROM article_versions "
            "GROUP BY article_id HAVING count(*) > 1)"
        ).fetchone()[0]
        pointers = conn.execute(
            "SELECT url, warc_file, warc_offset, warc_record_id FROM articles"
        ).fetchall()
        running = conn.execute("SELECT count(*) FROM crawls WHERE status = 'running'").fetchone()
    finally:
        conn.close()
    if duplicates:
        trial.problems.append(f"{duplicates} duplicate URL(s)")
    if versions:
        trial.problems.append(f"{versions} article(s) with more than one version")
    if running[0]:
        trial.problems.append("a crawl is still marked running")
    folder = default_warc_dir(db)
    for url, file, offset, record_id in pointers:
        if not file:
            trial.problems.append(f"{url}: no WARC pointer")
            continue
        if read_capture(folder, file, offset).record_id != record_id:
            trial.problems.append(f"{url}: WARC pointer leads elsewhere")


def run_trials(
    runs: int, articles_count: int = 150, seed: int = 1, workdir: Path | None = None
) -> list[Trial]:
    """Kill-and-resume `runs` times; each Trial lists its problems (none: it passed)."""
    rng = random.Random(seed)  # noqa: S311 - reproducible kill times, not security
    workdir = Path(workdir or tempfile.mkdtemp(prefix="crash-resume-"))
    with serve_demo_site(DemoSite(articles=articles_count)) as site:
        url = f"{site.url}/"
        reference_db = workdir / "reference.db"
        run_crawl(reference_db, url)
        reference = articles(reference_db)
        trials = []
        for run in range(runs):
            db = workdir / f"run-{run:03d}" / "archive.db"
            db.parent.mkdir(parents=True)
            trial = Trial(kill_at_articles=rng.randint(0, int(len(reference) * 0.9)))
            trial.killed = kill_crawl(db, url, trial.kill_at_articles)
            check_killed_archive(db, trial)
            run_crawl(db, url)
            check_resumed_archive(db, reference, trial)
            trials.append(trial)
    return trials


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="keep the archives here (default: temp)")
    args = parser.parse_args(argv)
    trials = run_trials(args.runs, args.articles, args.seed, args.workdir)
    failed = 0
    for number, trial in enumerate(trials, 1):
        state = "FAIL" if trial.problems else "ok"
        failed += bool(trial.problems)
        print(
            f"run {number:3d}: killed={trial.killed!s:5} at {trial.kill_at_articles:4d} articles, "
            f"{trial.stored_when_killed:4d} articles stored, "
            f"{trial.truncated_warcs} truncated WARC(s): {state}"
        )
        for problem in trial.problems:
            print(f"          {problem}")
    killed = sum(trial.killed for trial in trials)
    print(f"{len(trials)} runs ({killed} killed mid-crawl), {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
