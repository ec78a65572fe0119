"""Dutch-aware search: the analyzer, query parsing, the index kept in sync, and search semantics
through Datasette (in-process) on the crawled demo archive."""

from __future__ import annotations

import asyncio
import re
import sqlite3
from datetime import date, timedelta

import pytest
from sqlite_utils import Database

from archive import search
from archive.db import ARTICLE_COLUMNS, migrate, save_articles
from archive.publish import make_datasette
from archive.search import SearchFilters, analyze, fold, parse_query, snippet_html


def record(n: int, **changes):
    base = {
        "url": f"http://example.test/artikel-{n}/",
        "title": f"Titel {n}",
        "text": f"Tekst van artikel {n}.",
        "published": "2024-06-20T09:00:00+02:00",
        "author": "Edwin Mariën",
        "authors": ["Edwin Mariën"],
        "place": "Mechelen",
        "categories": ["Mechelen"],
        "tags": [],
        "description": "",
        "language": "nl",
    }
    base.update(changes)
    return base


def ids(db, query, **kwargs):
    return [row["id"] for row in search.search(db.conn, query, **kwargs).rows]


# ---------------------------------------------------------------------------- the analyzer


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ideeën", "ideeen"),
        ("Mariën", "marien"),
        ("ÉÉN café", "een cafe"),
        ("ĳsbaan", "ijsbaan"),
        ("Straße", "strasse"),
        ("e\u0301e\u0301n", "een"),  # decomposed accents
    ],
)
def test_fold_removes_accents_and_case(text, folded):
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("school", "scholen"),
        ("ideeën", "ideeen"),
        ("Mariën", "Marien"),
        ("gemeente", "gemeenten"),
        ("fietspad", "fietspaden"),
        ("woning", "woningen"),
        ("burgemeester", "burgemeesters"),
        ("kinderen", "kinderen"),
    ],
)
def test_word_forms_share_a_stem(one, other):
    assert analyze(one) == analyze(other)
    assert len(analyze(one)) == 1


@pytest.mark.parametrize("text", ["de", "het van een", "De en Het"])
def test_stop_words_are_dropped(text):
    assert analyze(text) == []


def test_analyze_splits_on_punctuation():
    assert analyze("Wij-Zij-netwerk") == ["wij", "netwerk"]
    assert analyze("") == []
    assert analyze(None) == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("scholen", '"schol"'),
        ("Marien", '"marien"'),
        ("Mariën", '"marien"'),
        ('"Kazerne Dossin"', '"kazern dossin"'),
        ('"de school van de toekomst"', '"schol toekomst"'),
        ("school kerk", '("schol" AND "kerk")'),
        ("school OR kerk", '("schol" OR "kerk")'),
        ("school NOT sport", '("schol" NOT "sport")'),
        ("school AND NOT sport", '("schol" NOT "sport")'),
        ("(school OR kerk) sport", '(("schol" OR "kerk") AND "sport")'),
        ("verkeers*", '("verkeers"* OR "verker"*)'),
        ("Wij-Zij-netwerk", '"wij netwerk"'),
        ('school "', '"schol"'),
        ("school ) OR (", '"schol"'),
        ('say "hi" NEAR(x)', '("say" AND "hi" AND "near" AND "x")'),
    ],
)
def test_queries_become_fts_expressions(query, expected):
    assert parse_query(query).to_fts() == expected


@pytest.mark.parametrize("query", ["", "de", "de het", "NOT school", "AND OR", "()", '""'])
def test_queries_with_nothing_to_search_are_empty(query):
    parsed = parse_query(query)
    assert parsed.empty
    with pytest.raises(search.SearchQueryError):
        parsed.to_fts()


def test_stop_words_are_reported_as_ignored():
    assert parse_query("de het").ignored == ["de", "het"]


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("De scholen zijn dicht.", "school", "De <mark>scholen</mark> zijn dicht."),
        ("Schepen Mariën zegt", "marien", "Schepen <mark>Mariën</mark> zegt"),
        ("<script>alert(1)</script> school", "school", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("a & b <i>school</i>", "school", "a &amp; b &lt;i&gt;<mark>school</mark>&lt;/i&gt;"),
        ("De verkeersveiligheid stijgt", "*veiligheid", "<mark>verkeersveiligheid</mark>"),
        ("De verkeersregels", "verkeers*", "<mark>verkeersregels</mark>"),
    ],
)
def test_snippets_escape_text_and_mark_matches(text, query, expected):
    assert expected in snippet_html(text, query)


def test_snippet_shows_the_part_with_the_matches():
    text = " ".join(["woord"] * 200) + " de brandweer kwam " + " ".join(["woord"] * 200)
    snippet = snippet_html(text, "brandweer")
    assert "<mark>brandweer</mark>" in snippet
    assert snippet.startswith("…")
    assert snippet.endswith("…")
    assert len(re.findall(r"\w+", snippet)) <= search.SNIPPET_WORDS + 4


# ---------------------------------------------------------------------------- the index


def test_saved_articles_are_searchable_at_once(db):
    save_articles(db, [record(1, text="De scholen van Mechelen."), record(2)])
    assert ids(db, "school") == [1]


def test_updates_and_deletes_keep_the_index_in_sync(db):
    save_articles(db, [record(1, text="Over de brandweer.")])
    save_articles(db, [record(1, text="Over de politie.")])
    assert ids(db, "brandweer") == []
    assert ids(db, "politie") == [1]
    db.execute("DELETE FROM articles WHERE id = 1")
    assert ids(db, "politie") == []
    assert db.execute("SELECT count(*) FROM articles_nl").fetchone()[0] == 0


def test_rows_written_by_other_clients_are_indexed_at_the_next_sync(db):
    db["articles"].insert({"url": "http://example.test/x/", "title": "Kermis in Lier"})
    assert ids(db, "kermis") == []
    search.sync_search_index(db.conn)
    assert len(ids(db, "kermis")) == 1


def test_migration_indexes_existing_articles(tmp_path):
    path = tmp_path / "old.db"
    old = Database(path)
    old["articles"].create(ARTICLE_COLUMNS, pk="id")  # as the first migration made it
    old["articles"].insert({"id": 7, "url": "http://example.test/7/", "title": "Ideeën voor Lier"})
    old.close()
    database = Database(path)
    migrate(database)
    assert ids(database, "ideeen") == [7]
    migrate(database)  # applying the migrations again changes nothing
    assert ids(database, "ideeen") == [7]


def test_a_new_analyzer_version_rebuilds_the_index(db):
    save_articles(db, [record(1, text="De scholen.")])
    db.execute("UPDATE articles_nl_state SET value = 'old' WHERE key = 'analyzer'")
    db.execute("DELETE FROM articles_nl")
    assert search.sync_search_index(db.conn) == 1
    assert ids(db, "school") == [1]


def test_part_search_uses_the_vocabulary(db):
    save_articles(
        db,
        [
            record(1, text="Meer verkeersveiligheid aan de school."),
            record(2, text="De veiligheid is er goed."),
            record(3, text="Een brandveiligheidsplan."),
            record(4, text="Niets hiervan."),
        ],
    )
    assert sorted(ids(db, "veiligheid")) == [2]
    assert sorted(ids(db, "*veiligheid")) == [1, 2, 3]
    assert ids(db, "*veiligheid NOT school") != []
    assert 1 not in ids(db, "*veiligheid NOT school")


def test_phrases_prefixes_and_operators(db):
    save_articles(
        db,
        [
            record(1, text="De nieuwe fietsstraat in Lier."),
            record(2, text="Een straat met een nieuwe fiets."),
            record(3, text="Verkeersregels voor de kermis."),
        ],
    )
    assert ids(db, '"nieuwe fietsstraat"') == [1]
    assert sorted(ids(db, "nieuwe")) == [1, 2]
    assert ids(db, "verkeers*") == [3]
    assert sorted(ids(db, "fietsstraat OR kermis")) == [1, 3]
    assert ids(db, "nieuwe NOT fiets") == [1]


def test_title_weighs_more_than_body(db):
    save_articles(
        db,
        [
            record(1, title="Kermis", text="Over de kermis en nog veel meer woorden hier."),
            record(2, title="Iets anders", text="Kermis kermis in de tekst."),
            record(3, title="Kermis in de titel", text="Niets."),
        ],
    )
    ranked = ids(db, "kermis")
    assert ranked.index(3) < ranked.index(2)
    assert ranked.index(1) < ranked.index(2)


def test_filters_and_sorting(db):
    save_articles(
        db,
        [
            record(1, text="Kermis.", published="2023-05-01T10:00:00+02:00", place="Lier"),
            record(2, text="Kermis.", published="2024-05-31T23:30:00+02:00", categories=["Kempen"]),
            record(3, text="Kermis.", published="2024-06-01T08:00:00+02:00", author="Ria Verbeeck"),
        ],
    )
    assert ids(db, "kermis", sort="newest") == [3, 2, 1]
    assert ids(db, "kermis", sort="oldest") == [1, 2, 3]
    may_2024 = SearchFilters(date_from="2024-05-01", date_to="2024-05-31")
    assert ids(db, "kermis", filters=may_2024) == [2]
    assert ids(db, "kermis", filters=SearchFilters(place="Lier")) == [1]
    assert ids(db, "kermis", filters=SearchFilters(category="Kempen")) == [2]
    assert ids(db, "kermis", filters=SearchFilters(author="Ria Verbeeck")) == [3]
    assert ids(db, "", filters=SearchFilters(place="Lier")) == [1]


def test_pagination_and_the_candidate_cap(db):
    save_articles(db, [record(n, text="Kermis.") for n in range(1, 26)])
    first = search.search(db.conn, "kermis", page_size=10, sort="newest")
    third = search.search(db.conn, "kermis", page=3, page_size=10, sort="newest")
    assert first.total == 25
    assert first.has_next
    assert first.pages == 3
    assert len(third.rows) == 5
    assert not third.has_next
    capped = search.search(db.conn, "kermis", candidate_cap=10)
    assert capped.total == 10
    assert capped.capped
    assert {row["id"] for row in capped.rows} == set(range(16, 26))  # the newest archived


def test_best_match_ranks_the_newest_matches_of_a_window(db):
    save_articles(db, [record(n, text="Kermis. " * (1 + n % 4)) for n in range(1, 26)])
    everything = search.search(db.conn, "kermis", page_size=30)
    windowed = search.search(db.conn, "kermis", page_size=5, rank_window=10)
    assert not everything.capped
    assert everything.ranked is None
    assert windowed.total == 25  # counted in full
    assert windowed.capped
    assert windowed.ranked == 10
    assert windowed.pages == 2  # the pages reach the ranked window only
    second = search.search(db.conn, "kermis", page=2, page_size=5, rank_window=10)
    assert not second.has_next
    ranked_ids = [row["id"] for row in windowed.rows + second.rows]
    newest_ten = [row["id"] for row in everything.rows if row["id"] > 15]
    assert ranked_ids == newest_ten  # the same order as ranking every match, among the ten
    # Date order is not windowed: it reaches every match.
    oldest = search.search(db.conn, "kermis", sort="oldest", page_size=5, rank_window=10)
    assert oldest.total == 25
    assert not oldest.capped
    assert oldest.rows[0]["id"] == 1


NO_SUCH_PLACE = SearchFilters(place="lier")
BACKWARDS = SearchFilters(date_from="2024-01-01", date_to="2023-01-01")
MATCH_NOTHING = {NO_SUCH_PLACE, BACKWARDS}


@pytest.mark.parametrize(
    "filters",
    [
        SearchFilters(place="Lier"),
        SearchFilters(place="De Pinte"),  # a stop word in the name
        SearchFilters(place="Sint-Katelijne-Waver"),
        SearchFilters(place="De"),  # only a stop word: nothing to analyze, exact all the same
        NO_SUCH_PLACE,  # the exact value: case counts, as in SQL
        SearchFilters(category="Kempen"),
        SearchFilters(place="Lier", category="Kempen"),
        SearchFilters(author="Ria Verbeeck"),  # in `authors` only, beside a joint byline
        SearchFilters(author="Edwin Mariën"),
        SearchFilters(date_from="2023-01-01", date_to="2023-12-31"),  # one whole year
        SearchFilters(date_from="2022-11-15", date_to="2024-02-10"),  # days, months, a year
        SearchFilters(date_from="2023-06-30"),  # open to the last day
        SearchFilters(date_to="2023-03-01"),  # open from the first day
        SearchFilters(date_from="2023-04-20", date_to="2023-04-20"),  # one day
        BACKWARDS,
        SearchFilters(date_from="2023-02-01", place="Boom", author="Edwin Mariën"),
    ],
)
def test_filters_as_index_terms_keep_exactly_what_the_filters_keep(db, filters):
    places = ["Lier", "De Pinte", "Sint-Katelijne-Waver", "De", "Boom"]
    save_articles(
        db,
        [
            record(
                n,
                text="Kermis en markt. " * (1 + n % 3),
                place=places[n % 5],
                # tags and other categories naming a place: the index narrows to a superset
                categories=["Kempen"] if n % 2 else ["Lier"],
                tags=[places[(n + 1) % 5]],
                # every 19 days from 12 October 2022, up to March 2025
                published=f"{date(2022, 10, 12) + timedelta(days=19 * n)}T23:30:00+01:00",
                author="Edwin Mariën en Ria Verbeeck" if n % 4 == 0 else "Edwin Mariën",
                authors=["Edwin Mariën", "Ria Verbeeck"] if n % 4 == 0 else ["Edwin Mariën"],
            )
            for n in range(1, 49)
        ],
    )
    clauses, params = filters.sql()
    expected_ids = {
        row[0]
        for row in db.conn.execute(
            f"SELECT a.id FROM articles a WHERE {' AND '.join(clauses)}", params
        )
    }
    unfiltered = [row["id"] for row in search.search(db.conn, "kermis", page_size=100).rows]
    filtered = search.search(db.conn, "kermis", filters, page_size=100)
    assert filtered.total == len(expected_ids)
    assert (filtered.total == 0) == (filters in MATCH_NOTHING)
    # The same articles in the same order as ranking everything and filtering afterwards.
    assert [row["id"] for row in filtered.rows] == [i for i in unfiltered if i in expected_ids]
    newest = search.search(db.conn, "kermis", filters, sort="newest", page_size=100)
    assert {row["id"] for row in newest.rows} == expected_ids
    assert sum(count for _, count in search.counts_by_month(db.conn, "kermis", filters)) == len(
        expected_ids
    )


def test_filtered_window_ranks_the_newest_passing_matches(db):
    save_articles(
        db,
        [
            record(n, text="Kermis. " * (1 + n % 4), place="Lier" if n % 2 else "Boom")
            for n in range(1, 41)
        ],
    )
    lier = SearchFilters(place="Lier")
    everything = [row["id"] for row in search.search(db.conn, "kermis", lier, page_size=50).rows]
    windowed = search.search(db.conn, "kermis", lier, page_size=50, rank_window=6)
    assert windowed.total == 20
    assert windowed.capped
    assert windowed.ranked == 6
    newest_six = sorted(everything, reverse=True)[:6]
    assert [row["id"] for row in windowed.rows] == [i for i in everything if i in newest_six]


def test_stop_word_query_finds_nothing_and_says_why(db):
    save_articles(db, [record(1, text="De kermis.")])
    results = search.search(db.conn, "de")
    assert results.total == 0
    assert results.query.ignored == ["de"]


def test_sql_functions(db):
    conn = db.conn
    search.register_functions(conn)
    save_articles(db, [record(1, text="De scholen.")])
    row = conn.execute(
        "SELECT rowid, nl_snippet(?, 'school') FROM articles_nl "
        "WHERE articles_nl MATCH nl_query(?)",
        ["De scholen.", "school"],
    ).fetchone()
    assert row == (1, "De <mark>scholen</mark>.")
    assert conn.execute("SELECT count(*) FROM articles_nl WHERE articles_nl MATCH nl_query('de')")


def test_counts_by_month(db):
    save_articles(
        db,
        [
            record(1, text="Kermis.", published="2024-05-01T10:00:00+02:00"),
            record(2, text="Kermis.", published="2024-05-20T10:00:00+02:00"),
            record(3, text="Markt.", published="2024-07-01T10:00:00+02:00"),
        ],
    )
    assert search.counts_by_month(db.conn) == [("2024-05", 2), ("2024-07", 1)]
    assert search.counts_by_month(db.conn, "kermis") == [("2024-05", 2)]


# ---------------------------------------------------------------------------- through Datasette


@pytest.fixture(scope="module")
def datasette(demo_archive):
    return make_datasette(demo_archive)


@pytest.fixture(scope="module")
def archive_conn(demo_archive):
    conn = sqlite3.connect(demo_archive)
    yield conn
    conn.close()


def get_json(datasette, path: str):
    response = asyncio.run(datasette.client.get(path))
    assert response.status_code == 200, response.text[:500]
    return response.json()


def texts_with_word(conn, word: str) -> set[int]:
    """Ids of the articles whose title or text has `word` as a whole word (case-insensitive)."""
    found = set()
    for id_, title, text in conn.execute("SELECT id, title, text FROM articles"):
        if word in search.words(f"{title} {text}"):
            found.add(id_)
    return found


def search_ids(datasette, query: str, **params) -> set[int]:
    from urllib.parse import urlencode

    data = get_json(datasette, "/search.json?" + urlencode({"q": query, "size": 100, **params}))
    assert data["total"] <= 100, "keep the demo queries small enough for one page"
    return {row["id"] for row in data["rows"]}


def test_scholen_finds_articles_that_say_school(datasette, archive_conn):
    only_school = texts_with_word(archive_conn, "school") - texts_with_word(archive_conn, "scholen")
    assert only_school, "the demo archive has articles saying only 'school'"
    assert only_school <= search_ids(datasette, "scholen")


def test_marien_finds_marien_with_diaeresis(datasette, archive_conn):
    with_diaeresis = {
        row[0]
        for row in archive_conn.execute(
            "SELECT id FROM articles WHERE text LIKE '%Mariën%' OR author LIKE '%Mariën%'"
        )
    }
    assert with_diaeresis
    found = search_ids(datasette, "Marien", sort="newest", size=100)
    assert found
    assert found <= with_diaeresis | found
    assert search_ids(datasette, "Marien") == search_ids(datasette, "Mariën")


def test_phrase_finds_only_the_phrase(datasette, archive_conn):
    words_apart = texts_with_word(archive_conn, "wij") & texts_with_word(archive_conn, "netwerk")
    phrase = search_ids(datasette, '"Wij-Zij-netwerk"')
    assert phrase
    assert phrase <= words_apart
    for id_ in phrase:
        (text,) = archive_conn.execute(
            "SELECT title || ' ' || text FROM articles WHERE id = ?", [id_]
        ).fetchone()
        assert "Wij-Zij-netwerk" in text


def test_date_and_place_filters_narrow_results(datasette, archive_conn):
    everything = get_json(datasette, "/search.json?q=zegt&size=1")["total"]
    place, count = archive_conn.execute(
        "SELECT place, count(*) FROM articles GROUP BY place ORDER BY 2 DESC LIMIT 1"
    ).fetchone()
    in_place = get_json(datasette, f"/search.json?q=zegt&place={place}&size=100")
    assert 0 < in_place["total"] <= count < everything
    assert {row["place"] for row in in_place["rows"]} == {place}
    in_2024 = get_json(datasette, "/search.json?q=zegt&from=2024-01-01&to=2024-12-31&size=100")
    assert 0 < in_2024["total"] < everything
    assert all(row["published"].startswith("2024") for row in in_2024["rows"])


def test_compound_part_search(datasette, archive_conn):
    compounds = {
        row[0]
        for row in archive_conn.execute(
            "SELECT id FROM articles WHERE text LIKE '%staatsveiligheid%'"
        )
    }
    assert compounds, "the demo archive mentions staatsveiligheid"
    assert not compounds <= search_ids(datasette, "veiligheid")
    assert compounds <= search_ids(datasette, "*veiligheid")


def test_common_word_answers_without_error(datasette, archive_conn):
    # The most common indexed term of the archive: in nearly every article.
    archive_conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, articles_nl, row)"
    )
    term, documents = archive_conn.execute(
        "SELECT term, doc FROM temp.vocab ORDER BY doc DESC LIMIT 1"
    ).fetchone()
    data = get_json(datasette, f"/search.json?q={term}")
    assert data["ok"]
    assert data["total"] == documents
    assert len(data["rows"]) == 20
    newest = get_json(datasette, f"/search.json?q={term}&sort=newest")
    dates = [row["published"] for row in newest["rows"]]
    assert dates == sorted(dates, reverse=True)
    canned = get_json(datasette, f"/archive/search.json?q={term}&_shape=array")
    assert len(canned) == 50
    stop_word = get_json(datasette, "/search.json?q=de")
    assert stop_word["ok"]
    assert stop_word["total"] == 0
    assert stop_word["ignored"] == ["de"]


def test_canned_query_matches_the_search_page(datasette):
    canned = get_json(datasette, "/archive/search.json?q=scholen&_shape=array")
    page = get_json(datasette, "/search.json?q=scholen&size=50")
    assert {row["id"] for row in canned} == {row["id"] for row in page["rows"]}
    assert all("<mark>" in row["snippet_html"] for row in canned)


CANNED_FILTERS = [
    {"place": "Lier"},
    {"category": "Cultuur"},
    # a co-author: in `authors`, not in `author`
    {"author": "An Smet"},
    {"from": "2023-01-01", "to": "2023-12-31"},
    {"from": "2024-03-15"},
    {"to": "2024-03-14"},
    {"place": "Lier", "category": "Cultuur", "from": "2023-06-01"},
]


@pytest.fixture(scope="module")
def filtered_archive(tmp_path_factory):
    """Articles about the kermis in two places, three categories, two years, and co-authors."""
    path = tmp_path_factory.mktemp("filters") / "archive.db"
    database = Database(path)
    migrate(database)
    places, categories = ["Lier", "Mechelen"], [["Cultuur"], ["Politiek"], ["Cultuur", "Lier"]]
    save_articles(
        database,
        [
            record(
                n,
                text=f"De kermis in artikel {n}.",
                place=places[n % 2],
                categories=categories[n % 3],
                published=f"{2023 + n % 2}-{n % 12 + 1:02d}-{n % 27 + 1:02d}T09:00:00+01:00",
                author="Edwin Mariën",
                authors=["Edwin Mariën", "An Smet"] if n % 5 == 0 else ["Edwin Mariën"],
            )
            for n in range(1, 61)
        ],
    )
    database.close()
    return make_datasette(path)


@pytest.mark.parametrize("filters", CANNED_FILTERS, ids=lambda f: "&".join(f))
def test_canned_query_filters_as_the_search_page(filtered_archive, filters):
    """The canned queries' filters are the search's own: the same rows as /search.json."""
    given = "&".join(f"{name}={value}" for name, value in filters.items())
    canned_params = {"place": "", "category": "", "author": "", "from": "", "to": ""} | filters
    canned_query = "q=kermis&" + "&".join(f"{k}={v}" for k, v in canned_params.items())
    canned = get_json(filtered_archive, f"/archive/search.json?{canned_query}&_shape=array")
    page = get_json(filtered_archive, f"/search.json?q=kermis&{given}&size=50")
    assert 0 < page["total"] < 60
    assert {row["id"] for row in canned} == {row["id"] for row in page["rows"]}
    if "from" not in filters and "to" not in filters:
        months = get_json(
            filtered_archive, f"/archive/articles_per_month.json?{canned_query}&_shape=array"
        )
        assert sum(row["articles"] for row in months) == page["total"]


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_canned_query_with_a_bad_date_fails_rather_than_answering_nothing(filtered_archive):
    # SQLite reports a failing SQL function without its message; the page says what dates are.
    response = asyncio.run(
        filtered_archive.client.get(
            "/archive/search.json?q=kermis&place=&category=&author=&from=2024-13-01&to="
        )
    )
    assert response.status_code == 400
    assert response.json()["ok"] is False


def test_plain_fts_search_still_works(datasette):
    rows = get_json(datasette, "/archive/articles.json?_search=Marien&_shape=array")
    assert rows


def test_json_pagination_follows_next_url(datasette):
    first = get_json(datasette, "/search.json?q=zegt&size=30")
    assert first["next_url"]
    assert "page=2" in first["next_url"]
    second = get_json(datasette, first["next_url"])
    assert not {row["id"] for row in first["rows"]} & {row["id"] for row in second["rows"]}


@pytest.mark.parametrize("query", ["y2024", "_y2024", "y2*", "m202406", "d20240620", "_p*"])
def test_no_search_word_matches_a_filter_token(db, query):
    save_articles(db, [record(1, text="Kermis in juni.")])
    assert "_y2024" in db.execute("SELECT filters FROM articles_nl").fetchone()[0]
    assert ids(db, query) == []


def test_filter_tokens_follow_a_changed_date_and_author(db):
    save_articles(db, [record(1, text="Kermis.")])
    db.execute(
        "UPDATE articles SET published = '2021-03-04T10:00:00+01:00', authors = ? WHERE id = 1",
        ['["Ria Verbeeck"]'],
    )
    search.sync_search_index(db.conn)
    march_2021 = SearchFilters(date_from="2021-03-01", date_to="2021-03-31")
    assert ids(db, "kermis", filters=march_2021) == [1]
    assert ids(db, "kermis", filters=SearchFilters(author="Ria Verbeeck")) == [1]
    assert ids(db, "kermis", filters=SearchFilters(date_from="2024-01-01")) == []


@pytest.mark.parametrize("value", ["2024-6-1", "1 juni 2024", "2024-06-31", "2024-06-01T10:00"])
def test_a_filter_date_must_be_a_calendar_date(value):
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        SearchFilters(date_from=value)


def test_an_index_of_an_earlier_definition_is_upgraded_without_analysing_again(db):
    save_articles(
        db, [record(n, text="Kermis.", place="Lier" if n % 2 else "Boom") for n in (1, 2)]
    )
    # The index as m004/m014 made it: five columns, no filter tokens, analyzer version 1.
    columns = "title, description, text, author, keywords"
    db.execute("DROP TABLE articles_nl")
    db.execute(
        f"CREATE VIRTUAL TABLE articles_nl USING fts5({columns}, "
        "tokenize='unicode61 remove_diacritics 0', prefix='2 3')"
    )
    # Analyzed text the analyzer would not make: the upgrade copies it as it is.
    db.execute(
        f"INSERT INTO articles_nl(rowid, {columns}) VALUES "
        "(1, 'titel', '', 'kermis oud', '', 'lier'), (2, 'titel', '', 'kermis oud', '', 'boom')"
    )
    db.execute("UPDATE articles_nl_state SET value = 'dutch_porter:1' WHERE key = 'analyzer'")
    migrate(db)  # nothing left to migrate: the upgrade itself is called
    assert ids(db, "oud") == [1, 2]
    assert search.upgrade_search_index(db.conn)
    assert not search.upgrade_search_index(db.conn)  # done once
    assert ids(db, "oud", filters=SearchFilters(place="Lier")) == [1]
    assert search.sync_search_index(db.conn) == 0  # the analyzer's version was brought along
    assert ids(db, "oud") == [1, 2]
    db.execute("UPDATE articles SET place = 'Boom' WHERE id = 1")  # the triggers are back
    search.sync_search_index(db.conn)
    assert sorted(ids(db, "kermis", filters=SearchFilters(place="Boom"))) == [1, 2]
