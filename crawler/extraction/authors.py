"""Authors: metadata names, signature lines and bylines, and the names that are never people."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from crawler.extraction.common import (
    clean_text,
    dedupe,
    element_text,
    host_key,
    remove_block,
    restore_case,
    text_blocks,
)
from crawler.extraction.jsonld import ld_types
from crawler.extraction.page import Page, article_node
from crawler.profiles import SiteProfile

AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "byl",
)

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I)

_AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,|;|\s&\s|\sen\s|\sand\s|\sund\s|\set\s|\sy\s)\s*", re.I)

_AUTHOR_PREFIX_RE = re.compile(
    r"^(?:door|tekst(?:\s+en\s+foto)?\s*:?|by|von|par|por|auteur\s*:|author\s*:)\s+", re.I
)

_BYLINE_TAIL_RE = re.compile(r"\s+(?:[|·•/]|[-–—]\s)|\s*\(")

_RUN_TOGETHER_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]{2}[a-zß-öø-ÿ]")

_NAME_WORD_RE = re.compile(r"^['’]?[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")


def _ld_names(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if ld_types(value) & {"Organization", "NewsMediaOrganization"}:
            return []
        name = value.get("name")
        return [name] if isinstance(name, str) else []
    if isinstance(value, list):
        return [name for item in value[:20] for name in _ld_names(item)]
    return []


@dataclass
class AuthorFilter:
    """Refuses names that are accounts, desks or the site itself."""

    rejected: frozenset[str]
    site_words: frozenset[str]

    @classmethod
    def for_page(cls, page: Page, site_names: list[str]) -> AuthorFilter:
        """Build the filter from the profile and the page's site names and host."""
        rejected = {_name_key(name) for name in page.profile.not_authors}
        site_words: set[str] = set()
        for name in site_names:
            rejected.add(_name_key(name))
            site_words.update(w.casefold() for w in re.findall(r"\w{4,}", name))
        host = host_key(page.url)[0]
        if host:
            labels = host.split(".")
            rejected.add(_name_key(labels[0] if len(labels) < 3 else labels[-2]))
            site_words.update(labels)
        return cls(frozenset(rejected), frozenset(site_words))

    def clean(self, raw: str, lowercase_words: tuple[str, ...]) -> str | None:
        """The display form of one author name, or None when it is not a person's name."""
        name = _AUTHOR_PREFIX_RE.sub("", clean_text(raw).strip(" ,;|·-–—"))
        # a byline element often goes on with the date or a role: "Jan Peeters | 20 juni 2024"
        name = _BYLINE_TAIL_RE.split(name, maxsplit=1)[0].strip(" ,;|·-–—()")
        if not name or len(name) > 80 or len(name.split()) > 6:
            return None
        if any(ch.isdigit() for ch in name):
            return None
        # a label run into the name: "SHOW ALL ARTICLES OFHeiko Sauer"
        if _RUN_TOGETHER_RE.search(name):
            return None
        if _EMAIL_RE.search(name) or "://" in name or name.startswith("www.") or "@" in name:
            return None
        if not any(ch.isalpha() for ch in name):
            return None
        key = _name_key(name)
        if key in self.rejected:
            return None
        # a lower-case login such as "baldr" that repeats the site's name
        if " " not in name and name.islower() and name.casefold() in self.site_words:
            return None
        words = name.split()
        if name.isupper() and len(words) >= 2:
            name = " ".join(
                restore_case(w, lowercase_words, first_may_be_lower=False) for w in words
            )
        return name


def _name_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _split_authors(raw: str) -> list[str]:
    raw = _AUTHOR_PREFIX_RE.sub("", clean_text(raw))
    return [part for part in _AUTHOR_SPLIT_RE.split(raw) if part.strip()]


def extract_meta_authors(page: Page, author_filter: AuthorFilter) -> list[str]:
    """The authors named by the first of JSON-LD, author metas and profile selectors to name any."""
    lowercase_words = page.profile.name_lowercase_words
    sources: list[list[str]] = []
    article = article_node(page)
    if article is not None:
        sources.append(_ld_names(article.get("author")) + _ld_names(article.get("creator")))
    sources.append([v for key in AUTHOR_META for v in page.metas.get(key, ())])
    sources.append(
        [
            element_text(e)
            for e in page.select(page.profile.author_selectors)
            if not page.in_excluded_region(e)
        ]
    )
    for raw_names in sources:
        names = []
        for raw in raw_names:
            for part in _split_authors(raw):
                cleaned = author_filter.clean(part, lowercase_words)
                if cleaned:
                    names.append(cleaned)
        if names:
            return dedupe(names)[:10]
    return []


def _signature_author(text: str, profile: SiteProfile) -> str | None:
    """The author named by a signature line ("Edwin MARIËN" -> "Edwin Mariën"), else None."""
    rule = profile.signature
    if rule is None or not text or len(text) > rule.max_chars:
        return None
    words = text.split()
    if not 2 <= len(words) <= rule.max_words:
        return None
    if words[0].casefold().strip(":") in {w.casefold() for w in rule.not_names}:
        return None
    split = 0
    while split < len(words) and _is_given_name(words[split]):
        split += 1
    given, surname = words[:split], words[split:]
    if not given or not surname:
        return None
    if not all(
        _NAME_WORD_RE.match(w) and any(c.isalpha() for c in w) and w.isupper() for w in surname
    ):
        return None
    if sum(ch.isalpha() for ch in "".join(surname)) < 2:
        return None
    restored = restore_case(" ".join(surname), rule.lowercase_words, first_may_be_lower=False)
    return " ".join([*given, restored])


def _is_given_name(word: str) -> bool:
    return bool(_NAME_WORD_RE.match(word)) and word[:1].isupper() and any(c.islower() for c in word)


def _byline_authors(text: str, profile: SiteProfile, author_filter: AuthorFilter) -> list[str]:
    """["Jan Peeters", "An Smet"] for a paragraph that is only "Door Jan Peeters en An Smet"."""
    if not profile.byline_prefixes or len(text) > 120:
        return []
    for prefix in profile.byline_prefixes:
        if text.casefold().startswith(prefix.casefold() + " ") or (
            prefix.endswith(":") and text.casefold().startswith(prefix.casefold())
        ):
            rest = text[len(prefix) :].strip(" :")
            break
    else:
        return []
    names = []
    lowered = {w.casefold() for w in profile.name_lowercase_words}
    for part in _AUTHOR_SPLIT_RE.split(rest):
        words = part.split()
        if not 1 <= len(words) <= 5 or not words[0][:1].isupper():
            return []
        if not all(
            _NAME_WORD_RE.match(w) and (w[:1].isupper() or w.casefold() in lowered) for w in words
        ):
            return []
        cleaned = author_filter.clean(part, profile.name_lowercase_words)
        if cleaned is None:
            return []
        names.append(cleaned)
    return names


def take_body_authors(
    body: etree._Element, profile: SiteProfile, author_filter: AuthorFilter
) -> list[str]:
    """Authors named by a signature or byline paragraph, which is removed from the body."""
    blocks = text_blocks(body)
    if not blocks:
        return []
    last = blocks[-1]
    if last.tag == "p":
        signature = _signature_author(element_text(last), profile)
        if signature:
            remove_block(last)
            return [signature]
    candidates = [last, blocks[0]] if len(blocks) > 1 else [last]
    for block in candidates:
        if block.tag != "p":
            continue
        names = _byline_authors(element_text(block), profile, author_filter)
        if names:
            remove_block(block)
            return names
    return []


def remove_byline_blocks(body: etree._Element, page: Page) -> None:
    """Drop a first or last block that is only the text of the page's byline element.

    Block themes put the author's name in a paragraph of its own after the text ("baldr"); it is
    metadata, read by the author selectors, not part of the article.
    """
    bylines = {
        element_text(e).casefold()
        for e in page.select(page.profile.author_selectors)
        if not page.in_excluded_region(e)
    } - {""}
    if not bylines:
        return
    blocks = text_blocks(body)
    # never the only block: a page whose whole text is a name is no article, and says so later
    edges = {id(b): b for b in (blocks[-1], blocks[0])} if len(blocks) > 1 else {}
    for block in edges.values():
        if block.tag == "p" and element_text(block).casefold() in bylines:
            remove_block(block)
