"""Profile selectors, evaluated fast: an index of what a page holds lets a selector that cannot
match be skipped, and selectors of one tag, class or id are matched in a single pass."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cssselect import SelectorError
from cssselect import parse as parse_css
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash
from lxml import etree

from crawler.profiles import compile_selector

logger = logging.getLogger(__name__)


@dataclass
class PageIndex:
    """The tags, classes, ids and itemprop/rel tokens found on a page, collected in one pass.

    A selector needing one the page lacks cannot match, so it is not evaluated: lxml runs each
    selector as a walk over the whole tree, which costs more than the pass that fills this.
    """

    tags: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    attributes: set[tuple[str, str]] = field(default_factory=set)

    def add(self, element: etree._Element, tokens: Iterable[str], identifier: str | None) -> None:
        """Record one element, whose class tokens and id the caller has read already."""
        self.tags.add(element.tag)
        self.classes.update(tokens)
        if identifier:
            self.ids.add(identifier)
        for attribute in INDEXED_ATTRIBUTES:
            value = element.get(attribute)
            if value:
                self.attributes.update((attribute, token) for token in value.split())

    def may_match(self, needs: SelectorNeeds) -> bool:
        """False when the page lacks something the selector needs, so it matches nothing."""
        return (
            needs.tags <= self.tags
            and needs.classes <= self.classes
            and needs.ids <= self.ids
            and needs.attributes <= self.attributes
        )


# The attributes whose tokens PageIndex records.
INDEXED_ATTRIBUTES = ("itemprop", "rel")


@dataclass(frozen=True)
class SelectorNeeds:
    """What an element must carry somewhere on the page for a CSS selector to match."""

    tags: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    attributes: frozenset[tuple[str, str]]


@cache
def selector_needs(expression: str) -> SelectorNeeds | None:
    """The tags, classes, ids and attribute tokens a CSS selector cannot match without.

    None for XPath, selector groups and anything unreadable: those are always evaluated.
    Only what the selector requires is collected (never what a :not() or :has() mentions).
    """
    if expression.startswith(("/", "(", "./")):
        return None
    try:
        selectors = parse_css(expression)
    except SelectorError:
        return None
    if len(selectors) != 1:
        return None
    tags: set[str] = set()
    classes: set[str] = set()
    ids: set[str] = set()
    attributes: set[tuple[str, str]] = set()
    pending: list[Any] = [selectors[0].parsed_tree]
    while pending:
        node = pending.pop()
        if isinstance(node, CombinedSelector):
            pending.extend((node.selector, node.subselector))
            continue
        if isinstance(node, Element):
            if node.element and node.element != "*" and node.namespace is None:
                tags.add(node.element.lower())
            continue
        if isinstance(node, Class):
            classes.add(node.class_name)
        elif isinstance(node, Hash):
            ids.add(node.id)
        elif isinstance(node, Attrib):
            name = node.attrib.lower()
            value = getattr(node.value, "value", node.value)
            if (
                node.namespace is None
                and name in INDEXED_ATTRIBUTES
                and node.operator in ("=", "~=")
                and isinstance(value, str)
            ):
                attributes.update((name, token) for token in value.split())
        # a pseudo-class, :not(), :has(), :is() ...: only what it qualifies is needed
        inner = getattr(node, "selector", None)
        if inner is not None:
            pending.append(inner)
    return SelectorNeeds(frozenset(tags), frozenset(classes), frozenset(ids), frozenset(attributes))


def select_first(
    scope: etree._Element, expressions: Iterable[str], index: PageIndex | None = None
) -> list[etree._Element]:
    """Elements matched by the first selector that matches anything under scope."""
    for expression in expressions:
        if index is not None:
            needs = selector_needs(expression)
            if needs is not None and not index.may_match(needs):
                continue
        try:
            found = compile_selector(expression)(scope)
        except etree.XPathError:
            logger.warning("selector %r could not be evaluated", expression)
            continue
        elements = [item for item in found if isinstance(item, etree._Element)]
        if elements:
            return elements
    return []


@dataclass(frozen=True)
class SimpleSelectors:
    """Selectors of the form "tag", ".class", "#id" or "tag.class", matched in one tree pass."""

    tags: frozenset[str]
    classes: frozenset[str]
    ids: frozenset[str]
    tag_classes: frozenset[tuple[str, str]]
    complex_selectors: tuple[str, ...]

    def matches(self, tag: str, tokens: Iterable[str], identifier: str | None) -> bool:
        """True when an element with this tag, class tokens and id matches a simple selector."""
        if tag in self.tags or (identifier is not None and identifier in self.ids):
            return True
        if not tokens:
            return False
        if not self.classes.isdisjoint(tokens):
            return True
        return bool(self.tag_classes) and any((tag, t) in self.tag_classes for t in tokens)


_SIMPLE_SELECTOR_RE = re.compile(
    r"^(?P<tag>[a-z][a-z0-9]*)?(?:(?P<dot>\.)|(?P<hash>#))?(?P<name>[\w-]+)?$"
)


@cache
def simple_selectors(expressions: tuple[str, ...]) -> SimpleSelectors:
    """The expressions sorted into simple selectors, and the rest kept as complex_selectors."""
    tags, classes, ids, tag_classes, rest = set(), set(), set(), set(), []
    for expression in expressions:
        match = _SIMPLE_SELECTOR_RE.match(expression.strip())
        if match is None or not (match["tag"] or match["name"]):
            rest.append(expression)
        elif match["dot"] and match["tag"]:
            tag_classes.add((match["tag"], match["name"]))
        elif match["dot"]:
            classes.add(match["name"])
        elif match["hash"] and not match["tag"]:
            ids.add(match["name"])
        elif match["tag"] and not match["name"]:
            tags.add(match["tag"])
        else:
            rest.append(expression)
    return SimpleSelectors(
        frozenset(tags), frozenset(classes), frozenset(ids), frozenset(tag_classes), tuple(rest)
    )


def select_all(scope: etree._Element, expressions: Iterable[str]) -> list[etree._Element]:
    """Every element under scope that any of the selectors matches (duplicates kept)."""
    found: list[etree._Element] = []
    for expression in expressions:
        try:
            found.extend(
                e for e in compile_selector(expression)(scope) if isinstance(e, etree._Element)
            )
        except etree.XPathError:
            logger.warning("selector %r could not be evaluated", expression)
    return found
