"""An article's versions (`article_versions`) and a word-level diff between consecutive ones.

The diff is bounded: the common beginning and end of the two texts are set aside first (cheap,
and all a typical correction leaves), and the middle that remains is compared only up to
`MAX_DIFF_WORDS` words on each side; past that the page says the change is too large to show
word by word. Long unchanged runs are folded to a few words of context.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from typing import Any

MAX_DIFF_WORDS = 3000  # words of each side compared after the common ends are set aside
CONTEXT_WORDS = 12  # unchanged words kept around a change
MAX_VERSIONS_SHOWN = 50
_TOKEN = re.compile(r"\s+|\S+\s*")  # a word with the space after it (leading space alone)


@dataclass
class Diff:
    """Segments ("same", "ins", "del", "fold") of a word diff; `complete` is False when cut."""

    segments: list[tuple[str, str]] = field(default_factory=list)
    complete: bool = True
    inserted: int = 0
    deleted: int = 0

    @property
    def changed(self) -> bool:
        return bool(self.inserted or self.deleted) or not self.complete


def _tokens(text: str | None) -> list[str]:
    return _TOKEN.findall(text or "")


def _words(tokens: list[str]) -> int:
    return sum(1 for token in tokens if not token.isspace())


def _key(token: str) -> str:
    """What is compared: the word without its space (a new line after it is no change)."""
    return token.strip()


def _fold(tokens: list[str], *, head: bool, tail: bool) -> list[tuple[str, str]]:
    """An unchanged run, folded to its context: its end (before a change), its start (after)."""
    context = CONTEXT_WORDS
    if len(tokens) <= 2 * context + 1:
        return [("same", "".join(tokens))] if tokens else []
    out: list[tuple[str, str]] = []
    kept_head = tokens[:context] if head else []
    kept_tail = tokens[-context:] if tail else []
    if kept_head:
        out.append(("same", "".join(kept_head)))
    folded = _words(tokens) - _words(kept_head) - _words(kept_tail)
    out.append(("fold", f" … {folded} words unchanged … "))
    if kept_tail:
        out.append(("same", "".join(kept_tail)))
    return out


def word_diff(old: str | None, new: str | None) -> Diff:
    """What changed from `old` to `new`, word by word, bounded in size and time."""
    a, b = _tokens(old), _tokens(new)
    start = 0
    while start < len(a) and start < len(b) and _key(a[start]) == _key(b[start]):
        start += 1
    end = 0
    while end < len(a) - start and end < len(b) - start and _key(a[-1 - end]) == _key(b[-1 - end]):
        end += 1
    middle_a, middle_b = a[start : len(a) - end], b[start : len(b) - end]
    diff = Diff()
    diff.segments += _fold(b[:start], head=False, tail=True)
    if len(middle_a) > MAX_DIFF_WORDS or len(middle_b) > MAX_DIFF_WORDS:
        diff.complete = False
        diff.deleted, diff.inserted = _words(middle_a), _words(middle_b)
        diff.segments.append(
            ("fold", f" … {diff.deleted} words replaced by {diff.inserted} words (too many to "
                     "compare word by word) … ")
        )  # fmt: skip
    else:
        # Words only (not the spaces), and with difflib's "popular words" heuristic: very
        # frequent words (de, het, …) anchor no match, which keeps the comparison near-linear.
        matcher = difflib.SequenceMatcher(
            None, [_key(t) for t in middle_a], [_key(t) for t in middle_b]
        )
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                diff.segments += _fold(middle_b[j1:j2], head=True, tail=True)
                continue
            if i2 > i1:
                diff.segments.append(("del", "".join(middle_a[i1:i2])))
                diff.deleted += _words(middle_a[i1:i2])
            if j2 > j1:
                diff.segments.append(("ins", "".join(middle_b[j1:j2])))
                diff.inserted += _words(middle_b[j1:j2])
    diff.segments += _fold(b[len(b) - end :] if end else [], head=True, tail=False)
    return diff


def describe_versions(versions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Versions oldest first, each with what changed since the one before and its diffs."""
    described = []
    previous: dict[str, Any] | None = None
    for number, version in enumerate(versions, start=1):
        entry = {**version, "number": number, "changes": [], "title_diff": None, "text_diff": None}
        if previous is None:
            entry["changes"].append("first capture")
        else:
            if (previous.get("title") or "") != (version.get("title") or ""):
                entry["changes"].append("title")
                entry["title_diff"] = word_diff(previous.get("title"), version.get("title"))
            if (previous.get("text") or "") != (version.get("text") or ""):
                entry["changes"].append("text")
                entry["text_diff"] = word_diff(previous.get("text"), version.get("text"))
            if not entry["changes"]:
                entry["changes"].append("other fields")
        entry["correction"] = bool(version.get("has_correction"))
        described.append(entry)
        previous = version
    return described
