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
from archive.research.capture import (
    PLUGIN_NAME,
    REPLAY_URL_ENV,
    ReplayConfigError,
    check_replay_url,
)

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
    replay_url: str | None = None,
    warc_dir: str | Path | None = None,
) -> Datasette:
    """A Datasette instance serving the archive at `db_path`, migrated to the current schema.

    `replay_url` is the base URL of a replay service for the article pages' capture links
    (default: the `NEWSARCHIVE_REPLAY_URL` environment variable); anything but http(s) raises
    `ReplayConfigError`. `warc_dir` is the archive's WARC folder when not the default one.
    """
    db_path = Path(db_path)
    if not db_path.exists():
        raise ArchiveNotFound(f"no archive at {db_path}: run 'newsarchive crawl --db {db_path}'")
    check_replay_url(replay_url)
    check_replay_url(os.environ.get(REPLAY_URL_ENV))
    # Bring an older archive's schema up to date before serving it.
    open_archive(db_path).close()
    metadata = load_metadata()
    if not sql_allowed(allow_sql):
        metadata["allow_sql"] = {}  # an empty allow block: nobody
    plugin = {
        key: str(value)
        for key, value in (("replay_url", replay_url), ("warc_dir", warc_dir))
        if value
    }
    if plugin:
        metadata.setdefault("plugins", {})[PLUGIN_NAME] = plugin
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

    try:
        datasette = make_datasette(db_path, allow_sql=allow_sql)
    except ReplayConfigError as error:
        raise SystemExit(f"newsarchive serve: {error}") from error
    asyncio.run(datasette.invoke_startup())
    # A client stalling a streamed export must not keep a stopped server alive: after SIGTERM,
    # open responses get a few seconds to finish, then they are cut.
    uvicorn.run(
        datasette.app(), host=host, port=port, log_level="warning", timeout_graceful_shutdown=5
    )
