"""`/article/<id>`: one article, readable, its body sanitised again on output; its versions
with word diffs, its capture (WARC record, replay link); `/article/<id>/record.warc`, the raw
record."""

from __future__ import annotations

import asyncio
import json
from typing import Any
from urllib.parse import urlsplit

from datasette.utils.asgi import NotFound, Response

from archive.research.capture import (
    capture_facts,
    replay_base,
    replay_url,
    warc_dir,
    warc_download,
)
from archive.research.common import archive_database, clean_body_html, render, run_limited
from archive.research.versions import MAX_VERSIONS_SHOWN, describe_versions

VERSION_FIELDS = (
    "id, captured_at, title, text, has_correction, warc_file, warc_offset, warc_record_id, "
    "warc_digest"
)


def _load(article_id: int) -> Any:
    def load(conn: Any) -> tuple[dict[str, Any] | None, list[dict[str, Any]], int]:
        cursor = conn.execute("SELECT * FROM articles WHERE id = ?", [article_id])
        row = cursor.fetchone()
        if row is None:
            return None, [], 0
        article = dict(zip([d[0] for d in cursor.description], row, strict=True))
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        if "article_versions" not in tables:
            return article, [], 0
        total = conn.execute(
            "SELECT count(*) FROM article_versions WHERE article_id = ?", [article_id]
        ).fetchone()[0]
        cursor = conn.execute(
            f"SELECT * FROM (SELECT {VERSION_FIELDS} FROM article_versions WHERE article_id = ? "
            "ORDER BY captured_at DESC, id DESC LIMIT ?) ORDER BY captured_at, id",
            [article_id, MAX_VERSIONS_SHOWN],
        )
        names = [d[0] for d in cursor.description]
        return article, [dict(zip(names, r, strict=True)) for r in cursor.fetchall()], total

    return load


async def article_page(datasette: Any, request: Any) -> Response:
    article_id = int(request.url_vars["id"])
    article, versions, version_total = await run_limited(datasette, _load(article_id))
    if article is None:
        raise NotFound(f"no article {article_id}")
    for column in ("categories", "tags"):
        try:
            value = json.loads(article[column] or "[]")
        except (json.JSONDecodeError, TypeError):
            value = []
        article[column] = [str(item) for item in value] if isinstance(value, list) else []
    url = article.get("url") or ""
    database = archive_database(datasette)
    directory = warc_dir(datasette, database)
    capture = await asyncio.to_thread(capture_facts, directory, article)
    # Diffs are computed off the event loop (bounded in size by archive.research.versions).
    described = await asyncio.to_thread(describe_versions, versions)
    context = {
        "article": article,
        "body": clean_body_html(article.get("body_html"), url),
        "original_url": url if urlsplit(url).scheme in ("http", "https") else None,
        "database": database.name,
        "capture": capture,
        "replay_url": replay_url(replay_base(datasette), url, capture["date"])
        if capture["available"]
        else None,
        "warc_url": f"/article/{article_id}/record.warc" if capture["available"] else None,
        "versions": list(reversed(described)),  # newest first
        "version_total": version_total,
    }
    return await render(datasette, request, "article.html", context)


async def article_warc(datasette: Any, request: Any) -> Response:
    """The raw WARC record of the article (or of one of its versions: `?version=<id>`)."""
    article_id = int(request.url_vars["id"])
    version = request.args.get("version", "")

    def load(conn: Any) -> dict[str, Any] | None:
        if version.isdigit():
            sql = (
                "SELECT warc_file, warc_offset, warc_record_id FROM article_versions "
                "WHERE article_id = ? AND id = ?"
            )
            params: list[Any] = [article_id, int(version)]
        else:
            sql = "SELECT warc_file, warc_offset, warc_record_id FROM articles WHERE id = ?"
            params = [article_id]
        row = conn.execute(sql, params).fetchone()
        if row is None:
            return None
        return dict(zip(("warc_file", "warc_offset", "warc_record_id"), row, strict=True))

    pointer = await run_limited(datasette, load)
    if pointer is None:
        raise NotFound(f"no article {article_id}")
    directory = warc_dir(datasette, archive_database(datasette))
    suffix = f"-v{int(version)}" if version.isdigit() else ""
    name = f"article-{article_id}{suffix}.warc"
    return await asyncio.to_thread(warc_download, directory, pointer, name)
