"""Site profiles: per-site extraction rules, kept as declarative TOML files in crawler/sites/."""

from __future__ import annotations

import logging
import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from cssselect import SelectorError
from lxml import etree
from lxml.cssselect import CSSSelector

logger = logging.getLogger(__name__)

SITES_DIR = Path(__file__).with_name("sites")
GENERIC_PROFILE = "generic"
DATE_ORDERS = ("DMY", "MDY", "YMD")
STATIC_PAGE_POLICIES = ("skip", "keep-with-prose")


class UnknownSiteProfile(LookupError):
    """No profile file exists under the requested name."""

    def __init__(self, name: str, available: list[str]) -> None:
        self.name = name
        self.available = available
        super().__init__(
            f"unknown site profile {name!r}; available profiles: {', '.join(available) or 'none'}"
        )


class InvalidSiteProfile(ValueError):
    """A profile file exists but does not follow the profile format."""


@dataclass(frozen=True)
class DatelineRule:
    """How the place name that opens an article ("MECHELEN – Vandaag …") is recognised."""

    pattern: str
    lowercase_words: tuple[str, ...] = ()

    @property
    def regex(self) -> re.Pattern[str]:
        """The compiled pattern; it has a named group "place"."""
        return _compile(self.pattern)


@dataclass(frozen=True)
class SignatureRule:
    """How a closing signature line ("Edwin MARIËN") is recognised as the author."""

    max_words: int = 6
    max_chars: int = 60
    lowercase_words: tuple[str, ...] = ()
    not_names: tuple[str, ...] = ()


@dataclass(frozen=True)
class SiteProfile:
    """Everything the extractor needs to know about one site, read from its TOML file."""

    name: str
    site_name: str | None = None
    hosts: tuple[str, ...] = ()
    start_urls: tuple[str, ...] = ()
    language: str | None = None
    contact: str = ""
    notes: str = ""
    title_selectors: tuple[str, ...] = ()
    body_selectors: tuple[str, ...] = ()
    published_selectors: tuple[str, ...] = ()
    modified_selectors: tuple[str, ...] = ()
    visible_date_selectors: tuple[str, ...] = ()
    category_selectors: tuple[str, ...] = ()
    tag_selectors: tuple[str, ...] = ()
    author_selectors: tuple[str, ...] = ()
    drop_selectors: tuple[str, ...] = ()
    boilerplate_phrases: tuple[str, ...] = ()
    ignored_categories: tuple[str, ...] = ()
    not_authors: tuple[str, ...] = ()
    byline_prefixes: tuple[str, ...] = ()
    name_lowercase_words: tuple[str, ...] = ()
    date_order: str = "DMY"
    month_languages: tuple[str, ...] = ("nl", "en")
    listing_min_teasers: int = 3
    undated_static_pages: str = "skip"
    dateline: DatelineRule | None = None
    signature: SignatureRule | None = None

    @property
    def is_generic(self) -> bool:
        """True for the fallback profile used on sites without a profile of their own."""
        return self.name == GENERIC_PROFILE


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@cache
def compile_selector(expression: str) -> etree.XPath:
    """Compile a profile selector: an XPath when it starts with "/", "(" or "./", else CSS."""
    if expression.startswith(("/", "(", "./")):
        return etree.XPath(expression)
    return CSSSelector(expression, translator="html")


_SELECTOR_FIELDS = (
    "title_selectors",
    "body_selectors",
    "published_selectors",
    "modified_selectors",
    "visible_date_selectors",
    "category_selectors",
    "tag_selectors",
    "author_selectors",
    "drop_selectors",
)


# TOML key -> (dataclass field, kind); kinds are checked so that a typo in a profile fails loudly
_TOP_LEVEL = {
    "name": ("name", "str"),
    "site_name": ("site_name", "str"),
    "hosts": ("hosts", "list"),
    "start_urls": ("start_urls", "list"),
    "language": ("language", "str"),
    "contact": ("contact", "str"),
    "notes": ("notes", "str"),
}
_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "selectors": {
        "title": ("title_selectors", "list"),
        "body": ("body_selectors", "list"),
        "published": ("published_selectors", "list"),
        "modified": ("modified_selectors", "list"),
        "visible_date": ("visible_date_selectors", "list"),
        "categories": ("category_selectors", "list"),
        "tags": ("tag_selectors", "list"),
        "authors": ("author_selectors", "list"),
        "drop": ("drop_selectors", "list"),
    },
    "boilerplate": {
        "phrases": ("boilerplate_phrases", "list"),
        "ignored_categories": ("ignored_categories", "list"),
    },
    "authors": {
        "not_authors": ("not_authors", "list"),
        "byline_prefixes": ("byline_prefixes", "list"),
        "lowercase_words": ("name_lowercase_words", "list"),
    },
    "dates": {
        "numeric_order": ("date_order", "str"),
        "month_languages": ("month_languages", "list"),
    },
    "pages": {
        "listing_min_teasers": ("listing_min_teasers", "int"),
        "undated_static_pages": ("undated_static_pages", "str"),
    },
}
_RULE_TABLES = {
    "dateline": (DatelineRule, {"pattern": "str", "lowercase_words": "list"}),
    "signature": (
        SignatureRule,
        {"max_words": "int", "max_chars": "int", "lowercase_words": "list", "not_names": "list"},
    ),
}


def _checked(value: Any, kind: str, where: str) -> Any:
    """Return value converted to the field's type, or raise InvalidSiteProfile."""
    if kind == "str" and isinstance(value, str):
        return value
    if kind == "int" and isinstance(value, int) and not isinstance(value, bool):
        return value
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind == "list" and isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise InvalidSiteProfile(f"{where}: expected {kind}, got {type(value).__name__}")


def profile_from_mapping(data: dict[str, Any], source: str = "<profile>") -> SiteProfile:
    """Build a SiteProfile from parsed TOML, rejecting unknown keys and wrong types."""
    fields: dict[str, Any] = {}
    for key, value in data.items():
        if key in _TOP_LEVEL:
            field, kind = _TOP_LEVEL[key]
            fields[field] = _checked(value, kind, f"{source}: {key}")
        elif key in _TABLES:
            if not isinstance(value, dict):
                raise InvalidSiteProfile(f"{source}: [{key}] must be a table")
            for sub, subvalue in value.items():
                if sub not in _TABLES[key]:
                    raise InvalidSiteProfile(f"{source}: unknown key {sub!r} in [{key}]")
                field, kind = _TABLES[key][sub]
                fields[field] = _checked(subvalue, kind, f"{source}: {key}.{sub}")
        elif key in _RULE_TABLES:
            rule_class, kinds = _RULE_TABLES[key]
            if not isinstance(value, dict):
                raise InvalidSiteProfile(f"{source}: [{key}] must be a table")
            if value.get("enabled", True) is False:
                continue
            rule_fields = {}
            for sub, subvalue in value.items():
                if sub == "enabled":
                    continue
                if sub not in kinds:
                    raise InvalidSiteProfile(f"{source}: unknown key {sub!r} in [{key}]")
                rule_fields[sub] = _checked(subvalue, kinds[sub], f"{source}: {key}.{sub}")
            fields[key] = rule_class(**rule_fields)
        else:
            raise InvalidSiteProfile(f"{source}: unknown key {key!r}")
    if "name" not in fields:
        raise InvalidSiteProfile(f"{source}: a profile needs a name")
    if fields.get("date_order", "DMY") not in DATE_ORDERS:
        raise InvalidSiteProfile(f"{source}: dates.numeric_order must be one of {DATE_ORDERS}")
    if fields.get("undated_static_pages", "skip") not in STATIC_PAGE_POLICIES:
        raise InvalidSiteProfile(
            f"{source}: pages.undated_static_pages must be one of {STATIC_PAGE_POLICIES}"
        )
    dateline = fields.get("dateline")
    if dateline is not None:
        try:
            regex = dateline.regex
        except re.error as exc:
            raise InvalidSiteProfile(
                f"{source}: dateline.pattern is not a valid regex: {exc}"
            ) from exc
        if "place" not in regex.groupindex:
            raise InvalidSiteProfile(f"{source}: dateline.pattern needs a group named 'place'")
    for name in _SELECTOR_FIELDS:
        for expression in fields.get(name, ()):
            try:
                compile_selector(expression)
            except (SelectorError, etree.XPathError) as exc:
                raise InvalidSiteProfile(f"{source}: bad selector {expression!r}: {exc}") from exc
    fields["hosts"] = tuple(h.lower() for h in fields.get("hosts", ()))
    return SiteProfile(**fields)


def available_profiles() -> list[str]:
    """Names of all profiles shipped in crawler/sites/, sorted."""
    return sorted(path.stem for path in SITES_DIR.glob("*.toml"))


@cache
def load_profile(name: str) -> SiteProfile:
    """Load the profile crawler/sites/<name>.toml; raise UnknownSiteProfile if there is none."""
    available = available_profiles()
    if name not in available:
        raise UnknownSiteProfile(name, available)
    path = SITES_DIR / f"{name}.toml"
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise InvalidSiteProfile(f"{path.name}: {exc}") from exc
    profile = profile_from_mapping(data, source=path.name)
    if profile.name != name:
        raise InvalidSiteProfile(f"{path.name}: name {profile.name!r} must match the file name")
    return profile


@cache
def _profiles_by_host() -> dict[str, SiteProfile]:
    by_host: dict[str, SiteProfile] = {}
    for name in available_profiles():
        profile = load_profile(name)
        for host in profile.hosts:
            if host in by_host:
                logger.warning(
                    "host %s is claimed by profiles %s and %s", host, by_host[host].name, name
                )
                continue
            by_host[host] = profile
    return by_host


def profile_for_url(url: str) -> SiteProfile:
    """The profile whose hosts include the URL's host, else the generic profile."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        host = ""
    return _profiles_by_host().get(host) or load_profile(GENERIC_PROFILE)
