"""Per-URL fetch state (`url_state`), which incremental crawls read (crawler/incremental.py)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from sqlite_utils import Database

_UPSERT = """
    INSERT INTO url_state (url, etag, last_modified, lastmod, last_status, last_fetched,
                           last_changed, kind, content_hash, lastmod_trusted)
    VALUES (:url, :etag, :last_modified, :lastmod, :status, :fetched, :changed, :kind,
            :content_hash, :lastmod_trusted)
    ON CONFLICT(url) DO UPDATE SET
        etag = coalesce(excluded.etag, etag),
        last_modified = coalesce(excluded.last_modified, last_modified),
        lastmod = coalesce(excluded.lastmod, lastmod),
        last_status = excluded.last_status,
        last_fetched = excluded.last_fetched,
        last_changed = coalesce(excluded.last_changed, last_changed),
        kind = coalesce(excluded.kind, kind),
        content_hash = coalesce(excluded.content_hash, content_hash),
        lastmod_trusted = coalesce(excluded.lastmod_trusted, lastmod_trusted)
"""

_ALIAS = """
    INSERT INTO url_aliases (alias, url, learned_at) VALUES (?, ?, ?)
    ON CONFLICT(alias) DO UPDATE SET url = excluded.url, learned_at = excluded.learned_at
"""


def fetch_of(record: Mapping[str, Any]) -> dict[str, Any] | None:
    """The fetch details an extracted record carries (key `fetch`), with its canonical URL."""
    fetch = record.get("fetch")
    if not isinstance(fetch, Mapping) or not fetch.get("url"):
        return None
    return {**fetch, "canonical": record.get("url")}


def record_fetches(
    db: Database,
    fetches: Iterable[Mapping[str, Any] | None],
    fetched_at: str,
    changed_urls: set[str] | None = None,
) -> None:
    """Remember how URLs were fetched; `changed_urls` (canonical) also get `last_changed`."""
    changed_urls = changed_urls or set()
    params = [
        {
            "url": fetch["url"],
            "etag": fetch.get("etag"),
            "last_modified": fetch.get("last_modified"),
            "lastmod": fetch.get("lastmod"),
            "status": fetch.get("status"),
            "fetched": fetched_at,
            "changed": fetched_at if fetch.get("canonical") in changed_urls else None,
            "kind": fetch.get("kind"),
            "content_hash": fetch.get("content_hash"),
            "lastmod_trusted": fetch.get("lastmod_trusted"),
        }
        for fetch in fetches
        if fetch
    ]
    if params:
        db.conn.executemany(_UPSERT, params)
    aliases = [
        (alias, fetch["url"], fetched_at)
        for fetch in fetches
        if fetch
        for alias in _aliases_of(fetch)
    ]
    if aliases:
        db.conn.executemany(_ALIAS, aliases)


def _aliases_of(fetch: Mapping[str, Any]) -> list[str]:
    """URLs that lead to this fetch: permanent redirects to it, and its canonical URL."""
    aliases = [alias for alias in fetch.get("aliases") or () if alias != fetch["url"]]
    canonical = fetch.get("canonical")
    if isinstance(canonical, str) and canonical and canonical != fetch["url"]:
        aliases.append(canonical)
    return aliases


def record_not_modified(db: Database, fetches: Sequence[Mapping[str, Any]], fetched_at: str) -> int:
    """A batch of 304 answers: the archived articles are current; returns how many exist."""
    with db.atomic():
        record_fetches(db, fetches, fetched_at)
        touched = 0
        for fetch in fetches:
            cursor = db.execute(
                "UPDATE articles SET last_seen = ? WHERE url = ?", [fetched_at, fetch["url"]]
            )
            touched += cursor.rowcount
    return touched


def read_fetch_state(
    db_path: str | Path,
) -> tuple[list[tuple[Any, ...]], set[str], dict[str, str]]:
    """What an incremental crawl needs to know, read-only, from an archive file (or none).

    Returns a row per fetched URL (url, etag, last_modified, lastmod, last_fetched,
    last_changed, the article's published, kind, content_hash, lastmod_trusted), the URLs
    taken down, and the aliases (alias → URL). Archives from before a column existed give NULL.
    """
    path = Path(db_path)
    if not path.exists():
        return [], set(), {}
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master")}
        if "url_state" not in tables:
            return [], set(), {}
        columns = {row[1] for row in conn.execute("PRAGMA table_info(url_state)")}
        extra = ("kind", "content_hash", "lastmod_trusted")
        selected = ", ".join(f"s.{c}" if c in columns else "NULL" for c in extra)
        rows = conn.execute(
            "SELECT s.url, s.etag, s.last_modified, s.lastmod, s.last_fetched, s.last_changed, "
            f"a.published, {selected} FROM url_state s LEFT JOIN articles a ON a.url = s.url "
            "WHERE s.last_fetched IS NOT NULL"
        ).fetchall()
        removed = set()
        if "takedowns" in tables:
            removed = {url for (url,) in conn.execute("SELECT url FROM takedowns")}
        aliases = {}
        if "url_aliases" in tables:
            aliases = dict(conn.execute("SELECT alias, url FROM url_aliases").fetchall())
    finally:
        conn.close()
    return rows, removed, aliases
