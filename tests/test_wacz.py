"""`newsarchive export --wacz`: a WACZ 1.1.1 package of the archive, checked by the reference
validator (`wacz validate`, the `wacz` package of the test extras) and replayed by pywb."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator

from archive.db import open_archive, save_articles
from archive.wacz import WaczExportError, export_wacz
from archive.warcs import default_warc_dir, warc_files
from newsarchive.cli import cli
from tests.conftest import replay_with_pywb


def validate(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "wacz", "validate", "-f", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def copy_archive(source: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "archive.db"
    src, dst = sqlite3.connect(source), sqlite3.connect(path)
    src.backup(dst)
    src.close()
    dst.close()
    shutil.copytree(default_warc_dir(source), default_warc_dir(path))
    return path


def articles(db_path: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT url, title FROM articles ORDER BY id").fetchall()
    finally:
        conn.close()


@pytest.fixture(scope="module")
def package(demo_archive, tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("wacz") / "archive.wacz"
    result = CliRunner().invoke(
        cli, ["export", "--wacz", str(output), "--db", str(demo_archive)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    assert "Wrote" in result.output
    return output


def test_the_package_passes_the_reference_validator(package):
    result = validate(package)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout


def test_the_package_holds_warcs_index_pages_and_hashes(package, demo_archive):
    with zipfile.ZipFile(package) as wacz:
        names = set(wacz.namelist())
        assert {"datapackage.json", "indexes/index.cdx", "pages/pages.jsonl"} <= names
        assert all(info.compress_type == zipfile.ZIP_STORED for info in wacz.infolist())
        datapackage = json.loads(wacz.read("datapackage.json"))
        assert datapackage["wacz_version"] == "1.1.1"
        for resource in datapackage["resources"]:
            data = wacz.read(resource["path"])
            assert resource["hash"] == "sha256:" + hashlib.sha256(data).hexdigest()
            assert resource["bytes"] == len(data)
        warcs = sorted(n for n in names if n.startswith("archive/"))
        assert [Path(n).name for n in warcs] == [
            p.name for p in warc_files(default_warc_dir(demo_archive))
        ]
        lines = wacz.read("pages/pages.jsonl").decode().splitlines()
        index = wacz.read("indexes/index.cdx").decode().splitlines()
        first_warc = wacz.read(warcs[0])
    header, *pages = (json.loads(line) for line in lines)
    assert header["format"] == "json-pages-1.0"
    stored = articles(demo_archive)
    assert len(pages) == len(stored)
    assert {(p["url"], p["title"]) for p in pages} == set(stored)
    assert all(p["ts"].endswith("Z") and p["text"] for p in pages)
    assert index == sorted(index)
    assert all(f'"url": "{url}"' in "\n".join(index) for url, _ in stored[:20])
    record = next(iter(ArchiveIterator(io.BytesIO(first_warc))))
    assert record.rec_type == "warcinfo"
    info = record.content_stream().read().decode()
    for field in (
        "software: newsarchive",
        "operator-contact:",
        "robots:",
        "http-header-user-agent:",
    ):
        assert field in info


def test_pywb_replays_the_package(package, tmp_path, demo_archive, wayback):
    collection = tmp_path / "collections" / "news"
    with zipfile.ZipFile(package) as wacz:
        wacz.extractall(collection)
    (collection / "indexes" / "index.cdx").rename(collection / "indexes" / "index.cdxj")
    url, title = articles(demo_archive)[0]
    (tmp_path / "config.yaml").write_text("framed_replay: false\n")
    response = replay_with_pywb(wayback, tmp_path, url)
    assert response.status_code == 200
    assert title in response.text
    assert "Memento-Datetime" in response.headers


def test_a_truncated_warc_is_refused_or_left_out_on_request(demo_archive, tmp_path):
    path = copy_archive(demo_archive, tmp_path / "cut")
    last = warc_files(default_warc_dir(path))[-1]
    data = last.read_bytes()
    last.write_bytes(data[: len(data) * 2 // 3])  # a crash two thirds in
    output = tmp_path / "cut.wacz"
    with pytest.raises(WaczExportError, match=f"{last.name}: truncated"):
        export_wacz(path, default_warc_dir(path), output)
    assert not output.exists()  # never a package that would fail validation
    result = CliRunner().invoke(cli, ["export", "--wacz", str(output), "--db", str(path)])
    assert result.exit_code == 1
    assert "--skip-damaged" in result.output
    report = export_wacz(path, default_warc_dir(path), output, skip_damaged=True)
    assert any(last.name in item for item in report.left_out)
    assert any("whose capture is not packaged" in item for item in report.left_out)
    assert 0 < report.pages < len(articles(path))
    checked = validate(output)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    with zipfile.ZipFile(output) as wacz:
        assert json.loads(wacz.read("datapackage.json"))["leftOut"] == report.left_out


def test_an_archive_without_warcs_is_refused_with_a_clear_error(tmp_path, demo_archive):
    bare = tmp_path / "nowarc.db"
    db = open_archive(bare)
    save_articles(db, [{"url": "https://site.test/a/", "title": "A", "text": "tekst"}])
    db.close()
    with pytest.raises(WaczExportError, match="--no-warc"):
        export_wacz(bare, default_warc_dir(bare), tmp_path / "x.wacz")
    path = copy_archive(demo_archive, tmp_path / "gone")
    shutil.rmtree(default_warc_dir(path))
    with pytest.raises(WaczExportError, match=r"no WARC files in .*--warc-dir"):
        export_wacz(path, default_warc_dir(path), tmp_path / "y.wacz")
    path = copy_archive(demo_archive, tmp_path / "one-gone")
    missing = warc_files(default_warc_dir(path))[0]
    missing.rename(missing.with_name("newsarchive-99999-other.warc.gz"))
    with pytest.raises(WaczExportError, match=f"{missing.name}: missing"):
        export_wacz(path, default_warc_dir(path), tmp_path / "z.wacz")
    assert not (tmp_path / "z.wacz").exists()


def test_since_selects_the_records_captured_from_that_day(demo_archive, tmp_path):
    with pytest.raises(WaczExportError, match="no WARC record captured on or after 2999-01-01"):
        export_wacz(
            demo_archive,
            default_warc_dir(demo_archive),
            tmp_path / "f.wacz",
            since=date(2999, 1, 1),
        )
    conn = sqlite3.connect(demo_archive)
    crawled = conn.execute("SELECT min(captured_at) FROM article_versions").fetchone()[0][:10]
    conn.close()
    output = tmp_path / "since.wacz"
    report = export_wacz(
        demo_archive, default_warc_dir(demo_archive), output, since=date.fromisoformat(crawled)
    )
    assert report.pages == len(articles(demo_archive))
    checked = validate(output)
    assert checked.returncode == 0, checked.stdout + checked.stderr
