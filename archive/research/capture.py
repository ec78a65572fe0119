"""An article's capture: where its WARC record is, a replay link, and the raw record as a download.

The WARC folder is the archive's default (`<db stem>-warc/` beside the database) unless the
`NEWSARCHIVE_WARC_DIR` environment variable or the plugin setting `warc_dir` names another. The
replay link is built from a base URL (`NEWSARCHIVE_REPLAY_URL`, or the plugin setting
`replay_url`): either a pywb collection (`http://localhost:8080/newsarchive`, the link is
`<base>/<14-digit timestamp>/<url>`) or a template with `{timestamp}` and `{url}` (ReplayWeb.page:
`https://replayweb.page/?source=…#view=pages&url={url}&ts={timestamp}`). A base URL that is not
http(s) is refused when the instance starts.
"""

from __future__ import annotations

import os
import re
import zlib
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from datasette.utils.asgi import NotFound, Response

from archive.warcs import WarcError, default_warc_dir, read_capture

PLUGIN_NAME = "newsarchive-research"
WARC_DIR_ENV = "NEWSARCHIVE_WARC_DIR"
REPLAY_URL_ENV = "NEWSARCHIVE_REPLAY_URL"
MAX_RECORD_BYTES = 64 * 1024 * 1024  # a record bigger than this is not served
_CHUNK = 1 << 16


class ReplayConfigError(ValueError):
    """A replay base URL that cannot be used (not http or https)."""


def check_replay_url(value: str | None) -> str | None:
    """The replay base URL, checked: empty means none; anything but http(s) is refused."""
    value = (value or "").strip()
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ReplayConfigError(
            f"replay base URL {value!r} is not an http(s) URL: set {REPLAY_URL_ENV} (or the "
            f"'{PLUGIN_NAME}' plugin setting replay_url) to a pywb collection such as "
            "http://localhost:8080/newsarchive, or leave it empty"
        )
    return value


def plugin_settings(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN_NAME) or {}


def replay_base(datasette: Any) -> str | None:
    """The configured replay base URL (environment first, then the plugin setting)."""
    value = os.environ.get(REPLAY_URL_ENV) or plugin_settings(datasette).get("replay_url")
    return check_replay_url(value)


def warc_dir(datasette: Any, database: Any) -> Path | None:
    """The WARC folder of the archive the instance serves."""
    configured = os.environ.get(WARC_DIR_ENV) or plugin_settings(datasette).get("warc_dir")
    if configured:
        return Path(configured)
    if not database.path:
        return None
    return default_warc_dir(database.path)


def warc_timestamp(warc_date: str | None) -> str:
    """A WARC-Date (2024-06-20T09:00:00Z) as the 14 digits replay tools use."""
    return re.sub(r"\D", "", warc_date or "")[:14]


def replay_url(base: str | None, url: str | None, warc_date: str | None) -> str | None:
    """The link that replays `url` as captured at `warc_date`, or None without a base."""
    if not base or not url or urlsplit(url).scheme not in ("http", "https"):
        return None
    timestamp = warc_timestamp(warc_date)
    if "{url}" in base:
        return base.replace("{timestamp}", timestamp).replace("{url}", quote(url, safe=""))
    return f"{base.rstrip('/')}/{timestamp}/{url}"


def record_path(directory: Path, name: str) -> Path | None:
    """`name` inside the WARC folder, or None when it would lead outside it."""
    if not name or "\x00" in name:
        return None
    root = directory.resolve()
    path = (root / name).resolve()
    return path if path.is_relative_to(root) else None


def capture_facts(directory: Path | None, pointer: dict[str, Any]) -> dict[str, Any]:
    """What the article page says about a capture: file, record id, digest, capture time."""
    facts = {
        "file": pointer.get("warc_file"),
        "offset": pointer.get("warc_offset"),
        "record_id": pointer.get("warc_record_id"),
        "digest": pointer.get("warc_digest"),
        "date": None,
        "available": False,
        "problem": None,
    }
    if not facts["file"] or facts["offset"] is None:
        facts["problem"] = "no WARC record (crawled without WARC capture)"
        return facts
    path = record_path(directory, facts["file"]) if directory else None
    if path is None or not path.is_file():
        facts["problem"] = "its WARC file is not on this server"
        return facts
    try:
        capture = read_capture(path.parent, path.name, int(facts["offset"]))
    except WarcError:
        facts["problem"] = "its WARC record cannot be read"
        return facts
    if facts["record_id"] and capture.record_id != facts["record_id"]:
        facts["problem"] = "the WARC file holds another record at that offset"
        return facts
    facts.update(date=capture.date, available=True)
    return facts


def raw_record(path: Path, offset: int) -> bytes:
    """The uncompressed WARC record stored as the gzip member at `offset` of `path`."""
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    out = bytearray()
    with path.open("rb") as stream:
        stream.seek(offset)
        while not inflater.eof:
            chunk = stream.read(_CHUNK)
            if not chunk:
                raise WarcError(f"{path.name}: the record at {offset} is cut short")
            out += inflater.decompress(chunk)
            if len(out) > MAX_RECORD_BYTES:
                raise WarcError(f"{path.name}: the record at {offset} is too big to serve")
    if not out.startswith(b"WARC/"):
        raise WarcError(f"{path.name}: no WARC record at {offset}")
    return bytes(out)


def warc_download(directory: Path | None, pointer: dict[str, Any], name: str) -> Response:
    """The raw record as an attachment (`application/warc`), never shown inline."""
    path = record_path(directory, pointer.get("warc_file") or "") if directory else None
    if path is None or not path.is_file() or pointer.get("warc_offset") is None:
        raise NotFound("no WARC record for this article on this server")
    try:
        body = raw_record(path, int(pointer["warc_offset"]))
    except (OSError, zlib.error, WarcError) as error:
        raise NotFound(f"the WARC record cannot be read: {error}") from error
    return Response(
        body,
        content_type="application/warc",
        headers={
            "content-disposition": f'attachment; filename="{name}"',
            "x-content-type-options": "nosniff",
            "cache-control": "no-store",
        },
    )
