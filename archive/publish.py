"""Publish the archive with Datasette: metadata, plugins, templates and settings in one place."""

from __future__ import annotations

import asyncio
import json
import logging
import os
from pathlib import Path
from typing import Any

from datasette.app import Datasette

from archive.db import ArchiveNotFound, open_archive

logger = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parent.parent
METADATA_PATH = PROJECT_ROOT / "metadata.json"
PLUGINS_DIR = Path(__file__).resolve().parent / "plugins"
TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"

# Limits of the public instance: a slow or huge query is cut off instead of hogging the server.
DATASETTE_SETTINGS: dict[str, Any] = {
    "sql_time_limit_ms": 3000,
    "max_returned_rows": 1000,
    "facet_time_limit_ms": 500,
    "default_page_size": 50,
    "allow_download": False,
    "suggest_facets": False,
}


# Arbitrary SQL (`?sql=`, the SQL editor) is off unless switched on, by this environment
# variable ("1", "true", "yes") or by make_datasette(..., allow_sql=True). Canned queries,
# table views, the search pages and the JSON API work either way.
ALLOW_SQL_ENV = "NEWSARCHIVE_ALLOW_SQL"


def sql_allowed(allow_sql: bool | None = None) -> bool:
    """Whether arbitrary SQL is allowed: the explicit choice, else the environment variable."""
    if allow_sql is not None:
        return allow_sql
    return os.environ.get(ALLOW_SQL_ENV, "").strip().lower() in ("1", "true", "yes", "on")


def load_metadata(path: Path = METADATA_PATH) -> dict[str, Any]:
    """The Datasette metadata (title, licence, source, table and column descriptions)."""
    with path.open(encoding="utf-8") as file:
        return json.load(file)


def make_datasette(
    db_path: str | Path,
    *,
    settings: dict[str, Any] | None = None,
    allow_sql: bool | None = None,
) -> Datasette:
    """A Datasette instance serving the archive at `db_path`, migrated to the current schema."""
    db_path = Path(db_path)
    if not db_path.exists():
        raise ArchiveNotFound(f"no archive at {db_path}: run 'newsarchive crawl --db {db_path}'")
    # Bring an older archive's schema up to date before serving it.
    open_archive(db_path).close()
    metadata = load_metadata()
    if not sql_allowed(allow_sql):
        metadata["allow_sql"] = {}  # an empty allow block: nobody
    return Datasette(
        [str(db_path)],
        metadata=metadata,
        plugins_dir=str(PLUGINS_DIR),
        template_dir=str(TEMPLATES_DIR),
        settings={**DATASETTE_SETTINGS, **(settings or {})},
    )


def serve(
    db_path: str | Path,
    *,
    host: str = "127.0.0.1",
    port: int = 8001,
    allow_sql: bool | None = None,
) -> None:
    """Serve the archive over HTTP until interrupted."""
    import uvicorn

    datasette = make_datasette(db_path, allow_sql=allow_sql)
    asyncio.run(datasette.invoke_startup())
    uvicorn.run(datasette.app(), host=host, port=port, log_level="warning")
