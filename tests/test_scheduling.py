"""Scheduled runs: one crawl per archive at a time, a log file, a ledger that warns."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from sqlite_utils import Database

from archive.db import migrate, save_articles, start_crawl
from archive.lock import EX_TEMPFAIL, ArchiveLock, ArchiveLocked, check_unlocked
from archive.quality import field_drift_warnings
from demosite import DemoSite, serve_demo_site
from tests.conftest import REPO, crawl_demo, last_crawl, run_newsarchive

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_lock_is_exclusive_across_processes_and_reentrant_within_one(tmp_path):
    db = tmp_path / "archive.db"
    with ArchiveLock(db):
        with ArchiveLock(db):  # the crawl runner, then its extension: same process
            pass
        other = subprocess.run(
            [
                sys.executable,
                "-c",
                f"from archive.lock import check_unlocked; check_unlocked({str(db)!r})",
            ],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
        )
        assert other.returncode != 0
        assert "archive is busy" in other.stderr
    check_unlocked(db)  # released


def test_lock_dies_with_its_process(tmp_path):
    db = tmp_path / "archive.db"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import sys, archive.lock as lock; lock.ArchiveLock({str(db)!r}).acquire();"
            " print('held', flush=True); sys.stdin.read()",  # holds it until killed
        ],
        cwd=REPO,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(ArchiveLocked):
            check_unlocked(db)
    finally:
        holder.kill()
        holder.wait()
        holder.stdin.close()
        holder.stdout.close()
    check_unlocked(db)  # no stale lock after kill -9


def test_overlapping_crawl_exits_at_once_with_status_75(tmp_path):
    """ "At once": before the crawl opened the archive or sent a single request (what it did,
    not how long it took, which a busy machine stretches)."""
    db = tmp_path / "archive.db"
    with (
        serve_demo_site(DemoSite(20), log_requests=True) as site,
        ArchiveLock(db, purpose="crawl"),
    ):
        result = crawl_demo(db, f"{site.url}/")
    assert result.returncode == EX_TEMPFAIL
    assert "archive is busy" in result.stderr
    assert site.request_log == []
    assert not db.exists() or Database(db).execute("SELECT count(*) FROM crawls").fetchone()[0] == 0


def test_scheduled_crawl_logs_to_a_file_and_fills_the_ledger(tmp_path, demo_site):
    db = tmp_path / "archive.db"
    log = tmp_path / "crawl.log"
    result = crawl_demo(
        db, f"{demo_site.url}/", extra=("--trigger", "scheduled", "--log-file", str(log))
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Spider closed (finished)" in log.read_text()
    crawl = last_crawl(db)
    assert crawl["trigger"] == "scheduled"
    assert crawl["bytes"] > 0
    assert crawl["robots_denied"] == 0
    assert crawl["warc_records"] > crawl["pages_fetched"]
    assert crawl["warc_bytes"] > 0
    assert json.loads(crawl["warc_files"])
    assert crawl["cdxj_index"].endswith("crawl-00001.cdxj")
    assert crawl["warnings"] is None


def article(n: int, *, author: str | None, published: str | None) -> dict:
    return {
        "url": f"https://www.example.be/artikel-{n}/",
        "title": f"Artikel {n}",
        "text": f"Tekst van artikel {n}.",
        "author": author,
        "published": published,
        "place": "Mechelen",
        "description": "Korte samenvatting.",
    }


def test_sudden_drop_of_a_field_is_a_warning():
    db = Database(memory=True)
    migrate(db)
    save_articles(
        db, [article(n, author="Jan Peeters", published="2025-01-01") for n in range(100)]
    )
    db.execute("UPDATE articles SET first_seen = '2025-01-01T00:00:00+00:00'")
    db.execute("UPDATE article_versions SET captured_at = '2025-01-01T00:00:00+00:00'")
    since = "2025-06-01T00:00:00+00:00"
    save_articles(db, [article(n, author=None, published="2025-06-01") for n in range(100, 130)])
    warnings = field_drift_warnings(db, since)
    assert len(warnings) == 1
    assert warnings[0].startswith("author missing in 100% of the 30")


def test_no_warning_when_the_run_looks_like_the_archive():
    db = Database(memory=True)
    migrate(db)
    save_articles(db, [article(n, author="A", published="2025-01-01") for n in range(100)])
    db.execute("UPDATE articles SET first_seen = '2025-01-01T00:00:00+00:00'")
    db.execute("UPDATE article_versions SET captured_at = '2025-01-01T00:00:00+00:00'")
    save_articles(db, [article(n, author="B", published="2025-06-01") for n in range(100, 130)])
    assert field_drift_warnings(db, "2025-06-01T00:00:00+00:00") == []


def test_ledger_records_the_warning(tmp_path):
    from crawler.archiving import archiving_columns

    db = Database(tmp_path / "archive.db")
    migrate(db)
    save_articles(db, [article(n, author="A", published=None) for n in range(60)])
    db.execute("UPDATE articles SET first_seen = '2025-01-01T00:00:00+00:00'")
    db.execute("UPDATE article_versions SET captured_at = '2025-01-01T00:00:00+00:00'")
    crawl_id = start_crawl(db, site="demo", start_urls=[])
    save_articles(db, [article(n, author=None, published=None) for n in range(60, 90)])
    columns = archiving_columns(db, crawl_id, {"newsarchive/not_modified": 3})
    assert columns["not_modified"] == 3
    assert "author missing" in json.loads(columns["warnings"])[0]


def test_readme_has_scheduling_recipes():
    assert "## Scheduled runs" in README
    assert "crontab" in README
    assert "newsarchive crawl --trigger scheduled" in README
    assert "[Timer]" in README
    assert "OnCalendar=" in README
    assert "[Service]" in README
    assert "SuccessExitStatus=75" in README


def test_crawl_help_mentions_status_75():
    result = run_newsarchive("crawl", "--help")
    assert "75" in result.stdout
