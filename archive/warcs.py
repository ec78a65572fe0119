"""The archive's WARC files: where they live, reading captures back, CDXJ indexes and checks.

The crawler writes every HTTP exchange into gzipped WARC files (`crawler/warc.py`); this module
is the reading side, shared by `newsarchive verify`, `newsarchive reextract` and the tests.
"""

from __future__ import annotations

import contextlib
import functools
import gzip
import heapq
import io
import json
import logging
import os
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord

logger = logging.getLogger(__name__)

WARC_SUFFIX = ".warc.gz"
INDEX_FOLDER = "indexes"
# Records worth a line in the CDXJ index (metadata records describe a capture, they are not one).
INDEXED_RECORD_TYPES = "response,revisit,resource"


class WarcError(Exception):
    """A WARC file or record that cannot be read."""


def default_warc_dir(db_path: str | Path) -> Path:
    """Where a crawl into `db_path` keeps its WARC files by default: `<db stem>-warc/` beside it."""
    db_path = Path(db_path)
    return db_path.with_name(f"{db_path.stem}-warc")


def warc_files(directory: str | Path) -> list[Path]:
    """The WARC files in a folder, oldest first (their names start with crawl id and time)."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    return sorted(path for path in directory.iterdir() if path.name.endswith(WARC_SUFFIX))


def index_path(directory: str | Path, crawl_id: int | None) -> Path:
    """The CDXJ index of one crawl's WARC files."""
    name = f"crawl-{crawl_id:05d}.cdxj" if crawl_id is not None else "crawl.cdxj"
    return Path(directory) / INDEX_FOLDER / name


@contextlib.contextmanager
def _written_whole(output: Path) -> Iterator[TextIO]:
    """A text file written under a temporary name, renamed to `output` once whole: a full
    disk leaves no half index behind."""
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".part")
    try:
        with partial.open("w", encoding="utf-8") as out:
            yield out
        partial.replace(output)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def write_cdxj_index(directory: str | Path, files: list[Path], output: Path) -> Path:
    """Write a sorted CDXJ index of `files` (paths in it relative to `directory`), as pywb reads."""
    from cdxj_indexer.main import CDXJIndexer

    with _written_whole(output) as out:
        indexer = CDXJIndexer(
            out,
            [str(path) for path in files],
            sort=True,
            records=INDEXED_RECORD_TYPES,
            dir_root=str(directory),
        )
        indexer.process_all()
    return output


# CDXJ lines a crawl holds in memory before it writes them, sorted, to a run file: about 22 MiB.
SPOOLED_INDEX_LINES = 50_000


class IndexLineSpool:
    """The CDXJ lines of a crawl's captures, made as each record is written (`cdxj_line`).

    A line takes about 440 bytes of memory, so a crawl of a million responses would hold some
    420 MiB of them until it closes. Past `max_lines` the lines go, sorted, to a run file in
    `directory` (`.spool-*.part`); the index is the merge of the runs and the lines still held.
    A run that cannot be written (a full disk) leaves its lines in memory: nothing is lost.
    """

    def __init__(self, directory: str | Path, max_lines: int = SPOOLED_INDEX_LINES) -> None:
        self.directory = Path(directory)
        self.max_lines = max_lines
        self.runs: list[Path] = []
        self._lines: list[str] = []
        self._spilled = 0
        self._spilling = True

    def __len__(self) -> int:
        return len(self._lines) + self._spilled

    def append(self, line: str) -> None:
        self._lines.append(line)
        if self._spilling and len(self._lines) >= self.max_lines:
            self._spill()

    def _spill(self) -> None:
        self._lines.sort()
        run = None
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=".spool-", suffix=".part", dir=self.directory)
            run = Path(name)
            with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
                out.writelines(self._lines)
        except OSError as error:
            if run is not None:
                run.unlink(missing_ok=True)
            self._spilling = False
            logger.warning("CDXJ lines kept in memory: cannot write them to %s: %s", run, error)
            return
        self.runs.append(run)
        self._spilled += len(self._lines)
        self._lines = []

    def sorted_lines(self) -> Iterator[str]:
        """Every line, in index order."""
        with contextlib.ExitStack() as stack:
            runs = [
                stack.enter_context(run.open(encoding="utf-8", newline="")) for run in self.runs
            ]
            yield from heapq.merge(*runs, sorted(self._lines))

    def discard(self) -> None:
        """Remove the run files (once the index is written, or when it cannot be)."""
        for run in self.runs:
            run.unlink(missing_ok=True)
        self.runs = []


def write_index_lines(lines: list[str] | IndexLineSpool, output: Path) -> Path:
    """Write CDXJ lines made at capture (`cdxj_line`) as a sorted index, as `write_cdxj_index`
    would have made it from the files, without reading them again."""
    ordered = lines.sorted_lines() if isinstance(lines, IndexLineSpool) else sorted(lines)
    with _written_whole(output) as out:
        out.writelines(ordered)
    return output


class _RecordPosition:
    """Where a record just written lies in its file, as the indexer asks its record iterator."""

    def __init__(self, offset: int, length: int) -> None:
        self.offset, self.length = offset, length

    def get_record_offset(self) -> int:
        return self.offset

    def get_record_length(self) -> int:
        return self.length


@functools.cache
def _capture_indexer() -> Any:
    from cdxj_indexer.main import CDXJIndexer

    return CDXJIndexer(None, [], records=INDEXED_RECORD_TYPES)


def cdxj_line(record: ArcWarcRecord, filename: str, offset: int, length: int) -> str | None:
    """The CDXJ index line of a record as it is written (None: not indexed), by the indexer
    `write_cdxj_index` uses: the same line, without reading the file back. One thread at a
    time: the indexer holds the current file name."""
    indexer = _capture_indexer()
    if not indexer.filter_record(record):
        return None
    indexer.curr_filename = filename
    line = io.StringIO()
    indexer.process_index_entry(_RecordPosition(offset, length), record, filename, line)
    return line.getvalue()


@dataclass
class Capture:
    """One archived HTTP response, with where it is stored."""

    url: str
    date: str
    status: int
    record_type: str  # "response", or "revisit" for a 304 Not Modified
    record_id: str
    digest: str | None
    file: str
    offset: int
    headers: list[tuple[str, str]]
    body: bytes  # payload with its Content-Encoding undone
    evidence: dict[str, str] = field(default_factory=dict)
    site: str | None = None

    def header(self, name: str) -> str | None:
        """A response header's value (first one, case-insensitive)."""
        lower = name.lower()
        return next((value for key, value in self.headers if key.lower() == lower), None)

    def pointer(self) -> dict[str, Any]:
        """The articles/article_versions columns that point at this capture."""
        return {
            "warc_file": self.file,
            "warc_offset": self.offset,
            "warc_record_id": self.record_id,
            "warc_digest": self.digest,
        }


def _capture(record: ArcWarcRecord, file: str, offset: int, site: str | None) -> Capture:
    headers = record.rec_headers
    http = record.http_headers
    status = int(http.get_statuscode() or 0) if http is not None else 0
    return Capture(
        url=headers.get_header("WARC-Target-URI") or "",
        date=headers.get_header("WARC-Date") or "",
        status=status,
        record_type=record.rec_type,
        record_id=headers.get_header("WARC-Record-ID") or "",
        digest=headers.get_header("WARC-Payload-Digest"),
        file=file,
        offset=offset,
        headers=list(http.headers) if http is not None else [],
        body=record.content_stream().read(),
        site=site,
    )


def iter_captures(directory: str | Path, files: list[Path] | None = None) -> Iterator[Capture]:
    """Every response and revisit record of the WARC files, in file order, with its evidence.

    Evidence (sitemap `lastmod`, feed dates) is kept by the crawler in a `metadata` record
    written right after each response; it is attached to its capture here.
    """
    directory = Path(directory)
    for path in files if files is not None else warc_files(directory):
        yield from _file_captures(directory, path)


def _file_captures(directory: Path, path: Path) -> Iterator[Capture]:
    name = path.relative_to(directory).as_posix() if path.is_relative_to(directory) else str(path)
    site: str | None = None
    pending: Capture | None = None
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        try:
            for record in iterator:
                kind = record.rec_type
                if kind == "warcinfo":
                    site = _warcinfo(record).get("newsarchive-site") or site
                elif kind in ("response", "revisit"):
                    if pending is not None:
                        yield pending
                    pending = _capture(record, name, 0, site)
                    # Asked only after the content was read: asking earlier skips the content.
                    pending.offset = iterator.get_record_offset()
                elif kind == "metadata" and pending is not None:
                    concurrent = record.rec_headers.get_header("WARC-Concurrent-To")
                    if concurrent == pending.record_id:
                        pending.evidence = _evidence(record)
        except (ArchiveLoadFailed, EOFError, zlib.error, OSError) as error:
            # A file cut short by a crash: what was complete before the cut is still usable.
            logger.warning("%s is damaged after offset %s: %s", path, iterator.offset, error)
    if pending is not None:
        yield pending


def _warcinfo(record: ArcWarcRecord) -> dict[str, str]:
    fields: dict[str, str] = {}
    for line in record.content_stream().read().decode("utf-8", "replace").splitlines():
        name, _, value = line.partition(":")
        if value:
            fields[name.strip()] = value.strip()
    return fields


def _evidence(record: ArcWarcRecord) -> dict[str, str]:
    try:
        data = json.loads(record.content_stream().read())
    except ValueError:
        return {}
    evidence = data.get("evidence") if isinstance(data, dict) else None
    return {str(k): str(v) for k, v in evidence.items()} if isinstance(evidence, dict) else {}


def read_capture(directory: str | Path, file: str, offset: int) -> Capture:
    """The capture stored at `offset` of `file` (a name relative to the WARC folder)."""
    path = Path(directory) / file
    try:
        with path.open("rb") as stream:
            stream.seek(offset)
            record = next(iter(ArchiveIterator(stream)))
            return _capture(record, file, offset, None)
    except (OSError, StopIteration, ArchiveLoadFailed, EOFError, zlib.error) as error:
        reason = str(error) or "no record there (the file ends before it)"
        raise WarcError(f"cannot read a WARC record at {file}:{offset}: {reason}") from error


def verify_warc_file(path: Path) -> list[str]:
    """Problems in one WARC file: truncation, bad gzip members or CRCs, wrong digests."""
    problems: list[str] = []
    try:
        with gzip.open(path, "rb") as stream:
            while stream.read(1 << 20):
                pass
    except EOFError:
        problems.append(f"{path.name}: truncated (the last gzip member ends early)")
    except (gzip.BadGzipFile, zlib.error, OSError) as error:
        problems.append(f"{path.name}: damaged gzip data: {error}")
    records = 0
    try:
        with path.open("rb") as stream:
            iterator = ArchiveIterator(stream, check_digests=True)
            for record in iterator:
                content = record.content_stream()
                while content.read(1 << 20):
                    pass
                records += 1
                if record.digest_checker.passed is False:
                    record_id = record.rec_headers.get_header("WARC-Record-ID")
                    for problem in record.digest_checker.problems:
                        problems.append(f"{path.name}: record {record_id}: {problem}")
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError, ValueError) as error:
        problems.append(f"{path.name}: unreadable after {records} records: {error}")
    if records == 0 and not problems:
        problems.append(f"{path.name}: holds no WARC records")
    return problems


# ---------------------------------------------------------------------------- repair

DAMAGED_FOLDER = "damaged"
_SCAN_CHUNK = 1 << 20
_GZIP_MAGIC = b"\x1f\x8b\x08"


@dataclass
class WholeRecords:
    """Where a WARC file's whole gzip members (one record each) end."""

    end: int  # byte offset just after the last whole member
    records: int  # whole members before `end`
    size: int  # size of the file
    damage: str | None = None  # what follows `end`, if anything: "truncated", "garbage", ...
    damage_in_middle: bool = False  # whole members follow the damage: cutting would lose them


def whole_records(path: Path) -> WholeRecords:
    """Read a WARC file member by member (gzip CRCs checked) and find its last whole record."""
    size = path.stat().st_size
    start = 0  # where the member being read begins
    used = 0  # bytes of it read so far
    records = 0
    decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    with path.open("rb") as stream:
        while chunk := stream.read(_SCAN_CHUNK):
            data = chunk
            while data:
                try:
                    decompressor.decompress(data)
                except zlib.error as error:
                    return _damaged(path, start, records, size, f"bad gzip data ({error})")
                if not decompressor.eof:
                    used += len(data)
                    break
                rest = decompressor.unused_data
                start += used + len(data) - len(rest)
                used = 0
                records += 1
                data = rest
                decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
    if used:
        return WholeRecords(start, records, size, "truncated (the last record is cut short)")
    return WholeRecords(start, records, size)


def _damaged(path: Path, start: int, records: int, size: int, damage: str) -> WholeRecords:
    """Damage at `start`: is it the file's end (a crash's leftovers) or its middle?"""
    with path.open("rb") as stream:
        stream.seek(start + 1)
        tail = stream.read()
    position = tail.find(_GZIP_MAGIC)
    while position >= 0:
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        try:
            decompressor.decompress(tail[position:])
        except zlib.error:
            pass
        else:
            if decompressor.eof:  # a whole record after the damage
                return WholeRecords(start, records, size, damage, damage_in_middle=True)
        position = tail.find(_GZIP_MAGIC, position + 1)
    return WholeRecords(start, records, size, damage)


@dataclass
class WarcRepair:
    """What `repair_warc_file` did to one file."""

    file: str
    size: int  # bytes before
    kept: int  # bytes after: the offset of the first byte cut off
    records: int  # whole records kept
    damage: str
    tail: Path | None = None  # the bytes cut off, kept aside
    removed: bool = False  # no whole record at all: the file moved aside whole
    refused: str | None = None  # not cut, and why
    crawl: str | None = None  # the crawl that wrote it (its warcinfo), for the index


def repair_warc_file(path: Path) -> WarcRepair | None:
    """Cut a WARC file damaged at its end (a crash mid-write) back to its last whole record.

    The bytes cut off are kept in `<warc dir>/damaged/` (nothing is thrown away); a file
    without a single whole record is moved there whole. A file damaged in its middle, with
    whole records after the damage, is left alone (`refused`). None: the file is whole.
    """
    found = whole_records(path)
    if found.damage is None:
        return None
    repair = WarcRepair(
        file=path.name,
        size=found.size,
        kept=found.end,
        records=found.records,
        damage=found.damage,
    )
    if found.damage_in_middle:
        repair.refused = (
            f"damaged at offset {found.end} with whole records after it: not cut "
            "(rewrite it with warcio to keep them)"
        )
        repair.kept = found.size
        return repair
    if found.records:
        repair.crawl = warcinfo_fields(path).get("newsarchive-crawl") or None
    aside = path.parent / DAMAGED_FOLDER
    aside.mkdir(exist_ok=True)
    if found.records == 0:
        repair.tail = aside / path.name
        path.replace(repair.tail)
        repair.removed = True
        repair.kept = 0
        return repair
    repair.tail = aside / f"{path.name}.tail-{found.end}"
    with path.open("r+b") as stream:
        stream.seek(found.end)
        with repair.tail.open("wb") as kept_aside:
            while chunk := stream.read(_SCAN_CHUNK):
                kept_aside.write(chunk)
            kept_aside.flush()
            os.fsync(kept_aside.fileno())
        stream.truncate(found.end)
        stream.flush()
        os.fsync(stream.fileno())
    return repair


def warcinfo_fields(path: Path) -> dict[str, str]:
    """The fields of a WARC file's `warcinfo` record (its first), or none."""
    try:
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                return _warcinfo(record) if record.rec_type == "warcinfo" else {}
    except (ArchiveLoadFailed, EOFError, zlib.error, OSError):
        pass
    return {}


def reindex_crawl(directory: str | Path, crawl: str | None, file: str) -> Path:
    """Rewrite the CDXJ index of the crawl that wrote `file`, from its files as they are now."""
    directory = Path(directory)
    if crawl and crawl.isdigit():
        files = [
            path
            for path in warc_files(directory)
            if warcinfo_fields(path).get("newsarchive-crawl") == crawl
        ]
        output = index_path(directory, int(crawl))
    else:
        files = [directory / file]
        output = directory / INDEX_FOLDER / f"{file.removesuffix(WARC_SUFFIX)}.cdxj"
    return write_cdxj_index(directory, files, output)
