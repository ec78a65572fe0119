"""The links of a page the spider follows, read from a parsed page: by the spider from a
response, or by an extraction worker from the tree extraction parsed (crawler/workers.py).

Both read the same selection (every `a/@href`, and those inside the site's menus) and resolve
relative links against the same base URL, Scrapy's `get_base_url` of the response, so that the
crawl follows the same links wherever they were read. They are resolved where they are read:
in a worker, that is off the crawl process, which follows a page's few hundred links.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from lxml import etree

if TYPE_CHECKING:
    from lxml.html import HtmlElement
    from scrapy.http import TextResponse

# Every link of a page: parsel's `a::attr(href)`.
ALL_LINKS = "//a/@href"
# Where a site's menus are: links found only there are sampled, not all fetched. Headers and
# footers inside an article or the main region (a teaser's entry header) are not menus.
MENU_LINKS = (
    "//a[not(ancestor::article) and not(ancestor::main)]"
    "[ancestor::header or ancestor::footer"
    " or ancestor::*[contains(concat(' ', normalize-space(@class), ' '), ' menu ')]"
    " or ancestor::*[contains(@id, 'menu')]"
    " or ancestor::*[contains(@class, 'wp-block-navigation')]]/@href"
)

_ALL_LINKS = etree.XPath(ALL_LINKS, smart_strings=False)
_MENU_LINKS = etree.XPath(MENU_LINKS, smart_strings=False)


ABSOLUTE_HTTP = ("http://", "https://")


@dataclass(frozen=True)
class PageLinks:
    """A page's links resolved against its base URL (absolute, "mailto:…" and the like as
    written), and those inside menus."""

    hrefs: tuple[str, ...]
    menu_hrefs: tuple[str, ...]


def _resolved(hrefs: Iterable[str], base_url: str, cache: dict[str, str]) -> tuple[str, ...]:
    """Each href stripped and resolved as a browser would (`urljoin`); cache holds the page's
    resolved hrefs, as menus repeat links of the page."""
    resolved = []
    for raw in hrefs:
        link = cache.get(raw)
        if link is None:
            href = raw.strip()
            link = cache[raw] = href if href.startswith(ABSOLUTE_HTTP) else urljoin(base_url, href)
        resolved.append(link)
    return tuple(resolved)


def links_of_response(response: TextResponse) -> PageLinks:
    """The links of a response, read by the spider (parsel parses the page)."""
    from scrapy.utils.response import get_base_url

    base_url, cache = get_base_url(response), {}
    return PageLinks(
        hrefs=_resolved(response.css("a::attr(href)").getall(), base_url, cache),
        menu_hrefs=_resolved(response.xpath(MENU_LINKS).getall(), base_url, cache),
    )


def links_of_tree(
    tree: HtmlElement, body: bytes, url: str, declared_encoding: str | None
) -> PageLinks:
    """The links of a page parsed already (extraction's tree), resolved as the spider would.

    The base URL is Scrapy's for the same body and charset (a `<base href>` near the top of the
    page), so that relative links resolve exactly as in the spider.
    """
    from scrapy.http import HtmlResponse
    from scrapy.utils.response import get_base_url

    content_type = f"text/html; charset={declared_encoding}" if declared_encoding else "text/html"
    response = HtmlResponse(url, body=body, headers={"Content-Type": content_type})
    base_url, cache = get_base_url(response), {}
    return PageLinks(
        hrefs=_resolved(_ALL_LINKS(tree), base_url, cache),
        menu_hrefs=_resolved(_MENU_LINKS(tree), base_url, cache),
    )
