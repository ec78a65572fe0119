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
from archive.research.article import article_page
from archive.research.common import clean_snippet, nice_date
from archive.research.counts import counts_page
from archive.research.facets import ArrayFacet
from archive.research.feeds import search_atom
from archive.research.home import api_page, archive_facts, static_file
from archive.research.search_pages import search_json, search_page

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

    async def home_facts() -> dict[str, Any]:
        return await archive_facts(datasette)

    return home_facts
