"""WARC capture: exchanges archived as sent, article pointers, verify, re-extraction, replay."""

from __future__ import annotations

import gzip
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlite_utils import Database
from warcio.archiveiterator import ArchiveIterator

from archive.warcs import (
    SPOOLED_INDEX_LINES,
    IndexLineSpool,
    default_warc_dir,
    iter_captures,
    read_capture,
    verify_warc_file,
    warc_files,
    write_cdxj_index,
    write_index_lines,
)
from crawler.warc import Exchange, RotatingWarcWriter
from demosite import DemoSite
from tests.conftest import Route, crawl, replay_with_pywb, run_newsarchive

ARTICLE_COLUMNS = (
    "url",
    "title",
    "published",
    "author",
    "place",
    "categories",
    "tags",
    "text",
    "description",
    "content_hash",
    "extractor_version",
    "warc_file",
    "warc_offset",
    "warc_record_id",
    "warc_digest",
)


def warc_records(folder: Path) -> list[dict]:
    records = []
    for path in warc_files(folder):
        with path.open("rb") as stream:
            for record in ArchiveIterator(stream):
                headers = record.rec_headers
                records.append(
                    {
                        "type": record.rec_type,
                        "url": headers.get_header("WARC-Target-URI"),
                        "id": headers.get_header("WARC-Record-ID"),
                        "concurrent": headers.get_header("WARC-Concurrent-To"),
                        "status": record.http_headers.get_statuscode()
                        if record.http_headers
                        else None,
                        "encoding": record.http_headers.get_header("Content-Encoding")
                        if record.http_headers
                        else None,
                        "raw": record.raw_stream.read(),
                    }
                )
    return records


def exchange(url: str, body: bytes, status: int = 200) -> Exchange:
    return Exchange(
        url=url,
        method="GET",
        request_headers=[("User-Agent", "test")],
        request_body=b"",
        status=status,
        response_headers=[("Content-Type", "text/html")],
        body=body,
    )


def test_writer_rotates_by_size_and_every_pointer_reads_back(tmp_path):
    writer = RotatingWarcWriter(tmp_path, prefix="newsarchive-00001", max_size=4000)
    pointers = [
        writer.write_exchange(exchange(f"http://127.0.0.1/{n}/", os.urandom(1500)))
        for n in range(8)
    ]
    writer.close()
    files = warc_files(tmp_path)
    assert len(files) > 2
    assert all(path.stat().st_size < 4000 + 3000 for path in files)
    for n, pointer in enumerate(pointers):
        capture = read_capture(tmp_path, pointer.file, pointer.offset)
        assert capture.url == f"http://127.0.0.1/{n}/"
        assert capture.record_id == pointer.record_id
        assert capture.digest == pointer.digest
    for path in files:
        assert verify_warc_file(path) == []
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, files)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout


@pytest.mark.parametrize("damage", ["truncate", "flip"])
def test_verify_detects_damaged_files(tmp_path, damage):
    writer = RotatingWarcWriter(tmp_path, prefix="newsarchive-00001")
    for n in range(5):
        writer.write_exchange(exchange(f"http://127.0.0.1/{n}/", os.urandom(3000)))
    writer.close()
    (path,) = warc_files(tmp_path)
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        path.write_bytes(bytes(data[: len(data) - 700]))
    else:
        data[len(data) // 2] ^= 0xFF
        path.write_bytes(bytes(data))
    problems = verify_warc_file(path)
    assert problems, damage
    if damage == "truncate":
        assert any("truncated" in problem for problem in problems)


@pytest.fixture
def small_site(make_server):
    """A tiny site: robots.txt, a home page, a gzip-encoded article, a 404 and a 500."""
    server = make_server({})
    site = DemoSite(articles=3)
    host = server.url.removeprefix("http://")
    article_path = site.url_path(1)
    _, headers, body = site.render(article_path, host)
    links = "".join(f'<a href="{path}">link</a> ' for path in (article_path, "/gone/", "/broken/"))
    home = f"<html><body>{links}</body></html>"
    server.routes.update(
        {
            "/robots.txt": Route(200, b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}),
            "/": Route(200, home.encode()),
            article_path: Route(
                200,
                gzip.compress(body),
                {"Content-Type": headers["Content-Type"], "Content-Encoding": "gzip"},
            ),
            "/broken/": Route(500, b"oops"),
        }
    )
    server.article_url = server.url + article_path
    server.article_body = body
    return server


def test_crawl_archives_every_exchange_as_sent(tmp_path, small_site):
    db = tmp_path / "archive.db"
    result = crawl(db, f"{small_site.url}/", extra=("--route", "links"))
    assert result.returncode == 0, result.stderr[-3000:]
    folder = default_warc_dir(db)
    records = warc_records(folder)
    responses = {r["url"]: r for r in records if r["type"] == "response"}
    base = small_site.url
    for path in ("/robots.txt", "/", "/gone/", "/broken/"):
        assert base + path in responses, path
    assert responses[base + "/gone/"]["status"] == "404"
    assert responses[base + "/broken/"]["status"] == "500"
    article = responses[small_site.article_url]
    # The payload as the server sent it: still gzip-encoded.
    assert article["encoding"] == "gzip"
    assert gzip.decompress(article["raw"]) == small_site.article_body
    requests = [r for r in records if r["type"] == "request"]
    response_ids = {r["id"] for r in records if r["type"] == "response"}
    assert requests
    assert all(r["concurrent"] in response_ids for r in requests)
    assert len(requests) == len(response_ids)

    row = (
        Database(db)
        .execute("SELECT url, warc_file, warc_offset, warc_record_id, warc_digest FROM articles")
        .fetchone()
    )
    assert row[0] == small_site.article_url
    capture = read_capture(folder, row[1], row[2])
    assert (capture.url, capture.record_id, capture.digest) == (row[0], row[3], row[4])
    assert capture.body == small_site.article_body

    index = (folder / "indexes" / "crawl-00001.cdxj").read_text()
    assert "/gone/" in index
    assert small_site.article_url in index
    check = subprocess.run(
        [sys.executable, "-m", "warcio.cli", "check", *map(str, warc_files(folder))],
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout

    verified = run_newsarchive("verify", "--db", str(db))
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "all good" in verified.stdout
    (warc,) = warc_files(folder)
    warc.write_bytes(warc.read_bytes()[:-500])
    damaged = run_newsarchive("verify", "--db", str(db), "--warc-dir", str(folder))
    assert damaged.returncode == 1
    assert "truncated" in damaged.stdout


def test_warc_options(tmp_path, small_site):
    off = tmp_path / "off.db"
    assert crawl(off, f"{small_site.url}/", extra=("--route", "links", "--no-warc")).returncode == 0
    assert not default_warc_dir(off).exists()
    elsewhere = tmp_path / "warcs"
    on = tmp_path / "on.db"
    extra = ("--route", "links", "--warc-dir", str(elsewhere))
    assert crawl(on, f"{small_site.url}/", extra=extra).returncode == 0
    assert warc_files(elsewhere)
    assert Database(on).execute("SELECT warc_file FROM articles").fetchone()[0]


def table(db_path: Path) -> dict[str, tuple]:
    db = Database(db_path)
    columns = ", ".join(ARTICLE_COLUMNS)
    rows = db.execute(f"SELECT {columns} FROM articles").fetchall()
    return {row[0]: row for row in rows}


def test_reextract_reproduces_the_articles_table(tmp_path, demo_archive):
    warcs = default_warc_dir(demo_archive)
    assert warc_files(warcs)
    crawled = table(demo_archive)
    fresh = tmp_path / "rebuilt.db"
    result = run_newsarchive("reextract", "--db", str(fresh), "--warc-dir", str(warcs))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"{len(crawled)} articles ({len(crawled)} new rows" in result.stdout
    assert table(fresh) == crawled
    versions = Database(fresh).execute("SELECT count(*) FROM article_versions").fetchone()[0]
    assert versions == len(crawled)

    in_place = tmp_path / "in-place.db"
    shutil.copy(demo_archive, in_place)
    result = run_newsarchive("reextract", "--db", str(in_place), "--warc-dir", str(warcs))
    assert result.returncode == 0, result.stderr[-3000:]
    assert f"0 changed, {len(crawled)} the same" in result.stdout
    assert table(in_place) == crawled


def test_iter_captures_keeps_discovery_evidence(demo_archive):
    evidence = [c.evidence for c in iter_captures(default_warc_dir(demo_archive)) if c.evidence]
    assert any("sitemap_lastmod" in item for item in evidence)


# --- replay with pywb -------------------------------------------------------------------------


def test_pywb_replays_an_archived_article(tmp_path, demo_archive, wayback):
    warcs = default_warc_dir(demo_archive)
    url, title = Database(demo_archive).execute("SELECT url, title FROM articles").fetchone()
    (tmp_path / "config.yaml").write_text(
        "collections:\n"
        "  news:\n"
        f"    index_paths: {warcs / 'indexes'}/\n"
        f"    archive_paths: {warcs}/\n"
        "framed_replay: false\n"
    )
    response = replay_with_pywb(wayback, tmp_path, url)
    assert response.status_code == 200
    assert title in response.text
    assert "Memento-Datetime" in response.headers


def test_demo_crawl_writes_a_cdxj_index(demo_archive):
    index = default_warc_dir(demo_archive) / "indexes" / "crawl-00001.cdxj"
    lines = index.read_text().splitlines()
    assert lines == sorted(lines)
    urls = {url for (url,) in Database(demo_archive).execute("SELECT url FROM articles").fetchall()}
    assert all(f'"url": "{url}"' in index.read_text() for url in list(urls)[:20])
    folder = default_warc_dir(demo_archive)
    read = write_cdxj_index(folder, warc_files(folder), demo_archive.parent / "read.cdxj")
    assert index.read_text() == read.read_text()  # made at capture, as read from the files


@pytest.mark.parametrize("spooled_lines", [SPOOLED_INDEX_LINES, 3, 1])
def test_index_made_at_capture_is_the_index_read_from_the_files(tmp_path, spooled_lines):
    """The lines made as records are written give the index the CDXJ indexer makes by reading
    the files: every kind of response, a revisit, evidence records, several files; held in
    memory or spooled to sorted run files and merged."""
    writer = RotatingWarcWriter(
        tmp_path, prefix="newsarchive-00001", max_size=3000, spooled_lines=spooled_lines
    )
    answers = [
        ("http://127.0.0.1/b/", 200, [("Content-Type", "text/html; charset=UTF-8")], b"<p>b</p>"),
        ("http://127.0.0.1/robots.txt", 200, [("Content-Type", "text/plain")], b"User-agent: *"),
        ("http://127.0.0.1/sitemap.xml", 200, [("Content-Type", "application/xml")], b"<x/>"),
        ("http://127.0.0.1/a", 301, [("Location", "http://127.0.0.1/a/")], b""),
        ("http://127.0.0.1/gone/", 404, [("Content-Type", "text/html")], b"weg"),
        ("http://127.0.0.1/a/", 304, [("ETag", '"v1"')], b""),
        ("http://127.0.0.1/Straat?p=2&q=%C3%A9", 200, [], os.urandom(2500)),
        ("http://127.0.0.1/broken/", 500, [("Content-Type", "Text/HTML ; x=y")], b"kapot"),
    ]
    for n, (url, status, headers, body) in enumerate(answers):
        answer = exchange(url, body, status)
        answer.response_headers = headers
        answer.evidence = {"sitemap_lastmod": "2024-06-20"} if n % 2 else None
        writer.write_exchange(answer)
    writer.close()
    assert len(warc_files(tmp_path)) > 1
    assert len(writer.index_lines.runs) == len(answers) // spooled_lines
    made = write_index_lines(writer.index_lines, tmp_path / "made.cdxj").read_text()
    read = write_cdxj_index(tmp_path, warc_files(tmp_path), tmp_path / "read.cdxj").read_text()
    assert made == read
    assert len(made.splitlines()) == len(answers)
    writer.index_lines.discard()
    assert not list(tmp_path.rglob("*.part"))


def test_index_lines_stay_in_memory_when_no_run_file_can_be_written(tmp_path, caplog):
    """A run file that cannot be written (here: its folder is a file) loses no line."""
    blocked = tmp_path / "indexes"
    blocked.write_text("not a folder")
    spool = IndexLineSpool(blocked, max_lines=2)
    lines = [f"org,example)/{n} 2024 {{}}\n" for n in (5, 3, 9, 1, 7)]
    for line in lines:
        spool.append(line)
    assert spool.runs == []
    assert len(spool) == 5
    assert "cannot write them" in caplog.text
    assert list(spool.sorted_lines()) == sorted(lines)


def test_gzip_level_trades_size_for_speed_and_every_level_reads_back(tmp_path):
    """Level 1 writes larger files than level 9 from the same exchanges; both are whole,
    readable WARCs with the same records."""
    page = b"<html><body>" + b"<p>Een artikel over de Grote Markt van Antwerpen.</p>" * 400
    sizes, payloads = {}, {}
    for level in (1, 9):
        folder = tmp_path / str(level)
        writer = RotatingWarcWriter(folder, prefix="newsarchive-00001", gzip_level=level)
        for n in range(5):
            writer.write_exchange(exchange(f"http://127.0.0.1/{n}/", page + str(n).encode()))
        writer.close()
        (path,) = warc_files(folder)
        assert verify_warc_file(path) == []
        sizes[level] = path.stat().st_size
        with path.open("rb") as stream:
            payloads[level] = [
                record.content_stream().read()
                for record in ArchiveIterator(stream)
                if record.rec_type == "response"
            ]
    assert sizes[1] > sizes[9]
    assert payloads[1] == payloads[9]
    assert len(payloads[1]) == 5
