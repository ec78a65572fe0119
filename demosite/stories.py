"""Story templates of the demo site, read from the data file ``stories.toml``.

Each ``[[story]]`` of the data file is one kind of regional news (a council investment, a fire,
a new bakery, ...) with the text pools an article is drawn from; this module turns them into
``Story`` objects and checks them, so that a mistake in the data fails at import with a message
naming the story and the template, not later as a ``KeyError`` while a page renders.

A story's titles are built only from the municipality (``{muni}``) and its ``title_vars``, and
every title names every title variable: every combination gives a different title, which is what
keeps titles (and slugs) unique. Paragraphs and captions may use the title variables and the
per-article values of ``CONTEXT_NAMES`` (filled in by :mod:`demosite.model`). ``{name_cap}`` and
``{name_low}`` give any value with its first letter in upper or lower case.

A title variable, and a story's ``closings``, is either a list or the name of a shared list:
one of ``[lists]`` in the data file or a list of :mod:`demosite.vocabulary` (``VOCABULARY``),
optionally cut to its first N entries with ``name[:N]``.

The order of the stories, of the title variables and of every list is significant: articles
are assigned to stories and titles by position, so reordering changes the generated site.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from string import Formatter

from demosite.vocabulary import CLUBS, HERITAGE, PARTIES, SCHOOLS, STREETS, TOPICS

DATA_FILE = "stories.toml"

# Lists of the vocabulary that stories may name, besides the data file's own [lists].
VOCABULARY: Mapping[str, tuple[str, ...]] = {
    "streets": STREETS,
    "schools": SCHOOLS,
    "clubs": CLUBS,
    "heritage": HERITAGE,
    "parties": PARTIES,
}

# Per-article values paragraphs and captions may name besides the story's title variables.
CONTEXT_NAMES = frozenset(
    [
        "muni",
        "region",
        "zone",
        "p1",
        "p2",
        "p3",
        "surname",
        "child",
        "age",
        "age_old",
        "party",
        "party2",
        "portfolio",
        "street",
        "street2",
        "school",
        "assoc",
        "n_word",
        "n",
        "n_big",
        "amount",
        "small_amount",
        "votes",
        "years",
        "minutes",
        "hour",
        "next_year",
        "day_past",
        "date_future",
        "month_future",
    ]
)
# What every title names besides all of the story's title variables (and nothing else).
TITLE_NAMES = frozenset({"muni"})
CASE_SUFFIXES = ("_cap", "_low")

TEXT_FIELDS = ("intros", "bodies", "quotes", "closings", "captions")
STORY_FIELDS = ("key", "topic", "tags", "titles", "title_vars", *TEXT_FIELDS)

_NAME = re.compile(r"[a-z][a-z0-9_]*")
_LIST_REFERENCE = re.compile(r"(?P<name>[a-z][a-z0-9_]*)(?:\[:(?P<count>[1-9][0-9]*)\])?")


class StoryError(ValueError):
    """The story data is not usable: the message names the story and the field."""


@dataclass(frozen=True)
class Story:
    """One kind of regional news item, with the text pools an article is drawn from."""

    key: str
    topic: str
    tags: tuple[str, ...]
    titles: tuple[str, ...]
    title_vars: tuple[tuple[str, tuple[str, ...]], ...]
    intros: tuple[str, ...]
    bodies: tuple[str, ...]
    quotes: tuple[str, ...]
    closings: tuple[str, ...]
    captions: tuple[str, ...]

    @property
    def capacity(self) -> int:
        """Number of distinct titles this story can produce for one municipality."""
        return len(self.titles) * math.prod(len(options) for _, options in self.title_vars)


class TemplateValues(dict[str, str]):
    """Template values that also answer ``name_cap`` and ``name_low`` for every ``name``."""

    def __missing__(self, key: str) -> str:
        base, _, case = key.rpartition("_")
        if case == "cap" and base in self:
            value = self[base]
            return value[:1].upper() + value[1:]
        if case == "low" and base in self:
            value = self[base]
            return value[:1].lower() + value[1:]
        raise KeyError(key)


def placeholders(template: str) -> list[str]:
    """The names a template fills in, in order (``"{muni}: {shop_low}"`` gives both)."""
    names = []
    for _, name, spec, conversion in Formatter().parse(template):
        if name is None:
            continue
        if not _NAME.fullmatch(name) or spec or conversion:
            raise StoryError(f"{{{name}}} is not a plain placeholder such as {{muni}}")
        names.append(name)
    return names


def load_stories(text: str | None = None) -> tuple[Story, ...]:
    """Read and check the stories of a data file's text (by default the bundled one)."""
    if text is None:
        text = resources.files(__package__).joinpath(DATA_FILE).read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise StoryError(f"{DATA_FILE}: {error}") from error
    unknown = set(data) - {"lists", "story"}
    if unknown:
        raise StoryError(f"{DATA_FILE}: unknown top-level entries {sorted(unknown)}")
    lists = _shared_lists(data.get("lists", {}))
    entries = data.get("story")
    if not isinstance(entries, list) or not entries:
        raise StoryError(f"{DATA_FILE}: no [[story]] entries")
    stories = tuple(_read_story(n, entry, lists) for n, entry in enumerate(entries))
    seen: set[str] = set()
    for story in stories:
        if story.key in seen:
            raise StoryError(f"{DATA_FILE}: two stories with key {story.key!r}")
        seen.add(story.key)
    return stories


def _shared_lists(table: object) -> dict[str, tuple[str, ...]]:
    if not isinstance(table, dict):
        raise StoryError(f"{DATA_FILE}: [lists] must be a table of lists")
    lists = dict(VOCABULARY)
    for name, values in table.items():
        if name in VOCABULARY:
            raise StoryError(f"{DATA_FILE}: [lists] {name} hides the vocabulary list {name}")
        if not _NAME.fullmatch(name):
            raise StoryError(f"{DATA_FILE}: [lists] {name!r} is not a plain lower-case name")
        lists[name] = _strings(values, f"[lists] {name}")
    return lists


def _strings(values: object, where: str) -> tuple[str, ...]:
    if (
        not isinstance(values, list)
        or not values
        or not all(isinstance(value, str) for value in values)
    ):
        raise StoryError(f"{DATA_FILE}: {where} must be a non-empty list of strings")
    return tuple(values)


def _options(value: object, lists: Mapping[str, tuple[str, ...]], where: str) -> tuple[str, ...]:
    """A list written out, or a reference ``name`` / ``name[:N]`` to a shared list."""
    if not isinstance(value, str):
        return _strings(value, where)
    reference = _LIST_REFERENCE.fullmatch(value)
    if reference is None or reference.group("name") not in lists:
        known = ", ".join(sorted(lists))
        raise StoryError(f"{DATA_FILE}: {where} = {value!r} names no list (known: {known})")
    options = lists[reference.group("name")]
    if reference.group("count"):
        count = int(reference.group("count"))
        if count > len(options):
            raise StoryError(f"{DATA_FILE}: {where} = {value!r}: the list has {len(options)}")
        options = options[:count]
    return options


def _read_story(number: int, entry: object, lists: Mapping[str, tuple[str, ...]]) -> Story:
    if not isinstance(entry, dict):
        raise StoryError(f"{DATA_FILE}: story {number + 1} is not a table")
    name = f"story {entry.get('key', number + 1)!r}"
    missing = [field for field in STORY_FIELDS if field not in entry]
    unknown = [field for field in entry if field not in STORY_FIELDS]
    if missing or unknown:
        raise StoryError(f"{DATA_FILE}: {name}: missing {missing}, unknown {unknown}")
    key, topic = entry["key"], entry["topic"]
    if not isinstance(key, str) or not _NAME.fullmatch(key):
        raise StoryError(f"{DATA_FILE}: {name}: key must be a plain lower-case word")
    if topic not in TOPICS:
        raise StoryError(f"{DATA_FILE}: {name}: topic {topic!r} is not one of {TOPICS}")
    if not isinstance(entry["title_vars"], dict):
        raise StoryError(f"{DATA_FILE}: {name}: title_vars must be a table")
    title_vars = tuple(
        (var, _options(value, lists, f"{name}: title_vars.{var}"))
        for var, value in entry["title_vars"].items()
    )
    # Closings are often the same few sentences: a story may name a shared list instead.
    texts = {
        field: _options(entry[field], lists, f"{name}: {field}")
        if field == "closings"
        else _strings(entry[field], f"{name}: {field}")
        for field in TEXT_FIELDS
    }
    story = Story(
        key=key,
        topic=topic,
        tags=_strings(entry["tags"], f"{name}: tags"),
        titles=_strings(entry["titles"], f"{name}: titles"),
        title_vars=title_vars,
        intros=texts["intros"],
        bodies=texts["bodies"],
        quotes=texts["quotes"],
        closings=texts["closings"],
        captions=texts["captions"],
    )
    _check_placeholders(story, name)
    return story


def _check_placeholders(story: Story, name: str) -> None:
    """Titles name {muni} and every title variable; texts name only values that exist."""
    if len(set(story.titles)) < len(story.titles):
        raise StoryError(f"{DATA_FILE}: {name}: the same title pattern twice")
    variables = {var for var, _ in story.title_vars}
    for field in ("titles", *TEXT_FIELDS):
        known = TITLE_NAMES | variables if field == "titles" else CONTEXT_NAMES | variables
        for position, template in enumerate(getattr(story, field)):
            where = f"{DATA_FILE}: {name}: {field}[{position}]"
            try:
                used = placeholders(template)
            except StoryError as error:
                raise StoryError(f"{where}: {error}") from None
            bases = {placeholder: _base_name(placeholder, known) for placeholder in used}
            unknown = sorted(placeholder for placeholder, base in bases.items() if base is None)
            if unknown:
                raise StoryError(f"{where} names unknown placeholders {unknown}: {template!r}")
            left_out = sorted((variables | TITLE_NAMES).difference(bases.values()))
            if field == "titles" and left_out:
                raise StoryError(f"{where} leaves out title variables {left_out}: {template!r}")


def _base_name(placeholder: str, known: set[str] | frozenset[str]) -> str | None:
    """The value a placeholder fills in (``shop`` for ``shop_low``), if it is one of ``known``."""
    if placeholder in known:
        return placeholder
    for suffix in CASE_SUFFIXES:
        base = placeholder.removesuffix(suffix)
        if base != placeholder and base in known:
            return base
    return None


STORIES: tuple[Story, ...] = load_stories()
