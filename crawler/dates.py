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
    "es": {
        "enero": 1,
        "ene": 1,
        "febrero": 2,
        "feb": 2,
        "marzo": 3,
        "mar": 3,
        "abril": 4,
        "abr": 4,
        "mayo": 5,
        "may": 5,
        "junio": 6,
        "jun": 6,
        "julio": 7,
        "jul": 7,
        "agosto": 8,
        "ago": 8,
        "septiembre": 9,
        "setiembre": 9,
        "sep": 9,
        "sept": 9,
        "set": 9,
        "octubre": 10,
        "oct": 10,
        "noviembre": 11,
        "nov": 11,
        "diciembre": 12,
        "dic": 12,
    },
    "pt": {
        "janeiro": 1,
        "jan": 1,
        "fevereiro": 2,
        "fev": 2,
        "março": 3,
        "marco": 3,
        "mar": 3,
        "abril": 4,
        "abr": 4,
        "maio": 5,
        "mai": 5,
        "junho": 6,
        "jun": 6,
        "julho": 7,
        "jul": 7,
        "agosto": 8,
        "ago": 8,
        "setembro": 9,
        "set": 9,
        "outubro": 10,
        "out": 10,
        "novembro": 11,
        "nov": 11,
        "dezembro": 12,
        "dez": 12,
    },
    "it": {
        "gennaio": 1,
        "gen": 1,
        "febbraio": 2,
        "feb": 2,
        "marzo": 3,
        "mar": 3,
        "aprile": 4,
        "apr": 4,
        "maggio": 5,
        "mag": 5,
        "giugno": 6,
        "giu": 6,
        "luglio": 7,
        "lug": 7,
        "agosto": 8,
        "ago": 8,
        "settembre": 9,
        "set": 9,
        "ottobre": 10,
        "ott": 10,
        "novembre": 11,
        "nov": 11,
        "dicembre": 12,
        "dic": 12,
    },
}

_ISO_RE = re.compile(
    r"^\s*(?P<y>\d{4})-?(?P<m>\d{2})-?(?P<d>\d{2})"
    r"(?:[T ](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2})(?:[.,]\d+)?)?"
    r"\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{2})?)?\s*$",
    re.IGNORECASE,
)
_NUMERIC_RE = re.compile(r"(?<![\d/.-])(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?![\d/.-]*\d)")
# "04.05.20": a two-digit year, only with dots (the German and Dutch short form)
_NUMERIC_SHORT_YEAR_RE = re.compile(r"(?<![\d/.-])(\d{1,2})\.(\d{1,2})\.(\d{2})(?![\d/.-]*\d)")
_ISO_IN_TEXT_RE = re.compile(r"(?<![\d/.-])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_WORD = r"([^\W\d_]{3,10})"
# "20 juni 2024", "1er mars 2024", "21 de abril de 2022" (Spanish and Portuguese "de")
_DAY_MONTH_YEAR_RE = re.compile(
    r"(?<!\d)(\d{1,2})(?:\.|er|e|st|nd|rd|th|º)?\s+(?:de\s+)?"
    + _WORD
    + r"\.?,?\s+(?:de\s+|del\s+)?(\d{4})(?!\d)"
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


@dataclass(frozen=True)
class DateMention:
    """A date written for readers, where it stands in the text (start and end offsets)."""

    start: int
    end: int
    found: FoundDate


def _short_year(year: int) -> int:
    return 2000 + year if year < 70 else 1900 + year


VISIBLE_DATE_TEXT_CHARS = 2000


def find_visible_dates(
    text: str,
    order: str = "DMY",
    month_languages: tuple[str, ...] = ("nl", "en"),
    limit: int = VISIBLE_DATE_TEXT_CHARS,
) -> list[DateMention]:
    """Every valid date written for readers in the first limit characters of text, in order.

    Understands numeric dates in the given order ("20/06/2024", "20.06.24" with dots only), ISO
    dates ("2024-06-20") and dates with a month name in one of month_languages ("za 20 jun.
    2024", "June 20, 2024", "21 de abril de 2022"). Impossible dates (31/02) are left out.
    """
    text = text[:limit]
    mentions: list[DateMention] = []

    def add(match: re.Match[str], found: FoundDate | None) -> None:
        if found is not None:
            mentions.append(DateMention(match.start(), match.end(), found))

    for match in _NUMERIC_RE.finditer(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        day, month = (second, first) if order == "MDY" else (first, second)
        add(match, _make(year, month, day))
    if order != "MDY":
        for match in _NUMERIC_SHORT_YEAR_RE.finditer(text):
            add(match, _make(_short_year(int(match[3])), int(match[2]), int(match[1])))
    for match in _ISO_IN_TEXT_RE.finditer(text):
        add(match, _make(int(match[1]), int(match[2]), int(match[3])))
    for match in _DAY_MONTH_YEAR_RE.finditer(text):
        month = _month_number(match[2], month_languages)
        add(match, _make(int(match[3]), month, int(match[1])) if month else None)
    for match in _MONTH_DAY_YEAR_RE.finditer(text):
        month = _month_number(match[1], month_languages)
        add(match, _make(int(match[3]), month, int(match[2])) if month else None)
    mentions.sort(key=lambda mention: (mention.start, -mention.end))
    # one date per stretch of text: "20.06.2024" is not also "20.06.20"
    kept: list[DateMention] = []
    for mention in mentions:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


def parse_visible_date(
    text: str, order: str = "DMY", month_languages: tuple[str, ...] = ("nl", "en")
) -> FoundDate | None:
    """Find the first date written for readers in text ("• 20/06/2024", "za 20 jun. 2024")."""
    mentions = find_visible_dates(text, order, month_languages)
    return mentions[0].found if mentions else None


# Words that say which date a byline gives: the publication ("Veröffentlicht am 3. Mai 2024"),
# or a later one that is never the publication date ("Aktualisiert: 11.04.2020").
_PUBLISHED_WORDS_RE = re.compile(
    r"\b(?:gepubliceerd|gepost|geplaatst|veröffentlicht|publiziert|erschienen|erstellt|"
    r"eingetragen|published|posted|written|publié|publiée|publicado|publicada|publicat|"
    r"pubblicato|online seit|datum|date|fecha|data)\W*(?:am|on|le|el|em|il|op|the|:)?\W*$",
    re.IGNORECASE,
)
_UPDATED_WORDS_RE = re.compile(
    r"\b(?:bijgewerkt|gewijzigd|aangepast|aktualisiert|geändert|editiert|letzte änderung|"
    r"zuletzt|stand|updated?|modified|last modified|edited|revised|mis à jour|modifié|"
    r"actualizado|actualizada|atualizado|modificado|aggiornato|modificato)\b\W*"
    r"(?:am|on|le|el|em|il|op|the|at|:)?\W*$",
    re.IGNORECASE,
)
_LABEL_REACH = 40


def published_date_in_text(
    text: str, order: str = "DMY", month_languages: tuple[str, ...] = ("nl", "en")
) -> FoundDate | None:
    """The publication date in a byline or date line ("Door Jan Peeters, 12 maart 2024").

    A date labelled as a publication ("Veröffentlicht: 26.12.2022", "Published May 3, 2024")
    wins; a date labelled as an update ("Aktualisiert: 11.04.2020", "Updated: …") is never
    taken; otherwise the first date. None when the text states no usable date.
    """
    unlabelled = None
    for mention, kind in _classified(text, order, month_languages):
        if kind == "published":
            return mention.found
        if kind == "" and unlabelled is None:
            unlabelled = mention.found
    return unlabelled


def _classified(
    text: str,
    order: str,
    month_languages: tuple[str, ...],
    limit: int = VISIBLE_DATE_TEXT_CHARS,
) -> list[tuple[DateMention, str]]:
    """Each date in text with its label: "published", "updated" or "" (none)."""
    classified = []
    previous_end = 0
    for mention in find_visible_dates(text, order, month_languages, limit):
        label = text[max(previous_end, mention.start - _LABEL_REACH) : mention.start]
        previous_end = mention.end
        if _PUBLISHED_WORDS_RE.search(label):
            classified.append((mention, "published"))
        elif _UPDATED_WORDS_RE.search(label):
            classified.append((mention, "updated"))
        else:
            classified.append((mention, ""))
    return classified


def labelled_published_date(
    text: str, order: str = "DMY", month_languages: tuple[str, ...] = ("nl", "en")
) -> FoundDate | None:
    """The first date in text that a label calls the publication ("Veröffentlicht am: 6. August
    2009", "Published: May 3, 2024"), else None: for a byline far from the headline. The whole
    text is read."""
    for mention, kind in _classified(text, order, month_languages, len(text)):
        if kind == "published":
            return mention.found
    return None


def date_near_headline(
    before: str,
    after: str,
    order: str = "DMY",
    month_languages: tuple[str, ...] = ("nl", "en"),
) -> FoundDate | None:
    """The publication date printed around a headline: in the text just before it (a date line
    above the headline) or just after it (the byline: "Door Jan Peeters, 12 maart 2024").

    A date labelled as the publication wins, the nearest one to the headline first; then the
    nearest date without a label. Dates labelled as updates are never taken.
    """
    candidates = [
        (0 if kind == "published" else 1, len(before) - mention.end, mention.found)
        for mention, kind in _classified(before, order, month_languages)
        if kind != "updated"
    ]
    candidates += [
        (0 if kind == "published" else 1, mention.start, mention.found)
        for mention, kind in _classified(after, order, month_languages)
        if kind != "updated"
    ]
    if not candidates:
        return None
    return min(candidates, key=lambda candidate: candidate[:2])[2]


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
