"""`/search.atom`: the newest articles of a search as an Atom feed."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree

from datasette.utils.asgi import Response

from archive import search
from archive.research.common import (
    clean_body_html,
    query_url,
    request_filters,
    run_limited,
    run_search,
    search_params,
)

FEED_SIZE = 50
ATOM = "http://www.w3.org/2005/Atom"


async def search_atom(datasette: Any, request: Any) -> Response:
    """The newest articles of a search as an Atom feed (ElementTree does the escaping)."""
    q = request.args.get("q", "")
    filters = request_filters(request)
    try:
        results = await run_search(datasette, request, FEED_SIZE, sort="newest")
    except search.SearchQueryError as exc:
        return Response.text(str(exc), status=400)
    bodies = await run_limited(
        datasette,
        lambda conn: (
            {
                row[0]: row[1:]
                for row in conn.execute(
                    "SELECT id, body_html, last_seen FROM articles WHERE id IN "
                    f"({', '.join('?' * len(results.rows))})",
                    [row["id"] for row in results.rows],
                )
            }
            if results.rows
            else {}
        ),
    )
    origin = f"{request.scheme}://{request.host}"
    title = datasette.metadata("title") or "newsarchive"
    described = ", ".join(f"{k} {v}" for k, v in search_params(q, filters).items())
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")

    def sub(parent: Any, tag: str, text: str | None = None, **attributes: str) -> Any:
        element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
        if text is not None:
            element.text = _xml_text(text)
        return element

    sub(feed, "title", f"{title}: {described or 'all articles'}")
    sub(feed, "id", origin + query_url("/search.atom", search_params(q, filters)))
    sub(
        feed, "link", rel="self", href=origin + query_url("/search.atom", search_params(q, filters))
    )
    sub(feed, "link", rel="alternate", type="text/html",
        href=origin + query_url("/search", search_params(q, filters, sort="newest")))  # fmt: skip
    newest = max((row["published"] or "" for row in results.rows), default="")
    sub(feed, "updated", _atom_date(newest) or datetime.now(UTC).isoformat(timespec="seconds"))
    for row in results.rows:
        body_html, last_seen = bodies.get(row["id"], (None, None))
        entry = sub(feed, "entry")
        sub(entry, "id", row["url"] or f"{origin}/article/{row['id']}")
        sub(entry, "title", row["title"] or "")
        sub(entry, "link", rel="alternate", type="text/html", href=row["url"] or "")
        sub(entry, "link", rel="related", type="text/html", href=f"{origin}/article/{row['id']}")
        published = _atom_date(row["published"])
        if published:
            sub(entry, "published", published)
        sub(entry, "updated", _atom_date(last_seen) or published or "1970-01-01T00:00:00Z")
        if row["author"]:
            sub(sub(entry, "author"), "name", row["author"])
        for category in row["categories"]:
            sub(entry, "category", term=_xml_text(str(category)))
        sub(entry, "summary", row.get("description") or "", type="text")
        sub(entry, "content", str(clean_body_html(body_html, row["url"])), type="html")
    xml = ElementTree.tostring(feed, encoding="unicode", xml_declaration=True)
    return Response(xml, content_type="application/atom+xml; charset=utf-8")


def _xml_text(text: str) -> str:
    """Text without the characters XML 1.0 cannot carry at all."""
    return "".join(
        char
        for char in text
        if char in "\t\n\r" or (ord(char) >= 0x20 and char not in "\ufffe\uffff")
    )


def _atom_date(value: str | None) -> str | None:
    """An RFC 3339 date-time for Atom from an ISO date or date-time (UTC when no offset)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.isoformat(timespec="seconds")
