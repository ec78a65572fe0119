"""The crawl ledger's archiving columns: incremental counts, WARC output, quality warnings."""

from __future__ import annotations

import json
import logging
from typing import Any

from sqlite_utils import Database

from archive.db import get_crawl
from archive.quality import field_drift_warnings

logger = logging.getLogger(__name__)


def archiving_columns(db: Database, crawl_id: int, stats: dict[str, Any]) -> dict[str, Any]:
    """Ledger columns of a finished crawl, from Scrapy's stats and the archive itself."""

    def stat(key: str) -> int:
        return int(stats.get(key, 0) or 0)

    started = get_crawl(db, crawl_id)["started"]
    warnings = field_drift_warnings(db, started)
    for warning in warnings:
        logger.warning("FIELD DROP in crawl %s: %s", crawl_id, warning)
    files = stats.get("newsarchive/warc/files") or []
    return {
        "not_modified": stat("newsarchive/not_modified"),
        "skipped_unchanged": stat("newsarchive/incremental/skipped"),
        "warc_records": stat("newsarchive/warc/records"),
        "warc_bytes": stat("newsarchive/warc/bytes"),
        "warc_files": json.dumps(files) if files else None,
        "cdxj_index": stats.get("newsarchive/warc/index"),
        "warnings": json.dumps(warnings, ensure_ascii=False) if warnings else None,
    }
