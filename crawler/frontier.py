"""Which listing pages and link patterns are worth a request, judged by what they have yielded.

On a real site every request costs a second or more, so a listing page is fetched only while
the listings have been finding articles the crawl does not know yet:

* A *sequence* is one listing and its pagination (`/`, `/page/2/`, `/page/3/` …, or
  `/category/lier/`, `/category/lier/page/2/` …). Its next page is requested only after the
  current one was read, and only while fewer than `patience` pages in a row yielded nothing new.
* A *family* is the sequences of one kind (every tag, every author, every category, every month
  archive), recognised by the shape of their URLs. The home page's sequence goes first; then
  each family is sampled with a few of its sequences, and exhausted only when the sample found
  something new. Tag, author and date archives that repeat what the home pagination already
  gave cost one or two requests each, not thousands.
* A *pattern* (crawler.scope.url_pattern: the path with numbers as N and the query keys) whose
  pages yield no article and no new link outside the pattern is a trap — an endless calendar,
  a numbered page that never ends — and is cut after `trap_patience` such pages in a row.

These classes decide; the spider (crawler/spiders/news.py) makes the requests.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from crawler.scope import url_pattern

logger = logging.getLogger(__name__)

# /page/2/ (WordPress, Hugo, Ghost), /page2/ (Jekyll), at the end of a path.
_PAGE_IN_PATH = re.compile(r"^(?P<base>.*/)page/?(?P<number>\d+)/?$", re.IGNORECASE)
# Query keys that number the pages of a listing (Drupal counts from 0, the others from 1).
PAGE_QUERY_KEYS = frozenset({"page", "paged", "pg"})
_DIGITS_ONLY = re.compile(r"^\d+$")

# How many pages in a row may yield nothing new before a listing sequence stops.
DEFAULT_PATIENCE = 2
# How many sequences of a family are tried before the family is judged.
DEFAULT_SAMPLE = 2
# How many unproductive pages in a row cut a URL pattern (at most 50, whatever the setting).
DEFAULT_TRAP_PATIENCE = 20
MAX_TRAP_PATIENCE = 50


@dataclass(frozen=True)
class ListingPage:
    """Where a listing URL sits: its sequence (first page's URL), page number (0: unnumbered)
    and family."""

    sequence: str
    number: int
    family: str


def listing_page(url: str) -> ListingPage:
    """The sequence, page number and family of a listing URL."""
    parts = urlsplit(url)
    path = parts.path or "/"
    number = 0  # an unnumbered page comes first, whatever the site counts from
    query = parse_qsl(parts.query)
    kept = [(key, value) for key, value in query if key.lower() not in PAGE_QUERY_KEYS]
    for key, value in query:
        if key.lower() in PAGE_QUERY_KEYS and value.isdigit():
            number = int(value)
    if match := _PAGE_IN_PATH.match(path):
        path = match.group("base")
        number = int(match.group("number"))
    first = urlunsplit((parts.scheme, parts.netloc, path, urlencode(kept), ""))
    return ListingPage(sequence=first, number=number, family=family_of(path, kept))


def family_of(path: str, query: Iterable[tuple[str, str]] = ()) -> str:
    """The shape shared by listings of one kind: /tag/*/, /category/*/, /N/N/ (months), /."""
    segments = [segment for segment in path.split("/") if segment]
    shape = ["N" if _DIGITS_ONLY.match(segment) else segment for segment in segments]
    if shape and shape[-1] != "N":
        shape[-1] = "*"  # the term itself: one family for all tags, all categories …
    keys = sorted({key for key, _ in query})
    text = "/" + "/".join(shape) + ("/" if shape else "")
    return text + ("?" + "&".join(keys) if keys else "")


def page_link_family(url: str) -> str:
    """The family of a held page link: its path depth (/*/, /*/*/ …)."""
    depth = len([segment for segment in urlsplit(url).path.split("/") if segment])
    return "/" + "*/" * depth + " (page links)"


@dataclass
class Sequence:
    """One listing and its pagination, walked page by page while it yields."""

    first_url: str
    family: str
    pages: dict[int, str] = field(default_factory=dict)
    requested: set[int] = field(default_factory=set)
    fetched: int = 0
    barren_in_a_row: int = 0
    yielded: int = 0
    released: bool = False
    stopped: bool = False
    primary: bool = False
    page_link: bool = False  # a held link to a page no listing named (frontier.add)


@dataclass
class Family:
    """The sequences of one kind; sampled before they are walked."""

    shape: str
    sample: int = DEFAULT_SAMPLE
    pending: list[Sequence] = field(default_factory=list)
    released: list[Sequence] = field(default_factory=list)
    state: str = "new"  # new → sampling → productive | redundant

    @property
    def yielded(self) -> int:
        return sum(sequence.yielded for sequence in self.released)


class ListingFrontier:
    """Holds listing URLs until they are worth a request; walks sequences by their yield."""

    def __init__(self, *, patience: int = DEFAULT_PATIENCE, sample: int = DEFAULT_SAMPLE):
        self.patience = max(1, patience)
        self.sample = max(1, sample)
        self.sequences: dict[str, Sequence] = {}
        self.families: dict[str, Family] = {}
        self.primary: list[Sequence] = []
        self.sampling: Family | None = None
        self.skipped_sequences = 0
        self.stopped_sequences = 0
        self.redundant_families: list[str] = []

    # --- what the crawl finds ---

    def add(self, url: str, *, primary: bool = False, page_link: bool = False) -> None:
        """A listing URL found in a page (or a start URL, `primary`): held, not yet requested.

        `page_link`: not a listing by its URL, but a link no listing named (a menu entry, a link
        in an article's text); its family is judged on one page only.
        """
        where = listing_page(url)
        sequence = self.sequences.get(where.sequence)
        if sequence is None:
            sequence = Sequence(where.sequence, where.family, primary=primary, page_link=page_link)
            self.sequences[where.sequence] = sequence
            if primary:
                self.primary.append(sequence)
            else:
                # Page links are judged by depth alone: about, contact and the other static
                # pages of a site are one question, whatever their names.
                shape = page_link_family(where.sequence) if page_link else where.family
                family = self.families.get(shape)
                if family is None:
                    family = Family(shape, sample=1 if page_link else self.sample)
                    self.families[shape] = family
                if family.state == "redundant":
                    self.skipped_sequences += 1
                family.pending.append(sequence)
        elif primary and sequence not in self.primary and not sequence.released:
            self.primary.append(sequence)
        sequence.pages.setdefault(where.number, url)

    def knows(self, url: str) -> bool:
        """Whether `url` is a page of a listing the frontier holds or walks (not a held page
        link: a sitemap, feed or listing may still name that one as an article candidate)."""
        where = listing_page(url)
        sequence = self.sequences.get(where.sequence)
        return (
            sequence is not None
            and where.number in sequence.pages
            and not (sequence.page_link and len(sequence.pages) == 1)
        )

    def claim(self, url: str) -> bool:
        """A held page link that a sitemap, feed or listing names after all: it is requested
        now, as an article candidate, and no longer held. True if it was held."""
        where = listing_page(url)
        sequence = self.sequences.get(where.sequence)
        if sequence is None or not sequence.page_link or sequence.released:
            return False
        del self.sequences[where.sequence]
        for family in self.families.values():
            if sequence in family.pending:
                family.pending.remove(sequence)
        return True

    def is_paginated(self, url: str) -> bool:
        """Whether `url` belongs to a sequence with more than one known page."""
        sequence = self.sequences.get(listing_page(url).sequence)
        return sequence is not None and len(sequence.pages) > 1

    def has_sequence(self, url: str) -> bool:
        """Whether `url` is a page of a sequence the frontier knows (a listing with pages)."""
        return listing_page(url).sequence in self.sequences

    def parsed(self, url: str, new_candidates: int) -> list[str]:
        """A listing page was read and yielded `new_candidates`: the next page(s) to request."""
        where = listing_page(url)
        sequence = self.sequences.get(where.sequence)
        if sequence is None:
            return []
        sequence.pages.setdefault(where.number, url)
        sequence.requested.add(where.number)
        sequence.released = True
        sequence.fetched += 1
        if new_candidates > 0:
            sequence.yielded += new_candidates
            sequence.barren_in_a_row = 0
        else:
            sequence.barren_in_a_row += 1
        # A sampled listing whose first page names nothing new is not paged: the start page's
        # sequence gets its full patience (its first page may hold only sticky posts).
        patience = self.patience if sequence.primary or sequence.yielded else 1
        if sequence.barren_in_a_row >= patience:
            if not sequence.stopped:
                sequence.stopped = True
                if len(sequence.pages) > len(sequence.requested):
                    self.stopped_sequences += 1
                    logger.info(
                        "Listing %s: %d pages in a row without new articles; its other %d "
                        "known pages not fetched",
                        sequence.first_url,
                        sequence.barren_in_a_row,
                        len(sequence.pages) - len(sequence.requested),
                    )
            return []
        later = [n for n in sequence.pages if n > where.number and n not in sequence.requested]
        if not later:
            return []
        following = min(later)
        sequence.requested.add(following)
        return [sequence.pages[following]]

    # --- when the crawl has nothing else to do ---

    def release(self) -> list[str]:
        """First pages to request now that the crawl is idle; [] when no listing is worth one."""
        urls = self._release_primary()
        if urls:
            return urls
        if self.sampling is not None:
            self._judge(self.sampling)
        for family in self.families.values():
            if family.state == "productive" and family.pending:
                return self._release_from(family, len(family.pending))
        candidates = [f for f in self.families.values() if f.state == "new" and f.pending]
        if not candidates:
            return []
        # Fewer sequences first: sections partition a site more broadly than tags do.
        family = min(candidates, key=lambda f: len(f.pending))
        family.state = "sampling"
        self.sampling = family
        return self._release_from(family, min(family.sample, self.sample))

    def _release_primary(self) -> list[str]:
        urls = []
        for sequence in self.primary:
            if not sequence.released:
                sequence.released = True
                first = min(sequence.pages)
                sequence.requested.add(first)
                urls.append(sequence.pages[first])
        return urls

    def _release_from(self, family: Family, count: int) -> list[str]:
        urls = []
        while family.pending and len(urls) < count:
            sequence = family.pending.pop(0)
            if sequence.released:
                continue
            sequence.released = True
            family.released.append(sequence)
            first = min(sequence.pages)
            sequence.requested.add(first)
            urls.append(sequence.pages[first])
        return urls

    def _judge(self, family: Family) -> None:
        self.sampling = None
        if family.yielded > 0:
            family.state = "productive"
            return
        family.state = "redundant"
        self.redundant_families.append(family.shape)
        self.skipped_sequences += len(family.pending)
        logger.info(
            "Listings like %s repeat what the crawl already knows (%d sampled): "
            "%d more not fetched",
            family.shape,
            len(family.released),
            len(family.pending),
        )
        family.pending.clear()

    def summary(self) -> dict[str, int]:
        """Counts for the crawl's stats."""
        return {
            "sequences": len(self.sequences),
            "sequences_skipped": self.skipped_sequences,
            "sequences_stopped": self.stopped_sequences,
            "families_redundant": len(self.redundant_families),
        }


@dataclass
class _PatternState:
    barren_in_a_row: int = 0
    pages: int = 0
    productive: int = 0
    cut: bool = False


class TrapCutter:
    """Gives up on a URL pattern whose pages yield no article and no new link outside it."""

    def __init__(self, patience: int = DEFAULT_TRAP_PATIENCE):
        self.patience = max(1, min(patience, MAX_TRAP_PATIENCE))
        self.patterns: dict[str, _PatternState] = {}
        self.awaiting: dict[str, str] = {}  # URL → pattern, for pages still being extracted

    def is_cut(self, url: str) -> bool:
        state = self.patterns.get(url_pattern(url))
        return state is not None and state.cut

    def fetched(self, url: str, *, yielded_outside: bool, awaiting_extraction: bool) -> str | None:
        """A page of the crawl was read; returns the pattern if this page cut it."""
        pattern = url_pattern(url)
        state = self.patterns.setdefault(pattern, _PatternState())
        state.pages += 1
        if yielded_outside:
            return self._productive(state)
        if awaiting_extraction:
            self.awaiting[url] = pattern
            return None
        return self._barren(pattern, state)

    def extracted(self, url: str, *, is_article: bool) -> str | None:
        """Extraction decided about a page; returns the pattern if this cut it."""
        pattern = self.awaiting.pop(url, None)
        if pattern is None:
            return None
        state = self.patterns[pattern]
        if is_article:
            return self._productive(state)
        return self._barren(pattern, state)

    @staticmethod
    def _productive(state: _PatternState) -> None:
        state.productive += 1
        state.barren_in_a_row = 0
        return None

    def _barren(self, pattern: str, state: _PatternState) -> str | None:
        state.barren_in_a_row += 1
        if state.cut or state.barren_in_a_row < self.patience:
            return None
        state.cut = True
        return pattern
