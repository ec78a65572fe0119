"""The yield logic that decides which listings, patterns and redirects are worth a request."""

from __future__ import annotations

import pytest

from crawler.frontier import ListingFrontier, TrapCutter, family_of, listing_page
from crawler.redirects import RedirectMemory, apply_rule, redirect_rule, url_twins

SITE = "http://news.test"


@pytest.mark.parametrize(
    ("url", "sequence", "number", "family"),
    [
        ("/", "/", 0, "/"),
        ("/page/3/", "/", 3, "/"),
        ("/page2/", "/", 2, "/"),  # Jekyll's paginator
        ("/category/lier/", "/category/lier/", 0, "/category/*/"),
        ("/category/lier/page/2/", "/category/lier/", 2, "/category/*/"),
        ("/tags/haven/page/4/", "/tags/haven/", 4, "/tags/*/"),
        ("/2024/05/", "/2024/05/", 0, "/N/N/"),
        ("/2024/05/page/2/", "/2024/05/", 2, "/N/N/"),
        ("/list/?page=7", "/list/", 7, "/*/"),
        ("/node?page=1", "/node", 1, "/*/"),  # Drupal counts from 0: the unnumbered page first
    ],
)
def test_listing_page_finds_sequence_number_and_family(url, sequence, number, family):
    where = listing_page(SITE + url)
    assert (where.sequence, where.number, where.family) == (SITE + sequence, number, family)


def test_family_keeps_query_keys():
    assert family_of("/zoeken/", [("q", "x")]) == "/*/?q"


def walk(frontier: ListingFrontier, yields: dict[str, int], pages: dict[str, list[str]]) -> list:
    """Drive a frontier like the spider does: release on idle, parse each released page."""
    fetched = []
    queue = list(frontier.release())
    while queue:
        while queue:
            url = queue.pop(0)
            fetched.append(url)
            for link in pages.get(url, []):
                frontier.add(link)
            queue += frontier.parsed(url, yields.get(url, 0))
        queue = list(frontier.release())
    return fetched


def home_with_pages(count: int) -> dict[str, list[str]]:
    """A home page whose every page links to every other page of its pagination."""
    urls = [f"{SITE}/"] + [f"{SITE}/page/{n}/" for n in range(2, count + 1)]
    return {url: urls for url in urls}


def test_a_sequence_is_walked_while_it_yields_and_stops_after_patience_barren_pages():
    frontier = ListingFrontier(patience=2)
    frontier.add(f"{SITE}/", primary=True)
    pages = home_with_pages(50)
    yields = {f"{SITE}/": 10, f"{SITE}/page/2/": 10, f"{SITE}/page/3/": 4}
    fetched = walk(frontier, yields, pages)
    # pages 1-3 yield, 4 and 5 do not: two barren pages in a row end the walk
    assert fetched == [f"{SITE}/", *(f"{SITE}/page/{n}/" for n in range(2, 6))]


def test_a_sequence_that_keeps_yielding_is_walked_to_its_end():
    frontier = ListingFrontier(patience=2)
    frontier.add(f"{SITE}/", primary=True)
    pages = home_with_pages(30)
    fetched = walk(frontier, {url: 10 for url in pages}, pages)
    assert len(fetched) == 30


def test_a_barren_page_between_yielding_ones_does_not_stop_the_walk():
    frontier = ListingFrontier(patience=2)
    frontier.add(f"{SITE}/", primary=True)
    pages = home_with_pages(6)
    yields = {url: 5 for url in pages} | {f"{SITE}/page/3/": 0}
    assert len(walk(frontier, yields, pages)) == 6


def test_a_family_that_repeats_what_is_known_is_sampled_not_exhausted():
    frontier = ListingFrontier(patience=2, sample=2)
    frontier.add(f"{SITE}/", primary=True)
    tags = [f"{SITE}/tag/t{n}/" for n in range(200)]
    pages = {f"{SITE}/": tags}
    fetched = walk(frontier, {}, pages)
    assert fetched == [f"{SITE}/", tags[0], tags[1]]
    assert frontier.summary()["sequences_skipped"] == 198
    assert frontier.redundant_families == ["/tag/*/"]


def test_a_family_whose_sample_yields_is_walked_entirely():
    frontier = ListingFrontier(patience=2, sample=2)
    frontier.add(f"{SITE}/", primary=True)
    sections = [f"{SITE}/category/c{n}/" for n in range(6)]
    fetched = walk(frontier, {sections[1]: 3}, {f"{SITE}/": sections})
    assert fetched == [f"{SITE}/", *sections]


def test_smaller_families_are_sampled_first():
    frontier = ListingFrontier(patience=2, sample=1)
    frontier.add(f"{SITE}/", primary=True)
    tags = [f"{SITE}/tag/t{n}/" for n in range(20)]
    sections = [f"{SITE}/category/c{n}/" for n in range(3)]
    fetched = walk(frontier, {}, {f"{SITE}/": tags + sections})
    assert fetched == [f"{SITE}/", sections[0], tags[0]]


def test_primary_sequences_come_before_every_family():
    frontier = ListingFrontier()
    frontier.add(f"{SITE}/tag/a/")
    frontier.add(f"{SITE}/", primary=True)
    assert frontier.release() == [f"{SITE}/"]


def test_pages_of_a_known_sequence_are_known_and_released_only_in_order():
    frontier = ListingFrontier(patience=2)
    frontier.add(f"{SITE}/", primary=True)
    frontier.add(f"{SITE}/page/9/")
    assert frontier.knows(f"{SITE}/page/9/")
    assert not frontier.knows(f"{SITE}/page/3/")
    assert frontier.release() == [f"{SITE}/"]
    # the only later page known is 9: it is next, whatever its number
    assert frontier.parsed(f"{SITE}/", 5) == [f"{SITE}/page/9/"]
    assert frontier.parsed(f"{SITE}/page/9/", 5) == []


def test_nothing_is_released_twice():
    frontier = ListingFrontier(sample=5)
    frontier.add(f"{SITE}/", primary=True)
    frontier.add(f"{SITE}/category/a/")
    first = frontier.release()
    frontier.parsed(f"{SITE}/", 0)
    second = frontier.release()
    frontier.parsed(f"{SITE}/category/a/", 0)
    assert first == [f"{SITE}/"]
    assert second == [f"{SITE}/category/a/"]
    assert frontier.release() == []


# --- traps ---


def test_a_pattern_without_articles_or_new_links_is_cut_after_its_patience():
    traps = TrapCutter(patience=5)
    cut = [
        traps.fetched(
            f"{SITE}/calendar/2024/{m}/", yielded_outside=False, awaiting_extraction=False
        )
        for m in range(1, 7)
    ]
    assert cut == [None, None, None, None, "/calendar/N/N/", None]
    assert traps.is_cut(f"{SITE}/calendar/2031/7/")
    assert not traps.is_cut(f"{SITE}/other/2031/7/")


def test_a_pattern_that_yields_articles_is_not_cut():
    traps = TrapCutter(patience=3)
    for n in range(20):
        url = f"{SITE}/node/{n}"
        assert traps.fetched(url, yielded_outside=False, awaiting_extraction=True) is None
        assert traps.extracted(url, is_article=n % 2 == 0) is None
    assert not traps.is_cut(f"{SITE}/node/99")


def test_a_pattern_whose_pages_are_not_articles_is_cut_once_extraction_says_so():
    traps = TrapCutter(patience=3)
    urls = [f"{SITE}/agenda/{n}/" for n in range(3)]
    for url in urls:
        assert traps.fetched(url, yielded_outside=False, awaiting_extraction=True) is None
    assert not traps.is_cut(urls[0])
    outcomes = [traps.extracted(url, is_article=False) for url in urls]
    assert outcomes == [None, None, "/agenda/N/"]


def test_trap_patience_is_capped_at_fifty():
    assert TrapCutter(patience=10_000).patience == 50


# --- redirects ---


@pytest.mark.parametrize(
    ("source", "target", "rule"),
    [
        ("http://a.test/posts/x", "http://a.test/posts/x/", "trailing-slash"),
        ("http://a.test/x", "https://a.test/x", "https"),
        ("http://a.test/x", "http://www.a.test/x", "add-www"),
        ("http://www.a.test/x", "http://a.test/x", "drop-www"),
        ("http://a.test/old-slug/", "http://a.test/new-slug/", None),
        ("http://a.test/x.html", "http://a.test/x.html/", None),
    ],
)
def test_redirect_rules(source, target, rule):
    assert redirect_rule(source, target) == rule
    if rule:
        assert apply_rule(rule, source) == target


def test_a_rule_is_learned_from_three_permanent_redirects_and_applied_to_new_links():
    memory = RedirectMemory()
    for n in range(2):
        assert not memory.learn(f"{SITE}/p/{n}", f"{SITE}/p/{n}/", permanent=True)
    assert memory.resolve(f"{SITE}/p/new") == f"{SITE}/p/new"
    assert memory.learn(f"{SITE}/p/2", f"{SITE}/p/2/", permanent=True)
    assert memory.resolve(f"{SITE}/p/new") == f"{SITE}/p/new/"
    assert memory.rewrote(f"{SITE}/p/new", f"{SITE}/p/new/")
    assert memory.resolve(f"{SITE}/feed.xml") == f"{SITE}/feed.xml"  # files keep their name


def test_temporary_redirects_teach_nothing():
    memory = RedirectMemory()
    for n in range(5):
        memory.learn(f"{SITE}/p/{n}", f"{SITE}/p/{n}/", permanent=False)
    assert memory.resolve(f"{SITE}/p/0") == f"{SITE}/p/0"
    assert memory.resolve(f"{SITE}/p/9") == f"{SITE}/p/9"


def test_a_rule_that_leads_to_a_missing_page_is_dropped():
    memory = RedirectMemory()
    for n in range(3):
        memory.learn(f"{SITE}/p/{n}", f"{SITE}/p/{n}/", permanent=True)
    memory.unlearn(f"{SITE}/p/new", f"{SITE}/p/new/")
    assert memory.resolve(f"{SITE}/p/other") == f"{SITE}/p/other"
    assert not memory.learn(f"{SITE}/p/7", f"{SITE}/p/7/", permanent=True)
    assert memory.resolve(f"{SITE}/p/other") == f"{SITE}/p/other"


def test_aliases_from_the_archive_resolve_exactly():
    memory = RedirectMemory({f"{SITE}/oude-titel/": f"{SITE}/nieuwe-titel/"})
    assert memory.resolve(f"{SITE}/oude-titel/") == f"{SITE}/nieuwe-titel/"
    assert not memory.rewrote(f"{SITE}/oude-titel/", f"{SITE}/nieuwe-titel/")


def test_url_twins():
    assert url_twins("http://a.test/x/") == [
        "http://a.test/x",
        "https://a.test/x/",
        "http://www.a.test/x/",
    ]
    assert url_twins("https://www.a.test/x") == [
        "https://www.a.test/x/",
        "http://www.a.test/x",
        "https://a.test/x",
    ]


def test_held_page_links_are_judged_by_depth_whatever_their_names():
    frontier = ListingFrontier(sample=2)
    frontier.add(f"{SITE}/", primary=True)
    static = [f"{SITE}/contact/{n}/" for n in range(3)] + [f"{SITE}/fotos/{n}/" for n in range(3)]
    for url in static:
        frontier.add(url, page_link=True)
    fetched = walk(frontier, {}, {})
    # one sample for all two-segment pages nobody listed; it named nothing new
    assert fetched == [f"{SITE}/", static[0]]
    assert frontier.redundant_families == ["/*/*/ (page links)"]


def test_a_held_page_link_named_by_a_sitemap_is_claimed_as_a_candidate():
    frontier = ListingFrontier()
    frontier.add(f"{SITE}/over-ons/", page_link=True)
    assert not frontier.knows(f"{SITE}/over-ons/")  # a sitemap or listing may still name it
    assert frontier.claim(f"{SITE}/over-ons/")
    assert not frontier.has_sequence(f"{SITE}/over-ons/")
    assert frontier.release() == []
