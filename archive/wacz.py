"""Export the archive as a WACZ 1.1.1 package (Web Archive Collection Zipped).

The package holds:

* `archive/*.warc.gz` — the archive's WARC files as they are, or, with `since`, the records
  captured on or after that day (each file starting with its `warcinfo` record);
* `indexes/index.cdx` — a sorted CDXJ index of those files (by `cdxj_indexer`, as pywb and
  ReplayWeb.page read it);
* `pages/pages.jsonl` — one line per stored article whose capture is in the package: url, ts
  (capture time), title and text;
* `datapackage.json` — every file with its size and SHA-256, and `datapackage-digest.json`.

Files are stored uncompressed in the ZIP (WARCs are gzipped already), so a replay tool can read a
record in place. Bad input is refused with a `WaczExportError` naming what is missing or
damaged (no WARC folder, a file the articles point at is gone, a file cut short), unless
`skip_damaged` is set: then the package holds what is valid, and `ExportReport.left_out` (also
written to the package's `datapackage.json` as `leftOut`) lists what was left out. A package is
never written half: it is built beside the target and moved into place at the end.
"""

from __future__ import annotations

import hashlib
import io
import json
import logging
import sqlite3
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.warcwriter import WARCWriter

from archive.warcs import verify_warc_file, warc_files, write_cdxj_index

logger = logging.getLogger(__name__)

WACZ_VERSION = "1.1.1"
SOFTWARE = "newsarchive export"
PAGES_HEADER = {"format": "json-pages-1.0", "id": "pages", "title": "Archived articles"}
_COPY_CHUNK = 1 << 20


class WaczExportError(Exception):
    """The archive cannot be exported as asked (what is missing or damaged is in the message)."""


@dataclass
class ExportReport:
    """What an export wrote and what it left out."""

    path: Path
    warc_files: list[str] = field(default_factory=list)
    records: int = 0
    pages: int = 0
    left_out: list[str] = field(default_factory=list)


@dataclass
class _Member:
    offset: int
    length: int
    kind: str
    record_id: str
    date: str


def _members(path: Path) -> tuple[list[_Member], str | None]:
    """The records of a WARC file with their gzip members' places; and the damage, if any."""
    members: list[_Member] = []
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        try:
            for record in iterator:
                content = record.content_stream()
                while content.read(_COPY_CHUNK):
                    pass
                headers = record.rec_headers
                members.append(
                    _Member(
                        offset=iterator.get_record_offset(),
                        length=iterator.get_record_length(),
                        kind=record.rec_type,
                        record_id=headers.get_header("WARC-Record-ID") or "",
                        date=headers.get_header("WARC-Date") or "",
                    )
                )
        except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as error:
            return members, f"unreadable after {len(members)} records ({error})"
    return members, None


def _complete(path: Path, member: _Member) -> bool:
    """Whether a record's bytes are one whole gzip member (not cut by a crash)."""
    with path.open("rb") as stream:
        stream.seek(member.offset)
        data = stream.read(member.length)
    inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
    try:
        inflater.decompress(data)
    except zlib.error:
        return False
    return inflater.eof and not inflater.unused_data and len(data) == member.length


def _copy_range(source: Path, offset: int, length: int, out: Any) -> None:
    with source.open("rb") as stream:
        stream.seek(offset)
        left = length
        while left > 0:
            chunk = stream.read(min(_COPY_CHUNK, left))
            if not chunk:
                raise WaczExportError(f"{source.name}: ends before byte {offset + length}")
            out.write(chunk)
            left -= len(chunk)


def _warcinfo_member(name: str, info: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True, warc_version="1.1")
    writer.write_record(writer.create_warcinfo_record(name, info))
    return buffer.getvalue()


def _sha256(path: Path) -> tuple[int, str]:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as stream:
        while chunk := stream.read(_COPY_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, f"sha256:{digest.hexdigest()}"


def _articles(db_path: Path) -> Iterator[dict[str, Any]]:
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        cursor = conn.execute(
            "SELECT url, title, text, warc_file, warc_record_id FROM articles ORDER BY id"
        )
        names = [d[0] for d in cursor.description]
        for row in cursor:
            yield dict(zip(names, row, strict=True))
    finally:
        conn.close()


def _iso_ts(warc_date: str) -> str:
    """A WARC-Date as the ISO 8601 the pages list wants (whole seconds, Z)."""
    try:
        moment = datetime.fromisoformat(warc_date.replace("Z", "+00:00"))
    except ValueError:
        return warc_date
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def export_wacz(
    db_path: str | Path,
    warc_dir: str | Path,
    output: str | Path,
    *,
    since: date | None = None,
    skip_damaged: bool = False,
    title: str = "newsarchive",
) -> ExportReport:
    """Write the archive at `db_path` (WARC files in `warc_dir`) as a WACZ package to `output`."""
    db_path, warc_dir, output = Path(db_path), Path(warc_dir), Path(output)
    if not db_path.is_file():
        raise WaczExportError(f"no archive at {db_path}")
    articles = list(_articles(db_path))
    if not articles:
        raise WaczExportError(f"{db_path} holds no article: nothing to export")
    pointed = {row["warc_file"] for row in articles if row["warc_file"]}
    if not pointed:
        raise WaczExportError(
            f"no article of {db_path} points at a WARC record: the archive was crawled with "
            "--no-warc, so there are no captures to package"
        )
    files = warc_files(warc_dir)
    if not files:
        raise WaczExportError(
            f"no WARC files in {warc_dir} (the articles point at {len(pointed)} file(s), "
            f"e.g. {sorted(pointed)[0]}); give the WARC folder with --warc-dir"
        )
    present = {path.name for path in files}
    left_out: list[str] = [f"{name}: missing from {warc_dir}" for name in sorted(pointed - present)]
    since_text = since.isoformat() if since else ""
    plan: list[tuple[Path, list[_Member], bool]] = []  # True: the whole file as it is
    for path in files:
        problems = verify_warc_file(path)
        members, damage = _members(path)
        if not problems and damage is None and not since:
            plan.append((path, members, True))
            continue
        if problems or damage:
            members = [m for m in members if _complete(path, m)]
            found = "; ".join(problems) or f"{path.name}: {damage}"
            left_out.append(f"{found}; its {len(members)} complete record(s) kept")
        chosen = [
            m for m in members if m.kind == "warcinfo" or not since or m.date[:10] >= since_text
        ]
        if any(m.kind != "warcinfo" for m in chosen):
            plan.append((path, chosen, False))
    if left_out and not skip_damaged:
        raise WaczExportError(
            "cannot export a complete package: "
            + "; ".join(left_out)
            + ". Repair or restore these files, or export what is valid with --skip-damaged"
        )
    if not plan:
        raise WaczExportError(
            f"no WARC record captured on or after {since_text}" if since else "no WARC record"
        )

    output.parent.mkdir(parents=True, exist_ok=True)
    report = ExportReport(path=output, left_out=left_out)
    with tempfile.TemporaryDirectory(prefix=".wacz-", dir=output.parent) as work_name:
        work = Path(work_name)
        archive_dir = work / "archive"
        archive_dir.mkdir()
        record_dates: dict[str, str] = {}
        for source, members, whole in plan:
            target = archive_dir / source.name
            with target.open("wb") as out:
                if whole:
                    _copy_range(source, 0, source.stat().st_size, out)
                else:
                    if not members or members[0].kind != "warcinfo":
                        out.write(
                            _warcinfo_member(
                                source.name,
                                {"software": SOFTWARE, "format": "WARC File Format 1.1"},
                            )
                        )
                    for member in members:
                        _copy_range(source, member.offset, member.length, out)
            for member in members:
                record_dates[member.record_id] = member.date
                report.records += 1
            report.warc_files.append(source.name)
        packaged = sorted(archive_dir.iterdir())
        index = write_cdxj_index(archive_dir, packaged, work / "indexes" / "index.cdx")
        pages_path = work / "pages" / "pages.jsonl"
        pages_path.parent.mkdir()
        with pages_path.open("w", encoding="utf-8") as pages:
            pages.write(json.dumps(PAGES_HEADER) + "\n")
            for row in articles:
                captured = record_dates.get(row["warc_record_id"] or "")
                if not captured:
                    continue
                line = {
                    "url": row["url"],
                    "ts": _iso_ts(captured),
                    "title": row["title"] or "",
                    "text": row["text"] or "",
                }
                pages.write(json.dumps(line, ensure_ascii=False) + "\n")
                report.pages += 1
        missing_pages = sum(1 for row in articles if row["warc_record_id"]) - report.pages
        if missing_pages > 0 and not since:
            report.left_out.append(f"{missing_pages} article(s) whose capture is not packaged")
        entries = [*(f"archive/{p.name}" for p in packaged), "indexes/index.cdx"]
        entries.append("pages/pages.jsonl")
        resources = []
        for entry in entries:
            size, digest = _sha256(work / entry)
            resources.append(
                {"name": Path(entry).name.lower(), "path": entry, "hash": digest, "bytes": size}
            )
        assert index.exists()
        created = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        package: dict[str, Any] = {
            "profile": "data-package",
            "resources": resources,
            "title": title,
            "created": created,
            "modified": created,
            "wacz_version": WACZ_VERSION,
            "software": SOFTWARE,
        }
        if since:
            package["description"] = f"Records captured on or after {since_text}"
        if left_out:
            package["leftOut"] = left_out
        datapackage = json.dumps(package, indent=2).encode("utf-8")
        digest = {
            "path": "datapackage.json",
            "hash": f"sha256:{hashlib.sha256(datapackage).hexdigest()}",
        }
        partial = work / "package.wacz"
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED) as wacz:
            for entry in entries:
                wacz.write(work / entry, entry)
            wacz.writestr("datapackage.json", datapackage)
            wacz.writestr("datapackage-digest.json", json.dumps(digest, indent=2))
        partial.replace(output)
    logger.info("WACZ %s: %s WARC file(s), %s pages", output, len(report.warc_files), report.pages)
    return report
