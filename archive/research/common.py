"""What the research pages share: queries under the time limit, request filters, URLs, rendering
and HTML cleaning."""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Callable
from datetime import date
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

import nh3
from datasette.utils import sqlite_timelimit
from datasette.utils.asgi import Response
from markupsafe import Markup

from archive import search

logger = logging.getLogger(__name__)

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


def nice_date(value: str | None) -> str:
    """An ISO date-time as '2024-06-20 09:00' (its own local time), a date as is."""
    if not value:
        return ""
    return value[:16].replace("T", " ")


# ---------------------------------------------------------------------------- queries


def archive_database(datasette: Any) -> Any:
    """The archive's database (the instance's only one)."""
    return datasette.get_database()


def _time_limit_ms(datasette: Any) -> int:
    return int(datasette.setting("sql_time_limit_ms"))


async def run_limited(datasette: Any, fn: Callable[[Any], Any]) -> Any:
    """Run `fn(conn)` on a read connection under the instance's SQL time limit."""
    limit = _time_limit_ms(datasette)

    def limited(conn: Any) -> Any:
        with sqlite_timelimit(conn, limit):
            return fn(conn)

    return await archive_database(datasette).execute_fn(limited)


# ---------------------------------------------------------------------------- requests


def _valid_date(value: str) -> str:
    value = value.strip()
    if len(value) == 7:  # a month, YYYY-MM
        value += "-01"
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        return ""


def request_filters(request: Any) -> search.SearchFilters:
    """The search filters of a request's query string (invalid dates are dropped)."""
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


def search_params(q: str, filters: search.SearchFilters, **extra: Any) -> dict[str, str]:
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


def query_url(path: str, params: dict[str, str]) -> str:
    """`path` with `params` as its query string (none when empty)."""
    return f"{path}?{urlencode(params)}" if params else path


async def run_search(datasette: Any, request: Any, page_size: int, sort: str | None = None) -> Any:
    """Run the search a request asks for; a timeout is retried with a candidate cap."""
    q = request.args.get("q", "")
    filters = request_filters(request)
    sort = sort or request.args.get("sort", "relevance")
    page = _page(request)

    def run(cap: int | None) -> Callable[[Any], search.SearchResults]:
        return lambda conn: search.search(
            conn, q, filters, sort=sort, page=page, page_size=page_size, candidate_cap=cap
        )

    try:
        return await run_limited(datasette, run(None))
    except sqlite3.OperationalError as error:
        if "interrupted" not in str(error):  # the time limit stopped it
            raise
        logger.warning("search %r timed out; retrying among the newest matches", q)
        return await run_limited(datasette, run(search.CANDIDATE_CAP))


# ---------------------------------------------------------------------------- output


async def render(datasette: Any, request: Any, template: str, context: dict) -> Response:
    """A page from one of the templates, with the instance's metadata in its context."""
    context = {"metadata": datasette.metadata() or {}, **context}
    return Response.html(await datasette.render_template(template, context, request=request))
