"""The articles table page and its JSON: a browsing column set by default, list columns as arrays.

* `/<db>/articles` without `_col`, `_nocol` or `_allcols` is served as if it asked for the
  browsing columns (`BROWSE_COLUMNS`; the key `id` always comes first), and the page's own links
  (sorting, facets, next page) carry them: the page stays readable, every other column is one
  `_col` away, and `_allcols=1` shows them all.
* `/<db>/articles.json` and a row's `.json` without `_json` get `_json=` for each JSON list
  column (authors, categories, tags), so they come back as arrays, as in `/search.json`.
  An explicit `_json=` (any value) keeps Datasette's own behaviour.
* `?_search=X` on the table page, its JSON and CSV, when X matches more than
  `TABLE_SEARCH_WINDOW` articles in the plain index, is answered among the window's most
  recently archived matches only: Datasette's clause materializes and sorts every match by date
  (a word in most of a million articles runs past the SQL time limit), while a rowid bound
  inside the full-text subquery lets FTS5 stop early. The request's `_search` becomes
  `_recent_search` (`recent_search_filters` turns it into the bounded clause and says so in the
  human description), and the JSON gets `"search_capped": {"window": …, "matches": …}`.
  Fewer matches leave the request alone: Datasette's own search answers, exactly.
"""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette.database import QueryInterrupted
from datasette.filters import FilterArguments
from datasette.utils import escape_sqlite

logger = logging.getLogger(__name__)

TABLE = "articles"
BROWSE_COLUMNS = ("published", "title", "place", "author", "categories")
LIST_COLUMNS = ("authors", "categories", "tags")
ALL_COLUMNS_FLAG = "_allcols"
_COLUMN_ARGS = {"_col", "_nocol", ALL_COLUMNS_FLAG}

# A table search matching more articles than this is answered among its most recently archived
# matches only; up to it, Datasette's exact search answers. At 1 000 000 articles the most common
# word (864 131 matches) sorts 50 000 by date in about 0.1 s instead of all of them in over 1 s
# (docs/research.md, "The table page's defaults").
TABLE_SEARCH_WINDOW = 50_000
# The bounded search's own argument: not `_search…`, which Datasette reads as a column search.
RECENT_SEARCH_ARG = "_recent_search"
# Where the bounded search leaves its numbers in the request's ASGI scope for the JSON answer.
SEARCH_CAP_SCOPE_KEY = "newsarchive.search_capped"
SEARCH_CAP_JSON_KEY = "search_capped"
_FTS_OVERRIDE_ARGS = {"_fts_table", "_fts_pk"}


def _pairs(scope: dict[str, Any]) -> list[tuple[str, str]]:
    return parse_qsl(scope.get("query_string", b"").decode("latin-1"), keep_blank_values=True)


def table_request(path: str, database: str) -> str | None:
    """ "html" for the articles table page, "json" for its JSON or a row's, else None."""
    prefix = f"/{database}/{TABLE}"
    if path == prefix:
        return "html"
    if path == prefix + ".json" or re.fullmatch(re.escape(prefix) + r"/[^/]+\.json", path):
        return "json"
    return None


def with_browse_columns(scope: dict[str, Any], database: str) -> dict[str, Any]:
    """The scope of a table page request that chose no columns, with the browsing columns."""
    if table_request(scope.get("path", ""), database) != "html":
        return scope
    pairs = _pairs(scope)
    if any(name in _COLUMN_ARGS for name, _ in pairs):
        return scope
    pairs += [("_col", column) for column in BROWSE_COLUMNS]
    return {**scope, "query_string": urlencode(pairs).encode("latin-1")}


def with_json_arrays(scope: dict[str, Any], database: str) -> dict[str, Any]:
    """The scope of a JSON request with `_json=` for the list columns added when none is given."""
    if table_request(scope.get("path", ""), database) != "json":
        return scope
    pairs = _pairs(scope)
    if any(name == "_json" for name, _ in pairs):
        return scope
    pairs += [("_json", column) for column in LIST_COLUMNS]
    return {**scope, "query_string": urlencode(pairs).encode("latin-1")}


def column_links(request: Any, shown: list[str], all_columns: list[str]) -> dict[str, Any]:
    """The table page's column chooser: a link adding each hidden column, all, the browsing set."""
    pairs = [(k, v) for k, v in _pairs({"query_string": request.query_string.encode("latin-1")})]
    kept = [(k, v) for k, v in pairs if k not in _COLUMN_ARGS and k != "_next"]
    current = [v for k, v in pairs if k == "_col"] or [c for c in all_columns if c in shown]
    path = request.path
    hidden = [column for column in all_columns if column not in shown]
    chosen = [("_col", column) for column in current]
    return {
        "add": [
            {
                "column": column,
                "href": f"{path}?{urlencode([*kept, *chosen, ('_col', column)])}",
            }
            for column in hidden
        ],
        "all": f"{path}?{urlencode([*kept, (ALL_COLUMNS_FLAG, '1')])}",
        "browse": f"{path}?{urlencode([*kept, *[('_col', c) for c in BROWSE_COLUMNS]])}",
        "hidden": len(hidden),
        "all_count": len(all_columns),
    }


# ------------------------------------------------------------------ table search, bounded


def search_request(path: str, database: str) -> str | None:
    """ "html", "json" or "csv" for the articles table itself (not a row), else None."""
    prefix = f"/{database}/{TABLE}"
    if path == prefix:
        return "html"
    for extension in ("json", "csv"):
        if path == f"{prefix}.{extension}":
            return extension
    return None


def _raw_search(searchmode: str | None, table_metadata: dict[str, Any]) -> bool:
    # Datasette's rule (datasette/filters.py search_filters): metadata, then `_searchmode`.
    if searchmode in ("raw", "escaped"):
        return searchmode == "raw"
    return table_metadata.get("searchmode") == "raw"


def _fts_match(fts_table: str, parameter: str, raw: bool) -> str:
    table = escape_sqlite(fts_table)
    query = f":{parameter}" if raw else f"escape_fts(:{parameter})"
    return f"select rowid from {table} where {table} match {query}"


async def _first_value(database: Any, sql: str, params: dict[str, Any]) -> Any:
    row = (await database.execute(sql, params)).first()
    return None if row is None else row[0]


async def with_search_window(
    scope: dict[str, Any], datasette: Any, database: str
) -> dict[str, Any]:
    """The scope of a table search, turned into a bounded search when it matches too many.

    A new `_search` drops a `_recent_search` the page's form carried along. Table requests get
    an empty dict under `SEARCH_CAP_SCOPE_KEY`, which `recent_search_filters` fills when it
    bounds the search.
    """
    if search_request(scope.get("path", ""), database) is None:
        return scope
    scope = {**scope, SEARCH_CAP_SCOPE_KEY: {}}
    pairs = _pairs(scope)
    names = {name for name, _ in pairs}
    if "_search" not in names:
        return scope
    pairs = [(name, value) for name, value in pairs if name != RECENT_SEARCH_ARG]
    search = next(value for name, value in pairs if name == "_search")
    column_searches = {n for n in names if n.startswith("_search_")} - {"_searchmode"}
    metadata = datasette.table_metadata(database, TABLE)
    fts_table = metadata.get("fts_table")
    if search.strip() and fts_table and not column_searches and not names & _FTS_OVERRIDE_ARGS:
        window = TABLE_SEARCH_WINDOW
        searchmode = next((v for n, v in pairs if n == "_searchmode"), None)
        inner = _fts_match(fts_table, "search", _raw_search(searchmode, metadata))
        try:
            matches = await _first_value(
                datasette.get_database(database),
                f"select count(*) from ({inner} limit :limit)",
                {"search": search, "limit": window + 1},
            )
        except (QueryInterrupted, sqlite3.DatabaseError) as error:  # Datasette will say it
            logger.info("table search %r not counted: %s", search, error)
            matches = 0
        if matches > window:
            pairs = [(RECENT_SEARCH_ARG if n == "_search" else n, v) for n, v in pairs]
    return {**scope, "query_string": urlencode(pairs).encode("latin-1")}


async def recent_search_filters(
    request: Any, database: str, table: str, datasette: Any
) -> FilterArguments | None:
    """`_recent_search=X`: the articles matching X among its window of most recent matches.

    The bound is a rowid floor inside the full-text subquery (`rowid >= floor`, the rowid of
    the window's last match), so FTS5 stops there; outside the subquery SQLite would still
    collect every match. With no more matches than the window, the search is exact.
    """
    search = request.args.get(RECENT_SEARCH_ARG)
    if table != TABLE or not search or "_search" in request.args:
        return None
    metadata = datasette.table_metadata(database, table)
    fts_table = metadata.get("fts_table")
    if not fts_table:
        return None
    db = datasette.get_database(database)
    window = TABLE_SEARCH_WINDOW
    matching = _fts_match(
        fts_table, "recent_search", _raw_search(request.args.get("_searchmode"), metadata)
    )
    params: dict[str, Any] = {"recent_search": search}
    floor = await _first_value(
        db,
        f"{matching} order by rowid desc limit 1 offset :offset",
        {**params, "offset": window - 1},
    )
    description = f'search matches "{search}"'
    if floor is not None:
        matches = await _first_value(db, f"select count(*) from ({matching})", params)
        if matches > window:
            matching += " and rowid >= :recent_search_floor"
            params["recent_search_floor"] = floor
            description += (
                f" among the {window:,} most recently archived of its {matches:,} matches"
                " (too many to sort by date)"
            )
            holder = request.scope.get(SEARCH_CAP_SCOPE_KEY)
            if isinstance(holder, dict):
                holder.update(window=window, matches=matches)
    fts_pk = escape_sqlite(metadata.get("fts_pk", "rowid"))
    return FilterArguments(
        [f"{fts_pk} in ({matching})"],
        params,
        [description],
        {"search": search, "supports_search": True},
    )


Send = Callable[[dict[str, Any]], Awaitable[None]]


def with_search_cap_key(scope: dict[str, Any], send: Send, database: str) -> Send:
    """`send` for the table's JSON, adding `search_capped` to an answer of a bounded search."""
    holder = scope.get(SEARCH_CAP_SCOPE_KEY)
    if holder is None or search_request(scope.get("path", ""), database) != "json":
        return send
    start: dict[str, Any] | None = None
    chunks: list[bytes] = []

    async def send_with_key(message: dict[str, Any]) -> None:
        nonlocal start
        if message["type"] == "http.response.start" and holder and message.get("status") == 200:
            start = message  # held until the body is complete
            return
        if start is None or message["type"] != "http.response.body":
            await send(message)
            return
        chunks.append(message.get("body", b""))
        if message.get("more_body"):
            return
        body = _body_with_cap(b"".join(chunks), holder)
        headers = [
            (name, value)
            for name, value in start.get("headers", [])
            if name.lower() != b"content-length"
        ]
        headers.append((b"content-length", str(len(body)).encode("latin-1")))
        await send({**start, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    return send_with_key


def _body_with_cap(body: bytes, cap: dict[str, Any]) -> bytes:
    # Only the shapes with a "rows" key are objects a key can join (`_shape=array`,
    # `_shape=object` and newline-delimited answers stay as they are).
    try:
        answer = json.loads(body)
    except ValueError:
        return body
    if not isinstance(answer, dict) or "rows" not in answer:
        return body
    answer[SEARCH_CAP_JSON_KEY] = dict(cap)
    return json.dumps(answer).encode("utf-8")
