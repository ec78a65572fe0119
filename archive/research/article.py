"""`/article/<id>`: one article, readable, its body sanitised again on output."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

from datasette.utils.asgi import NotFound, Response

from archive.research.common import archive_database, clean_body_html, render, run_limited


async def article_page(datasette: Any, request: Any) -> Response:
    article_id = int(request.url_vars["id"])

    def load(conn: Any) -> dict[str, Any] | None:
        cursor = conn.execute("SELECT * FROM articles WHERE id = ?", [article_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    article = await run_limited(datasette, load)
    if article is None:
        raise NotFound(f"no article {article_id}")
    for column in ("categories", "tags"):
        try:
            article[column] = json.loads(article[column] or "[]")
        except json.JSONDecodeError:
            article[column] = []
    url = article.get("url") or ""
    context = {
        "article": article,
        "body": clean_body_html(article.get("body_html"), url),
        "original_url": url if urlsplit(url).scheme in ("http", "https") else None,
        "database": archive_database(datasette).name,
    }
    return await render(datasette, request, "article.html", context)
