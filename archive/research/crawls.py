"""`/crawls` (one row per crawl: when, how long, what it fetched and stored, warnings, errors)
and `/coverage` (articles per publication day over a period, days without any marked, and the
crawls that captured each day's articles)."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta
from typing import Any

from datasette.utils.asgi import Response

from archive.research.common import archive_database, render, run_limited

MAX_CRAWLS = 500
DEFAULT_COVERAGE_DAYS = 60
MAX_COVERAGE_DAYS = 366


def _parse_time(value: str | None) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if value else None
    except ValueError:
        return None


def duration(started: str | None, finished: str | None) -> str:
    """A crawl's duration as '1 h 02 min', '3 min 05 s' or '12 s' ('' when unknown)."""
    start, end = _parse_time(started), _parse_time(finished)
    if start is None or end is None:
        return ""
    seconds = max(0, int((end - start).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes:02d} min"
    if minutes:
        return f"{minutes} min {seconds:02d} s"
    return f"{seconds} s"


def _warnings(value: str | None) -> list[str]:
    if not value:
        return []
    try:
        parsed = json.loads(value)
    except ValueError:
        return [value]
    return [str(item) for item in parsed] if isinstance(parsed, list) else [str(parsed)]


def _rows(conn: Any, sql: str, params: list[Any] | None = None) -> list[dict[str, Any]]:
    cursor = conn.execute(sql, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _tables(conn: Any) -> set[str]:
    return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def load_crawls(conn: Any) -> list[dict[str, Any]]:
    """The crawl ledger, newest first, with each crawl's error count from crawl_errors."""
    if "crawls" not in _tables(conn):
        return []
    crawls = _rows(conn, "SELECT * FROM crawls ORDER BY id DESC LIMIT ?", [MAX_CRAWLS])
    logged = dict(
        conn.execute("SELECT crawl_id, count(*) FROM crawl_errors GROUP BY crawl_id").fetchall()
    )
    for crawl in crawls:
        crawl["duration"] = duration(crawl.get("started"), crawl.get("finished"))
        crawl["warning_list"] = _warnings(crawl.get("warnings"))
        crawl["logged_errors"] = logged.get(crawl["id"], 0)
        crawl["unchanged"] = (crawl.get("articles_unchanged") or 0) + (
            crawl.get("skipped_unchanged") or 0
        )
    return crawls


async def crawls_page(datasette: Any, request: Any) -> Response:
    crawls = await run_limited(datasette, load_crawls)
    database = archive_database(datasette).name
    if request.url_vars.get("format") == "json":
        return Response.json({"crawls": crawls})
    context = {"crawls": crawls, "database": database, "limit": MAX_CRAWLS}
    return await render(datasette, request, "crawls.html", context)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip()[:10]) if value.strip() else None
    except ValueError:
        return None


def coverage(conn: Any, first: date | None, last: date | None) -> dict[str, Any]:
    """Articles per publication day from `first` to `last` (default: the latest 60 days of the
    archive), the days without any, and the crawls that captured each day's articles."""
    if last is None:
        newest = conn.execute("SELECT max(published) FROM articles").fetchone()[0]
        last = _date(newest or "") or date.today()
    if first is None or first > last:
        first = last - timedelta(days=DEFAULT_COVERAGE_DAYS - 1)
    if (last - first).days >= MAX_COVERAGE_DAYS:
        first = last - timedelta(days=MAX_COVERAGE_DAYS - 1)
    params = [first.isoformat(), last.isoformat()]
    per_day = dict(
        conn.execute(
            "SELECT substr(published, 1, 10) AS day, count(*) FROM articles "
            "WHERE published >= ? AND published < date(?, '+1 day') GROUP BY day",
            params,
        ).fetchall()
    )
    captured: dict[str, set[int]] = {}
    tables = _tables(conn)
    if {"crawls", "article_versions"} <= tables:
        crawls = conn.execute(
            "SELECT id, started, coalesce(finished, started) FROM crawls ORDER BY started"
        ).fetchall()
        captures = conn.execute(
            "SELECT DISTINCT substr(a.published, 1, 10), v.captured_at FROM articles a "
            "JOIN article_versions v ON v.article_id = a.id "
            "WHERE a.published >= ? AND a.published < date(?, '+1 day')",
            params,
        ).fetchall()
        for day, captured_at in captures:
            for crawl_id, started, finished in crawls:
                if started and started <= (captured_at or "") <= (finished or "9999"):
                    captured.setdefault(day, set()).add(crawl_id)
                    break
    days = []
    current = last
    while current >= first:
        key = current.isoformat()
        days.append(
            {
                "day": key,
                "weekday": current.strftime("%a"),
                "articles": per_day.get(key, 0),
                "crawls": sorted(captured.get(key, ())),
            }
        )
        current -= timedelta(days=1)
    return {
        "from": first.isoformat(),
        "to": last.isoformat(),
        "days": days,
        "gaps": sum(1 for day in days if not day["articles"]),
        "articles": sum(day["articles"] for day in days),
    }


async def coverage_page(datasette: Any, request: Any) -> Response:
    first = _date(request.args.get("from", ""))
    last = _date(request.args.get("to", ""))
    result = await run_limited(datasette, lambda conn: coverage(conn, first, last))
    if request.url_vars.get("format") == "json":
        return Response.json(result)
    context = {"coverage": result, "max_days": MAX_COVERAGE_DAYS}
    return await render(datasette, request, "coverage.html", context)
