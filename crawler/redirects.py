"""Redirects the crawl has seen, so that a link the site redirects costs one request, not two.

Two kinds of memory:

* exact aliases — a URL that answered a permanent redirect (301, 308), or that the archive
  knows led to a stored page (url_aliases), goes straight to its target;
* rules — when a site redirects every link the same way (a missing trailing slash added,
  http → https, `www.` added or dropped), after `RULE_EVIDENCE` permanent redirects in a row of
  the same kind, later links are rewritten before they are requested. A rewritten link that
  answers 404 is asked for as it was linked, and the rule is dropped.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from urllib.parse import urlsplit, urlunsplit

# Permanent redirects of one kind that make a rule.
RULE_EVIDENCE = 3

RULES = ("trailing-slash", "https", "add-www", "drop-www")


def redirect_rule(source: str, target: str) -> str | None:
    """The rule a redirect follows (one of RULES), or None for any other redirect."""
    a, b = urlsplit(source), urlsplit(target)
    if (a.scheme, a.netloc, a.query) == (b.scheme, b.netloc, b.query):
        if b.path == a.path + "/" and _slashable(a.path):
            return "trailing-slash"
        return None
    if (a.netloc, a.path, a.query) == (b.netloc, b.path, b.query):
        return "https" if (a.scheme, b.scheme) == ("http", "https") else None
    if (a.scheme, a.path, a.query) == (b.scheme, b.path, b.query):
        if b.netloc == "www." + a.netloc:
            return "add-www"
        if a.netloc == "www." + b.netloc:
            return "drop-www"
    return None


def apply_rule(rule: str, url: str) -> str | None:
    """`url` rewritten by `rule`, or None when the rule does not apply to it."""
    parts = urlsplit(url)
    if rule == "trailing-slash" and _slashable(parts.path):
        return urlunsplit(parts._replace(path=parts.path + "/"))
    if rule == "https" and parts.scheme == "http":
        return urlunsplit(parts._replace(scheme="https"))
    if rule == "add-www" and not parts.netloc.startswith("www."):
        return urlunsplit(parts._replace(netloc="www." + parts.netloc))
    if rule == "drop-www" and parts.netloc.startswith("www."):
        return urlunsplit(parts._replace(netloc=parts.netloc.removeprefix("www.")))
    return None


def _slashable(path: str) -> bool:
    """A path a static host would answer with a folder redirect: no slash, no file suffix."""
    if not path or path.endswith("/"):
        return False
    last = path.rsplit("/", 1)[-1]
    return "." not in last


def slash_twin(url: str) -> str | None:
    """The URL with its trailing slash added or dropped (None for a file name or the root)."""
    parts = urlsplit(url)
    if parts.path.endswith("/") and len(parts.path) > 1:
        return urlunsplit(parts._replace(path=parts.path.rstrip("/")))
    if _slashable(parts.path):
        return urlunsplit(parts._replace(path=parts.path + "/"))
    return None


def url_twins(url: str) -> list[str]:
    """Other spellings of a URL that name the same page on nearly every site."""
    parts = urlsplit(url)
    twin = slash_twin(url)
    twins = [twin] if twin else []
    scheme = {"http": "https", "https": "http"}.get(parts.scheme)
    if scheme:
        twins.append(urlunsplit(parts._replace(scheme=scheme)))
    host = parts.netloc
    other_host = host.removeprefix("www.") if host.startswith("www.") else "www." + host
    twins.append(urlunsplit(parts._replace(netloc=other_host)))
    return twins


class RedirectMemory:
    """Where links lead, learned from the archive and from this crawl's redirects."""

    def __init__(self, aliases: Mapping[str, str] | None = None):
        self.exact: dict[str, str] = dict(aliases or {})
        self.evidence: Counter[str] = Counter()
        self.active: list[str] = []
        self.broken: set[str] = set()

    def resolve(self, url: str) -> str:
        """The URL to request for a link: its known target, or the link rewritten by a rule."""
        if url in self.exact:
            return self.exact[url]
        for rule in self.active:
            rewritten = apply_rule(rule, url)
            if rewritten is not None:
                return rewritten
        return url

    def rewrote(self, original: str, requested: str) -> bool:
        """Whether `requested` came from a rule, not from a redirect seen for `original`."""
        return original not in self.exact and requested != original

    def learn(self, source: str, target: str, *, permanent: bool) -> bool:
        """Remember a redirect; True when it made a new rule active."""
        if not permanent:
            return False
        self.exact[source] = target
        rule = redirect_rule(source, target)
        if rule is None or rule in self.broken or rule in self.active:
            return False
        self.evidence[rule] += 1
        if self.evidence[rule] >= RULE_EVIDENCE:
            self.active.append(rule)
            return True
        return False

    def unlearn(self, original: str, rewritten: str) -> None:
        """A rewritten link was not found: the rule does not hold on this site."""
        for rule in list(self.active):
            if apply_rule(rule, original) == rewritten:
                self.active.remove(rule)
                self.broken.add(rule)

    def rules_text(self) -> str:
        return ", ".join(self.active) or "none"
