"""The links of a page the spider follows, read from a parsed page: by the spider from a
response, or by an extraction worker from the tree extraction parsed (crawler/workers.py).

Both read the same selection (every `a/@href`, and those inside the site's menus) and resolve
relative links against the same base URL, Scrapy's `get_base_url` of the response, so that the
crawl follows the same links wherever they were read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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


@dataclass(frozen=True)
class PageLinks:
    """A page's links as written (stripped), those inside menus, and the URL they resolve on."""

    hrefs: tuple[str, ...]
    menu_hrefs: tuple[str, ...]
    base_url: str


def links_of_response(response: TextResponse) -> PageLinks:
    """The links of a response, read by the spider (parsel parses the page)."""
    from scrapy.utils.response import get_base_url

    return PageLinks(
        hrefs=tuple(href.strip() for href in response.css("a::attr(href)").getall()),
        menu_hrefs=tuple(href.strip() for href in response.xpath(MENU_LINKS).getall()),
        base_url=get_base_url(response),
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
    return PageLinks(
        hrefs=tuple(href.strip() for href in _ALL_LINKS(tree)),
        menu_hrefs=tuple(href.strip() for href in _MENU_LINKS(tree)),
        base_url=get_base_url(response),
    )
