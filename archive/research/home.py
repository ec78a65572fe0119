"""The home page's facts about the archive, `/api` (the JSON API in short), and the research
stylesheet and images under `/-/research/`."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from datasette.utils.asgi import NotFound, Response

from archive.research.common import archive_database, render

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"


async def archive_facts(datasette: Any) -> dict[str, Any]:
    """What the home page (`index.html`) says about the archive: size, dates, places."""
    database = archive_database(datasette)
    if not await database.table_exists("articles"):
        return {"archive": None}
    # Indexed columns only (published, place), one subquery each so that min and max are
    # single index lookups (together in one query they scan the index): the home page
    # stays fast on a big archive.
    result = await database.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT min(published) FROM articles), "
        "(SELECT max(published) FROM articles), (SELECT count(DISTINCT place) FROM articles)"
    )
    count, first, last, places = result.first()
    first_seen = last_seen = None
    crawl_count = 0
    if await database.table_exists("crawls"):
        crawls = await database.execute(
            "SELECT min(started), max(coalesce(finished, started)), count(*) FROM crawls"
        )
        first_seen, last_seen, crawl_count = crawls.first()
    sites = await database.execute_fn(held_sites)
    return {
        "archive": {
            "database": database.name,
            "articles": count,
            "sites": sites,
            "crawls": crawl_count,
            "first": (first or "")[:10],
            "last": (last or "")[:10],
            "first_seen": (first_seen or "")[:10],
            "last_seen": (last_seen or "")[:10],
            "places": places,
        }
    }


MAX_SITES = 20


def held_sites(conn: Any) -> list[dict[str, Any]]:
    """The sites (scheme and host) the articles come from, with their article counts.

    One seek in the URL index per site: the first URL, then the first URL past its site's
    prefix, and so on; the count is a range of the same index. At most `MAX_SITES` are listed.
    """
    sites: list[dict[str, Any]] = []
    low = ""
    while len(sites) < MAX_SITES:
        row = conn.execute("SELECT min(url) FROM articles WHERE url > ?", [low]).fetchone()
        if not row or row[0] is None:
            break
        parts = urlsplit(row[0])
        origin = f"{parts.scheme}://{parts.netloc}" if parts.netloc else row[0]
        high = origin + "/\U0010ffff"
        articles = conn.execute(
            "SELECT count(*) FROM articles WHERE url >= ? AND url <= ?", [origin, high]
        ).fetchone()[0]
        sites.append(
            {
                "origin": origin,
                "articles": articles,
                "link": origin if parts.scheme in ("http", "https") else None,
            }
        )
        low = high
    return sites


async def api_page(datasette: Any, request: Any) -> Response:
    context = {
        "origin": f"{request.scheme}://{request.host}",
        "database": archive_database(datasette).name,
        "sql_allowed": await datasette.permission_allowed(None, "execute-sql", default=True),
    }
    return await render(datasette, request, "api.html", context)


async def static_file(request: Any) -> Response:
    name = request.url_vars["name"]
    path = STATIC_DIR / name
    if not path.is_file():
        raise NotFound(name)
    content_type = "text/css; charset=utf-8" if name.endswith(".css") else "image/svg+xml"
    return Response(
        path.read_text(encoding="utf-8"),
        content_type=content_type,
        headers={"cache-control": "max-age=3600"},
    )
