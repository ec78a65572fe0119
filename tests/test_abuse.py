"""Abusive clients against the published archive: every answer bounded, no 5xx, no open redirect.

In-process through `datasette.client`, on a 5 000-article archive built from the demo site's
ground truth (bench/search_bench.py's builder, a few seconds). docs/reliability.md lists these
cases with the rest of the reliability work.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from archive.publish import DATASETTE_SETTINGS, make_datasette
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from search_bench import build_archive

ARTICLES = 5000
MAX_ROWS = DATASETTE_SETTINGS["max_returned_rows"]
CROSS_JOIN = "select count(*) from articles a, articles b, articles c, articles d"


@pytest.fixture(scope="module")
def archive(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("abuse") / "archive.db"
    build_archive(db, ARTICLES)
    return db


def _client(db: Path, allow_sql: bool):
    datasette = make_datasette(db, allow_sql=allow_sql)
    asyncio.run(datasette.invoke_startup())
    return datasette


@pytest.fixture(scope="module")
def with_sql(archive):
    return _client(archive, allow_sql=True)


@pytest.fixture(scope="module")
def without_sql(archive):
    return _client(archive, allow_sql=False)


def get(datasette, path: str, **params: str):
    """Datasette's answer to one request. How long answers take is measured by
    bench/load_test.py, not asserted here: tests hold on a busy machine."""
    return asyncio.run(datasette.client.get(path, params=params or None))


def test_a_cross_join_hits_the_time_limit_and_the_server_answers_right_after(with_sql):
    # The time limit is Datasette's own: "took too long" is its word that the limit ended the
    # query (a query without a limit would run into the test's timeout instead). How long
    # each answer takes is measured by bench/load_test.py, not here: a busy machine is slow.
    response = asyncio.run(with_sql.client.get("/archive.json", params={"sql": CROSS_JOIN}))
    assert response.status_code == 400, response.text[:500]
    data = response.json()
    assert data["ok"] is False
    assert "took too long" in data["error"]
    search = asyncio.run(with_sql.client.get("/search.json", params={"q": "scholen"}))
    assert search.status_code == 200
    assert search.json()["total"] > 0


def test_concurrent_cross_joins_end_at_the_limit_and_a_search_meanwhile_is_answered(with_sql):
    """Datasette runs SQL in 3 threads: 3 cross joins at once hold them all for the time limit.

    A search sent meanwhile waits for a free thread, then answers: slow, not failed. (More
    joins than threads make it wait longer: docs/reliability.md, why SQL stays off.)
    """
    threads = with_sql.setting("num_sql_threads")

    async def attack() -> tuple[list[int], int]:
        async def join() -> int:
            return (
                await with_sql.client.get("/archive.json", params={"sql": CROSS_JOIN})
            ).status_code

        async def search() -> int:
            await asyncio.sleep(0.2)
            response = await with_sql.client.get("/search.json", params={"q": "scholen"})
            return response.status_code

        *joins, status = await asyncio.gather(*(join() for _ in range(threads)), search())
        return joins, status

    joins, status = asyncio.run(attack())
    # every join was ended by the limit, and the search sent meanwhile was answered
    assert joins == [400] * threads
    assert status == 200


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/archive.json", {"sql": CROSS_JOIN}),
        ("/archive.json", {"sql": "select 1"}),
        ("/archive", {"sql": "select * from articles"}),
        ("/archive.csv", {"sql": "select * from articles"}),
    ],
    ids=["cross-join-json", "select-1-json", "html", "csv"],
)
def test_arbitrary_sql_is_refused_when_off(without_sql, path, params):
    response = get(without_sql, path, **params)
    assert response.status_code == 403


@pytest.mark.parametrize("allow_sql", [False, True], ids=["sql-off", "sql-on"])
@pytest.mark.parametrize(
    ("params", "facets"),
    [
        ({"_facet": "text"}, 1),
        ({"_facet": "url"}, 1),
        ({"_facet": "body_html", "_facet_size": "max"}, 1),
        ({"_facet_array": "tags", "_facet_size": "max"}, 1),
        (
            {
                "_facet": ["text", "url", "description"],
                "_facet_array": "tags",
                "_facet_size": "max",
            },
            4,
        ),
    ],
    ids=["text", "url", "body_html-max", "tags-array-max", "four-at-once"],
)
def test_huge_facets_end_within_their_limit(with_sql, without_sql, allow_sql, params, facets):
    datasette = with_sql if allow_sql else without_sql
    response = get(datasette, "/archive/articles.json", _size="0", **params)
    assert response.status_code == 200, response.text[:500]
    data = response.json()
    # Each facet ends within facet_time_limit_ms: it answers, or it is listed as timed out.
    answered = set(data["facet_results"]) | set(data.get("facets_timed_out") or [])
    assert len(answered) >= facets, (sorted(answered), facets)
    for name, facet in data["facet_results"].items():
        assert len(facet["results"]) <= MAX_ROWS, name


@pytest.mark.parametrize(
    ("params", "status", "max_rows"),
    [
        ({"_next": "999999999"}, 200, 0),
        ({"_next": "-5"}, 200, 50),
        ({"_sort": "title", "_next": "zzzz,999999"}, 200, 0),
        ({"_sort_desc": "text", "_next": "a,1"}, 200, 50),
        ({"_size": "max"}, 200, MAX_ROWS),
        ({"_size": "max", "_sort": "text"}, 200, MAX_ROWS),
        ({"_size": "100000"}, 400, 0),
        ({"_size": "-1"}, 400, 0),
        ({"_next": "not-a-key"}, 200, 50),
    ],
    ids=[
        "next-far",
        "next-negative",
        "sorted-next-far",
        "sorted-by-text-next",
        "size-max",
        "size-max-sorted-by-text",
        "size-over-max",
        "size-negative",
        "next-garbage",
    ],
)
def test_deep_pagination_is_bounded(without_sql, params, status, max_rows):
    response = get(without_sql, "/archive/articles.json", **params)
    assert response.status_code == status, response.text[:500]
    assert response.status_code < 500
    if status == 200:
        assert len(response.json()["rows"]) <= max_rows


@pytest.mark.parametrize(
    "path",
    [
        "/archive/articles.csv?_stream=on",
        "/archive/articles.csv?_stream=on&_size=max",
        "/archive/articles.csv?_stream=on&_sort=text",
        "/archive/articles.csv?_stream=on&_search=de",
        "/archive/articles.csv?_size=max",
        "/archive/articles.json?_stream=on&_size=max",
    ],
)
def test_csv_streaming_is_bounded_by_the_table(without_sql, path):
    """Streaming is on (Datasette's allow_csv_stream default): the whole table, never more."""
    response = get(without_sql, path)
    assert response.status_code < 500
    assert response.status_code == 200, response.text[:500]
    if ".csv" in path:
        lines = response.text.count("\r\n")
        limit = ARTICLES if "_stream=on" in path else MAX_ROWS
        # One line per row plus the header; texts quoted so a newline inside is not counted.
        assert lines <= limit + 1


def test_csv_streaming_is_switched_on(without_sql):
    """Recorded in docs/reliability.md: anyone can stream the full table as CSV."""
    settings = asyncio.run(without_sql.client.get("/-/settings.json")).json()
    assert settings["allow_csv_stream"] is True
    assert settings["allow_download"] is False


@pytest.mark.parametrize(
    "path",
    [
        "//evil.example/",
        "//evil.example/archive",
        "/\\evil.example",
        "/%5Cevil.example",
        "/%5cevil.example/",
        "/%2F%2Fevil.example/",
        "/archive//articles",
        "///evil.example/",
        "/archive/articles/..%2F..%2F%2Fevil.example",
        "/archive/articles.json?_next=//evil.example",
        "/search?q=x&next=//evil.example",
        "/-/static/..%5C..%5Cevil.example",
    ],
)
def test_crafted_paths_never_redirect_off_site(without_sql, path):
    response = asyncio.run(without_sql.client.get(path))
    assert response.status_code < 500
    location = response.headers.get("location")
    if location is not None:
        parts = urlsplit(location)
        assert not parts.netloc or parts.netloc == "localhost", location
        assert not location.startswith("//"), location
        assert "\\" not in location, location
