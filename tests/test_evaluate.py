"""The extraction quality gate and the evaluation script."""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any

import pytest

from crawler.evaluate import (
    DEFAULT_PAGES_DIR,
    EvaluationDataError,
    PageOutcome,
    evaluate_pages,
    format_report,
    load_expectations,
    main,
)

PAGES = Path(__file__).resolve().parent / "pages"


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that tries to reach the network."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


def test_gate_ours_is_at_least_as_good_as_bare_trafilatura() -> None:
    """On the 300 annotated real pages our text must score at least bare trafilatura's."""
    result = evaluate_pages(DEFAULT_PAGES_DIR)
    assert len(result.pages) == 300
    ours, baseline = result.ours, result.baseline
    assert ours.score >= baseline.score, format_report(result)
    # refusing a page as "not an article" must stay the exception on unknown sites
    refused = [page for page in result.pages if page.ours.note]
    assert len(refused) <= 3, [page.expectation.file for page in refused]


@pytest.fixture
def small_eval(tmp_path: Path) -> Path:
    (tmp_path / "pages").mkdir()
    seed = (PAGES / "seed-article.html").read_bytes()
    (tmp_path / "pages" / "seed.html").write_bytes(seed)
    (tmp_path / "pages" / "home.html").write_bytes((PAGES / "home.html").read_bytes())
    expectations = {
        "https://nieuws.example/seed/": {
            "file": "seed.html",
            "with": [
                "Vandaag stelde Bart Somers",
                "escalerende probleemsituaties",
                "niet aanwezig",
            ],
            "without": ["Abonneer u op onze nieuwsbrief", "Aanverwante berichten"],
        },
        "https://nieuws.example/": {
            "file": "home.html",
            "with": ["Wij-Zij-Netwerk"],
            "without": [],
        },
    }
    (tmp_path / "expectations.json").write_text(json.dumps(expectations), encoding="utf-8")
    return tmp_path


def test_evaluate_scores_each_page(small_eval: Path) -> None:
    result = evaluate_pages(small_eval)
    seed, home = result.pages
    assert (seed.ours.found, seed.ours.expected) == (2, 3)
    assert (seed.ours.absent, seed.ours.unwanted) == (2, 2)
    assert seed.ours.score == pytest.approx((2 / 3 + 1) / 2)
    # the home page is a listing: refused, so it counts as empty text
    assert home.ours.note == "listing page (body class 'home blog')"
    assert home.ours.found == 0
    assert result.ours.with_share == pytest.approx(2 / 4)
    assert result.ours.without_share == 1.0
    assert result.ours.median_seconds > 0
    assert result.baseline.p95_seconds > 0


def test_limit(small_eval: Path) -> None:
    assert len(evaluate_pages(small_eval, limit=1).pages) == 1


@pytest.mark.parametrize(
    ("outcome", "score"),
    [
        (PageOutcome(found=3, expected=3, absent=3, unwanted=3, seconds=0.1), 1.0),
        (PageOutcome(found=0, expected=3, absent=3, unwanted=3, seconds=0.1), 0.5),
        (PageOutcome(found=0, expected=0, absent=0, unwanted=0, seconds=0.1), 1.0),
        (PageOutcome(found=1, expected=2, absent=0, unwanted=2, seconds=0.1), 0.25),
    ],
)
def test_page_score(outcome: PageOutcome, score: float) -> None:
    assert outcome.score == pytest.approx(score)


def test_report_and_command_line(small_eval: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--pages", str(small_eval), "--limit", "2", "--per-page"]) == 0
    printed = capsys.readouterr().out
    assert "newsarchive" in printed
    assert "bare trafilatura" in printed
    assert "seed.html" in printed
    assert "refused as not an article: 1" in printed


def test_missing_evaluation_folder(tmp_path: Path) -> None:
    with pytest.raises(EvaluationDataError):
        load_expectations(tmp_path / "nothing-here")
    with pytest.raises(SystemExit):
        main(["--pages", str(tmp_path / "nothing-here")])
