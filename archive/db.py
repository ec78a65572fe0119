"""The archive database: schema (as migrations), saving articles, the crawl ledger and search."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlite_utils import Database, Migrations

from archive import revisions, search, url_state

logger = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 30_000

# FTS5 tokenizer: unicode61 with diacritics removed, so "Marien" finds "Mariën" and
# "ideeen" finds "ideeën", in the index and in queries alike.
FTS_TOKENIZE = "unicode61 remove_diacritics 2"
FTS_COLUMNS = ["title", "text", "description", "author"]

# Column order of the articles table; also the documented, stable API of the archive.
ARTICLE_COLUMNS: dict[str, type] = {
    "id": int,
    "url": str,
    "title": str,
    "published": str,
    "modified": str,
    "date_source": str,
    "author": str,
    "authors": str,
    "place": str,
    "categories": str,
    "tags": str,
    "description": str,
    "language": str,
    "image": str,
    "word_count": int,
    "text": str,
    "body_html": str,
    "site": str,
    "first_seen": str,
    "last_seen": str,
    "content_hash": str,
    "extractor_version": str,
}
JSON_LIST_COLUMNS = ("authors", "categories", "tags")
# A record's key for its Dutch search-index entry, analyzed where it was extracted
# (`search_entry`); `save_articles` writes it into the index instead of analyzing the row.
SEARCH_ENTRY_KEY = "search_index"

migrations = Migrations("newsarchive")


@migrations()
def m001_articles(db: Database) -> None:
    db["articles"].create(ARTICLE_COLUMNS, pk="id", not_null={"url"}, if_not_exists=True)
    db["articles"].create_index(["url"], unique=True, if_not_exists=True)
    db["articles"].create_index(["published"], if_not_exists=True)


@migrations()
def m002_articles_fts(db: Database) -> None:
    if not db["articles_fts"].exists():
        db["articles"].enable_fts(FTS_COLUMNS, tokenize=FTS_TOKENIZE, create_triggers=True)


@migrations()
def m003_crawl_ledger(db: Database) -> None:
    db["crawls"].create(
        {
            "id": int,
            "started": str,
            "finished": str,
            "status": str,
            "trigger": str,
            "site": str,
            "start_urls": str,
            "finish_reason": str,
            "pages_fetched": int,
            "bytes": int,
            "articles_new": int,
            "articles_updated": int,
            "articles_unchanged": int,
            "articles_failed": int,
            "not_articles": int,
            "robots_denied": int,
            "errors": int,
        },
        pk="id",
        if_not_exists=True,
    )
    db["crawl_errors"].create(
        {"id": int, "crawl_id": int, "at": str, "url": str, "status": int, "reason": str},
        pk="id",
        foreign_keys=[("crawl_id", "crawls", "id")],
        if_not_exists=True,
    )
    db["crawl_errors"].create_index(["crawl_id"], if_not_exists=True)


@migrations()
def m004_search_nl(db: Database) -> None:
    """The Dutch search index (archive/search.py), built for the rows already there."""
    search.create_search_index(db.conn)


@migrations()
def m005_article_year_month(db: Database) -> None:
    """year and month, generated from published, and indexes for the default facets."""
    existing = {row[1] for row in db.execute("PRAGMA table_xinfo(articles)").fetchall()}
    for name, length in (("year", 4), ("month", 7)):
        if name not in existing:
            db.execute(
                f"ALTER TABLE articles ADD COLUMN {name} TEXT "
                f"GENERATED ALWAYS AS (substr(published, 1, {length})) VIRTUAL"
            )
    for column in ("place", "author", "year", "month"):
        db.execute(f"CREATE INDEX IF NOT EXISTS idx_articles_{column} ON articles({column})")


# --- Archiving: WARC pointers, fetch state, revisions, takedowns (docs/archiving.md) ---

WARC_POINTER_COLUMNS: dict[str, type] = {
    "warc_file": str,
    "warc_offset": int,
    "warc_record_id": str,
    "warc_digest": str,
}


@migrations()
def m006_archiving_warc_pointers(db: Database) -> None:
    """Each article points at the WARC record it was extracted from; corrections are flagged."""
    existing = {row[1] for row in db.execute("PRAGMA table_xinfo(articles)").fetchall()}
    for name, kind in {**WARC_POINTER_COLUMNS, "has_correction": int}.items():
        if name not in existing:
            db["articles"].add_column(name, kind)


@migrations()
def m007_archiving_url_state(db: Database) -> None:
    """Per-URL fetch state for incremental crawls: validators, lastmod, when fetched and changed."""
    db["url_state"].create(
        {
            "url": str,
            "etag": str,
            "last_modified": str,
            "lastmod": str,
            "last_status": int,
            "last_fetched": str,
            "last_changed": str,
        },
        pk="url",
        if_not_exists=True,
    )
    # Known articles from before fetch state existed: fetched when last seen.
    db.execute(
        "INSERT OR IGNORE INTO url_state (url, lastmod, last_status, last_fetched, last_changed) "
        "SELECT url, modified, 200, last_seen, first_seen FROM articles"
    )


@migrations()
def m008_archiving_article_versions(db: Database) -> None:
    """Every distinct content an article had, with when and where (WARC record) it was captured."""
    db["article_versions"].create(
        {
            "id": int,
            "article_id": int,
            "captured_at": str,
            "title": str,
            "text": str,
            "content_hash": str,
            "has_correction": int,
            **WARC_POINTER_COLUMNS,
        },
        pk="id",
        foreign_keys=[("article_id", "articles", "id")],
        if_not_exists=True,
    )
    db["article_versions"].create_index(["article_id", "captured_at"], if_not_exists=True)
    db.execute(
        "INSERT INTO article_versions (article_id, captured_at, title, text, content_hash, "
        "warc_file, warc_offset, warc_record_id, warc_digest) "
        "SELECT id, first_seen, title, text, content_hash, "
        "warc_file, warc_offset, warc_record_id, warc_digest FROM articles "
        "WHERE id NOT IN (SELECT article_id FROM article_versions)"
    )


@migrations()
def m009_archiving_takedowns(db: Database) -> None:
    """Audit trail of removed articles (no content), and the list later crawls must respect."""
    db["takedowns"].create(
        {"id": int, "url": str, "removed_at": str, "reason": str, "who": str},
        pk="id",
        if_not_exists=True,
    )
    db["takedowns"].create_index(["url"], if_not_exists=True)


@migrations()
def m010_archiving_crawl_ledger(db: Database) -> None:
    """Crawl ledger columns for incremental crawls, WARC output and quality warnings."""
    existing = {row[1] for row in db.execute("PRAGMA table_xinfo(crawls)").fetchall()}
    columns = {
        "not_modified": int,
        "skipped_unchanged": int,
        "warc_records": int,
        "warc_bytes": int,
        "warc_files": str,
        "cdxj_index": str,
        "warnings": str,
    }
    for name, kind in columns.items():
        if name not in existing:
            db["crawls"].add_column(name, kind)


@migrations()
def m011_search_array_facet_indexes(db: Database) -> None:
    """Indexes on the JSON text of categories and tags, for the array facets at scale.

    The facets and the search form group articles by these lists (archive/research/);
    an index answers that without reading the articles: at 1 000 000 articles 0.04-0.09 s
    instead of 0.7-0.9 s, past the facet time limit (docs/search-scale.md). About 65 bytes per
    article.
    """
    for column in ("categories", "tags"):
        db.execute(f"CREATE INDEX IF NOT EXISTS idx_articles_{column} ON articles({column})")


@migrations()
def m012_crawl_request_costs(db: Database) -> None:
    """Requests of a crawl by kind (crawler/costs.py) and the URL patterns cut as traps."""
    existing = {row[1] for row in db.execute("PRAGMA table_xinfo(crawls)").fetchall()}
    kinds = ("robots", "sitemap", "feed", "listing", "article", "revisit", "redirect", "error")
    columns = ["requests", *(f"requests_{kind}" for kind in kinds), "traps_cut"]
    for name in columns:
        if name not in existing:
            db["crawls"].add_column(name, int)


@migrations()
def m013_url_aliases_and_discovery_state(db: Database) -> None:
    """URLs that lead to a known page (redirects, canonical links), what each fetched URL was,
    and the ledger columns of request-saving decisions.

    `url_aliases` lets a re-crawl recognise a known page under any of its URLs; the new
    `url_state` columns keep sitemaps' and feeds' state: their kind, a content hash (to notice a
    sitemap whose lastmod moves while its content does not) and whether its lastmod is trusted.
    """
    db["url_aliases"].create(
        {"alias": str, "url": str, "learned_at": str}, pk="alias", if_not_exists=True
    )
    db["url_aliases"].create_index(["url"], if_not_exists=True)
    existing = {row[1] for row in db.execute("PRAGMA table_xinfo(url_state)").fetchall()}
    for name, kind in {"kind": str, "content_hash": str, "lastmod_trusted": int}.items():
        if name not in existing:
            db["url_state"].add_column(name, kind)
    # The crawl ledger's counts of what the yield rules did (README, "How a crawl spends its
    # requests"): articles that moved to a new URL, listings stopped or left unfetched, sitemap
    # indexes whose lastmod was found untrue.
    ledger = {row[1] for row in db.execute("PRAGMA table_xinfo(crawls)").fetchall()}
    for name in ("articles_moved", "listings_stopped", "listings_skipped", "lastmod_untrusted"):
        if name not in ledger:
            db["crawls"].add_column(name, int)


@migrations()
def m014_search_nl_prefix_indexes(db: Database) -> None:
    """Prefix indexes in the Dutch search index, so that short prefixes (`ge*`) stay fast.

    Refilled from the index's own analyzed text: about a minute per 1 000 000 articles
    (docs/search-scale.md). New archives get them from m004. An index older than m015 is
    brought to the current definition here at once, and m015 finds nothing left to do.
    """
    search.upgrade_search_index(db.conn)


@migrations()
def m015_search_nl_filter_tokens(db: Database) -> None:
    """Exact filter tokens in the Dutch search index, so that filters are index terms.

    A search with a place, category, author or dates is then answered by the index alone
    (docs/search-scale.md); filled from the articles without analysing their text again.
    """
    search.upgrade_search_index(db.conn)


class ArchiveError(Exception):
    """Base class for errors raised by the archive layer."""


class ArchiveNotFound(ArchiveError):
    """The archive database file does not exist."""


class SearchSyntaxError(ArchiveError):
    """A search query that SQLite's full-text engine cannot parse."""


def utc_now() -> str:
    """The current time as an ISO 8601 UTC timestamp with seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_archive(path: str | Path, *, create: bool = True) -> Database:
    """Open (and migrate) the archive at `path`: WAL mode, a busy timeout, schema up to date."""
    path = Path(path)
    if not create and not path.exists():
        raise ArchiveNotFound(f"no archive at {path}: run 'newsarchive crawl --db {path}' first")
    if path.parent and not path.parent.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
    db = Database(path)
    configure_connection(db.conn)
    db.enable_wal()
    migrate(db)
    return db


def configure_connection(conn: sqlite3.Connection) -> None:
    """Settings every connection to the archive needs: wait for writers instead of failing."""
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    conn.execute("PRAGMA synchronous = NORMAL")


def migrate(db: Database) -> None:
    """Apply pending schema migrations; applying them again changes nothing."""
    migrations.apply(db)


def content_hash(record: Mapping[str, Any]) -> str:
    """A hash of what a reader sees: title and body text."""
    digest = hashlib.sha256()
    digest.update((record.get("title") or "").encode())
    digest.update(b"\x00")
    digest.update((record.get("text") or "").encode())
    return digest.hexdigest()


@dataclass
class SaveCounts:
    """How a batch of extracted articles changed the archive."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    # Dutch search index: articles written from the entry their record carried, and articles
    # (of this batch or queued by another writer) analyzed while saving.
    search_preanalyzed: int = field(default=0, compare=False)
    search_analyzed: int = field(default=0, compare=False)

    def __iadd__(self, other: SaveCounts) -> SaveCounts:
        self.new += other.new
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.search_preanalyzed += other.search_preanalyzed
        self.search_analyzed += other.search_analyzed
        return self


def article_row(record: Mapping[str, Any], *, site: str | None, seen_at: str) -> dict[str, Any]:
    """Turn an extracted record into an articles row (JSON lists encoded, hash computed)."""
    row: dict[str, Any] = {
        column: record.get(column)
        for column in ARTICLE_COLUMNS
        if column not in ("id", "first_seen", "last_seen", "content_hash", "site")
    }
    for column in JSON_LIST_COLUMNS:
        value = record.get(column) or []
        row[column] = json.dumps(list(value), ensure_ascii=False)
    row["site"] = site
    row["content_hash"] = content_hash(record)
    row["last_seen"] = seen_at
    return row


def search_entry(record: Mapping[str, Any]) -> dict[str, Any]:
    """The record's Dutch search-index entry, from the values `save_articles` will store.

    An extraction worker adds it to the record (key SEARCH_ENTRY_KEY), so that the single
    writer does not analyze the article again.
    """
    return search.index_entry(article_row(record, site=None, seen_at=""))


def save_articles(
    db: Database,
    records: Iterable[Mapping[str, Any]],
    *,
    site: str | None = None,
    seen_at: str | None = None,
) -> SaveCounts:
    """Upsert extracted articles by canonical URL in one transaction; never duplicates a URL.

    A URL seen before keeps its `first_seen`; its row is rewritten only when the content
    hash changed, so an unchanged re-crawl only touches `last_seen`. `seen_at` (default: now)
    is when the records were captured; re-extraction from WARC files passes the capture time.
    """
    seen_at = seen_at or utc_now()
    rows: dict[str, dict[str, Any]] = {}
    entries: dict[str, Any] = {}  # search-index entries analyzed at extraction, by URL
    fetches = []  # how each page was fetched, for the next incremental crawl
    for record in records:
        row = article_row(record, site=site, seen_at=seen_at)
        row.update(revisions.archive_columns(record))  # WARC pointer, correction flag
        fetches.append(url_state.fetch_of(record))
        rows[row["url"]] = row  # the last extraction of a URL in a batch wins
        entries[row["url"]] = record.get(SEARCH_ENTRY_KEY)
    if not rows:
        return SaveCounts()
    counts = SaveCounts()
    with db.atomic():
        for url in revisions.taken_down(db, list(rows)):
            del rows[url]  # removed from the archive on request: never stored again
        existing = revisions.article_values(db, list(rows), "content_hash")
        new_rows = []
        for url, row in rows.items():
            if url not in existing:
                row["first_seen"] = seen_at
                new_rows.append(row)
                counts.new += 1
            elif existing[url] == row["content_hash"]:
                db.execute("UPDATE articles SET last_seen = ? WHERE url = ?", [seen_at, url])
                counts.unchanged += 1
            else:
                assignments = ", ".join(f"[{column}] = ?" for column in row if column != "url")
                values = [value for column, value in row.items() if column != "url"]
                db.execute(f"UPDATE articles SET {assignments} WHERE url = ?", [*values, url])
                counts.updated += 1
        if new_rows:
            db["articles"].insert_all(new_rows)
        changed = [row for url, row in rows.items() if existing.get(url) != row["content_hash"]]
        revisions.record_versions(db, changed, seen_at)
        url_state.record_fetches(db, fetches, seen_at, {row["url"] for row in changed})
        # The Dutch search index, in the same transaction: entries analyzed at extraction are
        # written as they are; whatever else the triggers queued is analyzed here.
        ready = {row["url"]: entries[row["url"]] for row in changed if entries[row["url"]]}
        if ready:
            ids = revisions.article_values(db, list(ready), "id")
            by_id = {ids[url]: entry for url, entry in ready.items() if url in ids}
            counts.search_preanalyzed = search.index_analyzed(db.conn, by_id)
        counts.search_analyzed = search.sync_search_index(db.conn)
    return counts


def start_crawl(
    db: Database, *, site: str | None, start_urls: Iterable[str], trigger: str = "manual"
) -> int:
    """Open a row in the crawl ledger for a run that starts now; returns its id."""
    table = db["crawls"].insert(
        {
            "started": utc_now(),
            "status": "running",
            "trigger": trigger,
            "site": site,
            "start_urls": json.dumps(list(start_urls)),
        }
    )
    assert table.last_pk is not None
    return int(table.last_pk)


def finish_crawl(db: Database, crawl_id: int, *, status: str, **counts: Any) -> None:
    """Close a crawl's ledger row with its outcome and counts."""
    db["crawls"].update(crawl_id, {"finished": utc_now(), "status": status, **counts})


def record_crawl_error(
    db: Database, crawl_id: int, *, url: str, status: int | None, reason: str
) -> None:
    """Keep one failed URL of a crawl, with its HTTP status (if any) and a readable reason."""
    db["crawl_errors"].insert(
        {"crawl_id": crawl_id, "at": utc_now(), "url": url, "status": status, "reason": reason}
    )


def close_abandoned_crawls(db: Database) -> int:
    """Mark crawls still 'running' as crashed; call only while holding the archive's lock.

    A crawl that holds the lock is the only one running, so any other 'running' row belongs to
    a process that died (killed, out of memory, power loss) before it could close its row.
    """
    with db.atomic():
        cursor = db.execute(
            "UPDATE crawls SET status = 'crashed', finish_reason = 'process died' "
            "WHERE status = 'running'"
        )
    if cursor.rowcount:
        logger.warning(
            "%d earlier crawl(s) had died without closing; marked crashed", cursor.rowcount
        )
    return int(cursor.rowcount)


def get_crawl(db: Database, crawl_id: int) -> dict[str, Any]:
    """One crawl's ledger row."""
    return dict(db["crawls"].get(crawl_id))


def quote_fts_query(query: str) -> str:
    """Turn free text into an FTS5 query that matches all its words, whatever punctuation it has."""
    words = re.findall(r"\w+", query)
    return " ".join(f'"{word}"' for word in words)


def search_articles(db: Database, query: str, *, limit: int = 20) -> list[dict[str, Any]]:
    """Full-text search, best match first.

    The query uses FTS5 syntax (AND, OR, NOT, "phrases", prefix*); text that is not valid
    FTS5 syntax is searched as plain words. Raises SearchSyntaxError when nothing is left.
    """
    try:
        return _search(db, query, limit)
    except SearchSyntaxError:
        quoted = quote_fts_query(query)
        if not quoted:
            raise
        return _search(db, quoted, limit)


def _search(db: Database, query: str, limit: int) -> list[dict[str, Any]]:
    sql = """
        SELECT articles.id, articles.url, articles.title, articles.published, articles.author,
               articles.place,
               snippet(articles_fts, 1, '[', ']', '…', 12) AS snippet
        FROM articles_fts JOIN articles ON articles.rowid = articles_fts.rowid
        WHERE articles_fts MATCH :query
        ORDER BY bm25(articles_fts, 5.0, 1.0, 2.0, 2.0)
        LIMIT :limit
    """
    try:
        cursor = db.execute(sql, {"query": query, "limit": limit})
    except sqlite3.OperationalError as error:
        raise SearchSyntaxError(f"cannot search for {query!r}: {error}") from error
    columns = [description[0] for description in cursor.description]
    return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


def check_integrity(db: Database) -> list[str]:
    """Problems found by SQLite's integrity check and the FTS index check (empty list: all ok)."""
    problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    problems = [problem for problem in problems if problem != "ok"]
    try:
        db.execute("INSERT INTO articles_fts(articles_fts) VALUES('integrity-check')")
    except sqlite3.DatabaseError as error:
        problems.append(f"articles_fts: {error}")
    return problems
