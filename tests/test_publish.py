"""The archive in Datasette, in-process: search in the UI and JSON API, metadata, security."""

from __future__ import annotations

import asyncio

import pytest

from archive.publish import make_datasette

SEED_TITLE = "Vier organisaties uit onze provincie zitten in Wij-Zij-netwerk tegen polarisatie"


@pytest.fixture(scope="module")
def datasette(demo_archive):
    return make_datasette(demo_archive)


def get(datasette, path: str):
    return asyncio.run(datasette.client.get(path))


@pytest.mark.parametrize("query", ["Marien", "Mariën", "MARIEN", "polarisatie", "Wij-Zij-netwerk"])
def test_json_search_is_accent_insensitive(datasette, query):
    response = get(datasette, f"/archive/articles.json?_search={query}&_shape=array")
    assert response.status_code == 200
    titles = [row["title"] for row in response.json()]
    if query.lower().startswith("mari"):
        assert titles, "the seed article's author is Edwin Mariën"
    else:
        assert SEED_TITLE in titles


def test_seed_article_fields_via_api(datasette):
    rows = get(datasette, f"/archive/articles.json?title__exact={SEED_TITLE}&_shape=array").json()
    assert len(rows) == 1
    seed = rows[0]
    assert seed["published"].startswith("2024-06-20")
    assert seed["place"] == "Mechelen"
    assert seed["author"] == "Edwin Mariën"
    assert seed["text"].startswith("Vandaag stelde Bart Somers")


def test_search_in_the_web_ui(datasette):
    response = get(datasette, "/archive/articles?_search=polarisatie")
    assert response.status_code == 200
    assert "Wij-Zij-netwerk" in response.text


def test_home_page_shows_metadata(datasette):
    response = get(datasette, "/")
    assert response.status_code == 200
    assert "regional news archive" in response.text


def test_security_headers(datasette):
    response = get(datasette, "/archive/articles")
    assert "default-src 'self'" in response.headers["content-security-policy"]
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    "path", ["//evil.example/", "/\\evil.example/", "//evil.example/%2F..", "/archive//articles"]
)
def test_crafted_paths_never_redirect_off_site(datasette, path):
    response = get(datasette, path)
    location = response.headers.get("location", "")
    assert not location.startswith("//")
    assert "evil.example" not in location
    assert response.status_code in (404, 200) or location.startswith("/")


def test_crawl_ledger_is_published(datasette):
    rows = get(datasette, "/archive/crawls.json?_shape=array").json()
    assert rows[0]["status"] == "finished"
