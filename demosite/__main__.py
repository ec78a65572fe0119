"""Command line: ``python -m demosite serve`` or ``python -m demosite truth``."""

from __future__ import annotations

import argparse
import json
import os
import signal
import sys
from types import FrameType

from demosite.content import THEMES, DemoSite
from demosite.server import serve_demo_site


def _site_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--articles", type=int, default=300, help="number of articles (default 300)"
    )
    parser.add_argument("--seed", type=int, default=1, help="content seed (default 1)")
    parser.add_argument("--revision", type=int, default=0, help="content revision (default 0)")
    parser.add_argument("--no-sitemap", action="store_true", help="serve no XML sitemaps")
    parser.add_argument("--no-feed", action="store_true", help="serve no RSS feeds")
    parser.add_argument(
        "--no-trailing-slash",
        action="store_true",
        help="link to articles without their trailing slash",
    )
    parser.add_argument(
        "--hold-back",
        type=int,
        default=0,
        metavar="N",
        help="the newest N of the articles are not published yet (default 0)",
    )
    parser.add_argument(
        "--theme",
        choices=THEMES,
        default="plain",
        help="full: pages as heavy as a real WordPress theme's (inline CSS and scripts)",
    )


def _build_site(args: argparse.Namespace) -> DemoSite:
    return DemoSite(
        args.articles,
        args.seed,
        sitemap=not args.no_sitemap,
        feed=not args.no_feed,
        trailing_slash_links=not args.no_trailing_slash,
        revision=args.revision,
        theme=args.theme,
        hold_back=args.hold_back,
    )


class _Stop(Exception):
    """SIGINT or SIGTERM arrived: stop serving."""


def _stop(signum: int, frame: FrameType | None) -> None:
    raise _Stop(signum)


def _serve_until_signalled(site: DemoSite, host: str, port: int) -> None:
    """Serve until SIGINT (Ctrl-C) or SIGTERM, then close every connection and return."""
    previous = {sig: signal.signal(sig, _stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    server = None
    try:
        server = serve_demo_site(site, host, port)
        print(f"serving {server.url}/", flush=True)
        while True:
            signal.pause()
    except _Stop:
        pass
    finally:
        # A second signal must not cut the shutdown short: it ends the process anyway.
        for sig in previous:
            signal.signal(sig, signal.SIG_IGN)
        if server is not None:
            server.close()
        for sig, handler in previous.items():
            signal.signal(sig, handler)


def main(argv: list[str] | None = None) -> int:
    """Run the demo site command line."""
    parser = argparse.ArgumentParser(prog="python -m demosite", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    serve = commands.add_parser("serve", help="serve the demo site until interrupted")
    _site_arguments(serve)
    serve.add_argument("--host", default="127.0.0.1", help="address to listen on")
    serve.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    truth = commands.add_parser("truth", help="print the expected extraction as JSON lines")
    _site_arguments(truth)
    args = parser.parse_args(argv)
    try:
        site = _build_site(args)
    except ValueError as error:
        parser.error(str(error))
    if args.command == "truth":
        try:
            for index in range(site.articles):
                sys.stdout.write(json.dumps(site.ground_truth(index), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            # The reader stopped early (| head): not an error.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    _serve_until_signalled(site, args.host, args.port)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
