"""The articles table page and its JSON: a browsing column set by default, list columns as arrays.

* `/<db>/articles` without `_col`, `_nocol` or `_allcols` is served as if it asked for the
  browsing columns (`BROWSE_COLUMNS`; the key `id` always comes first), and the page's own links
  (sorting, facets, next page) carry them: the page stays readable, every other column is one
  `_col` away, and `_allcols=1` shows them all.
* `/<db>/articles.json` and a row's `.json` without `_json` get `_json=` for each JSON list
  column (authors, categories, tags), so they come back as arrays, as in `/search.json`.
  An explicit `_json=` (any value) keeps Datasette's own behaviour.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, urlencode

TABLE = "articles"
BROWSE_COLUMNS = ("published", "title", "place", "author", "categories")
LIST_COLUMNS = ("authors", "categories", "tags")
ALL_COLUMNS_FLAG = "_allcols"
_COLUMN_ARGS = {"_col", "_nocol", ALL_COLUMNS_FLAG}


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
