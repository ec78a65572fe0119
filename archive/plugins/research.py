"""Datasette plugin: the archive for researchers.

Pages: `/search` (search form, filters, results with highlighted snippets), `/search.json` and
`/search.atom` (the same search as JSON and as an Atom feed), `/article/<id>` (a readable
article), `/counts` and `/counts.json` (articles per month, as a chart and a table), and the home
page (`index.html`). SQL functions `nl_query(q)` and `nl_snippet(text, q)` serve the canned
queries in metadata.json.

This module holds the Datasette hooks only; the pages are in the `archive.research` package
(one module per page group, shared helpers in `archive.research.common`).
"""

from __future__ import annotations

import logging
from typing import Any

from datasette import facets as datasette_facets
from datasette import hookimpl
from markupsafe import Markup

from archive import search
from archive.research.article import article_page, article_warc
from archive.research.capture import replay_base
from archive.research.common import clean_snippet, nice_date
from archive.research.counts import counts_page
from archive.research.crawls import coverage_page, crawls_page
from archive.research.facets import ArrayFacet
from archive.research.feeds import search_atom
from archive.research.home import api_page, archive_facts, static_file
from archive.research.search_pages import search_json, search_page
from archive.research.table import (
    TABLE,
    column_links,
    recent_search_filters,
    with_browse_columns,
    with_json_arrays,
    with_search_cap_key,
    with_search_window,
)

logger = logging.getLogger(__name__)


@hookimpl(hookwrapper=True)
def register_facet_classes() -> Any:
    # Swap Datasette's ArrayFacet for the grouped one (archive.research.facets); the rest stays.
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
    replay_base(datasette)  # a replay base URL that is not http(s) stops the start here

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
        (r"^/article/(?P<id>\d{1,18})/record\.warc$", article_warc),
        (r"^/counts(\.(?P<format>json))?$", counts_page),
        (r"^/crawls(\.(?P<format>json))?$", crawls_page),
        (r"^/coverage(\.(?P<format>json))?$", coverage_page),
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
def extra_template_vars(
    template: str,
    database: str | None,
    table: str | None,
    columns: Any,
    request: Any,
    datasette: Any,
) -> Any:
    if template == "index.html":

        async def home_facts() -> dict[str, Any]:
            return await archive_facts(datasette)

        return home_facts
    if table == TABLE and request is not None and template.startswith("table"):

        async def chooser() -> dict[str, Any]:
            all_columns = await datasette.get_database(database).table_columns(table)
            shown = list(columns or [])
            return {"column_chooser": column_links(request, shown, all_columns)}

        return chooser
    return {}


@hookimpl
def filters_from_request(request: Any, database: str, table: str, datasette: Any) -> Any:
    # The articles table's bounded search, `_recent_search=` (archive.research.table).
    async def recent_search() -> Any:
        return await recent_search_filters(request, database, table, datasette)

    return recent_search


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    # The articles table: browsing columns by default, list columns as JSON arrays, a search
    # with too many matches bounded to its most recent ones (archive.research.table).
    def wrap(app: Any) -> Any:
        async def articles_defaults(scope: dict[str, Any], receive: Any, send: Any) -> None:
            if scope["type"] == "http" and scope.get("method", "GET") in ("GET", "HEAD"):
                database = datasette.get_database().name
                scope = with_json_arrays(with_browse_columns(scope, database), database)
                scope = await with_search_window(scope, datasette, database)
                send = with_search_cap_key(scope, send, database)
            await app(scope, receive, send)

        return articles_defaults

    return wrap
