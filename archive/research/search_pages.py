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
HIGHLIGHT_WORDS = 400  # titles and author names are highlighted whole

_options_cache: weakref.WeakKeyDictionary[Any, tuple[float, dict[str, list[dict[str, Any]]]]] = (
    weakref.WeakKeyDictionary()
)
NO_OPTIONS: dict[str, list[dict[str, Any]]] = {"places": [], "authors": [], "categories": []}


async def filter_options(datasette: Any) -> dict[str, list[dict[str, Any]]]:
    """Places, categories and authors with their article counts, for the search form's pickers
    (cached a few minutes; each list grouped over an index)."""
    cached = _options_cache.get(datasette)
    if cached and time.monotonic() - cached[0] < OPTIONS_TTL_S:
        return cached[1]

    def load(conn: Any) -> dict[str, list[dict[str, Any]]]:
        def values(sql: str) -> list[dict[str, Any]]:
            return [{"value": row[0], "count": row[1]} for row in conn.execute(sql) if row[0]]

        return {
            "places": values(
                "SELECT place, count(*) FROM articles WHERE place <> '' GROUP BY place "
                "ORDER BY place"
            ),
            "authors": values(
                "SELECT author, count(*) FROM articles WHERE author <> '' GROUP BY author "
                "ORDER BY author"
            ),
            # Each distinct list of categories counted once (an index holds the lists).
            "categories": values(
                "SELECT j.value, sum(c.n) FROM (SELECT categories, count(*) AS n FROM articles "
                "GROUP BY categories) c, json_each(c.categories) j GROUP BY j.value "
                "ORDER BY j.value"
            ),
        }

    try:
        options = await run_limited(datasette, load)
    except sqlite3.OperationalError as error:  # too slow: the form works without suggestions
        if "interrupted" not in str(error):
            raise
        options = NO_OPTIONS
    _options_cache[datasette] = (time.monotonic(), options)
    return options


def with_current(options: list[dict[str, Any]], current: str) -> list[dict[str, Any]]:
    """The picker's values, with the current filter among them even when no article has it."""
    if current and all(option["value"] != current for option in options):
        return [{"value": current, "count": 0}, *options]
    return options


def highlighted_row(row: dict[str, Any], parsed: Any) -> dict[str, Any]:
    """A result row for the page: title and author with matches in `<mark>`, where it matched."""
    snippet = clean_snippet(row["snippet_html"])
    title = clean_snippet(search.snippet_html(row["title"], parsed, size=HIGHLIGHT_WORDS))
    author = clean_snippet(search.snippet_html(row["author"], parsed, size=HIGHLIGHT_WORDS))
    matched_in = [
        name
        for name, value in (("title", title), ("author", author), ("text", snippet))
        if "<mark>" in value
    ]
    return {
        **row,
        "snippet": snippet,
        "title_html": title,
        "author_html": author,
        "matched_in": matched_in,
    }


async def form_options(datasette: Any, filters: search.SearchFilters) -> dict[str, Any]:
    """The pickers' values for a form showing `filters`."""
    options = await filter_options(datasette)
    return {
        "places": with_current(options["places"], filters.place),
        "categories": with_current(options["categories"], filters.category),
        "authors": options["authors"],
    }


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
        "rows": [highlighted_row(row, results.query) for row in (results.rows if results else [])],
        "error": error,
        "options": await form_options(datasette, filters),
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
            "ranked": results.ranked,
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
