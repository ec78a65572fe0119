"""Quality watch: a crawl whose new articles suddenly lack fields the archive usually has.

A site redesign rarely breaks a crawl outright; more often dates or authors silently stop
being found. Comparing the share of articles missing a field in this run with the archive's
usual share catches that on the first run after the change.
"""

from __future__ import annotations

from sqlite_utils import Database

DRIFT_FIELDS = ("published", "author", "place", "description")
MIN_RUN_ARTICLES = 20  # fewer new or changed articles than this: too few to judge
MIN_BASELINE_ARTICLES = 50  # an archive smaller than this has no "usual" yet
DRIFT_MARGIN = 0.3  # the missing share must grow by at least 30 percentage points
DRIFT_FLOOR = 0.5  # ... and reach at least half of the run's articles

_RUN = "id IN (SELECT article_id FROM article_versions WHERE captured_at >= :since)"


def _missing(db: Database, field: str, where: str, since: str) -> tuple[int, int]:
    sql = (
        f"SELECT count(*), coalesce(sum([{field}] IS NULL OR trim([{field}]) IN ('', '[]')), 0) "
        f"FROM articles WHERE {where}"
    )
    total, missing = db.execute(sql, {"since": since}).fetchone()
    return int(total), int(missing)


def field_drift_warnings(db: Database, since: str) -> list[str]:
    """Warnings for fields missing far more often in articles stored since `since` than before."""
    warnings = []
    for field in DRIFT_FIELDS:
        run_total, run_missing = _missing(db, field, _RUN, since)
        if run_total < MIN_RUN_ARTICLES:
            return []
        base_total, base_missing = _missing(
            db, field, f"first_seen < :since AND NOT ({_RUN})", since
        )
        if base_total < MIN_BASELINE_ARTICLES:
            return []
        run_share = run_missing / run_total
        base_share = base_missing / base_total
        if run_share >= DRIFT_FLOOR and run_share >= base_share + DRIFT_MARGIN:
            warnings.append(
                f"{field} missing in {run_share:.0%} of the {run_total} new or changed articles "
                f"of this crawl, against {base_share:.0%} of the {base_total} archived before: "
                "has the site changed its layout?"
            )
    return warnings
