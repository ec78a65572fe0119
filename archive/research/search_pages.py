"""The search pages: `/search` (form, filters, results with highlighted snippets) and
`/search.json` (the same search for scripts)."""

from __future__ import annotations

import sqlite3
import time
import weakref
from dataclasses import asdict
from typing import Any

from datasette.utils.asgi import Response

from archive import search
from archive.research.common import (
    MAX_PAGE,
    clean_snippet,
    query_url,
    render,
    request_filters,
    run_limited,
    run_search,
    search_params,
)

PAGE_SIZE = 20
OPTIONS_TTL_S = 300

_options_cache: weakref.WeakKeyDictionary[Any, tuple[float, dict[str, list[str]]]] = (
    weakref.WeakKeyDictionary()
)


async def _filter_options(datasette: Any) -> dict[str, list[str]]:
    """Places, categories and authors for the search form (cached a few minutes)."""
    cached = _options_cache.get(datasette)
    if cached and time.monotonic() - cached[0] < OPTIONS_TTL_S:
        return cached[1]

    def load(conn: Any) -> dict[str, list[str]]:
        def values(sql: str) -> list[str]:
            return [row[0] for row in conn.execute(sql) if row[0]]

        return {
            "places": values("SELECT DISTINCT place FROM articles ORDER BY place"),
            "authors": values("SELECT DISTINCT author FROM articles ORDER BY author"),
            # Each distinct list of categories expanded once (an index holds the lists).
            "categories": values(
                "SELECT DISTINCT j.value FROM (SELECT DISTINCT categories FROM articles) c, "
                "json_each(c.categories) j ORDER BY j.value"
            ),
        }

    try:
        options = await run_limited(datasette, load)
    except sqlite3.OperationalError as error:  # too slow: the form works without suggestions
        if "interrupted" not in str(error):
            raise
        options = {"places": [], "authors": [], "categories": []}
    _options_cache[datasette] = (time.monotonic(), options)
    return options


def _result_row(row: dict[str, Any]) -> dict[str, Any]:
    """A result row as the JSON API gives it (stable names, documented in the README)."""
    return {
        "id": row["id"],
        "title": row["title"],
        "published": row["published"],
        "place": row["place"],
        "author": row["author"],
        "categories": row["categories"],
        "tags": row["tags"],
        "url": row["url"],
        "article_url": f"/article/{row['id']}",
        "snippet_html": row["snippet_html"],
    }


async def search_page(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")
    filters = request_filters(request)
    sort = request.args.get("sort", "relevance")
    error = None
    results = None
    try:
        results = await run_search(datasette, request, PAGE_SIZE)
    except search.SearchQueryError as exc:
        error = str(exc)
    base = search_params(q, filters, sort=sort if sort != "relevance" else "")
    context = {
        "q": q,
        "filters": filters,
        "sort": sort,
        "results": results,
        "rows": [
            {**row, "snippet": clean_snippet(row["snippet_html"])}
            for row in (results.rows if results else [])
        ],
        "error": error,
        "options": await _filter_options(datasette),
        "searched": bool(q or any(asdict(filters).values())),
        "prev_url": query_url("/search", {**base, "page": str(results.page - 1)})
        if results and results.page > 1
        else None,
        "next_url": query_url("/search", {**base, "page": str(results.page + 1)})
        if results and results.has_next and results.page < MAX_PAGE
        else None,
        "feed_url": query_url("/search.atom", search_params(q, filters)),
        "json_url": query_url("/search.json", base),
        "counts_url": query_url("/counts", search_params(q, filters)),
    }
    return await render(datasette, request, "search.html", context)


async def search_json(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")
    filters = request_filters(request)
    try:
        results = await run_search(datasette, request, _page_size(request))
    except search.SearchQueryError as exc:
        return Response.json({"ok": False, "error": str(exc)}, status=400)
    base = search_params(q, filters, sort=results.sort, size=request.args.get("size", ""))
    next_url = (
        query_url("/search.json", {**base, "page": str(results.page + 1)})
        if results.has_next and results.page < MAX_PAGE
        else None
    )
    return Response.json(
        {
            "ok": True,
            "query": q,
            "ignored": results.query.ignored,
            "filters": asdict(filters),
            "sort": results.sort,
            "total": results.total,
            "capped": results.capped,
            "page": results.page,
            "page_size": results.page_size,
            "next_url": next_url,
            "rows": [_result_row(row) for row in results.rows],
        }
    )


def _page_size(request: Any) -> int:
    try:
        return min(100, max(1, int(request.args.get("size", PAGE_SIZE))))
    except ValueError:
        return PAGE_SIZE
