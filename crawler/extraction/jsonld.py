"""JSON-LD: the nodes of a page's ld+json scripts, their types and their text values."""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping
from typing import Any

from lxml.html import HtmlElement

from crawler.extraction.common import clean_text

logger = logging.getLogger(__name__)

# A longer ld+json script is skipped unread.
MAX_JSON_LD_CHARS = 1_000_000

ARTICLE_LD_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "BlogPosting",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "OpinionNewsArticle",
        "ReviewNewsArticle",
        "BackgroundNewsArticle",
        "LiveBlogPosting",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "SocialMediaPosting",
        "SatiricalArticle",
        "AdvertiserContentArticle",
        "MedicalScholarlyArticle",
    }
)


def ld_types(node: Mapping[str, Any]) -> set[str]:
    """A node's @type values, without a schema.org prefix ("NewsArticle", "WebPage" …)."""
    raw = node.get("@type")
    values = raw if isinstance(raw, list) else [raw]
    return {str(v).rsplit("/", 1)[-1].removeprefix("schema:") for v in values if isinstance(v, str)}


def collect_json_ld(tree: HtmlElement) -> list[dict[str, Any]]:
    """Every node with an @type in the page's ld+json scripts, @graph members and the mainEntity
    of a node (a WebPage's article) included."""
    nodes: list[dict[str, Any]] = []

    def walk(value: Any, depth: int) -> None:
        if depth > 6:
            return
        if isinstance(value, list):
            for item in value[:200]:
                walk(item, depth + 1)
        elif isinstance(value, dict):
            if "@type" in value:
                nodes.append(value)
            if "@graph" in value:
                walk(value["@graph"], depth + 1)
            # a WebPage whose mainEntity is the article (its own node, nested)
            if isinstance(value.get("mainEntity"), dict | list):
                walk(value["mainEntity"], depth + 1)

    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower() or not script.text:
            continue
        source = script.text.strip()
        if len(source) > MAX_JSON_LD_CHARS:
            continue
        try:
            walk(json.loads(source, strict=False), 0)
        except (ValueError, RecursionError) as exc:
            logger.debug("unreadable JSON-LD block: %s", exc)
    return nodes


def ld_text(value: Any) -> str | None:
    """A JSON-LD value as clean text: the string, or a list's first string; else None."""
    if isinstance(value, list):
        value = next((v for v in value if isinstance(v, str)), None)
    return clean_text(value) if isinstance(value, str) else None
