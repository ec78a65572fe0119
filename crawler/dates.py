"""Date parsing for article pages: ISO and feed timestamps, and dates as readers see them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from email.utils import parsedate_to_datetime

EARLIEST_DATE = date(1990, 1, 1)
# A page may be stamped a little ahead of our clock (time zones, clock skew), never more.
FUTURE_TOLERANCE = timedelta(days=1)

MONTHS: dict[str, dict[str, int]] = {
    "nl": {
        "januari": 1,
        "jan": 1,
        "februari": 2,
        "feb": 2,
        "febr": 2,
        "maart": 3,
        "mrt": 3,
        "maa": 3,
        "april": 4,
        "apr": 4,
        "mei": 5,
        "juni": 6,
        "jun": 6,
        "juli": 7,
        "jul": 7,
        "augustus": 8,
        "aug": 8,
        "september": 9,
        "sep": 9,
        "sept": 9,
        "oktober": 10,
        "okt": 10,
        "november": 11,
        "nov": 11,
        "december": 12,
        "dec": 12,
    },
    "en": {
        "january": 1,
        "jan": 1,
        "february": 2,
        "feb": 2,
        "march": 3,
        "mar": 3,
        "april": 4,
        "apr": 4,
        "may": 5,
        "june": 6,
        "jun": 6,
        "july": 7,
        "jul": 7,
        "august": 8,
        "aug": 8,
        "september": 9,
        "sep": 9,
        "sept": 9,
        "october": 10,
        "oct": 10,
        "november": 11,
        "nov": 11,
        "december": 12,
        "dec": 12,
    },
    "fr": {
        "janvier": 1,
        "janv": 1,
        "février": 2,
        "fevrier": 2,
        "févr": 2,
        "fevr": 2,
        "mars": 3,
        "avril": 4,
        "avr": 4,
        "mai": 5,
        "juin": 6,
        "juillet": 7,
        "juil": 7,
        "août": 8,
        "aout": 8,
        "septembre": 9,
        "sept": 9,
        "octobre": 10,
        "oct": 10,
        "novembre": 11,
        "nov": 11,
        "décembre": 12,
        "decembre": 12,
        "déc": 12,
        "dec": 12,
    },
    "de": {
        "januar": 1,
        "jänner": 1,
        "jan": 1,
        "februar": 2,
        "feb": 2,
        "märz": 3,
        "maerz": 3,
        "mär": 3,
        "april": 4,
        "apr": 4,
        "mai": 5,
        "juni": 6,
        "jun": 6,
        "juli": 7,
        "jul": 7,
        "august": 8,
        "aug": 8,
        "september": 9,
        "sep": 9,
        "sept": 9,
        "oktober": 10,
        "okt": 10,
        "november": 11,
        "nov": 11,
        "dezember": 12,
        "dez": 12,
    },
}

_ISO_RE = re.compile(
    r"^\s*(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?\s*$",
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/.-]*\d)")
_ISO_IN_TEXT_RE = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_WORD = r"([^\W\d_]{3,10})"
_DAY_MONTH_YEAR_RE = re.compile(
    r"(?<!\d)(\d{1,2})(?:\.|er|e|st|nd|rd|th)?\s+" + _WORD + r"\.?,?\s+(\d{4})(?!\d)"
)
_MONTH_DAY_YEAR_RE = re.compile(_WORD + r"\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?!\d)")


@dataclass(frozen=True)
class FoundDate:
    """A date read from a page: its ISO 8601 form and a moment for comparisons."""

    iso: str
    day: date


def _tz_from_text(text: str | None) -> str:
    if not text or text.upper() == "Z":
        return "+00:00" if text else ""
    sign, digits = text[0], text[1:].replace(":", "")
    digits = digits.ljust(4, "0")
    return f"{sign}{digits[:2]}:{digits[2:4]}"


def parse_iso_date(value: str | None) -> FoundDate | None:
    """Parse an ISO 8601 (or RFC 822 feed) timestamp; keep its offset, or give a date alone."""
    if not value or len(value) > 64:
        return None
    match = _ISO_RE.match(value)
    if match is None:
        return _parse_rfc822(value)
    try:
        day = date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return None
    if match["H"] is None:
        return FoundDate(day.isoformat(), day)
    hour, minute, second = int(match["H"]), int(match["M"]), int(match["S"] or 0)
    if hour > 23 or minute > 59 or second > 59:
        return None
    offset = _tz_from_text(match["tz"])
    if offset and (int(offset[1:3]) > 14 or int(offset[4:6]) > 59):
        return None
    iso = f"{day.isoformat()}T{hour:02d}:{minute:02d}:{second:02d}{offset}"
    return FoundDate(iso, day)


def _parse_rfc822(value: str) -> FoundDate | None:
    if not re.search(r"[A-Za-z]{3},?\s+\d{1,2}\s+[A-Za-z]{3}\s+\d{4}", value):
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    iso = moment.replace(microsecond=0).isoformat()
    return FoundDate(iso, moment.date())


def _month_number(word: str, languages: tuple[str, ...]) -> int | None:
    word = word.lower().rstrip(".")
    for language in languages:
        number = MONTHS.get(language, {}).get(word)
        if number:
            return number
    return None


def _make(year: int, month: int, day: int) -> FoundDate | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return FoundDate(found.isoformat(), found)


def parse_visible_date(
    text: str, order: str = "DMY", month_languages: tuple[str, ...] = ("nl", "en")
) -> FoundDate | None:
    """Find the first date written for readers in text ("• 20/06/2024", "za 20 jun. 2024")."""
    text = text[:2000]
    candidates: list[tuple[int, FoundDate]] = []
    for match in _NUMERIC_RE.finditer(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day, month = (second, first) if order == "MDY" else (first, second)
        found = _make(year, month, day)
        if found:
            candidates.append((match.start(), found))
            break
    for match in _ISO_IN_TEXT_RE.finditer(text):
        found = _make(int(match[1]), int(match[2]), int(match[3]))
        if found:
            candidates.append((match.start(), found))
            break
    for match in _DAY_MONTH_YEAR_RE.finditer(text):
        month = _month_number(match[2], month_languages)
        found = _make(int(match[3]), month, int(match[1])) if month else None
        if found:
            candidates.append((match.start(), found))
            break
    for match in _MONTH_DAY_YEAR_RE.finditer(text):
        month = _month_number(match[1], month_languages)
        found = _make(int(match[3]), month, int(match[2])) if month else None
        if found:
            candidates.append((match.start(), found))
            break
    if not candidates:
        return None
    return min(candidates, key=lambda item: item[0])[1]


_URL_DATE_RE = re.compile(r"/((?:19|20)\d{2})/(0?[1-9]|1[0-2])/(0?[1-9]|[12]\d|3[01])(?:/|$|[-_])")


def date_from_url(url: str) -> FoundDate | None:
    """The date in a /YYYY/MM/DD/ URL path, if any."""
    match = _URL_DATE_RE.search(url)
    if match is None:
        return None
    return _make(int(match[1]), int(match[2]), int(match[3]))


def utc_now() -> datetime:
    """The current time; a separate function so tests can freeze it."""
    return datetime.now(UTC)


def is_plausible(found: FoundDate, now: datetime | None = None) -> bool:
    """Reject dates before 1990 and dates more than a day in the future."""
    now = now or utc_now()
    return EARLIEST_DATE <= found.day <= (now + FUTURE_TOLERANCE).date()
