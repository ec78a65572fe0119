"""The demo site as callers use it: the generated content answering HTTP requests.

``DemoSite`` is the site model of :mod:`demosite.model` (articles, dates, taxonomies, listings,
all derived from the seed) plus ``render``, which answers a request the way the WordPress site
does, through :mod:`demosite.pages`. Imports run one way: this module uses the pages, the pages
use the model, and the model knows nothing of either.
"""

from __future__ import annotations

import html

from demosite.model import THEMES, DemoArticle, SiteModel
from demosite.pages import RequestHeaders, Response, render_request

__all__ = ["THEMES", "DemoArticle", "DemoSite", "article_record"]


class DemoSite(SiteModel):
    """A deterministic imitation of the regional WordPress news site, generated on demand."""

    def render(
        self, path: str, host: str, request_headers: RequestHeaders | None = None
    ) -> Response:
        """Answer a GET request for a path (with query string) as the WordPress site would."""
        return render_request(self, path, host, request_headers)


def article_record(
    site: DemoSite, index: int, base: str = "https://www.antwerpspersbureau.be"
) -> dict[str, object]:
    """An article record as extraction gives it, from the site's ground truth, its URL on base:
    for loading archives without crawling (tests, benchmarks)."""
    truth = site.ground_truth(index)
    text = str(truth["text"])
    return {
        **truth,
        "url": base + str(truth.pop("url_path")),
        "authors": [truth["author"]],
        "language": "nl",
        "word_count": len(text.split()),
        "body_html": "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n")),
    }
