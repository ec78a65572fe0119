"""The `newsarchive` command line: a thin layer over the crawler, the archive and Datasette."""

from __future__ import annotations

import getpass
import gzip
import json
import logging
import os
import shutil
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from archive.db import (
    ArchiveError,
    ArchiveNotFound,
    SearchSyntaxError,
    get_crawl,
    open_archive,
    search_articles,
)
from archive.lock import EX_TEMPFAIL, ArchiveLock, ArchiveLocked
from archive.warcs import default_warc_dir

logger = logging.getLogger(__name__)

DEFAULT_DB = "archive.db"

# Options that several commands share.
_WARC_DIR_OPTION = click.option(
    "--warc-dir",
    type=click.Path(file_okay=False),
    help="Folder of the WARC files (default: <db stem>-warc/ beside the archive).",
)
_LOG_LEVEL_OPTION = click.option(
    "--log-level",
    type=click.Choice(["DEBUG", "INFO", "WARNING", "ERROR"]),
    default="INFO",
    show_default=True,
)


@click.group()
@click.version_option(package_name="newsarchive")
def cli() -> None:
    """Crawl a regional news site, archive its articles and publish them with Datasette."""


def _summary_line(crawl: dict[str, Any]) -> str:
    return (
        f"Crawl {crawl['id']} {crawl['status']} ({crawl['finish_reason']}): "
        f"{crawl['pages_fetched'] or 0} pages fetched, "
        f"articles {crawl['articles_new'] or 0} new, {crawl['articles_updated'] or 0} updated, "
        f"{crawl['articles_unchanged'] or 0} unchanged, {crawl['articles_failed'] or 0} failed; "
        f"{crawl['not_articles'] or 0} pages not articles, "
        f"{crawl['robots_denied'] or 0} denied by robots.txt, {crawl['errors'] or 0} errors"
    )


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _requests_line(crawl: dict[str, Any]) -> str | None:
    """What the crawl cost: requests to the server by kind (crawler/costs.py), or None."""
    from crawler.costs import REQUEST_KINDS

    if crawl.get("requests") is None:
        return None  # a ledger row from before requests were counted
    total = int(crawl["requests"] or 0)
    kinds = ", ".join(
        f"{kind} {_number(int(crawl.get(f'requests_{kind}') or 0))}" for kind in REQUEST_KINDS
    )
    line = f"Requests: {_number(total)} ({kinds})"
    new = int(crawl.get("articles_new") or 0)
    if new > 0:
        line += f"; {total / new:.2f} per new article"
    return line


def _echo_summary(crawl: dict[str, Any]) -> None:
    click.echo(_summary_line(crawl))
    requests = _requests_line(crawl)
    if requests is not None:
        click.echo(requests)


def _run_crawl(options: Any) -> dict[str, Any]:
    """Run a crawl in a child process and return its ledger row."""
    from crawler.launch import CrawlProcessError, run_crawl_in_subprocess

    try:
        crawl_id = run_crawl_in_subprocess(options)
    except CrawlProcessError as error:
        raise click.ClickException(str(error)) from error
    if crawl_id is None:
        raise click.ClickException("the crawl did not start; see the log above")
    db = open_archive(options.db)
    try:
        return get_crawl(db, crawl_id)
    finally:
        db.close()


def _run_worker(options: Any, redis_url: str) -> None:
    """A distributed crawl worker (crawler/distributed.py): prints its summary line."""
    from archive.ingest import IngestError
    from crawler.distributed import run_worker

    try:
        summary = run_worker(options, redis_url)
    except IngestError as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary.line())
    if not summary.completed:
        sys.exit(1)


def _warn_password_in_argv(redis_url: str, variable: str) -> None:
    """A Redis password given with --redis is readable by every local user (ps): say so."""
    from urllib.parse import urlsplit

    source = click.get_current_context().get_parameter_source("redis_url")
    if source == click.core.ParameterSource.COMMANDLINE and urlsplit(redis_url).password:
        click.echo(
            "Warning: the Redis password on the command line is visible to every user of "
            f"this machine (ps); put the URL in {variable} instead.",
            err=True,
        )


def _check_crawl_arguments(site: str | None, start_urls: tuple[str, ...]) -> None:
    from crawler.options import StartUrlError, split_start_urls
    from crawler.profiles import UnknownSiteProfile, load_profile

    try:
        split_start_urls(list(start_urls))
        if site:
            load_profile(site)
    except (StartUrlError, UnknownSiteProfile) as error:
        raise click.BadParameter(str(error)) from error


def _parse_settings(pairs: tuple[str, ...]) -> dict[str, object]:
    settings: dict[str, object] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"expected NAME=VALUE, got {pair!r}", param_hint="--set")
        settings[name.strip()] = value
    if "DOWNLOAD_DELAY_JITTER" in settings:
        from crawler.options import delay_jitter

        try:
            delay_jitter(settings)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--set") from error
    if "NEWSARCHIVE_WARC_GZIP_LEVEL" in settings:
        from crawler.warc import warc_gzip_level

        try:
            warc_gzip_level(settings)
        except ValueError as error:
            raise click.BadParameter(str(error), param_hint="--set") from error
    return settings


@cli.command()
@click.option("--site", help="Site profile to crawl (default: antwerpspersbureau).")
@click.option(
    "--start-url",
    "start_urls",
    multiple=True,
    help="Crawl this site instead (repeatable); its profile is picked by host, else generic.",
)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive database file.")
@click.option(
    "--delay",
    type=click.FloatRange(min=0),
    help="Minimum seconds between requests (default 1; drawn from S to 2S, throttled further "
    "by load). "
    "0 crawls at full speed: only for local copies.",
)
@click.option("--max-pages", type=click.IntRange(min=1), help="Stop after this many pages.")
@click.option("--ignore-robots", is_flag=True, help="Do not obey robots.txt (logged).")
@click.option(
    "--workers", type=click.IntRange(min=1), help="Extraction processes (default: cores)."
)
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the crawl log here.")
@_LOG_LEVEL_OPTION
@click.option(
    "--route",
    "routes",
    multiple=True,
    type=click.Choice(["sitemap", "feed", "links"]),
    help="Discover articles only this way (repeatable; default: all).",
)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="Override a Scrapy or newsarchive setting (repeatable), like scrapy's -s.",
)
@click.option(
    "--trigger",
    type=click.Choice(["manual", "scheduled"]),
    default="manual",
    show_default=True,
    help="Recorded in the crawl ledger; use 'scheduled' from cron or systemd.",
)
@_WARC_DIR_OPTION
@click.option("--no-warc", is_flag=True, help="Do not keep the responses in WARC files.")
@click.option(
    "--full",
    is_flag=True,
    help="Fetch every article again, ignoring the archive's fetch state (no incremental skips).",
)
@click.option(
    "--redis",
    "redis_url",
    metavar="URL",
    envvar="NEWSARCHIVE_REDIS_URL",
    help="Crawl as a distributed worker sharing this Redis (redis://host:6379/0): articles go "
    "to 'newsarchive ingest', the archive is not opened (docs/distributed.md). Or set "
    "NEWSARCHIVE_REDIS_URL: a password on the command line is visible in ps.",
)
def crawl(
    site: str | None,
    start_urls: tuple[str, ...],
    db: str,
    delay: float | None,
    max_pages: int | None,
    ignore_robots: bool,
    workers: int | None,
    log_file: str | None,
    log_level: str,
    trigger: str,
    routes: tuple[str, ...],
    warc_dir: str | None,
    no_warc: bool,
    full: bool,
    settings: tuple[str, ...],
    redis_url: str | None,
) -> None:
    """Crawl a site into the archive and print a summary; exit status 1 if the crawl failed.

    Exit status 75 (EX_TEMPFAIL) when another crawl of the same archive is running.
    """
    from archive.lock import check_unlocked
    from crawler.options import CrawlOptions

    if not site and not start_urls:
        site = "antwerpspersbureau"
    _check_crawl_arguments(site, start_urls)
    options = CrawlOptions(
        db=db,
        site=site,
        start_urls=list(start_urls),
        delay=delay,
        max_pages=max_pages,
        ignore_robots=ignore_robots,
        workers=workers,
        log_file=log_file,
        log_level=log_level,
        trigger=trigger,
        routes=list(routes),
        warc=not no_warc,
        warc_dir=warc_dir,
        incremental=not full,
        extra_settings=_parse_settings(settings),
    )
    if redis_url:
        _warn_password_in_argv(redis_url, "NEWSARCHIVE_REDIS_URL")
        _run_worker(options, redis_url)
        return
    try:
        check_unlocked(db)
        result = _run_crawl(options)
    except ArchiveLocked as error:
        _exit_busy(error)
    _echo_summary(result)
    if result["status"] != "finished":
        sys.exit(1)


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive database file.")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8001, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--allow-sql",
    is_flag=True,
    default=None,
    help="Let visitors run arbitrary SQL (default: off, or NEWSARCHIVE_ALLOW_SQL=1).",
)
def serve(db: str, host: str, port: int, allow_sql: bool | None) -> None:
    """Publish the archive with Datasette."""
    from archive.publish import serve as serve_archive

    if not Path(db).exists():
        raise click.ClickException(f"no archive at {db}: run 'newsarchive crawl --db {db}' first")
    click.echo(f"Archive: http://{host}:{port}/{Path(db).stem}/articles")
    serve_archive(db, host=host, port=port, allow_sql=allow_sql or None)


def _remove_database(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(default_warc_dir(path), ignore_errors=True)  # its WARC files go with it


@cli.command()
@click.option("--articles", default=300, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--port",
    default=8001,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port of the archive (Datasette).",
)
@click.option(
    "--site-port",
    default=0,
    type=click.IntRange(0, 65535),
    help="Port of the demo news site (default: any free port).",
)
@click.option(
    "--db", default="demo/archive.db", show_default=True, help="Archive file, created afresh."
)
@click.option("--no-serve", is_flag=True, help="Crawl, print the summary and stop.")
@click.option(
    "--revisions",
    default=1,
    show_default=True,
    type=click.IntRange(min=0),
    help="Re-crawls of the site revised (a few articles edited each time), so versions show.",
)
def demo(articles: int, port: int, site_port: int, db: str, no_serve: bool, revisions: int) -> None:
    """Serve the bundled demo news site, crawl it into a fresh archive and publish it."""
    from crawler.options import CrawlOptions
    from demosite import DemoSite, serve_demo_site

    db_path = Path(db)
    _remove_database(db_path)
    site = None
    try:
        for revision in range(revisions + 1):
            if site is not None:
                site.close()
            site = serve_demo_site(DemoSite(articles=articles, revision=revision), port=site_port)
            site_port = site.port  # every revision at the same address: the same article URLs
            what = f"revision {revision}" if revision else f"{articles} articles"
            click.echo(f"Demo news site ({what}): {site.url}/")
            options = CrawlOptions(
                db=str(db_path), site="antwerpspersbureau", start_urls=[f"{site.url}/"], delay=0
            )
            result = _run_crawl(options)
            _echo_summary(result)
            if result["status"] != "finished":
                sys.exit(1)
        if no_serve:
            return
        from archive.publish import serve as serve_archive

        click.echo(f"Archive (Datasette): http://127.0.0.1:{port}/{db_path.stem}/articles")
        click.echo("Press Ctrl-C to stop both.")
        serve_archive(db_path, host="127.0.0.1", port=port)
    finally:
        if site is not None:
            site.close()


@cli.command()
@click.option(
    "--wacz",
    "wacz_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="WACZ file to write.",
)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive database file.")
@_WARC_DIR_OPTION
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Only the records captured on or after this day (YYYY-MM-DD).",
)
@click.option(
    "--skip-damaged",
    is_flag=True,
    help="Package what is valid when WARC files are missing or cut short, and list the rest.",
)
def export(wacz_path: Path, db: str, warc_dir: str | None, since: Any, skip_damaged: bool) -> None:
    """Export the archive as a WACZ package: WARCs, CDXJ index, pages list, hashes."""
    from archive.wacz import WaczExportError, export_wacz

    folder = Path(warc_dir) if warc_dir else default_warc_dir(db)
    try:
        report = export_wacz(
            db,
            folder,
            wacz_path,
            since=since.date() if since else None,
            skip_damaged=skip_damaged,
        )
    except WaczExportError as error:
        raise click.ClickException(str(error)) from error
    for item in report.left_out:
        click.echo(f"LEFT OUT {item}")
    click.echo(
        f"Wrote {report.path}: {len(report.warc_files)} WARC file(s), {report.records} records, "
        f"{report.pages} pages"
    )


def _read_page(path: Path) -> bytes:
    data = path.read_bytes()
    if path.suffix == ".gz" or data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--url", help="The page's URL (default: the file's file:// URL).")
@click.option("--site", help="Site profile (default: chosen by the URL's host, else generic).")
def extract(files: tuple[Path, ...], url: str | None, site: str | None) -> None:
    """Extract saved HTML pages (plain or .gz): one JSON object per line per file, in order."""
    from crawler.extract import NotAnArticle, extract_article
    from crawler.profiles import UnknownSiteProfile, load_profile, profile_for_url

    try:
        profile = load_profile(site) if site else None
    except UnknownSiteProfile as error:
        raise click.BadParameter(str(error), param_hint="--site") from error
    failures = 0
    for path in files:
        line: dict[str, Any] = {"file": str(path)}
        page_url = url or path.resolve().as_uri()
        try:
            html = _read_page(path)
            record = extract_article(html, page_url, profile=profile or profile_for_url(page_url))
        except OSError as error:
            failures += 1
            line.update(is_article=False, error=f"cannot read file: {error.strerror or error}")
        except NotAnArticle as error:
            line.update(is_article=False, reason=error.reason)
        else:
            line.update(is_article=True, **record)
        click.echo(json.dumps(line, ensure_ascii=False))
    if failures:
        sys.exit(1)


@cli.command()
@click.argument("query")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive database file.")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@click.option("--json", "as_json", is_flag=True, help="Print JSON lines instead of text.")
def search(query: str, db: str, limit: int, as_json: bool) -> None:
    """Full-text search the archive (accent-insensitive; AND, OR, NOT, "phrases", prefix*)."""
    try:
        archive = open_archive(db, create=False)
        results = search_articles(archive, query, limit=limit)
    except (ArchiveNotFound, SearchSyntaxError) as error:
        raise click.ClickException(str(error)) from error
    except ArchiveError as error:  # pragma: no cover - other archive errors
        raise click.ClickException(str(error)) from error
    for result in results:
        if as_json:
            click.echo(json.dumps(result, ensure_ascii=False))
        else:
            date = (result["published"] or "")[:10]
            click.echo(f"{date}  {result['title']}\n            {result['url']}")
    if not as_json:
        click.echo(f"{len(results)} result(s)", err=True)


def _exit_busy(error: ArchiveLocked) -> NoReturn:
    click.echo(f"Error: {error}", err=True)
    sys.exit(EX_TEMPFAIL)


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive database file.")
@_WARC_DIR_OPTION
@click.option(
    "--repair",
    is_flag=True,
    help="First cut WARC files truncated by a crash back to their last whole record, re-index "
    "them and unlink the articles whose record was lost (the next crawl fetches them again).",
)
def verify(db: str, warc_dir: str | None, repair: bool) -> None:
    """Check the archive: SQLite and full-text integrity, WARC files, article pointers.

    Exit status 1 when anything is wrong (each problem is printed); 75 when --repair finds
    the archive busy.
    """
    from archive.verify import verify_archive

    try:
        archive = open_archive(db, create=False)
    except ArchiveNotFound as error:
        raise click.ClickException(str(error)) from error
    folder = Path(warc_dir) if warc_dir else default_warc_dir(db)
    if repair:
        _repair_warcs(db, folder)
    report = verify_archive(archive, folder)
    for problem in report.problems:
        click.echo(f"PROBLEM {problem}")
    click.echo(
        f"Checked the database, {report.warc_files} WARC file(s) in {folder} and "
        f"{report.pointers} article pointer(s): "
        + (f"{len(report.problems)} problem(s)" if report.problems else "all good")
    )
    if report.damaged_files and not repair:
        click.echo(
            "Damaged WARC file(s): 'newsarchive verify --repair' cuts a file that a crash cut "
            "short back to its last whole record"
        )
    if report.problems:
        sys.exit(1)


def _repair_warcs(db: str, folder: Path) -> None:
    """`verify --repair`: under the archive's lock, so no crawl is writing the files."""
    from archive.verify import repair_archive

    try:
        with ArchiveLock(db, purpose="repair"):
            archive = open_archive(db, create=False)
            try:
                repaired = repair_archive(archive, folder)
            finally:
                archive.close()
    except ArchiveLocked as error:
        _exit_busy(error)
    for fixed in repaired.repairs:
        if fixed.refused:
            click.echo(f"NOT REPAIRED {fixed.file}: {fixed.refused}")
        elif fixed.removed:
            click.echo(
                f"REPAIRED {fixed.file}: {fixed.damage}; no whole record in it, moved to "
                f"{fixed.tail}"
            )
        else:
            click.echo(
                f"REPAIRED {fixed.file}: {fixed.damage}; cut from {fixed.size} to {fixed.kept} "
                f"bytes ({fixed.records} whole records kept), the rest kept in {fixed.tail}"
            )
    for index in repaired.indexes:
        click.echo(f"RE-INDEXED {index}")
    for lost in repaired.lost:
        click.echo(
            f"LOST POINTER {lost.url} (article {lost.article_id}): its record at "
            f"{lost.file}:{lost.offset} was cut off; the next crawl fetches it again"
        )
    click.echo(
        f"Repaired {sum(not fixed.refused for fixed in repaired.repairs)} WARC file(s); "
        f"{len(repaired.lost)} article(s) lost their pointer"
    )


@cli.command()
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive database file.")
@_WARC_DIR_OPTION
@click.option(
    "--workers", type=click.IntRange(min=1), help="Extraction processes (default: cores)."
)
def reextract(db: str, warc_dir: str | None, workers: int | None) -> None:
    """Rebuild article rows and versions from the WARC files, without network."""
    from archive.warcs import warc_files
    from crawler.reextract import reextract_archive

    folder = Path(warc_dir) if warc_dir else default_warc_dir(db)
    files = warc_files(folder)
    if not files:
        raise click.ClickException(f"no WARC files in {folder}")
    try:
        with ArchiveLock(db, purpose="reextract"):
            archive = open_archive(db)
            total = sum(path.stat().st_size for path in files)
            with click.progressbar(
                length=total, label=f"Re-extracting {len(files)} WARC file(s)", file=sys.stderr
            ) as bar:
                report = reextract_archive(archive, folder, workers=workers, progress=bar.update)
    except ArchiveLocked as error:
        _exit_busy(error)
    click.echo(
        f"{report.captures} archived responses, {report.candidates} pages extracted: "
        f"{report.articles} articles ({report.rows_new} new rows, {report.rows_changed} changed, "
        f"{report.rows_same} the same; {report.versions} versions), "
        f"{report.not_articles} not articles, {report.failed} failed"
    )


@cli.command()
@click.argument("url")
@click.option("--reason", required=True, help="Why it is removed (kept in the takedowns table).")
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive database file.")
@_WARC_DIR_OPTION
def remove(url: str, reason: str, db: str, warc_dir: str | None) -> None:
    """Take an article down: remove it, its versions and its index entries; keep an audit row."""
    from archive.takedown import NotInArchive, exclude_from_replay, remove_article

    who = os.environ.get("USER") or getpass.getuser()
    try:
        with ArchiveLock(db, purpose="takedown"):
            archive = open_archive(db, create=False)
            result = remove_article(archive, url, reason=reason, who=who)
    except ArchiveLocked as error:
        _exit_busy(error)
    except (ArchiveNotFound, NotInArchive) as error:
        raise click.ClickException(str(error)) from error
    acl = exclude_from_replay(Path(warc_dir) if warc_dir else default_warc_dir(db), url)
    click.echo(
        f"Removed {url}: {'1 article' if result.article_id else 'no article (removed before)'}, "
        f"{result.versions} version(s); search indexes {', '.join(result.fts_tables)} purged; "
        f"replay excluded in {acl}. Later crawls will not store it again."
    )


@cli.command()
@click.option(
    "--redis",
    "redis_url",
    required=True,
    envvar="NEWSARCHIVE_REDIS_URL",
    metavar="URL",
    help="Redis the workers push to (redis://[:password@]host:6379/0; or NEWSARCHIVE_REDIS_URL).",
)
@click.option("--db", default=DEFAULT_DB, show_default=True, help="Archive database file.")
@click.option(
    "--prefix",
    default="newsarchive",
    show_default=True,
    help="Key prefix, as the workers' NEWSARCHIVE_REDIS_PREFIX: reads <prefix>:items.",
)
@click.option(
    "--batch-size",
    default=500,
    show_default=True,
    type=click.IntRange(min=1),
    help="Most items written per transaction.",
)
@click.option(
    "--idle-exit",
    type=click.FloatRange(min=0),
    metavar="SECONDS",
    help="Stop after this long without a new item (default: run until SIGTERM or Ctrl-C).",
)
@click.option("--log-file", type=click.Path(dir_okay=False), help="Write the log here.")
@_LOG_LEVEL_OPTION
def ingest(
    redis_url: str,
    db: str,
    prefix: str,
    batch_size: int,
    idle_exit: float | None,
    log_file: str | None,
    log_level: str,
) -> None:
    """Write the articles that distributed crawl workers queued in Redis into the archive.

    The single writer of a distributed crawl (docs/distributed.md). Exit status 75 when the
    archive or the queue is busy with another writer.
    """
    from archive.ingest import IngestError, IngestOptions, ItemQueueKeys, run_ingest, summary_line

    logging.basicConfig(
        level=log_level,
        filename=log_file,
        format="%(asctime)s [%(name)s] %(levelname)s: %(message)s",
    )
    _warn_password_in_argv(redis_url, "NEWSARCHIVE_REDIS_URL")
    options = IngestOptions(
        redis_url=redis_url, db=db, prefix=prefix, batch_size=batch_size, idle_exit=idle_exit
    )
    try:
        report = run_ingest(options)
    except ArchiveLocked as error:
        _exit_busy(error)
    except IngestError as error:
        raise click.ClickException(str(error)) from error
    click.echo(summary_line(report, ItemQueueKeys.for_prefix(prefix)))


def main() -> None:
    cli()


if __name__ == "__main__":  # pragma: no cover
    main()
