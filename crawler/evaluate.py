"""Extraction quality gate: our extractor against bare trafilatura on a set of annotated pages.

Run as ``python -m crawler.evaluate [--pages DIR] [--limit N] [--per-page]``. DIR holds
``expectations.json`` (URL -> file, "with" strings a correct extraction contains, "without"
boilerplate strings it must not contain) and the pages under ``pages/``.
"""

from __future__ import annotations

import argparse
import json
import logging
import statistics
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura

from crawler.extract import NotAnArticle, extract_article
from crawler.profiles import SiteProfile, load_profile

logger = logging.getLogger(__name__)

DEFAULT_PAGES_DIR = (
    Path(__file__).resolve().parents[2] / "shared" / "realdata" / "extraction" / "trafilatura-eval"
)


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


def evaluate_pages(pages_dir: Path, limit: int | None = None) -> EvaluationResult:
    """Run our extractor and bare trafilatura on every annotated page and score both."""
    # the pages come from many sites: none of them has a profile of its own
    profile = load_profile("generic")
    result = EvaluationResult()
    for expectation in load_expectations(pages_dir)[:limit]:
        raw = (pages_dir / "pages" / expectation.file).read_bytes()
        result.pages.append(
            PageResult(
                expectation,
                ours=_score_ours(raw, expectation, profile),
                baseline=_score_baseline(raw, expectation),
            )
        )
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
    refused = [p for p in result.pages if p.ours.note]
    if refused:
        lines.append(f"refused as not an article: {len(refused)}")
        lines.extend(f"  {p.expectation.file}: {p.ours.note}" for p in refused)
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(
        prog="python -m crawler.evaluate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES_DIR, help="evaluation folder")
    parser.add_argument("--limit", type=int, default=None, help="evaluate only the first N pages")
    parser.add_argument("--per-page", action="store_true", help="also print one line per page")
    args = parser.parse_args(argv)
    # trafilatura logs every page it discards; the table says all that matters here
    logging.basicConfig(level=logging.ERROR)
    try:
        result = evaluate_pages(args.pages, args.limit)
    except EvaluationDataError as exc:
        parser.error(str(exc))
    sys.stdout.write(format_report(result, args.per_page) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
