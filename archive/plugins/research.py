"""Datasette plugin: the archive for researchers.

Pages: `/search` (search form, filters, results with highlighted snippets), `/search.json` and
`/search.atom` (the same search as JSON and as an Atom feed), `/article/<id>` (a readable
article), `/counts` and `/counts.json` (articles per month, as a chart and a table), and the home
page (`index.html`). SQL functions `nl_query(q)` and `nl_snippet(text, q)` serve the canned
queries in metadata.json.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import weakref
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit
from xml.etree import ElementTree

import nh3
from datasette import facets as datasette_facets
from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import (
    escape_sqlite,
    path_with_added_args,
    path_with_removed_args,
    sqlite_timelimit,
)
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup

from archive import search

logger = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
PAGE_SIZE = 20
FEED_SIZE = 50
OPTIONS_TTL_S = 300
MAX_PAGE = 500  # deep pages cost an OFFSET scan; nobody reads page 501

# What an article body may contain on output: structure, emphasis and links; nothing that
# runs, loads or styles (no script, style, img, iframe, form, on* or style attributes).
BODY_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote", "q", "cite",
    "figure", "figcaption", "a", "em", "strong", "b", "i", "u", "s", "small", "sub", "sup",
    "abbr", "time", "code", "pre", "table", "caption", "thead", "tbody", "tfoot", "tr", "th",
    "td", "dl", "dt", "dd", "span",
}  # fmt: skip
BODY_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "time": {"datetime"},
                   "th": {"colspan", "rowspan", "scope"}, "td": {"colspan", "rowspan"}}  # fmt: skip
LINK_SCHEMES = {"http", "https", "mailto"}


def clean_body_html(body_html: str | None, base_url: str | None = None) -> Markup:
    """Sanitise an article body for output; relative links are made absolute to the original."""

    def keep_attribute(element: str, attribute: str, value: str) -> str | None:
        if element == "a" and attribute == "href":
            url = urljoin(base_url or "", value.strip())
            return url if urlsplit(url).scheme in LINK_SCHEMES else None
        return value

    cleaned = nh3.clean(
        body_html or "",
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=LINK_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
        attribute_filter=keep_attribute,
    )
    return Markup(cleaned)  # noqa: S704 - nh3 output under the allow-list above


def clean_snippet(value: str | None) -> Markup:
    """A snippet for HTML output: only `<mark>` survives, everything else is text."""
    return Markup(nh3.clean(value or "", tags={"mark"}, attributes={}))  # noqa: S704


# ---------------------------------------------------------------------------- helpers


def _database(datasette: Any) -> Any:
    return datasette.get_database()


def _time_limit_ms(datasette: Any) -> int:
    return int(datasette.setting("sql_time_limit_ms"))


async def _run(datasette: Any, fn: Callable[[Any], Any]) -> Any:
    """Run `fn(conn)` on a read connection under the instance's SQL time limit."""
    limit = _time_limit_ms(datasette)

    def limited(conn: Any) -> Any:
        with sqlite_timelimit(conn, limit):
            return fn(conn)

    return await _database(datasette).execute_fn(limited)


def _valid_date(value: str) -> str:
    value = value.strip()
    if len(value) == 7:  # a month, YYYY-MM
        value += "-01"
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def _filters(request: Any) -> search.SearchFilters:
    args = request.args
    date_to = args.get("to", "").strip()
    if len(date_to) == 7:  # a month: up to its last day
        try:
            first = date.fromisoformat(date_to + "-01")
        except ValueError:
            date_to = ""
        else:
            following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
            date_to = date.fromordinal(following.toordinal() - 1).isoformat()
    return search.SearchFilters(
        date_from=_valid_date(args.get("from", "")),
        date_to=_valid_date(date_to),
        place=args.get("place", "").strip(),
        category=args.get("category", "").strip(),
        author=args.get("author", "").strip(),
    )


def _page(request: Any) -> int:
    try:
        return min(MAX_PAGE, max(1, int(request.args.get("page", "1"))))
    except ValueError:
        return 1


def _params(q: str, filters: search.SearchFilters, **extra: Any) -> dict[str, str]:
    """Query-string parameters of a search, without the empty ones."""
    params = {
        "q": q,
        "from": filters.date_from,
        "to": filters.date_to,
        "place": filters.place,
        "category": filters.category,
        "author": filters.author,
        **{key: str(value) for key, value in extra.items() if value not in (None, "")},
    }
    return {key: value for key, value in params.items() if value}


def _url(path: str, params: dict[str, str]) -> str:
    return f"{path}?{urlencode(params)}" if params else path


async def _search(datasette: Any, request: Any, page_size: int, sort: str | None = None) -> Any:
    """Run the search a request asks for; a timeout is retried with a candidate cap."""
    q = request.args.get("q", "")
    filters = _filters(request)
    sort = sort or request.args.get("sort", "relevance")
    page = _page(request)

    def run(cap: int | None) -> Callable[[Any], search.SearchResults]:
        return lambda conn: search.search(
            conn, q, filters, sort=sort, page=page, page_size=page_size, candidate_cap=cap
        )

    try:
        return await _run(datasette, run(None))
    except sqlite3.OperationalError as error:
        if "interrupted" not in str(error):  # the time limit stopped it
            raise
        logger.warning("search %r timed out; retrying among the newest matches", q)
        return await _run(datasette, run(search.CANDIDATE_CAP))


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
        options = await _run(datasette, load)
    except sqlite3.OperationalError as error:  # too slow: the form works without suggestions
        if "interrupted" not in str(error):
            raise
        options = {"places": [], "authors": [], "categories": []}
    _options_cache[datasette] = (time.monotonic(), options)
    return options


async def _render(datasette: Any, request: Any, template: str, context: dict) -> Response:
    context = {"metadata": datasette.metadata() or {}, **context}
    return Response.html(await datasette.render_template(template, context, request=request))


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


# ---------------------------------------------------------------------------- views


async def search_page(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")
    filters = _filters(request)
    sort = request.args.get("sort", "relevance")
    error = None
    results = None
    try:
        results = await _search(datasette, request, PAGE_SIZE)
    except search.SearchQueryError as exc:
        error = str(exc)
    base = _params(q, filters, sort=sort if sort != "relevance" else "")
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
        "prev_url": _url("/search", {**base, "page": str(results.page - 1)})
        if results and results.page > 1
        else None,
        "next_url": _url("/search", {**base, "page": str(results.page + 1)})
        if results and results.has_next and results.page < MAX_PAGE
        else None,
        "feed_url": _url("/search.atom", _params(q, filters)),
        "json_url": _url("/search.json", base),
        "counts_url": _url("/counts", _params(q, filters)),
    }
    return await _render(datasette, request, "search.html", context)


async def search_json(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")
    filters = _filters(request)
    try:
        results = await _search(datasette, request, _page_size(request))
    except search.SearchQueryError as exc:
        return Response.json({"ok": False, "error": str(exc)}, status=400)
    base = _params(q, filters, sort=results.sort, size=request.args.get("size", ""))
    next_url = (
        _url("/search.json", {**base, "page": str(results.page + 1)})
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


ATOM = "http://www.w3.org/2005/Atom"


async def search_atom(datasette: Any, request: Any) -> Response:
    """The newest articles of a search as an Atom feed (ElementTree does the escaping)."""
    q = request.args.get("q", "")
    filters = _filters(request)
    try:
        results = await _search(datasette, request, FEED_SIZE, sort="newest")
    except search.SearchQueryError as exc:
        return Response.text(str(exc), status=400)
    bodies = await _run(
        datasette,
        lambda conn: (
            {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT id, body_html, last_seen FROM articles WHERE id IN "
                    f"({', '.join('?' * len(results.rows))})",
                    [row["id"] for row in results.rows],
                )
            }
            if results.rows
            else {}
        ),
    )
    origin = f"{request.scheme}://{request.host}"
    title = datasette.metadata("title") or "newsarchive"
    described = ", ".join(f"{k} {v}" for k, v in _params(q, filters).items())
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def sub(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = _xml_text(text)
        return element

    sub(feed, "title", f"{title}: {described or 'all articles'}")
    sub(feed, "id", origin + _url("/search.atom", _params(q, filters)))
    sub(feed, "link", rel="self", href=origin + _url("/search.atom", _params(q, filters)))
    sub(feed, "link", rel="alternate", type="text/html",
        href=origin + _url("/search", _params(q, filters, sort="newest")))  # fmt: skip
    newest = max((row["published"] or "" for row in results.rows), default="")
    sub(feed, "updated", _atom_date(newest) or datetime.now(UTC).isoformat(timespec="seconds"))
    for row in results.rows:
        body_html, last_seen = bodies.get(row["id"], (None, None))
        entry = sub(feed, "entry")
        sub(entry, "id", row["url"] or f"{origin}/article/{row['id']}")
        sub(entry, "title", row["title"] or "")
        sub(entry, "link", rel="alternate", type="text/html", href=row["url"] or "")
        sub(entry, "link", rel="related", type="text/html", href=f"{origin}/article/{row['id']}")
        published = _atom_date(row["published"])
        if published:
            sub(entry, "published", published)
        sub(entry, "updated", _atom_date(last_seen) or published or "1970-01-01T00:00:00Z")
        if row["author"]:
            sub(sub(entry, "author"), "name", row["author"])
        for category in row["categories"]:
            sub(entry, "category", term=_xml_text(str(category)))
        sub(entry, "summary", row.get("description") or "", type="text")
        sub(entry, "content", str(clean_body_html(body_html, row["url"])), type="html")
    xml = ElementTree.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(xml, content_type="application/atom+xml; charset=utf-8")


def _xml_text(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry at all."""
    return "".join(
        char
        for char in text
        if char in "\t\n\r" or (ord(char) >= 0x20 and char not in "\ufffe\uffff")
    )


def _atom_date(value: str | None) -> str | None:
    """An RFC 3339 date-time for Atom from an ISO date or date-time (UTC when no offset)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")


async def article_page(datasette: Any, request: Any) -> Response:
    article_id = int(request.url_vars["id"])

    def load(conn: Any) -> dict[str, Any] | None:
        cursor = conn.execute("SELECT * FROM articles WHERE id = ?", [article_id])
        row = cursor.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cursor.description], row, strict=True))

    article = await _run(datasette, load)
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
        "database": _database(datasette).name,
    }
    return await _render(datasette, request, "article.html", context)


async def counts_page(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")
    filters = _filters(request)
    try:
        months = await _run(datasette, lambda conn: search.counts_by_month(conn, q, filters))
    except search.SearchQueryError as exc:
        months, error = [], str(exc)
    else:
        error = None
    if request.url_vars.get("format") == "json":
        return Response.json(
            {
                "query": q,
                "filters": asdict(filters),
                "months": [{"month": month, "articles": count} for month, count in months],
            }
        )
    months = _fill_months(months)
    rows = [
        {
            "month": month,
            "count": count,
            "search_url": _url("/search", {**_params(q, filters), "from": month, "to": month}),
        }
        for month, count in months
    ]
    context = {
        "q": q,
        "filters": filters,
        "rows": rows,
        "total": sum(count for _, count in months),
        "chart": Markup(bar_chart_svg(months)),  # noqa: S704 - built with escaped text only
        "error": error,
        "search_url": _url("/search", _params(q, filters)),
        "json_url": _url("/counts.json", _params(q, filters)),
    }
    return await _render(datasette, request, "counts.html", context)


def _fill_months(months: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The months from first to last, with 0 for the months without articles."""
    if not months:
        return []
    counts = dict(months)
    year, month = (int(part) for part in months[0][0].split("-")[:2])
    last = months[-1][0]
    filled = []
    while True:
        key = f"{year:04d}-{month:02d}"
        filled.append((key, counts.get(key, 0)))
        if key >= last or len(filled) > 2400:
            return filled
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _tick_step(peak: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most about five gridlines."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude * 4 >= peak:
                return factor * magnitude
        magnitude *= 10


def bar_chart_svg(months: list[tuple[str, int]], width: int = 900, height: int = 260) -> str:
    """Articles per month as an inline SVG bar chart (no script, no external resources)."""
    import html

    if not months:
        return ""
    left, bottom, top = 48, 28, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    tick = _tick_step(max(count for _, count in months))
    peak = tick * -(-max(count for _, count in months) // tick) or tick
    step = plot_w / len(months)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-title"><title id="chart-title">Articles per month, '
        f"{html.escape(months[0][0])} to {html.escape(months[-1][0])}</title>"
    ]
    for value in range(0, peak + 1, tick):
        y = top + plot_h * (1 - value / peak)
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for index, (month, count) in enumerate(months):
        bar_h = plot_h * count / peak
        x = left + index * step
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{top + plot_h - bar_h:.1f}" '
            f'width="{max(step * 0.8, 1):.1f}" height="{bar_h:.1f}">'
            f"<title>{html.escape(month)}: {count} articles</title></rect>"
        )
        if month.endswith("-01") or index == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" class="axis">{html.escape(month[:4])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)


async def api_page(datasette: Any, request: Any) -> Response:
    context = {
        "origin": f"{request.scheme}://{request.host}",
        "database": _database(datasette).name,
        "sql_allowed": await datasette.permission_allowed(None, "execute-sql", default=True),
    }
    return await _render(datasette, request, "api.html", context)


def nice_date(value: str | None) -> str:
    """An ISO date-time as '2024-06-20 09:00' (its own local time), a date as is."""
    if not value:
        return ""
    return value[:16].replace("T", " ")


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


class ArrayFacet(datasette_facets.ArrayFacet):
    """Datasette's array facet, counting each distinct array once instead of every row.

    Datasette 0.65 de-duplicates array items with `SELECT DISTINCT j.value, inner.*`, which
    sorts every column of every row, article texts included: at 100 000 articles the
    categories and tags facets ran past the facet time limit and vanished from the page. Here
    the table's rows are first grouped by the array column's text (a few dozen distinct
    category lists, a few ten thousand tag lists; an index on the column answers that alone),
    then each distinct array is expanded once, its items de-duplicated, and weighted by how
    many rows carry it: the same counts, at 1 000 000 articles within the facet time limit.
    """

    async def facet_results(self) -> Any:
        facet_results: list[dict[str, Any]] = []
        facets_timed_out: list[str] = []
        facet_size = self.get_facet_size()
        for source_and_config in self.get_configs():
            config = source_and_config["config"]
            source = source_and_config["source"]
            column = config.get("column") or config["simple"]
            facet_sql = f"""
                with grouped as (
                    select {escape_sqlite(column)} as array_text, count(*) as n
                    from ({self.sql}) group by array_text
                ),
                items as (
                    select distinct grouped.array_text, j.value as value, grouped.n as n
                    from grouped, json_each(grouped.array_text) j
                )
                select value, sum(n) as count from items
                group by value order by count desc, value limit {facet_size + 1}
            """
            try:
                rows = await self.ds.execute(
                    self.database,
                    facet_sql,
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                facets_timed_out.append(column)
                continue
            pairs = self.get_querystring_pairs()
            values = []
            for row in rows.rows[:facet_size]:
                value = str(row["value"])
                selected = (f"{column}__arraycontains", value) in pairs
                toggle = {f"{column}__arraycontains": value}
                toggle_path = (
                    path_with_removed_args(self.request, toggle)
                    if selected
                    else path_with_added_args(self.request, toggle)
                )
                values.append(
                    {
                        "value": value,
                        "label": value,
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, toggle_path),
                        "selected": selected,
                    }
                )
            facet_results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": source != "metadata",
                    "toggle_url": self.ds.urls.path(
                        path_with_removed_args(self.request, {"_facet_array": column})
                    ),
                    "truncated": len(rows) > facet_size,
                }
            )
        return facet_results, facets_timed_out


@hookimpl(hookwrapper=True)
def register_facet_classes() -> Any:
    # Swap Datasette's ArrayFacet for the grouped one above; everything else stays as it is.
    outcome = yield
    outcome.force_result(
        [
            [ArrayFacet if klass is datasette_facets.ArrayFacet else klass for klass in classes]
            for classes in outcome.get_result()
        ]
    )


@hookimpl
def prepare_connection(conn: Any) -> None:
    search.register_functions(conn)


def _sync_committed(conn: Any) -> int:
    with conn:  # Datasette leaves committing to the function
        return search.sync_search_index(conn)


@hookimpl
def startup(datasette: Any) -> Any:
    async def sync() -> None:
        for database in datasette.databases.values():
            if database.is_memory or not database.is_mutable:
                continue
            if not await database.table_exists(search.PENDING_TABLE):
                continue
            pending = await database.execute(f"SELECT count(*) FROM {search.PENDING_TABLE}")
            if pending.first()[0]:
                done = await database.execute_write_fn(_sync_committed, block=True)
                logger.info("search index: %s articles indexed at startup", done)

    return sync


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/search$", search_page),
        (r"^/search\.json$", search_json),
        (r"^/search\.atom$", search_atom),
        (r"^/article/(?P<id>\d{1,18})$", article_page),
        (r"^/counts(\.(?P<format>json))?$", counts_page),
        (r"^/api$", api_page),
        (r"^/-/research/(?P<name>[a-z][a-z0-9-]*\.(css|svg))$", static_file),
    ]


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["nicedate"] = nice_date


@hookimpl
def extra_css_urls() -> list[str]:
    return ["/-/research/research.css"]


@hookimpl
def render_cell(value: Any, column: str, table: str | None, row: Any) -> Any:
    if column == "snippet_html" and isinstance(value, str):
        return clean_snippet(value)
    if table == "articles" and column == "title" and isinstance(value, str):
        try:
            article_id = int(row["id"])
        except (KeyError, IndexError, TypeError, ValueError):
            return None
        return Markup('<a href="/article/{}">{}</a>').format(article_id, value)
    return None


@hookimpl
def extra_template_vars(template: str, datasette: Any) -> Any:
    if template != "index.html":
        return {}

    async def archive_facts() -> dict[str, Any]:
        database = _database(datasette)
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
        if await database.table_exists("crawls"):
            crawls = await database.execute("SELECT min(started), max(finished) FROM crawls")
            first_seen, last_seen = crawls.first()
        return {
            "archive": {
                "database": database.name,
                "articles": count,
                "first": (first or "")[:10],
                "last": (last or "")[:10],
                "first_seen": (first_seen or "")[:10],
                "last_seen": (last_seen or "")[:10],
                "places": places,
            }
        }

    return archive_facts
