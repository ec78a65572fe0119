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
from crawler.extraction.page import (
    NON_TEXT_TAGS,
    Page,
    article_node,
    following_texts,
    text_window,
)
from crawler.profiles import SiteProfile

AUTHOR_META = (
    "author",
    "article:author",
    "dc.creator",
    "dcterms.creator",
    "sailthru.author",
    "parsely-author",
    "byl",
    "articleauthor",
    "cxenseparse:author",
)

# News agencies: their byline names the article's author (an agency is no desk of the site).
AGENCY_NAMES = frozenset(
    {
        "dpa", "afp", "ap", "apa", "anp", "belga", "reuters", "sda", "sid", "kna", "epd", "efe",
        "ansa", "tt", "ntb", "ritzau", "pap", "ctk", "čtk", "kyodo", "xinhua", "aa", "ips",
        "europa press", "associated press", "deutsche presse-agentur", "agence france-presse",
        "anadolu ajansı", "anadolu agency", "keystone-sda", "dpa-afx", "upi", "tass", "ria",
        "bloomberg", "bloomberg news",
    }
)  # fmt: skip

# Words that make a name a desk, an account or a company, never a person.
DESK_WORDS = frozenset(
    {
        "redactie", "redaktion", "rédaction", "redacción", "redazione", "redação", "red",
        "newsroom", "admin", "administrator", "webmaster", "staff", "editorial", "desk",
        "gmbh", "inc", "ltd", "llc", "ag", "bv", "nv", "sa", "plc", "developer", "agenturen",
        "agencies", "wires", "onlineredaktion", "webredaktion", "nachrichtenredaktion",
        "newsdesk", "nieuws", "nachrichten", "noticias", "notizie", "actualités",
    }
)  # fmt: skip

_DOMAIN_RE = re.compile(r"\b[\w-]+\.(?:[a-z]{2,6})(?:/|\b)", re.I)

_EMAIL_RE = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}", re.I)

_AUTHOR_SPLIT_RE = re.compile(
    r"\s*(?:,|;|/|\s&\s|\s(?:en|and|und|et|y|e|og|och|ve|i|и|та)\s|、)\s*", re.I
)

# "Last, First": one comma between one word and one or two words, nothing else joining names
_INVERTED_NAME_RE = re.compile(
    r"^\s*([^\W\d_][\w'’-]+)\s*,\s*([^\W\d_][\w'’.-]*(?:\s[^\W\d_][\w'’.-]*)?)\s*$"
)

# A byline's label before the names: "Door", "Von:", "Tekst en foto:", "Eingestellt von" (a
# blog's "posted by"), "Interview:". The words of the second group are labels only before a colon.
_AUTHOR_PREFIX_RE = re.compile(
    r"^(?:(?:door|tekst(?:\s+en\s+foto)?|by|von|vom|par|por|di|av|af|auteur|author|autor(?:in)?|"
    r"autore|journalist|reporter|ein (?:bericht|kommentar|beitrag) von|eingestellt von|"
    r"geschrieben von|verfasst von|posted by|written by|article by|published by|"
    r"publicado por|escrito por|écrit par)(?:\s*:\s*|\s+)|(?:text|interview|tekst)\s*:\s*)",
    re.I,
)

# What an author field holds when it names nobody: a placeholder, a label, a button.
NOT_NAMES = frozenset(
    {
        "publisher", "author", "autor", "auteur", "unknown", "no author", "not available",
        "none", "null", "undefined", "n/a", "follow", "text", "tekst", "foto", "photo", "by",
        "article by", "posted by", "eingestellt von", "written by",
    }
)  # fmt: skip

# A role after a name ("Christoph Hein Chefredakteur", "Jane Doe, Senior Reporter"), or alone.
_ROLE = (
    r"(?:(?:senior|chief|deputy|stellvertretende[rn]?|freie[rn]?)\s+)?"
    r"(?:chefredakteur(?:in)?|redakteur(?:in)?|hoofdredacteur|redacteur|editor(?:-in-chief)?|"
    r"reporter(?:in)?|correspondent|korrespondent(?:in)?|journalist(?:in|e)?|rédacteur|"
    r"rédactrice|redactor(?:a)?|periodista)"
)

_ROLE_AFTER_NAME_RE = re.compile(rf"(?:\s*,)?\s+{_ROLE}$", re.I)

_ROLE_ONLY_RE = re.compile(rf"^{_ROLE}$", re.I)

_BYLINE_TAIL_RE = re.compile(r"\s+(?:[|·•/]|[-–—]\s)|\s*\(")

_RUN_TOGETHER_RE = re.compile(r"[A-ZÀ-ÖØ-Þ]{2}[a-zß-öø-ÿ]")

_NAME_WORD_RE = re.compile(r"^['’]?[^\W\d_][^\W\d_'’.-]*(?:[-'’][^\W\d_]+)*\.?$")


def _ld_names(value: Any, by_id: dict[str, dict[str, Any]]) -> list[str]:
    """Author names of a JSON-LD value: a string, a Person or Organization (by its name, or
    givenName and familyName, or its @id in the page's graph), or a list of those."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        if "name" not in value and "givenName" not in value and value.get("@id") in by_id:
            value = by_id[value["@id"]]
        name = value.get("name")
        if isinstance(name, list):
            name = next((n for n in name if isinstance(n, str)), None)
        if isinstance(name, str) and name.strip():
            return [name]
        parts = [value.get(key) for key in ("givenName", "additionalName", "familyName")]
        joined = " ".join(p.strip() for p in parts if isinstance(p, str) and p.strip())
        # a structured name is one person: commas inside it join nothing
        return [joined.replace(",", " ")] if joined else []
    if isinstance(value, list):
        return [name for item in value[:20] for name in _ld_names(item, by_id)]
    return []


def _nodes_by_id(page: Page) -> dict[str, dict[str, Any]]:
    return {
        node["@id"]: node
        for node in page.ld_nodes
        if isinstance(node.get("@id"), str) and ld_types(node) & {"Person", "Organization"}
    }


def is_agency(name: str) -> bool:
    """True for the name of a news agency ("dpa", "Reuters", "Anadolu Ajansı")."""
    return clean_text(name).casefold().strip(" .") in AGENCY_NAMES


@dataclass
class AuthorFilter:
    """Refuses names that are accounts, desks or the site itself."""

    rejected: frozenset[str]
    site_words: frozenset[str]
    site_label: str = ""

    @classmethod
    def for_page(cls, page: Page, site_names: list[str]) -> AuthorFilter:
        """Build the filter from the profile and the page's site names and host."""
        rejected = {_name_key(name) for name in page.profile.not_authors}
        site_words: set[str] = set()
        for name in site_names:
            rejected.add(_name_key(name))
            site_words.update(w.casefold() for w in re.findall(r"\w{4,}", name))
        host = host_key(page.url)[0]
        site_label = ""
        if host:
            labels = host.split(".")
            site_label = labels[0] if len(labels) < 3 else labels[-2]
            rejected.add(_name_key(site_label))
            rejected.add(_name_key(host))
            site_words.update(labels)
        return cls(frozenset(rejected), frozenset(site_words), site_label.casefold())

    def clean(self, raw: str, lowercase_words: tuple[str, ...]) -> str | None:
        """The display form of one author name, or None when it is not a person's name."""
        name = clean_text(raw).strip(" ,;|·-–—")
        if name.casefold() in NOT_NAMES:
            return None
        name = _AUTHOR_PREFIX_RE.sub("", name)
        # a byline element often goes on with the date or a role: "Jan Peeters | 20 juni 2024"
        name = _BYLINE_TAIL_RE.split(name, maxsplit=1)[0].strip(" ,;|·-–—()")
        if len(name.split()) > 2:
            name = _ROLE_AFTER_NAME_RE.sub("", name)
        if not name or len(name) > 80 or len(name.split()) > 6:
            return None
        if name.casefold() in NOT_NAMES or _ROLE_ONLY_RE.match(name):
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
        if is_agency(name):
            return name
        # "in", "by", "et": a word of a byline left over, no name
        if len(name) <= 2 and name.islower():
            return None
        key = _name_key(name)
        if key in self.rejected or self.is_site_or_desk(name):
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

    def is_site_or_desk(self, name: str) -> bool:
        """A desk, account or company ("MM-Redaktion", "Condé Nast Inc"), a web address
        ("mdr.de") or the site under another name ("MDR SACHSEN-ANHALT", "ORF.at/Agenturen")."""
        words = [w for w in re.split(r"[\s/.,-]+", name.casefold()) if w]
        if not words or not DESK_WORDS.isdisjoint(words) or _DOMAIN_RE.search(name):
            return True
        key = _name_key(name)
        return any(
            len(site) >= 3 and (words[0] == site or (key.startswith(site) and len(words) == 1))
            for site in ({self.site_label} | self.rejected)
            if site
        )


def _name_key(name: str) -> str:
    return re.sub(r"[\W_]+", "", name.casefold())


def _split_authors(raw: str, *, structured: bool = False) -> list[str]:
    """The names in one author string. A structured field (JSON-LD, a meta) saying "Last, First"
    names one person, written "First Last"; an agency before a comma is followed by a place."""
    raw = _AUTHOR_PREFIX_RE.sub("", clean_text(raw))
    inverted = _INVERTED_NAME_RE.match(raw) if structured else None
    if inverted and not is_agency(inverted.group(1)) and not raw.isupper():
        return [f"{inverted.group(2)} {inverted.group(1)}"]
    head, comma, tail = raw.rpartition(",")
    # "Jan Peeters, Antwerpen", "Anna Martel und Lea Wagner, Nairobi": a place after the names
    if comma and len(tail.split()) == 1 and len(head.split(",")[-1].split()) >= 2:
        raw = head
    parts = [part for part in _AUTHOR_SPLIT_RE.split(raw) if part.strip()]
    if parts and is_agency(parts[0]) and "," in raw:
        return parts[:1]
    return parts


def extract_meta_authors(page: Page, author_filter: AuthorFilter) -> list[str]:
    """The authors named by the first of JSON-LD, author metas and profile selectors to name any."""
    lowercase_words = page.profile.name_lowercase_words
    sources: list[list[str]] = []
    structured = 2 if article_node(page) is not None else 1
    article = article_node(page)
    if article is not None:
        by_id = _nodes_by_id(page)
        sources.append(
            _ld_names(article.get("author"), by_id) + _ld_names(article.get("creator"), by_id)
        )
    sources.append([v for key in AUTHOR_META for v in page.metas.get(key, ())])
    sources.append(
        [
            element_text(e)
            for e in page.select(page.profile.author_selectors)
            if not page.in_excluded_region(e)
        ]
    )
    sources.append(_byline_after_headline(page))
    for number, raw_names in enumerate(sources):
        names: list[str] = []
        for raw in raw_names:
            if "://" in raw or raw.strip().startswith("www."):
                continue  # a profile page's address (article:author), not a name
            parts = _split_authors(raw, structured=number < structured)
            # "hessenschau.de, Frankfurt, Germany": the site, then where it is
            if len(parts) > 1 and "," in raw and author_filter.clean(parts[0], ()) is None:
                continue
            for part in parts:
                cleaned = author_filter.clean(part, lowercase_words)
                if cleaned:
                    names.append(cleaned)
        if number < 2:
            # metadata naming the desk editor the page credits as such ("Editor : …")
            names = [name for name in names if not is_editor_credit(page, name)]
        if names:
            return dedupe(names)[:10]
    return []


# A label crediting the person who edited the text, not the one who wrote it.
_EDITOR_LABEL = (
    r"(?:editor|edited by|editado por|editada por|redakteur(?:in)?|redaktør|penyunting|"
    r"editör|责任编辑|责编|編集)"
)

_TEXT_HOLDING = etree.XPath("//body//text()[contains(., $name)]")

# Text of the element around a credit, at most this long: a credit is a line, not the article.
EDITOR_CREDIT_MAX_CHARS = 200


def is_editor_credit(page: Page, name: str) -> bool:
    """True when the page shows name after an editor label ("Editor : Heryadi", "责编：…") and
    nowhere as a line of its own: sites that print a byline and an editor credit often put the
    editor in their metadata. A mention inside a longer text (a script, a paragraph) is neither."""
    credit = re.compile(rf"{_EDITOR_LABEL}\s*[:：]?\s*{re.escape(name)}", re.IGNORECASE)
    labelled = unlabelled = False
    for text in _TEXT_HOLDING(page.tree, name=name):
        holder = text.getparent()
        if text.is_tail and holder is not None:
            holder = holder.getparent()
        if holder is None or holder.tag in NON_TEXT_TAGS:
            continue
        # the label may sit in the name's parent: "Editor : <a>Heryadi</a>"
        lines = [clean_text(holder.text_content())]
        parent = holder.getparent()
        if parent is not None and len(lines[0]) < EDITOR_CREDIT_MAX_CHARS:
            lines.append(clean_text(parent.text_content()))
        lines = [line for line in lines if len(line) <= EDITOR_CREDIT_MAX_CHARS]
        if any(credit.search(line) for line in lines):
            labelled = True
        elif lines and len(lines[0]) <= BYLINE_ELEMENT_MAX_CHARS:
            unlabelled = True
    return labelled and not unlabelled


# A byline printed under the headline: "Do 25.04.24 | 14:07 Uhr | Von Eva Kirchner-Rätsch",
# "By Jane Doe and John Roe", "Door Jan Peeters, 12 maart 2024".
_HEADLINE_BYLINE_RE = re.compile(
    r"(?:^|[|•·]\s*|\s[-–—]\s*)(?:von|by|door|par|por|av|af|di|da)\s+"
    r"([^\W\d_][^|•·\d\n]{1,100}?)\s*(?:$|[|•·\n]|\d|\s[-–—]\s)",
    re.IGNORECASE | re.MULTILINE,
)

BYLINE_AFTER_HEADLINE_CHARS = 200

# the first elements after the headline whose class names a byline ("author-2", "byline__name",
# "writer-name")
_BYLINE_ELEMENTS_AFTER = etree.XPath(
    "following::*[contains(@class, 'author') or contains(@class, 'byline')"
    " or contains(@class, 'writer')][position() <= 3]"
)

# the first paragraph of running text after an element: a byline comes before the article's
_NEXT_PROSE = etree.XPath("following::p[string-length(normalize-space()) >= 150][1]")

BYLINE_ELEMENT_MAX_CHARS = 80


def _byline_after_headline(page: Page) -> list[str]:
    """The names of a "Von …"/"By …" byline in the few lines after the headline, else of an
    element between the headline and the first paragraph of the text whose class names it a
    byline, an author or a writer, else the agency of an "AFP, MANILA" line there."""
    if page.headline is None:
        return []
    window = "\n".join(
        text_window(following_texts(page.headline, page), BYLINE_AFTER_HEADLINE_CHARS)
    )
    match = _HEADLINE_BYLINE_RE.search(window)
    if match and match.group(1)[:1].isupper():
        return [match.group(1)]
    first_prose = _NEXT_PROSE(page.headline)
    for element in _BYLINE_ELEMENTS_AFTER(page.headline):
        if _NEXT_PROSE(element) != first_prose:
            break  # past the start of the text: an author box, a credit at the end
        text = element_text(element)
        if text and len(text) <= BYLINE_ELEMENT_MAX_CHARS and not page.in_excluded_region(element):
            return [text]
    return _agency_with_place(window)


# "AFP, MANILA", "Reuters, New York": an agency and the place it reports from, on a line of its
# own. An agency alone on a line is not enough: photo credits under a lead image look the same.
_AGENCY_PLACE_RE = re.compile(
    r"^(?P<agency>[^\W\d][^,\n]{0,39}?)\s*,\s*[^\W\d_][^\W\d_ .'-]*"
    r"(?:[ .'-]+[^\W\d_]+){0,3}\s*$",
    re.MULTILINE,
)


def _agency_with_place(window: str) -> list[str]:
    """The agency of an "AGENCY, PLACE" line in the lines after the headline, else none."""
    for match in _AGENCY_PLACE_RE.finditer(window):
        if is_agency(match["agency"]):
            return [match["agency"]]
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


# A byline paragraph in bold opens the text: "<p><strong>Jane Roe/John Doe</strong></p>".
BOLD_BYLINE_MAX_CHARS = 100

BOLD_BYLINE_MAX_BLOCK = 3

_BOLD_TAGS = ("strong", "b")


def _name_list(
    text: str, author_filter: AuthorFilter, lowercase_words: tuple[str, ...]
) -> list[str]:
    """The names of a line that is only people's names ("Jane Roe and John Doe"), else []."""
    if not text or len(text) > BOLD_BYLINE_MAX_CHARS:
        return []
    lowered = {w.casefold() for w in lowercase_words}
    names = []
    for part in _AUTHOR_SPLIT_RE.split(text):
        words = part.split()
        if not 2 <= len(words) <= 4 or not words[0][:1].isupper():
            return []
        if not all(
            _NAME_WORD_RE.match(w) and (w[:1].isupper() or w.casefold() in lowered) for w in words
        ):
            return []
        cleaned = author_filter.clean(part, lowercase_words)
        if cleaned is None or is_agency(cleaned):
            return []
        names.append(cleaned)
    return names


def _bold_paragraph_texts(page: Page) -> set[str]:
    """Texts of the article's paragraphs that are wholly one bold element."""
    scope = page.scope if page.scope is not None else page.tree
    texts = set()
    for bold in scope.iter(*_BOLD_TAGS):
        paragraph = bold.getparent()
        if (
            paragraph is None
            or paragraph.tag != "p"
            or len(paragraph) != 1
            or (paragraph.text or "").strip()
            or (bold.tail or "").strip()
        ):
            continue
        texts.add(element_text(bold))
    return texts


def take_bold_byline(
    body: etree._Element, page: Page, author_filter: AuthorFilter, authors: list[str]
) -> list[str]:
    """Authors named by a paragraph in bold that opens the text and holds only names.

    Many news sites print the byline as the text's first paragraph, in bold, with no "By":
    "<p><strong>Jane Roe/John Doe</strong></p>", after a standfirst at most. Its names are the
    authors when the metadata names none; the paragraph leaves the text when its names are
    the authors. Returns the authors.
    """
    blocks = text_blocks(body)
    lowercase_words = page.profile.name_lowercase_words
    for index, block in enumerate(blocks[:BOLD_BYLINE_MAX_BLOCK]):
        # the text goes on after it: a byline is never the last block
        if block.tag != "p" or index + 1 >= len(blocks):
            continue
        text = element_text(block)
        names = _name_list(text, author_filter, lowercase_words)
        if not names or text not in _bold_paragraph_texts(page):
            continue
        if authors and {_name_key(n) for n in names} != {_name_key(n) for n in authors}:
            return authors
        remove_block(block)
        return authors or names
    return authors


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
