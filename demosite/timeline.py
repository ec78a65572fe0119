"""The demo site's clock: its publication timeline and Brussels local time (CET/CEST).

Articles are published between 07:00 and 21:00 local time on the days FIRST_DAY..LAST_DAY; a
*position* is a minute on that timeline (the daily windows laid end to end). SITE_NOW_UTC is the
moment the site is "looked at" in revision 0: no article is modified later than this.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

FIRST_DAY = date(2019, 1, 7)
LAST_DAY = date(2025, 11, 28)
# Articles are published between 07:00 and 21:00 local time.
DAY_START_MINUTE = 7 * 60
DAY_WINDOW_MINUTES = 14 * 60
TIMELINE_MINUTES = ((LAST_DAY - FIRST_DAY).days + 1) * DAY_WINDOW_MINUTES
# The moment the site is "looked at" in revision 0: no article is modified later than this.
SITE_NOW_UTC = datetime(2025, 11, 29, 11, 0, tzinfo=UTC)

_CET = timezone(timedelta(hours=1))
_CEST = timezone(timedelta(hours=2))


def _last_sunday(year: int, month: int) -> date:
    last = date(year, month + 1, 1) - timedelta(days=1)
    return last - timedelta(days=(last.weekday() + 1) % 7)


def brussels_offset_for_local_date(day: date) -> timezone:
    """UTC offset in Brussels during the daytime of a local calendar day (CET or CEST)."""
    if _last_sunday(day.year, 3) <= day < _last_sunday(day.year, 10):
        return _CEST
    return _CET


def to_brussels(moment: datetime) -> datetime:
    """Convert an aware datetime to Brussels local time with the correct CET/CEST offset."""
    utc = moment.astimezone(UTC)
    year = utc.year
    summer_start = datetime.combine(_last_sunday(year, 3), datetime.min.time(), UTC)
    summer_end = datetime.combine(_last_sunday(year, 10), datetime.min.time(), UTC)
    # The clocks change at 01:00 UTC on the last Sundays of March and October.
    summer = summer_start + timedelta(hours=1) <= utc < summer_end + timedelta(hours=1)
    return utc.astimezone(_CEST if summer else _CET)


def timeline_moment(position: int) -> datetime:
    """The local moment (Brussels, aware) of a position on the publication timeline."""
    day = FIRST_DAY + timedelta(days=position // DAY_WINDOW_MINUTES)
    minute = DAY_START_MINUTE + position % DAY_WINDOW_MINUTES
    return datetime(
        day.year,
        day.month,
        day.day,
        minute // 60,
        minute % 60,
        tzinfo=brussels_offset_for_local_date(day),
    )


def timeline_position(day: date, hour: int = 7, minute: int = 0) -> int:
    """Position on the publication timeline of a local moment (clamped to the daily window)."""
    offset = min(max(hour * 60 + minute - DAY_START_MINUTE, 0), DAY_WINDOW_MINUTES)
    return (day - FIRST_DAY).days * DAY_WINDOW_MINUTES + offset
