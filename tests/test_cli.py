"""The newsarchive command line through click's runner (crawls run in a child process)."""

from __future__ import annotations

import gzip
import shutil

import pytest
from click.testing import CliRunner

from newsarchive.cli import cli
from tests.conftest import PAGES, json_lines


@pytest.fixture
def runner():
    return CliRunner()


def test_extract_prints_one_line_per_file_in_order(runner, tmp_path):
    seed = tmp_path / "seed.html.gz"
    seed.write_bytes(gzip.compress((PAGES / "seed-article.html").read_bytes()))
    listing = tmp_path / "listing.html"
    shutil.copy(PAGES / "category-listing.html", listing)
    result = runner.invoke(
        cli,
        [
            "extract",
            str(seed),
            str(listing),
            "--url",
            "http://127.0.0.1:8000/x/",
            "--site",
            "antwerpspersbureau",
        ],
    )
    assert result.exit_code == 0, result.output
    first, second = json_lines(result.output)
    assert first["file"] == str(seed)
    assert first["is_article"] is True
    assert first["place"] == "Mechelen"
    assert first["author"] == "Edwin Mariën"
    assert second["file"] == str(listing)
    assert second["is_article"] is False
    assert second["reason"]


def test_extract_unreadable_file_gets_its_line_and_exit_1(runner, tmp_path):
    missing = tmp_path / "missing.html"
    result = runner.invoke(cli, ["extract", str(missing)])
    assert result.exit_code == 1
    (line,) = json_lines(result.output)
    assert line["file"] == str(missing)
    assert "cannot read file" in line["error"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["crawl", "--start-url", "ftp://example.test/"], "not an http(s) URL"),
        (["crawl", "--site", "nosuchsite"], "nosuchsite"),
        (["crawl", "--delay", "-1"], "-1"),
        (["crawl", "--set", "NEWSARCHIVE_WARC_GZIP_LEVEL=fast"], "from 1 (fastest) to 9"),
        (["crawl", "--set", "NEWSARCHIVE_WARC_GZIP_LEVEL=0"], "not '0'"),
        (["crawl", "--set", "DOWNLOAD_DELAY_JITTER=0.8"], "from 0 to 0.5"),
        (["crawl", "--set", "DOWNLOAD_DELAY_JITTER=wide"], "not 'wide'"),
        (["extract", "x.html", "--site", "nosuchsite"], "nosuchsite"),
    ],
)
def test_bad_arguments_give_a_clear_usage_error(runner, args, message):
    result = runner.invoke(cli, args)
    assert result.exit_code == 2
    assert message in result.output


@pytest.mark.parametrize("command", ["serve", "search"])
def test_missing_archive_is_a_clear_error(runner, tmp_path, command):
    args = [command, "--db", str(tmp_path / "none.db")]
    if command == "search":
        args.insert(1, "school")
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert "no archive at" in result.output
    assert not (tmp_path / "none.db").exists()


def test_search_text_and_json(runner, demo_archive):
    result = runner.invoke(cli, ["search", "Marien", "--db", str(demo_archive), "--json"])
    assert result.exit_code == 0, result.output
    rows = json_lines(result.output)
    assert rows
    assert all("Mariën" in row["author"] for row in rows if row["author"])
    text = runner.invoke(cli, ["search", "Wij-Zij-netwerk polarisatie", "--db", str(demo_archive)])
    assert "Vier organisaties uit onze provincie" in text.output


def test_crawl_through_the_runner(runner, tmp_path):
    from demosite import DemoSite, serve_demo_site

    db = tmp_path / "archive.db"
    with serve_demo_site(DemoSite(articles=15)) as site:
        result = runner.invoke(
            cli,
            [
                "crawl",
                "--start-url",
                f"{site.url}/",
                "--db",
                str(db),
                "--delay",
                "0",
                "--site",
                "antwerpspersbureau",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "15 new" in result.output


def test_demo_without_serving(runner, tmp_path):
    db = tmp_path / "demo" / "archive.db"
    result = runner.invoke(cli, ["demo", "--articles", "12", "--db", str(db), "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "Demo news site (12 articles): http://127.0.0.1:" in result.output
    assert "12 new" in result.output
