"""WordPress-style slugs, shared by the site model (article slugs) and the pages (term URLs)."""

from __future__ import annotations

import re
import unicodedata

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str) -> str:
    """Turn a title or term into a WordPress-style slug."""
    if not text.isascii():
        text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return _NOT_SLUG.sub("-", text.lower().replace("'", "")).strip("-")
