"""Extraction quality: our extractor against bare trafilatura, on annotated and labelled pages.

Five evaluations, one command each:

* ``python -m crawler.evaluate [--pages DIR] [--limit N] [--per-page]``: the annotated pages of
  trafilatura's evaluation set. DIR holds ``expectations.json`` (URL -> file, "with" strings a
  correct extraction contains, "without" boilerplate strings it must not contain) and the pages
  under ``pages/``.
* ``python -m crawler.evaluate --demo N [--per-page]``: the first N articles of the bundled demo
  site, field by field against the record the site says is correct, then the same pages with a
  ``<title>`` that is only the site's name.
* ``python -m crawler.evaluate --wordpress [DIR] [--per-page]``: the posts of a static WordPress
  export, labelled from the site's own ``wp-json/`` export and RSS feed, then the same pages with
  a ``<title>`` that is only the site's name.
* ``python -m crawler.evaluate --headlines [FILE] [--pages DIR] [--per-page]``: title and
  publication day of the annotated pages labelled by hand (``tests/data/``), from what each page
  shows its readers, then the same pages with a ``<title>`` that is only the site's name.
* ``python -m crawler.evaluate --news [DIR] [--per-page]``: real news article pages of many
  publishers (``truth.jsonl`` and gzipped pages), title, publication day, authors and body word
  F1, scored as news_field_matches and word_token_scores say.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import lxml.etree
import lxml.html
import trafilatura
from trafilatura.settings import Document

from crawler.extract import NotAnArticle, decode_html, extract_article
from crawler.profiles import SiteProfile, load_profile

logger = logging.getLogger(__name__)

# shared/ sits beside the repository, in CI too
SHARED_DIR = Path(__file__).resolve().parents[2] / "shared"
DEFAULT_PAGES_DIR = SHARED_DIR / "realdata" / "extraction" / "trafilatura-eval"


class EvaluationDataError(ValueError):
    """The evaluation folder is missing or its expectations file is unreadable."""


@dataclass(frozen=True)
class Expectation:
    """What a correct extraction of one page contains and leaves out."""

    url: str
    file: str
    with_strings: tuple[str, ...]
    without_strings: tuple[str, ...]


@dataclass(frozen=True)
class PageOutcome:
    """How one extractor did on one page."""

    found: int
    expected: int
    absent: int
    unwanted: int
    seconds: float
    note: str = ""

    @property
    def with_share(self) -> float:
        """Share of the "with" strings found (1.0 when the page lists none)."""
        return self.found / self.expected if self.expected else 1.0

    @property
    def without_share(self) -> float:
        """Share of the "without" strings absent (1.0 when the page lists none)."""
        return self.absent / self.unwanted if self.unwanted else 1.0

    @property
    def score(self) -> float:
        """Mean of the two shares."""
        return (self.with_share + self.without_share) / 2


@dataclass(frozen=True)
class Summary:
    """One extractor's figures over all pages."""

    with_share: float
    without_share: float
    median_seconds: float
    p95_seconds: float

    @property
    def score(self) -> float:
        """Mean of the two shares."""
        return (self.with_share + self.without_share) / 2


@dataclass
class PageResult:
    """Both extractors' outcomes on one page."""

    expectation: Expectation
    ours: PageOutcome
    baseline: PageOutcome
    # bare trafilatura doing our job (text and metadata): timed only, its text is the baseline's
    metadata_seconds: float = 0.0


@dataclass
class EvaluationResult:
    """Per-page outcomes and the overall summary of both extractors."""

    pages: list[PageResult] = field(default_factory=list)

    def summary(self, which: str) -> Summary:
        """Overall figures for "ours" or "baseline": string shares over all pages, timings."""
        outcomes = [getattr(page, which) for page in self.pages]
        expected = sum(o.expected for o in outcomes)
        unwanted = sum(o.unwanted for o in outcomes)
        seconds = sorted(o.seconds for o in outcomes)
        return Summary(
            with_share=sum(o.found for o in outcomes) / expected if expected else 1.0,
            without_share=sum(o.absent for o in outcomes) / unwanted if unwanted else 1.0,
            median_seconds=statistics.median(seconds) if seconds else 0.0,
            p95_seconds=_percentile(seconds, 0.95),
        )

    @property
    def ours(self) -> Summary:
        """Our extractor's overall figures."""
        return self.summary("ours")

    @property
    def baseline(self) -> Summary:
        """Bare trafilatura's overall figures."""
        return self.summary("baseline")

    @property
    def metadata_median_seconds(self) -> float:
        """Median time of bare trafilatura with its metadata (title, date, author …) read too."""
        seconds = [page.metadata_seconds for page in self.pages]
        return statistics.median(seconds) if seconds else 0.0


def _percentile(sorted_values: Sequence[float], share: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(share * len(sorted_values)) - 1))
    return sorted_values[index]


def load_expectations(pages_dir: Path) -> list[Expectation]:
    """Read expectations.json from an evaluation folder."""
    path = pages_dir / "expectations.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvaluationDataError(f"cannot read {path}: {exc}") from exc
    return [
        Expectation(
            url=url,
            file=entry["file"],
            with_strings=tuple(entry.get("with", ())),
            without_strings=tuple(entry.get("without", ())),
        )
        for url, entry in data.items()
    ]


def _outcome(text: str, expectation: Expectation, seconds: float, note: str = "") -> PageOutcome:
    return PageOutcome(
        found=sum(s in text for s in expectation.with_strings),
        expected=len(expectation.with_strings),
        absent=sum(s not in text for s in expectation.without_strings),
        unwanted=len(expectation.without_strings),
        seconds=seconds,
        note=note,
    )


def _score_ours(raw: bytes, expectation: Expectation, profile: SiteProfile) -> PageOutcome:
    start = time.perf_counter()
    try:
        text, note = str(extract_article(raw, expectation.url, profile=profile)["text"]), ""
    except NotAnArticle as exc:
        # a refused page scores as an empty extraction
        text, note = "", exc.reason
    return _outcome(text, expectation, time.perf_counter() - start, note)


def _score_baseline(raw: bytes, expectation: Expectation) -> PageOutcome:
    start = time.perf_counter()
    text = trafilatura.extract(raw, url=expectation.url) or ""
    return _outcome(text, expectation, time.perf_counter() - start)


def _time_baseline_with_metadata(raw: bytes, expectation: Expectation) -> float:
    start = time.perf_counter()
    trafilatura.bare_extraction(raw, url=expectation.url, with_metadata=True)
    return time.perf_counter() - start


def evaluate_pages(pages_dir: Path, limit: int | None = None) -> EvaluationResult:
    """Run our extractor and bare trafilatura on every annotated page and score both.

    As in evaluate_labelled, the two run one after the other on each page, in alternating order,
    after an untimed run of both on the first page. Bare trafilatura is scored as
    `trafilatura.extract` (the text alone) and timed once more as
    `bare_extraction(with_metadata=True)`, the same job as ours: text, title, date, authors.
    """
    # the pages come from many sites: none of them has a profile of its own
    profile = load_profile("generic")
    result = EvaluationResult()
    expectations = load_expectations(pages_dir)[:limit]
    if expectations:
        raw = (pages_dir / "pages" / expectations[0].file).read_bytes()
        _score_ours(raw, expectations[0], profile)
        _score_baseline(raw, expectations[0])
        _time_baseline_with_metadata(raw, expectations[0])
    for number, expectation in enumerate(expectations):
        raw = (pages_dir / "pages" / expectation.file).read_bytes()
        if number % 2:
            metadata_seconds = _time_baseline_with_metadata(raw, expectation)
            baseline = _score_baseline(raw, expectation)
            ours = _score_ours(raw, expectation, profile)
        else:
            ours = _score_ours(raw, expectation, profile)
            baseline = _score_baseline(raw, expectation)
            metadata_seconds = _time_baseline_with_metadata(raw, expectation)
        result.pages.append(PageResult(expectation, ours, baseline, metadata_seconds))
    return result


def format_report(result: EvaluationResult, per_page: bool = False) -> str:
    """The evaluation as a plain-text table."""
    lines = []
    if per_page:
        lines.append(f"{'page':50} {'ours':>6} {'bare':>6}  note")
        for page in result.pages:
            lines.append(
                f"{page.expectation.file[:50]:50} {page.ours.score:6.3f} {page.baseline.score:6.3f}"
                f"  {page.ours.note}"
            )
        lines.append("")
    lines.append(f"{len(result.pages)} pages")
    lines.append(
        f"{'extractor':22} {'with found':>10} {'without ok':>10} {'score':>7}"
        f" {'median ms':>10} {'p95 ms':>8}"
    )
    for label, summary in (("newsarchive", result.ours), ("bare trafilatura", result.baseline)):
        lines.append(
            f"{label:22} {summary.with_share:10.4f} {summary.without_share:10.4f}"
            f" {summary.score:7.4f} {summary.median_seconds * 1000:10.1f}"
            f" {summary.p95_seconds * 1000:8.1f}"
        )
    ours_median, with_metadata = result.ours.median_seconds, result.metadata_median_seconds
    if with_metadata and result.baseline.median_seconds:
        label, note = "bare, with metadata", "(timed only)"
        lines.append(f"{label:22} {note:>29} {with_metadata * 1000:10.1f}")
        lines.append(
            f"our median time: {ours_median / result.baseline.median_seconds:.2f} x bare"
            f" trafilatura's text alone, {ours_median / with_metadata:.2f} x with its metadata"
        )
    refused = [p for p in result.pages if p.ours.note]
    if refused:
        lines.append(f"refused as not an article: {len(refused)}")
        lines.extend(f"  {p.expectation.file}: {p.ours.note}" for p in refused)
    return "\n".join(lines)


# --------------------------------------------------------------------------- labelled pages

DEFAULT_WORDPRESS_DIR = SHARED_DIR / "realdata" / "sites" / "baldr"
# The export's pages are read as if served from this host (it is never contacted).
WORDPRESS_BASE_URL = "https://hetillusteredispuutbaldr.example"
DEMO_HOST = "127.0.0.1:8800"
DEMO_PROFILE = "antwerpspersbureau"

# Compared fields, in table order, with the label the report gives them.
FIELD_LABELS = {
    "title": "title",
    "published": "published (timestamp)",
    "published_day": "published (day)",
    "author": "author",
    "place": "place",
    "categories": "categories",
    "tags": "tags",
}
# The fields a news page is scored on (see news_field_matches), and every field a report may show.
NEWS_FIELD_LABELS = {
    "title": "title",
    "published_day": "published (day)",
    "authors": "authors (set)",
}
ALL_FIELD_LABELS = FIELD_LABELS | NEWS_FIELD_LABELS
# What bare trafilatura cannot give: it scores these as wrong, and the report says why.
BASELINE_GAPS = {
    "published": "bare trafilatura gives a day, no time",
    "place": "bare trafilatura has no such field",
}
_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
        "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p",
        "pre", "section", "table", "td", "th", "tr", "ul",
    }
)  # fmt: skip
_BODY_CLASS_RE = re.compile(rb"<body\b[^>]*?\bclass\s*=\s*[\"']([^\"']*)", re.I)
_TITLE_ELEMENT_RE = re.compile(r"<title\b[^>]*>.*?</title\s*>", re.I | re.S)
_TITLE_META_RE = re.compile(
    r"<meta\b[^>]*\b(?P<attribute>property|name)\s*=\s*[\"'](?P<key>(?:og|twitter):title)[\"'][^>]*>",
    re.I,
)
# <meta charset="…"> and the charset of <meta http-equiv="Content-Type" content="…; charset=…">
_META_CHARSET_RE = re.compile(r"(<meta\b[^>]{0,200}?charset\s*=\s*[\"']?)[\w.:-]+", re.I)
_JSON_LD_RE = re.compile(r"<script\b[^>]*application/ld\+json[^>]*>.*?</script\s*>", re.I | re.S)


@dataclass(frozen=True)
class LabelledPage:
    """A page and the values a correct extraction gives, taken from a source other than the page.

    truth holds any of the FIELD_LABELS keys (NEWS_FIELD_LABELS for scoring "news") and "text"; a
    key left out is not scored on this page.
    """

    name: str
    url: str
    html: bytes
    truth: Mapping[str, Any]
    declared_encoding: str | None = None
    # "exact", or "news": titles without case and punctuation, authors as sets of name keys,
    # body scored on word tokens (see news_field_matches)
    scoring: str = "exact"


@dataclass(frozen=True)
class LabelledSet:
    """Labelled pages of one site, the profile our extractor reads them with, what was left out."""

    name: str
    profile: str
    pages: list[LabelledPage]
    unlabelled: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Extraction:
    """What one extractor gave for one page, in the compared fields."""

    fields: Mapping[str, Any]
    text: str
    seconds: float
    note: str = ""


@dataclass(frozen=True)
class TextScore:
    """Token-level precision, recall and F1 of an extracted text against the reference text."""

    precision: float
    recall: float
    f1: float


def token_scores(extracted: str, reference: str) -> TextScore:
    """Compare two texts as bags of whitespace-separated tokens (case and punctuation count).

    Both empty scores 1.0; one of them empty scores 0.0.
    """
    got, wanted = extracted.split(), reference.split()
    if not got and not wanted:
        return TextScore(1.0, 1.0, 1.0)
    overlap = sum((Counter(got) & Counter(wanted)).values())
    if not overlap:
        return TextScore(0.0, 0.0, 0.0)
    precision, recall = overlap / len(got), overlap / len(wanted)
    return TextScore(precision, recall, 2 * precision * recall / (precision + recall))


@dataclass(frozen=True)
class LabelledPageResult:
    """Both extractors on one labelled page."""

    page: LabelledPage
    ours: Extraction
    baseline: Extraction

    def matches(self, which: str) -> dict[str, bool]:
        """Labelled field -> whether "ours" or "baseline" gave exactly the true value.

        Titles are compared after whitespace normalisation (runs of spaces, no-break spaces and
        newlines read as one space), every other field exactly; a news page's fields as
        news_field_matches says.
        """
        extraction: Extraction = getattr(self, which)
        matched = {}
        labels = NEWS_FIELD_LABELS if self.page.scoring == "news" else FIELD_LABELS
        for name in labels:
            if name not in self.page.truth:
                continue
            got, wanted = extraction.fields.get(name), self.page.truth[name]
            if self.page.scoring == "news":
                matched[name] = news_field_matches(name, got, wanted)
                continue
            if name == "title":
                got, wanted = normalise_space(got), normalise_space(wanted)
            matched[name] = got == wanted
        return matched

    def text_score(self, which: str) -> TextScore | None:
        """Body text score of "ours" or "baseline", or None when the page has no reference text."""
        if "text" not in self.page.truth:
            return None
        if self.page.scoring == "news":
            return word_token_scores(getattr(self, which).text, self.page.truth["text"])
        return token_scores(getattr(self, which).text, self.page.truth["text"])


@dataclass(frozen=True)
class FieldSummary:
    """One extractor's figures over a labelled set."""

    exact: dict[str, tuple[int, int]]
    text: TextScore | None
    median_seconds: float
    p95_seconds: float

    def exact_share(self, name: str) -> float:
        """Share of the labelled pages on which the field is exactly right."""
        right, labelled = self.exact[name]
        return right / labelled if labelled else 1.0


@dataclass
class LabelledEvaluation:
    """Per-page results of both extractors on one labelled set."""

    labelled: LabelledSet
    results: list[LabelledPageResult] = field(default_factory=list)

    def summary(self, which: str) -> FieldSummary:
        """Overall figures of "ours" or "baseline": exact-match counts, mean text scores, times."""
        exact: dict[str, tuple[int, int]] = {}
        for result in self.results:
            for name, right in result.matches(which).items():
                done, labelled = exact.get(name, (0, 0))
                exact[name] = (done + right, labelled + 1)
        scores = [s for r in self.results if (s := r.text_score(which)) is not None]
        text = (
            TextScore(
                statistics.fmean(s.precision for s in scores),
                statistics.fmean(s.recall for s in scores),
                statistics.fmean(s.f1 for s in scores),
            )
            if scores
            else None
        )
        seconds = sorted(getattr(r, which).seconds for r in self.results)
        return FieldSummary(
            exact={name: exact[name] for name in ALL_FIELD_LABELS if name in exact},
            text=text,
            median_seconds=statistics.median(seconds) if seconds else 0.0,
            p95_seconds=_percentile(seconds, 0.95),
        )

    @property
    def ours(self) -> FieldSummary:
        """Our extractor's figures."""
        return self.summary("ours")

    @property
    def baseline(self) -> FieldSummary:
        """Bare trafilatura's figures."""
        return self.summary("baseline")


def _day(value: str | None) -> str | None:
    return value[:10] if value else None


def normalise_space(value: Any) -> Any:
    """A string with runs of whitespace as one space and no space at either end; else value."""
    return " ".join(value.split()) if isinstance(value, str) else value


def _extract_ours(page: LabelledPage, profile: SiteProfile) -> Extraction:
    start = time.perf_counter()
    try:
        record = extract_article(
            page.html, page.url, profile=profile, declared_encoding=page.declared_encoding
        )
    except NotAnArticle as exc:
        return Extraction({}, "", time.perf_counter() - start, exc.reason)
    seconds = time.perf_counter() - start
    fields = {name: record[name] for name in ("title", "published", "author", "authors", "place")}
    fields |= {"published_day": _day(record["published"])}
    fields |= {"categories": record["categories"], "tags": record["tags"]}
    return Extraction(fields, record["text"], seconds)


def _extract_baseline(page: LabelledPage) -> Extraction:
    start = time.perf_counter()
    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True)
    seconds = time.perf_counter() - start
    if not isinstance(document, Document):
        return Extraction({}, "", seconds, "no extraction")
    fields = {
        "title": document.title,
        # a day ("2024-06-20"), never a time: it can only match a truth that is a day too
        "published": document.date,
        "published_day": _day(document.date),
        "author": document.author,
        # trafilatura joins the names it finds with "; "
        "authors": [a for a in (document.author or "").split("; ") if a.strip()],
        "place": None,
        "categories": document.categories or [],
        "tags": document.tags or [],
    }
    return Extraction(fields, document.text or "", seconds)


def evaluate_labelled(labelled: LabelledSet) -> LabelledEvaluation:
    """Run our extractor and bare trafilatura on every labelled page, timing them interleaved.

    The two run one after the other on each page, in alternating order, so that a busy machine
    slows both alike; both run once on the first page untimed, to load what they load lazily.
    """
    profile = load_profile(labelled.profile)
    evaluation = LabelledEvaluation(labelled)
    if labelled.pages:
        _extract_ours(labelled.pages[0], profile)
        _extract_baseline(labelled.pages[0])
    for number, page in enumerate(labelled.pages):
        if number % 2:
            baseline = _extract_baseline(page)
            ours = _extract_ours(page, profile)
        else:
            ours = _extract_ours(page, profile)
            baseline = _extract_baseline(page)
        evaluation.results.append(LabelledPageResult(page, ours, baseline))
    return evaluation


def demo_pages(count: int, seed: int = 1) -> LabelledSet:
    """The first count articles of the demo site with the records the site says are correct.

    published is compared as the site states it: an ISO 8601 timestamp with the site's UTC offset
    ("2019-02-21T08:51:00+01:00"), as a string; published_day is its first ten characters.
    """
    from demosite import DemoSite  # the demo site is only needed here

    site = DemoSite(articles=count, seed=seed)
    pages = []
    for index in range(count):
        truth = site.ground_truth(index)
        status, headers, body = site.render(str(truth["url_path"]), DEMO_HOST)
        if status != 200:
            raise EvaluationDataError(f"demo site answered {status} for {truth['url_path']}")
        charset = re.search(r"charset=([\w-]+)", headers.get("Content-Type", ""))
        published = str(truth["published"])
        pages.append(
            LabelledPage(
                name=str(truth["url_path"]),
                url=f"http://{DEMO_HOST}{truth['url_path']}",
                html=body,
                declared_encoding=charset.group(1) if charset else None,
                truth={
                    "title": truth["title"],
                    "published": published,
                    "published_day": _day(published),
                    "author": truth["author"],
                    "place": truth["place"],
                    "categories": truth["categories"],
                    "tags": truth["tags"],
                    "text": truth["text"],
                },
            )
        )
    return LabelledSet(f"demo site, {count} articles", DEMO_PROFILE, pages)


def html_to_text(fragment: str) -> str:
    """The words of an HTML fragment, blocks separated, whitespace folded (a reference text)."""
    if not fragment.strip():
        return ""
    root = lxml.html.fragment_fromstring(fragment, create_parent="div")
    for element in list(root.iter("script", "style", "noscript", "template")):
        element.drop_tree()
    for element in root.iter(lxml.etree.Element):
        if element.tag in _BLOCK_TAGS:
            element.tail = " " + (element.tail or "")
            element.text = " " + (element.text or "")
    return " ".join(root.text_content().split())


def _post_path(link: str) -> str:
    return urlsplit(link.strip()).path.strip("/")


def _wp_json_truth(site_dir: Path) -> dict[str, dict[str, str]]:
    """Post path -> title, day and text from the export's wp-json/wp/v2/posts/*/ files."""
    truth: dict[str, dict[str, str]] = {}
    for path in sorted((site_dir / "wp-json" / "wp" / "v2" / "posts").glob("*/index.html")):
        try:
            post = json.loads(path.read_text(encoding="utf-8"))
            truth[_post_path(post["link"])] = {
                "title": html_to_text(post["title"]["rendered"]),
                # the site's local time, as WordPress shows it on the page
                "published_day": post["date"][:10],
                "text": html_to_text(post["content"]["rendered"]),
            }
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.warning("skipping unreadable wp-json post %s: %s", path, exc)
    return truth


def _feed_truth(site_dir: Path) -> dict[str, dict[str, str]]:
    """Post path -> title, day and text from the export's RSS feed (feed/index.xml)."""
    path = site_dir / "feed" / "index.xml"
    if not path.is_file():
        return {}
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(path.read_bytes(), parser=parser)
    except lxml.etree.XMLSyntaxError as exc:
        logger.warning("skipping unreadable feed %s: %s", path, exc)
        return {}
    content = "{http://purl.org/rss/1.0/modules/content/}encoded"
    truth: dict[str, dict[str, str]] = {}
    for item in root.iter("item"):
        link, title, published = (item.findtext(name) for name in ("link", "title", "pubDate"))
        if not (link and title and published):
            continue
        try:
            day = parsedate_to_datetime(published).date().isoformat()
        except (TypeError, ValueError):
            continue
        entry = {"title": " ".join(title.split()), "published_day": day}
        if item.findtext(content):
            entry["text"] = html_to_text(item.findtext(content) or "")
        truth[_post_path(link)] = entry
    return truth


def _body_classes(html: bytes) -> set[str]:
    match = _BODY_CLASS_RE.search(html)
    return set(match.group(1).decode("ascii", "replace").split()) if match else set()


def wordpress_export_pages(
    site_dir: Path = DEFAULT_WORDPRESS_DIR, base_url: str = WORDPRESS_BASE_URL
) -> LabelledSet:
    """The posts of a static WordPress export (body class "single-post"), labelled by the site.

    The truth comes from the site's own data, never from its HTML pages: the wp-json/ export of
    the post (title, local publication day, content), else the RSS feed item (title, day of
    pubDate, content:encoded). Posts that neither holds are listed as unlabelled.
    """
    if not site_dir.is_dir():
        raise EvaluationDataError(f"no WordPress export at {site_dir}")
    sources = _feed_truth(site_dir) | _wp_json_truth(site_dir)
    pages, unlabelled = [], []
    for path in sorted(site_dir.rglob("index.html")):
        html = path.read_bytes()
        if "single-post" not in _body_classes(html):
            continue
        post = path.parent.relative_to(site_dir).as_posix()
        if post not in sources:
            unlabelled.append(post)
            continue
        pages.append(LabelledPage(post, f"{base_url}/{post}/", html, sources[post]))
    return LabelledSet(f"WordPress export {site_dir.name}", "generic", pages, unlabelled)


# Title and publication day of 93 of the annotated pages, read by hand from what each page shows.
DEFAULT_HEADLINE_LABELS = (
    Path(__file__).resolve().parents[1] / "tests" / "data" / ("trafilatura_eval_labels.json")
)
# What the hand-labelled pages' <title> is replaced with to test a site-name-only title.
GENERIC_SITE_NAME = "Nachrichten"


def headline_pages(
    labels_path: Path = DEFAULT_HEADLINE_LABELS, pages_dir: Path = DEFAULT_PAGES_DIR
) -> LabelledSet:
    """Annotated pages with their headline and publication day as the page shows them.

    The labels file is a JSON list of {"file", "title", "published"}: the headline as printed
    above the article and the publication day printed near it ("YYYY-MM-DD"), or null when the
    page shows none. A page without a shown date is scored on its title only.
    """
    try:
        labels = json.loads(labels_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise EvaluationDataError(f"cannot read {labels_path}: {exc}") from exc
    urls = {expectation.file: expectation.url for expectation in load_expectations(pages_dir)}
    pages = []
    for label in labels:
        name = label["file"]
        if name not in urls:
            raise EvaluationDataError(f"{labels_path.name}: {name} is not an annotated page")
        truth: dict[str, Any] = {"title": label["title"]}
        if label.get("published"):
            truth["published_day"] = label["published"]
        html = (pages_dir / "pages" / name).read_bytes()
        pages.append(LabelledPage(name, urls[name], html, truth))
    return LabelledSet(f"annotated pages labelled by hand ({labels_path.name})", "generic", pages)


# Real news article pages of many publishers, with the fields a per-publisher parser gives.
DEFAULT_NEWS_DIR = SHARED_DIR / "realdata" / "extraction" / "fundus-dev"

_WORD_RE = re.compile(r"\w+")
_INVISIBLE = dict.fromkeys(map(ord, "\xad\u200b\u200c\u200d\u2060\ufeff"))
# Names of a desk or a publishing account, never a person's name: left out of the truth.
_DESK_WORDS = frozenset(
    {"redaktion", "redactie", "rédaction", "redacción", "redazione", "newsroom", "staff", "admin"}
)


def title_key(value: Any) -> str | None:
    """A title as compared on news pages: case folded, soft hyphens and zero-width characters
    removed, punctuation and symbols left out: its runs of word characters (\\w) separated by
    single spaces ("Kultur: Ein Fest!" -> "kultur ein fest")."""
    if not isinstance(value, str):
        return None
    # soft hyphens and zero-width characters are invisible: "Helikopter\xadlandeplatz" is one word
    visible = value.translate(_INVISIBLE)
    return " ".join(_WORD_RE.findall(visible.casefold())) or None


def name_key(name: str) -> str:
    """An author's name as compared: accents kept, case folded, word characters only, in order
    ("Kirchner-Rätsch, Eva" -> "kirchner rätsch eva"): "Last, First" never equals "First Last"."""
    return " ".join(_WORD_RE.findall(name.casefold()))


def author_keys(names: Iterable[str]) -> frozenset[str]:
    """The set of name keys of a list of authors, empty names left out."""
    return frozenset(key for name in names if (key := name_key(name)))


def news_field_matches(name: str, got: Any, wanted: Any) -> bool:
    """Whether a field of a news page is right: see title_key and author_keys; days exactly."""
    if name == "title":
        return title_key(got) is not None and title_key(got) == title_key(wanted)
    if name == "authors":
        return author_keys(got or ()) == author_keys(wanted)
    return got == wanted


def word_token_scores(extracted: str, reference: str) -> TextScore:
    """token_scores on word tokens: runs of word characters (\\w+), case folded, so that
    punctuation glued to a word and line breaks change nothing. Both texts are in Unicode's
    composed form (NFC) first: "für" written as "fu" + a combining mark is the same word, not
    the two tokens "fu" and "r"."""
    return token_scores(
        " ".join(_WORD_RE.findall(unicodedata.normalize("NFC", extracted).casefold())),
        " ".join(_WORD_RE.findall(unicodedata.normalize("NFC", reference).casefold())),
    )


_SITE_NAME_META_RE = re.compile(
    r"<meta\b[^>]*(?:og:site_name|application-name)[^>]*\bcontent\s*=\s*[\"']([^\"']+)", re.I
)
_TITLE_SUFFIX_RE = re.compile(
    r"<title\b[^>]*>[^<]*(?:[|：｜]|\s[-–—]\s)\s*([^<|：｜]+?)\s*</title", re.I
)


def _page_site_names(html: bytes) -> set[str]:
    """The names a page gives its site (og:site_name, application-name, a <title> suffix)."""
    text = html[:300_000].decode("utf-8", "replace")
    names = {m.group(1) for m in _SITE_NAME_META_RE.finditer(text)}
    names.update(m.group(1) for m in _TITLE_SUFFIX_RE.finditer(text))
    return {n for n in names if len(n) <= 60}


def _is_site_or_desk(name: str, publisher: str, url: str, site_names: Iterable[str] = ()) -> bool:
    """True for a name that is the publication itself ("DER SPIEGEL", "nieuwsblad.be") or a desk
    ("BR24 Redaktion"): the site's own name is never an author."""
    key = re.sub(r"\W+", "", name.casefold())
    host = (urlsplit(url).hostname or "").casefold().removeprefix("www.")
    labels = host.split(".")
    site_keys = {re.sub(r"\W+", "", publisher.casefold()), re.sub(r"\W+", "", host)}
    site_keys.update(label for label in labels[:-1] if len(label) > 3)
    if key in {re.sub(r"\W+", "", n.casefold()) for n in site_names}:
        return True
    if key in site_keys or any(key.startswith(k) or k.startswith(key) for k in site_keys if k):
        return True
    return not {w.strip("-") for w in name.casefold().replace("-", " - ").split()}.isdisjoint(
        _DESK_WORDS
    )


def _news_day(published: str, crawl_date: str) -> str:
    """The publication day; a day after the crawl with day and month swappable is read swapped
    (some truths have them swapped: a page cannot be published after it was fetched)."""
    day, crawled = published[:10], crawl_date[:10]
    if day > crawled:
        swapped = f"{day[:4]}-{day[8:10]}-{day[5:7]}"
        if swapped <= crawled and int(day[8:10]) <= 12:
            return swapped
    return day


def news_pages(news_dir: Path = DEFAULT_NEWS_DIR) -> LabelledSet:
    """Real news article pages of many publishers with title, day, authors and body.

    news_dir holds truth.jsonl, one page a line: id, url, crawl_date, html_file (gzipped, under
    news_dir), title, published, authors, body. Truth authors that are the publication's own name
    or a desk are left out of the truth (see _is_site_or_desk).
    """
    import gzip  # only these pages are compressed

    path = news_dir / "truth.jsonl"
    try:
        entries = [
            json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line
        ]
    except (OSError, ValueError) as exc:
        raise EvaluationDataError(f"cannot read {path}: {exc}") from exc
    pages = []
    for entry in entries:
        truth: dict[str, Any] = {"title": entry["title"], "text": entry.get("body") or ""}
        if entry.get("published"):
            truth["published_day"] = _news_day(entry["published"], entry.get("crawl_date") or "")
        html = gzip.decompress((news_dir / entry["html_file"]).read_bytes())
        site_names = _page_site_names(html)
        truth["authors"] = [
            name
            for name in entry.get("authors") or []
            if not _is_site_or_desk(name, entry.get("publisher") or "", entry["url"], site_names)
        ]
        pages.append(LabelledPage(entry["id"], entry["url"], html, truth, scoring="news"))
    return LabelledSet(f"news pages of {news_dir.name}", "generic", pages)


def with_site_name_title(labelled: LabelledSet, site_name: str) -> LabelledSet:
    """The same pages with every title in their head saying only the site's name.

    `<title>`, og:title and twitter:title are set to the site name and JSON-LD is removed, so only
    the page's visible headline names the article, as on sites whose every page carries the
    site name as its title. Only the title is scored. The pages are re-encoded as UTF-8.
    """
    name = escape(site_name)

    def site_name_meta(match: re.Match[str]) -> str:
        return f'<meta {match["attribute"]}="{match["key"]}" content="{name}">'

    pages = []
    for page in labelled.pages:
        if page.declared_encoding:
            html = page.html.decode(page.declared_encoding, errors="replace")
        else:
            # a page read from disk says its encoding itself (BOM, <meta charset>, …)
            html = decode_html(page.html)
        html = _TITLE_ELEMENT_RE.sub(lambda _: f"<title>{name}</title>", html, count=1)
        html = _JSON_LD_RE.sub("", _TITLE_META_RE.sub(site_name_meta, html))
        html = _META_CHARSET_RE.sub(r"\g<1>utf-8", html)
        pages.append(
            LabelledPage(
                page.name,
                page.url,
                html.encode("utf-8"),
                {"title": page.truth["title"]},
                declared_encoding="utf-8",
            )
        )
    return LabelledSet(
        f"{labelled.name}, every head title only the site name",
        labelled.profile,
        pages,
        labelled.unlabelled,
    )


def _rate(summary: FieldSummary, name: str) -> str:
    right, labelled = summary.exact[name]
    return f"{summary.exact_share(name):.4f} ({right}/{labelled})"


def format_labelled_report(evaluation: LabelledEvaluation, per_page: bool = False) -> str:
    """A labelled evaluation as a plain-text table: exact-match shares, text scores, times."""
    ours, baseline = evaluation.ours, evaluation.baseline
    labelled = evaluation.labelled
    lines = [f"{labelled.name} (our profile: {labelled.profile}), {len(evaluation.results)} pages"]
    if labelled.unlabelled:
        lines.append(
            f"left out, no independent truth: {len(labelled.unlabelled)}"
            f" ({', '.join(labelled.unlabelled)})"
        )
    lines.append(f"{'':24} {'newsarchive':>18} {'bare trafilatura':>18}")
    for name, label in ALL_FIELD_LABELS.items():
        if name in ours.exact:
            note = f"  {BASELINE_GAPS[name]}" if name in BASELINE_GAPS else ""
            lines.append(f"{label:24} {_rate(ours, name):>18} {_rate(baseline, name):>18}{note}")
    if ours.text is not None and baseline.text is not None:
        for label, attribute in (("precision", "precision"), ("recall", "recall"), ("F1", "f1")):
            lines.append(
                f"{'body ' + label:24} {getattr(ours.text, attribute):>18.4f}"
                f" {getattr(baseline.text, attribute):>18.4f}"
            )
    lines.append(
        f"{'median ms per page':24} {ours.median_seconds * 1000:>18.1f}"
        f" {baseline.median_seconds * 1000:>18.1f}"
    )
    lines.append(
        f"{'p95 ms per page':24} {ours.p95_seconds * 1000:>18.1f}"
        f" {baseline.p95_seconds * 1000:>18.1f}"
    )
    if per_page:
        lines.extend(_per_page_lines(evaluation))
    return "\n".join(lines)


def _per_page_lines(evaluation: LabelledEvaluation) -> list[str]:
    lines = ["pages where an extractor misses (field: ours | bare trafilatura | truth):"]
    for result in evaluation.results:
        ours, baseline = result.matches("ours"), result.matches("baseline")
        missed = [
            f"  {name}: {result.ours.fields.get(name)!r} | {result.baseline.fields.get(name)!r}"
            f" | {result.page.truth[name]!r}"
            for name in ours
            if not ours[name] or (not baseline[name] and name not in BASELINE_GAPS)
        ]
        texts = (result.text_score("ours"), result.text_score("baseline"))
        if texts[0] is not None and texts[1] is not None and min(texts[0].f1, texts[1].f1) < 1:
            missed.append(f"  body F1: {texts[0].f1:.3f} | {texts[1].f1:.3f}")
        if result.ours.note:
            missed.append(f"  refused: {result.ours.note}")
        if missed:
            lines.append(result.page.name)
            lines.extend(missed)
    return lines


def _labelled_sets(args: argparse.Namespace) -> Iterable[LabelledSet]:
    if args.headlines is not None:
        headlines = headline_pages(args.headlines, args.pages)
        yield headlines
        yield with_site_name_title(headlines, GENERIC_SITE_NAME)
    if args.demo is not None:
        demo = demo_pages(args.demo)
        yield demo
        yield with_site_name_title(demo, load_profile(DEMO_PROFILE).site_name or "")
    if args.news is not None:
        yield news_pages(args.news)
    if args.wordpress is not None:
        export = wordpress_export_pages(args.wordpress)
        yield export
        yield with_site_name_title(export, _feed_site_name(args.wordpress))


def _feed_site_name(site_dir: Path) -> str:
    """The site's name as its RSS feed gives it (channel title)."""
    path = site_dir / "feed" / "index.xml"
    parser = lxml.etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        root = lxml.etree.fromstring(path.read_bytes(), parser=parser)
    except (OSError, lxml.etree.XMLSyntaxError) as exc:
        raise EvaluationDataError(f"cannot read the site's name from {path}: {exc}") from exc
    name = root.findtext("channel/title")
    if not name:
        raise EvaluationDataError(f"{path} names no site (channel/title)")
    return " ".join(name.split())


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m crawler.evaluate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES_DIR, help="evaluation folder")
    parser.add_argument("--limit", type=int, default=None, help="evaluate only the first N pages")
    parser.add_argument("--per-page", action="store_true", help="also print one line per page")
    labelled = parser.add_argument_group(
        "labelled pages", "field-by-field evaluations, instead of the annotated pages"
    )
    labelled.add_argument(
        "--demo", type=int, metavar="N", help="the first N articles of the bundled demo site"
    )
    labelled.add_argument(
        "--wordpress",
        type=Path,
        nargs="?",
        const=DEFAULT_WORDPRESS_DIR,
        metavar="DIR",
        help=f"the posts of a static WordPress export (default {DEFAULT_WORDPRESS_DIR})",
    )
    labelled.add_argument(
        "--headlines",
        type=Path,
        nargs="?",
        const=DEFAULT_HEADLINE_LABELS,
        metavar="FILE",
        help="title and publication day of the annotated pages labelled by hand"
        f" (default {DEFAULT_HEADLINE_LABELS.relative_to(DEFAULT_HEADLINE_LABELS.parents[2])})",
    )
    labelled.add_argument(
        "--news",
        type=Path,
        nargs="?",
        const=DEFAULT_NEWS_DIR,
        metavar="DIR",
        help=f"real news article pages of many publishers (default {DEFAULT_NEWS_DIR})",
    )
    args = parser.parse_args(argv)
    if args.demo is not None and args.demo < 1:
        parser.error("--demo needs at least one article")
    # trafilatura logs every page it discards; the table says all that matters here
    logging.basicConfig(level=logging.ERROR)
    reports = []
    try:
        if all(getattr(args, n) is None for n in ("demo", "wordpress", "headlines", "news")):
            reports.append(format_report(evaluate_pages(args.pages, args.limit), args.per_page))
        for labelled_set in _labelled_sets(args):
            evaluation = evaluate_labelled(labelled_set)
            reports.append(format_labelled_report(evaluation, args.per_page))
    except EvaluationDataError as exc:
        parser.error(str(exc))
    sys.stdout.write("\n\n".join(reports) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
