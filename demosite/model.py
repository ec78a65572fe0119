"""Deterministic content of the demo site: articles, their dates, taxonomies and revisions.

Every article is derived from ``(seed, index)`` alone, so a site of 100 000 articles costs
nothing up front except a few compact index arrays (municipality, story and title rank per
article, and the member lists of each category and tag) that listings need.

Layout choices per article, all decided by a hash of ``(seed, index)`` (never for the seed
article): about 10 % have no figure, 5 % a plain hyphen after the dateline, 5 % a byline
("Door ...") instead of the closing signature, 8 % of figures a photo credit, and 3 % a
related-posts link to a trashed post (404). Article ``min(7, articles - 1)`` is served in
windows-1252. In revision r > 0 one article in fifty (another set for every r, never the seed)
gets an added sentence and/or an "Update: ..." paragraph, a third of those a title ending in
" (update)", and a modification time after every revision-0 modification.

``hold_back=N`` keeps the newest N articles unpublished: they are generated (the timeline is laid
out for all ``articles``, so every other article is exactly the one of the full site) but appear
in no listing, sitemap, feed or link, and their URLs answer 404. ``site.articles`` is the number
of published articles; ``site.total_articles`` counts the held-back ones too.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import math
import random
import re
import threading
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import demosite.seed_article as seed_text
from demosite.slugs import slugify
from demosite.stories import STORIES, Story, TemplateValues
from demosite.timeline import (
    SITE_NOW_UTC,
    TIMELINE_MINUTES,
    timeline_moment,
    timeline_position,
    to_brussels,
)
from demosite.vocabulary import ASSOCIATIONS as ASSOCIATION_NAMES
from demosite.vocabulary import (
    AUTHORS,
    FIRE_ZONES,
    FIRST_NAMES,
    MONTHS,
    MUNICIPALITIES,
    PARTIES,
    PHOTOGRAPHERS,
    PORTFOLIOS,
    REGION_AUTHOR,
    REGIONS,
    SCHOOLS,
    STREETS,
    SURNAMES,
    TOPICS,
    WEEKDAYS,
)

logger = logging.getLogger(__name__)

PAGE_SIZE = 10
CP1252_PREFERRED_INDEX = 7
REVISION_CHANGE_MODULUS = 50  # one article in fifty changes per revision

_MASK64 = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_SALT_LAYOUT = 0
_SALT_VARIATION = 1
_SALT_DATES = 2
_SALT_REVISION = 1000

MUNI_NAMES: tuple[str, ...] = tuple(name for name, _, _ in MUNICIPALITIES)
MUNI_REGION: tuple[int, ...] = tuple(REGIONS.index(region) for _, region, _ in MUNICIPALITIES)
# One slot per unit of weight: a hash modulo its length picks a municipality.
_MUNI_SLOTS: tuple[int, ...] = tuple(
    m for m, (_, _, weight) in enumerate(MUNICIPALITIES) for _ in range(weight)
)
_STORY_TOPIC: tuple[int, ...] = tuple(TOPICS.index(story.topic) for story in STORIES)
_CAFE_STORY = next(n for n, story in enumerate(STORIES) if story.key == "cafe")
_SEED_STORY = -1
_MECHELEN = MUNI_NAMES.index(seed_text.SEED_PLACE)

_NUMBER_WORDS = ("twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen")
_CHILD_NAMES = (
    "Lena",
    "Noah",
    "Mila",
    "Lucas",
    "Ella",
    "Finn",
    "Nora",
    "Vic",
    "Jules",
    "Lou",
    "Wout",
    "Marie",
    "Ilias",
    "Yasmine",
    "Mats",
    "Fleur",
)
_HOURS = ("10 uur", "14 uur", "19 uur", "19.30 uur", "20 uur", "20.30 uur")
_ADDED_SENTENCES = (
    "Dat werd intussen ook bevestigd door de gemeente.",
    "Ook de buurgemeenten volgen het dossier met belangstelling.",
    "Volgens betrokkenen is het laatste woord hierover nog niet gezegd.",
    "Meer details worden later bekendgemaakt.",
)
_UPDATE_PARAGRAPHS = (
    "Update: intussen heeft het gemeentebestuur bevestigd dat de planning behouden blijft.",
    "Update: na publicatie van dit artikel reageerden verschillende inwoners. Het bestuur "
    "belooft een extra infomoment.",
    "Update: in een eerdere versie van dit artikel stond een verkeerde datum. Die is intussen "
    "verbeterd.",
    "Update: de organisatie laat weten dat alle praktische informatie nu ook op haar website "
    "staat.",
)


def _mix64(value: int) -> int:
    """Scramble a 64-bit integer (splitmix64 finaliser)."""
    value = (value + _GOLDEN) & _MASK64
    value = ((value ^ (value >> 30)) * 0xBF58476D1CE4E5B9) & _MASK64
    value = ((value ^ (value >> 27)) * 0x94D049BB133111EB) & _MASK64
    return value ^ (value >> 31)


def format_amount(euros: int) -> str:
    """Write an amount the Flemish way: "375 000 euro", "1,4 miljoen euro"."""
    if euros >= 1_000_000:
        millions = f"{euros / 1_000_000:.1f}".rstrip("0").rstrip(".").replace(".", ",")
        return f"{millions} miljoen euro"
    return f"{euros:,} euro".replace(",", " ")


def _spoken_date(day: date) -> str:
    """A date as a Flemish article writes it: "zaterdag 12 oktober"."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def _describe(paragraph: str) -> str:
    """Meta description: the first sentence, shortened at a word boundary when long."""
    match = re.search(r"(?<=[.!?’])\s", paragraph[20:])
    sentence = paragraph[: 20 + match.start()] if match else paragraph
    if len(sentence) <= 160:
        return sentence
    return sentence[:157].rsplit(" ", 1)[0] + "…"


@dataclass(frozen=True)
class DemoArticle:
    """One article of the demo site, with the layout choices its page is rendered with."""

    index: int
    post_id: int
    slug: str
    path: str
    title: str
    published: datetime
    modified: datetime
    author: str
    signature: str
    place: str
    region: str
    categories: list[str]
    tags: list[str]
    paragraphs: list[str]
    dateline: str
    dateline_dash: str
    description: str
    image: str | None
    caption: str | None
    photo_credit: str | None
    byline: bool
    broken_related: bool
    encoding: str
    revised: bool

    @property
    def text(self) -> str:
        """The body as a correct extraction gives it: paragraphs joined with newlines."""
        return "\n".join(self.paragraphs)


@dataclass(frozen=True)
class _Record:
    """Immutable cached form of an article (lists become tuples)."""

    fields: tuple[tuple[str, object], ...]


THEMES = ("plain", "full")


class SiteModel:
    """The content of the demo site, generated on demand: articles, dates, taxonomies, listings.

    ``demosite.content.DemoSite`` adds answering requests (``render``) on top of this model.
    """

    def __init__(
        self,
        articles: int = 300,
        seed: int = 1,
        *,
        sitemap: bool = True,
        feed: bool = True,
        trailing_slash_links: bool = True,
        revision: int = 0,
        theme: str = "plain",
        hold_back: int = 0,
    ) -> None:
        if articles < 1:
            raise ValueError("a demo site needs at least one article")
        if not 0 <= hold_back < articles:
            raise ValueError("hold_back must be 0 or more and leave at least one article")
        if revision < 0:
            raise ValueError("revision must be 0 or more")
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}: use one of {', '.join(THEMES)}")
        # Published articles; the timeline is laid out for all of them, held back or not.
        self.articles = articles - hold_back
        self.total_articles = articles
        self.hold_back = hold_back
        self.seed = seed
        self.sitemap = sitemap
        self.feed = feed
        self.trailing_slash_links = trailing_slash_links
        self.revision = revision
        # "full": pages carry a real WordPress theme's inline CSS and scripts (demosite/theme.py)
        self.theme = theme
        self._seed_key = _mix64(seed * 0x100000001B3 + 0x51ED)
        self._step = TIMELINE_MINUTES / articles
        self._seed_position = timeline_position(date(*seed_text.SEED_DATE), *seed_text.SEED_TIME)
        self.seed_index = min(articles - 1, int(self._seed_position / self._step))
        self.cp1252_index = min(CP1252_PREFERRED_INDEX, articles - 1)
        self._slug_lock = threading.Lock()
        self._slug_index: dict[str, int] | None = None
        self._build_index()
        # Articles are cached in an immutable form; article() hands out fresh copies.
        self._record = functools.lru_cache(maxsize=4096)(self._record_uncached)

    # ------------------------------------------------------------------ hashing

    def _hash(self, index: int, salt: int) -> int:
        return _mix64((self._seed_key + index * _GOLDEN + salt * 0xD6E8FEB86659FD93) & _MASK64)

    # ------------------------------------------------------------------ index

    def _build_index(self) -> None:
        """Assign municipality, story and title rank to every article, and fill the listings.

        Held-back articles get their facts too (they are the same as in the full site), but
        listings hold only published articles; ``held_*_members`` keep the held-back ones.
        """
        n = self.total_articles
        story_count = len(STORIES)
        slots = _MUNI_SLOTS
        slot_count = len(slots)
        muni_region = MUNI_REGION
        story_topic = _STORY_TOPIC
        seed_key = self._seed_key
        salt = _SALT_LAYOUT * 0xD6E8FEB86659FD93
        counters = [0] * (len(MUNI_NAMES) * story_count)
        munis = array("B", bytes(n))
        stories = array("b", bytes(n))
        ranks = array("I", bytes(4 * n))
        region_members: list[list[int]] = [[] for _ in REGIONS]
        topic_members: list[list[int]] = [[] for _ in TOPICS]
        tag_names: list[str] = list(MUNI_NAMES)
        tag_ids: dict[str, int] = {name: k for k, name in enumerate(tag_names)}
        story_tag_ids: list[tuple[int, ...]] = []
        for story in STORIES:
            ids = []
            for tag in story.tags:
                if tag not in tag_ids:
                    tag_ids[tag] = len(tag_names)
                    tag_names.append(tag)
                ids.append(tag_ids[tag])
            story_tag_ids.append(tuple(ids))
        for tag in seed_text.SEED_TAGS:
            if tag not in tag_ids:
                tag_ids[tag] = len(tag_names)
                tag_names.append(tag)
        tag_members: list[list[int]] = [[] for _ in tag_names]
        seed_index = self.seed_index
        cafe_index = self.cp1252_index
        mask = _MASK64
        mix = _mix64
        for i in range(n):
            h = mix((seed_key + i * _GOLDEN + salt) & mask)
            if i == seed_index:
                munis[i] = _MECHELEN
                stories[i] = _SEED_STORY
                region_members[muni_region[_MECHELEN]].append(i)
                for tag in seed_text.SEED_TAGS:
                    tag_members[tag_ids[tag]].append(i)
                continue
            m = slots[h % slot_count]
            s = _CAFE_STORY if i == cafe_index else (h >> 24) % story_count
            key = m * story_count + s
            ranks[i] = counters[key]
            counters[key] += 1
            munis[i] = m
            stories[i] = s
            region_members[muni_region[m]].append(i)
            if (h >> 40) % 100 < 25:
                topic_members[story_topic[s]].append(i)
            tag_members[m].append(i)
            extra = (h >> 48) % 4
            if extra:
                own = story_tag_ids[s]
                start = (h >> 52) % len(own)
                for k in range(min(extra, len(own))):
                    tag_members[own[(start + k) % len(own)]].append(i)
        self._munis = munis
        self._stories = stories
        self._ranks = ranks
        region_published, self.held_region_members = self._split_held(region_members)
        topic_published, self.held_topic_members = self._split_held(topic_members)
        tag_published, self.held_tag_members = self._split_held(tag_members)
        self.region_members: tuple[list[int], ...] = region_published
        self.topic_members: tuple[list[int], ...] = topic_published
        self.tag_names: tuple[str, ...] = tuple(tag_names)
        self.tag_members: tuple[list[int], ...] = tag_published
        self._tag_ids = tag_ids
        self._story_tag_ids = tuple(story_tag_ids)
        self.tag_slugs: tuple[str, ...] = tuple(slugify(name) for name in tag_names)
        self._tag_by_slug = {slug: k for k, slug in enumerate(self.tag_slugs)}
        self.category_slugs: tuple[str, ...] = tuple(slugify(c) for c in (*REGIONS, *TOPICS))

    def _split_held(
        self, lists: list[list[int]]
    ) -> tuple[tuple[list[int], ...], tuple[list[int], ...]]:
        """Member lists (in index order) split into published and held-back members."""
        if not self.hold_back:
            return tuple(lists), tuple([] for _ in lists)
        cut = [_bisect(members, self.articles) for members in lists]
        return (
            tuple(members[:k] for members, k in zip(lists, cut, strict=True)),
            tuple(members[k:] for members, k in zip(lists, cut, strict=True)),
        )

    # ------------------------------------------------------------------ cheap per-index facts

    def _position(self, index: int) -> int:
        """Minute on the publication timeline, strictly increasing with the index.

        Article i sits at (i + 0.5 + jitter) timeline steps with |jitter| <= 0.45, so neighbours
        stay at least a tenth of a step apart. The seed article sits exactly at its real date,
        which falls inside its own step, between its neighbours.
        """
        if index == self.seed_index:
            return self._seed_position
        jitter = (self._hash(index, _SALT_DATES) % 9001) / 10000 - 0.45
        return int((index + 0.5 + jitter) * self._step)

    def published(self, index: int) -> datetime:
        """Publication time of an article (Brussels local time, aware)."""
        self._check(index)
        return timeline_moment(self._position(index))

    def region_of(self, index: int) -> str:
        """Region category of an article."""
        self._check(index)
        return REGIONS[MUNI_REGION[self._munis[index]]]

    def categories_of(self, index: int) -> list[str]:
        """Categories of an article: its region, and for some a topic."""
        region = self.region_of(index)
        if index == self.seed_index:
            return [region]
        h = self._hash(index, _SALT_LAYOUT)
        if (h >> 40) % 100 < 25:
            return [region, STORIES[self._stories[index]].topic]
        return [region]

    def tags_of(self, index: int) -> list[str]:
        """Tags of an article: its municipality and up to three topic words."""
        if index == self.seed_index:
            return list(seed_text.SEED_TAGS)
        h = self._hash(index, _SALT_LAYOUT)
        tags = [MUNI_NAMES[self._munis[index]]]
        extra = (h >> 48) % 4
        if extra:
            own = self._story_tag_ids[self._stories[index]]
            start = (h >> 52) % len(own)
            tags.extend(
                self.tag_names[own[(start + k) % len(own)]] for k in range(min(extra, len(own)))
            )
        return tags

    def tag_by_slug(self, slug: str) -> int | None:
        """Position of a tag in ``tag_names`` for its slug, or None."""
        return self._tag_by_slug.get(slug)

    def is_revised(self, index: int) -> bool:
        """Whether the article differs from revision 0 in this site's revision."""
        if self.revision == 0 or index == self.seed_index:
            return False
        return self._hash(index, _SALT_REVISION + self.revision) % REVISION_CHANGE_MODULUS == 0

    def modified(self, index: int) -> datetime:
        """Last modification time of an article in this revision (Brussels local time)."""
        self._check(index)
        return self._modified(index)

    def _modified(self, index: int) -> datetime:
        """Modification time of any article of the timeline, held back or not."""
        published = timeline_moment(self._position(index))
        if self.is_revised(index):
            extra = self._hash(index, _SALT_REVISION + self.revision) >> 32
            moment = SITE_NOW_UTC + timedelta(days=self.revision, minutes=extra % 600)
            return to_brussels(moment)
        if index == self.seed_index:
            return published.replace(
                hour=seed_text.SEED_MODIFIED_TIME[0], minute=seed_text.SEED_MODIFIED_TIME[1]
            )
        h = self._hash(index, _SALT_DATES) >> 16
        kind = h % 100
        if kind < 50:
            delay = timedelta(minutes=(h >> 8) % 31)
        elif kind < 85:
            delay = timedelta(minutes=60 + (h >> 8) % 420)
        else:
            delay = timedelta(days=1 + (h >> 8) % 20, minutes=(h >> 16) % 600)
        moment = min(published + delay, SITE_NOW_UTC)
        return to_brussels(max(moment, published))

    def base_title(self, index: int) -> str:
        """Title of an article as first published (revision 0); the slug derives from it."""
        return self._title_parts(index)[0]

    def title(self, index: int) -> str:
        """Title of an article in this revision."""
        return self._revised_title(index, self.base_title(index))

    def _revised_title(self, index: int, title: str) -> str:
        if self.is_revised(index):
            h = self._hash(index, _SALT_REVISION + self.revision)
            if (h >> 8) % 3 == 0:
                title += " (update)"
        return title

    def slug(self, index: int) -> str:
        """WordPress slug of an article."""
        self._check(index)
        return slugify(self.base_title(index))

    def url_path(self, index: int) -> str:
        """Canonical path of an article, with its trailing slash."""
        return f"/{self.slug(index)}/"

    def index_of_slug(self, slug: str) -> int | None:
        """Article index for a slug, or None (the lookup table is built on first use)."""
        table = self._slug_index
        if table is None:
            with self._slug_lock:
                if self._slug_index is None:
                    self._slug_index = self._build_slug_index()
                table = self._slug_index
        return table.get(slug)

    def _build_slug_index(self) -> dict[str, int]:
        table: dict[str, int] = {}
        for i in range(self.articles):
            slug = slugify(self.base_title(i))
            if slug in table:
                logger.warning("duplicate slug %s for articles %d and %d", slug, table[slug], i)
                continue
            table[slug] = i
        logger.debug("built slug index of %d articles", len(table))
        return table

    def _check(self, index: int) -> None:
        if not 0 <= index < self.articles:
            raise IndexError(f"article index {index} out of range 0..{self.articles - 1}")

    def story_of(self, index: int) -> str:
        """Key of the story template an article was written from ("seed" for the seed article)."""
        s = self._stories[index]
        return "seed" if s == _SEED_STORY else STORIES[s].key

    # ------------------------------------------------------------------ titles

    def _title_parts(self, index: int) -> tuple[str, dict[str, str]]:
        """Base title and the title variables it was built from."""
        self._check(index)
        s = self._stories[index]
        if s == _SEED_STORY:
            return seed_text.SEED_TITLE, {}
        story = STORIES[s]
        m = self._munis[index]
        rank = self._ranks[index]
        capacity = story.capacity
        cycle, rank_in_cycle = divmod(rank, capacity)
        offset = _mix64(self._seed_key ^ (m * 131 + s + 7)) % capacity
        multiplier = _coprime_multiplier(capacity)
        variant = (rank_in_cycle * multiplier + offset) % capacity
        variant, pattern = divmod(variant, len(story.titles))
        values = TemplateValues(muni=MUNI_NAMES[m])
        for name, options in story.title_vars:
            variant, choice = divmod(variant, len(options))
            values[name] = options[choice]
        title = " ".join(story.titles[pattern].format_map(values).split())
        if cycle:
            # More articles than distinct titles for this municipality and story.
            title += f" ({cycle + 1})"
        return title, values

    # ------------------------------------------------------------------ articles

    def article(self, index: int) -> DemoArticle:
        """The full article at an index (0 is the oldest)."""
        record = self._record(index)
        values = {
            key: list(value) if isinstance(value, tuple) else value for key, value in record.fields
        }
        return DemoArticle(**values)  # type: ignore[arg-type]

    def _record_uncached(self, index: int) -> _Record:
        self._check(index)
        published = self.published(index)
        modified = self.modified(index)
        variation = self._hash(index, _SALT_VARIATION)
        is_seed = index == self.seed_index
        region = self.region_of(index)
        base_title, title_values = self._title_parts(index)
        slug = slugify(base_title)
        if is_seed:
            first, last = seed_text.SEED_AUTHOR
            place = seed_text.SEED_PLACE
            paragraphs = list(seed_text.SEED_PARAGRAPHS)
            caption: str | None = seed_text.SEED_CAPTION
        else:
            author_choice = variation >> 56
            if author_choice % 10 < 8:
                first, last = AUTHORS[REGION_AUTHOR[region]]
            else:
                first, last = AUTHORS[(author_choice >> 4) % len(AUTHORS)]
            place = MUNI_NAMES[self._munis[index]]
            # Content generation, not security: a seeded generator keeps pages reproducible.
            rng = random.Random(f"{self.seed}:{index}")  # noqa: S311
            paragraphs, caption = self._write_body(index, rng, published, title_values)
        revised = self.is_revised(index)
        if revised:
            paragraphs = self._revise(index, paragraphs)
        has_figure = is_seed or variation % 100 >= 10
        photo_credit = None
        if has_figure and not is_seed and (variation >> 24) % 100 < 8:
            photo_credit = PHOTOGRAPHERS[(variation >> 32) % len(PHOTOGRAPHERS)]
        post_id = 1000 + index
        image = (
            f"/wp-content/uploads/{published.year}/{published.month:02d}/foto-{post_id}.jpg"
            if has_figure
            else None
        )
        fields: dict[str, object] = {
            "index": index,
            "post_id": post_id,
            "slug": slug,
            "path": f"/{slug}/",
            "title": self._revised_title(index, base_title),
            "published": published,
            "modified": modified,
            "author": f"{first} {last}",
            "signature": f"{first} {last.upper()}",
            "place": place,
            "region": region,
            "categories": tuple(self.categories_of(index)),
            "tags": tuple(self.tags_of(index)),
            "paragraphs": tuple(paragraphs),
            "dateline": place.upper(),
            "dateline_dash": "–" if is_seed or (variation >> 8) % 100 >= 5 else "-",
            "description": _describe(paragraphs[0]),
            "image": image,
            "caption": caption if has_figure else None,
            "photo_credit": photo_credit,
            "byline": not is_seed and (variation >> 16) % 100 < 5,
            "broken_related": not is_seed and (variation >> 40) % 100 < 3,
            "encoding": "windows-1252" if index == self.cp1252_index else "utf-8",
            "revised": revised,
        }
        return _Record(tuple(fields.items()))

    def _write_body(
        self, index: int, rng: random.Random, published: datetime, title_values: Mapping[str, str]
    ) -> tuple[list[str], str]:
        """Paragraphs and figure caption of a generated article."""
        story: Story = STORIES[self._stories[index]]
        context = self._context(index, rng, published, title_values)
        bodies = rng.sample(story.bodies, rng.randint(1, min(3, len(story.bodies))))
        quotes = rng.sample(story.quotes, rng.randint(1, min(2, len(story.quotes))))
        closing = [rng.choice(story.closings)] if rng.random() < 0.6 else []
        order = [rng.choice(story.intros), bodies[0], quotes[0], *bodies[1:], *quotes[1:], *closing]
        if len(order) < 3:
            order.append(rng.choice(story.closings))
        paragraphs = [" ".join(template.format_map(context).split()) for template in order]
        caption = " ".join(rng.choice(story.captions).format_map(context).split())
        return paragraphs, caption

    def _context(
        self, index: int, rng: random.Random, published: datetime, title_values: Mapping[str, str]
    ) -> dict[str, str]:
        """Values the story templates are filled with."""
        region = self.region_of(index)
        people = rng.sample(range(len(FIRST_NAMES) * len(SURNAMES)), 3)
        names = [
            f"{FIRST_NAMES[p % len(FIRST_NAMES)]} {SURNAMES[p // len(FIRST_NAMES)]}" for p in people
        ]
        parties = rng.sample(PARTIES, 2)
        streets = rng.sample(STREETS, 3)
        street, street2 = [s for s in streets if s != title_values.get("street_t")][:2]
        past = published.date() - timedelta(days=rng.randint(1, 3))
        past_weekday = WEEKDAYS[past.weekday()]
        if (published.date() - past).days == 1:
            day_past = rng.choice(("gisteren", f"{past_weekday}avond", "gisteren"))
        else:
            day_past = rng.choice((past_weekday, f"{past_weekday}namiddag", f"{past_weekday}avond"))
        future = published.date() + timedelta(days=rng.randint(4, 30))
        later = published.date() + timedelta(days=rng.randint(30, 60))
        euros = rng.choice((rng.randint(8, 190) * 5000, rng.randint(11, 60) * 100_000))
        context = TemplateValues(
            {
                "muni": MUNI_NAMES[self._munis[index]],
                "region": region,
                "zone": FIRE_ZONES[region],
                "p1": names[0],
                "p2": names[1],
                "p3": names[2],
                "surname": rng.choice(SURNAMES),
                "child": rng.choice(_CHILD_NAMES),
                "age": str(rng.randint(9, 12)),
                "age_old": str(rng.randint(84, 101)),
                "party": parties[0],
                "party2": parties[1],
                "portfolio": rng.choice(PORTFOLIOS),
                "street": street,
                "street2": street2,
                "school": rng.choice(SCHOOLS),
                "assoc": rng.choice(ASSOCIATION_NAMES),
                "n_word": rng.choice(_NUMBER_WORDS),
                "n": str(rng.randint(12, 95)),
                "n_big": str(rng.randint(12, 98) * 10),
                "amount": format_amount(euros),
                "small_amount": format_amount(rng.randint(4, 60) * 250),
                "votes": str(rng.randint(11, 27)),
                "years": str(rng.choice((10, 15, 20, 25, 30, 40, 50, 60, 75))),
                "minutes": str(rng.randint(31, 44)),
                "hour": rng.choice(_HOURS),
                "next_year": str(published.year + 1),
                "day_past": day_past,
                "date_future": _spoken_date(future),
                "month_future": MONTHS[later.month - 1],
            }
        )
        context.update(title_values)
        return context

    def _revise(self, index: int, paragraphs: list[str]) -> list[str]:
        """Apply this revision's edit to an article's paragraphs."""
        h = self._hash(index, _SALT_REVISION + self.revision)
        kind = (h >> 12) % 3
        revised = list(paragraphs)
        if kind in (0, 2):
            target = (h >> 16) % len(revised)
            sentence = _ADDED_SENTENCES[(h >> 20) % len(_ADDED_SENTENCES)]
            revised[target] = f"{revised[target]} {sentence}"
        if kind in (1, 2):
            revised.append(_UPDATE_PARAGRAPHS[(h >> 24) % len(_UPDATE_PARAGRAPHS)])
        return revised

    def ground_truth(self, index: int) -> dict[str, object]:
        """The record a correct extractor produces for this article."""
        article = self.article(index)
        return {
            "url_path": article.path,
            "title": article.title,
            "published": article.published.isoformat(),
            "author": article.author,
            "place": article.place,
            "categories": list(article.categories),
            "tags": list(article.tags),
            "text": article.text,
            "description": article.description,
        }

    def content_hash(self, index: int) -> str:
        """A digest of everything that makes up an article, for validators such as ETag."""
        article = self.article(index)
        payload = json.dumps(
            [
                self.ground_truth(index),
                article.modified.isoformat(),
                article.image,
                article.caption,
                article.photo_credit,
                article.byline,
                article.dateline_dash,
                article.broken_related,
                article.encoding,
            ],
            ensure_ascii=False,
            sort_keys=True,
        )
        return hashlib.sha1(payload.encode("utf-8"), usedforsecurity=False).hexdigest()

    # ------------------------------------------------------------------ listings

    def newest_first(self, members: list[int] | range, page: int) -> list[int]:
        """Indexes on a listing page (1-based) of a member list kept in publication order."""
        end = len(members) - (page - 1) * PAGE_SIZE
        start = max(end - PAGE_SIZE, 0)
        return [members[k] for k in range(end - 1, start - 1, -1)] if end > 0 else []

    def feed_modified(self, members: list[int] | range, held: list[int] | range = ()) -> datetime:
        """Last-Modified of a feed of the newest members: the latest modification among them.

        ``held`` are the feed's held-back members (newer than every member). Their publication
        changes the feed, so its validators must change too, yet a held-back article can be
        modified earlier than an older item was. Walking back from the full site (whose moment
        is the plain latest modification), each held-back state's moment is kept at least a
        minute before the next one's, so every change of the items moves Last-Modified and ETag
        forward, and If-Modified-Since never gets a 304 for a feed that changed.
        """
        if not held:
            items = self.newest_first(members, 1)
            return max((self.modified(i) for i in items), default=SITE_NOW_UTC)
        full = [*members[-PAGE_SIZE:], *held]
        moments = [self._modified(i) for i in full]
        moment = max(moments[-PAGE_SIZE:], default=SITE_NOW_UTC)
        for cut in range(len(full) - 1, len(full) - len(held) - 1, -1):
            # The feed before held-back member full[cut] is published.
            own = max(moments[max(0, cut - PAGE_SIZE) : cut], default=SITE_NOW_UTC)
            moment = min(own, moment - timedelta(minutes=1))
        return moment

    def page_count(self, total: int) -> int:
        """Number of listing pages for a number of articles."""
        return max(1, math.ceil(total / PAGE_SIZE))

    def range_between(self, first_day: date, last_day: date) -> range:
        """Indexes of the articles published on local days first_day..last_day inclusive."""
        low = timeline_position(first_day)
        high = timeline_position(last_day + timedelta(days=1))
        start = self._first_at_or_after(low)
        stop = self._first_at_or_after(high)
        return range(start, stop)

    def _first_at_or_after(self, position: int) -> int:
        low, high = 0, self.articles
        while low < high:
            middle = (low + high) // 2
            if self._position(middle) < position:
                low = middle + 1
            else:
                high = middle
        return low

    def related(self, index: int) -> list[int]:
        """Three articles shown under an article: its region's neighbours, older ones first."""
        members = self.region_members[MUNI_REGION[self._munis[index]]]
        where = _bisect(members, index)
        older = members[max(0, where - 3) : where][::-1]
        newer = members[where + 1 : where + 1 + (3 - len(older))]
        picked = older + newer
        if len(picked) < 3:
            # A region with few articles borrows the nearest articles of the whole site.
            for k in (*range(index - 1, -1, -1), *range(index + 1, self.articles)):
                if len(picked) == 3:
                    break
                if k not in picked:
                    picked.append(k)
        return picked


def _bisect(members: list[int], value: int) -> int:
    low, high = 0, len(members)
    while low < high:
        middle = (low + high) // 2
        if members[middle] < value:
            low = middle + 1
        else:
            high = middle
    return low


@functools.cache
def _coprime_multiplier(modulus: int) -> int:
    for candidate in (7919, 104729, 1299709, 15485863):
        if math.gcd(candidate, modulus) == 1:
            return candidate % modulus or 1
    return 1
