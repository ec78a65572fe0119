"""Memory and growth: crawl demo sites of increasing size, recording throughput and memory.

    python bench/crawl_scale.py                                  # 2 000, 10 000, 50 000 articles
    python bench/crawl_scale.py --sizes 2000,10000,50000,100000 --svg docs/img/crawl-scale.svg
    python bench/crawl_scale.py --sizes 2000,10000,50000,100000 --previous scale.json ...

For each size: serves the demo site in a process of its own (python -m demosite serve), runs
`newsarchive crawl --delay 0 --site antwerpspersbureau` into a fresh archive and measures, for
the whole process tree of the crawl (bench/compare_peers.py, `run_measured`): wall time, CPU
time, and the resident set size (RSS) every 0.2 s; every 2 s it counts the archive's articles
(read-only), giving articles per second over time. Prints a table, writes the measurements as
JSON (--json) and a chart as SVG (--svg): articles per second and peak RSS against site size.
With --previous, the sizes measured in an earlier --json file are taken from it, not crawled.
Not part of the test run; results and how long each size takes are in docs/performance.md.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from compare_peers import (
    BENCH_DIR,
    PROFILE,
    REPO,
    DemoSiteServer,
    become_subreaper,
    machine,
    run_measured,
)

COUNT_SECONDS = 2.0
GIB = 2**30


@dataclass
class ScaleRun:
    """One crawl of one site size."""

    size: int
    articles: int
    wall_seconds: float
    cpu_seconds: float
    peak_rss_bytes: int
    returncode: int
    # (seconds since start, articles in the archive)
    progress: list[tuple[float, int]] = field(default_factory=list)
    # (seconds since start, RSS of the crawl's process tree in bytes)
    rss: list[tuple[float, int]] = field(default_factory=list)

    @property
    def rate(self) -> float:
        return self.articles / self.wall_seconds if self.wall_seconds else 0.0

    def steady_rate(self) -> float:
        """Articles per second from 10 % to 90 % of the articles (start-up and tail left out)."""
        points = self.progress
        if len(points) < 3 or not self.articles:
            return self.rate
        low = next((p for p in points if p[1] >= self.articles * 0.1), points[0])
        high = next((p for p in points if p[1] >= self.articles * 0.9), points[-1])
        if high[0] <= low[0]:
            return self.rate
        return (high[1] - low[1]) / (high[0] - low[0])


class ArticleCounter(threading.Thread):
    """Counts the archive's articles every COUNT_SECONDS, read-only, while the crawl runs."""

    def __init__(self, db: Path) -> None:
        super().__init__(daemon=True)
        self.db = db
        self.stop = threading.Event()
        self.started = time.monotonic()
        self.points: list[tuple[float, int]] = []

    def run(self) -> None:
        while not self.stop.wait(COUNT_SECONDS):
            if not self.db.exists():
                continue
            try:
                connection = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True, timeout=1)
                try:
                    (count,) = connection.execute("select count(*) from articles").fetchone()
                finally:
                    connection.close()
            except sqlite3.Error:
                continue  # not created yet, or busy: try again at the next tick
            self.points.append((time.monotonic() - self.started, count))


def crawl_size(size: int, work: Path, workers: int, address: str, port: int) -> ScaleRun:
    run_dir = work / f"scale-{size}"
    run_dir.mkdir(parents=True, exist_ok=True)
    db = run_dir / "archive.db"
    for stale in run_dir.glob("archive*"):  # the last run's db, WAL, lock and WARC folder
        if stale.is_dir():
            shutil.rmtree(stale)
        else:
            stale.unlink()
    with DemoSiteServer(size, address, port) as server:
        command = [sys.executable, "-m", "newsarchive", "crawl", "--start-url", server.url()]
        command += ["--delay", "0", "--site", PROFILE, "--workers", str(workers), "--db", str(db)]
        counter = ArticleCounter(db)
        counter.start()
        result = run_measured([command], keep={server.pid}, cwd=REPO, log=run_dir / "output.log")
        counter.stop.set()
        counter.join()
    connection = sqlite3.connect(db)
    try:
        (articles,) = connection.execute("select count(*) from articles").fetchone()
    finally:
        connection.close()
    progress = [*counter.points, (result.wall_seconds, articles)]
    return ScaleRun(
        size,
        articles,
        result.wall_seconds,
        result.cpu_seconds,
        result.peak_rss_bytes,
        result.returncode,
        progress,
        [(round(t, 2), rss) for t, rss in result.rss_timeline],
    )


def _polyline(points: list[tuple[float, float]], color: str) -> str:
    path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
    dots = "".join(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{color}"/>' for x, y in points)
    return f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>{dots}'


def _panel(
    sizes: list[int], series: list[tuple[str, str, list[float]]], title: str, left: float
) -> str:
    """A line chart of site size (log scale) against each (label, color, values) series."""
    import math

    width, height, pad, inset = 300.0, 220.0, 45.0, 20.0
    low, high = math.log10(min(sizes)), math.log10(max(sizes))
    span = (high - low) or 1.0
    top = max(max(values) for _, _, values in series) * 1.25 or 1.0

    def x(size: int) -> float:
        return left + pad + inset + (math.log10(size) - low) / span * (width - 2 * pad - inset)

    def y(value: float) -> float:
        return height - pad + 10 - value / top * (height - 2 * pad)

    parts = [
        f'<text x="{left + width / 2}" y="20" text-anchor="middle" '
        f'font-weight="bold">{title}</text>',
        f'<line x1="{left + pad}" y1="{y(0)}" x2="{left + width - pad + 10}" y2="{y(0)}" '
        'stroke="#444"/>',
        f'<line x1="{left + pad}" y1="{y(0)}" x2="{left + pad}" y2="{y(top)}" stroke="#444"/>',
    ]
    for fraction in (0.0, 0.5, 1.0):
        value = top * fraction
        parts.append(
            f'<text x="{left + pad - 5}" y="{y(value) + 4}" text-anchor="end">{value:.0f}</text>'
        )
    for size in sizes:
        label = f"{size // 1000}k" if size % 1000 == 0 else str(size)  # log scale: close labels
        parts.append(f'<text x="{x(size)}" y="{y(0) + 16}" text-anchor="middle">{label}</text>')
    for number, (label, color, values) in enumerate(series):
        parts.append(_polyline([(x(s), y(v)) for s, v in zip(sizes, values, strict=True)], color))
        for size, value in zip(sizes, values, strict=True):
            parts.append(
                f'<text x="{x(size)}" y="{y(value) - 8}" text-anchor="middle" '
                f'fill="{color}">{value:.0f}</text>'
            )
        if len(series) > 1:
            legend_y = 40 + 14 * number
            parts.append(
                f'<text x="{left + pad + 10}" y="{legend_y}" fill="{color}">— {label}</text>'
            )
    parts.append(
        f'<text x="{left + width / 2}" y="{height + 5}" text-anchor="middle">'
        "articles on the site (log scale)</text>"
    )
    return "".join(parts)


def svg_chart(runs: list[ScaleRun]) -> str:
    """Two small line charts: articles per second and peak RSS against site size."""
    sizes = [run.size for run in runs]
    rates = [
        ("whole crawl", "#1f77b4", [run.rate for run in runs]),
        ("steady (10-90 % of articles)", "#2ca02c", [run.steady_rate() for run in runs]),
    ]
    memory = [("peak RSS", "#d62728", [run.peak_rss_bytes / 2**20 for run in runs])]
    body = _panel(sizes, rates, "articles per second", 0)
    body += _panel(sizes, memory, "peak RSS of the crawl's processes (MiB)", 320)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="640" height="235" '
        'font-family="sans-serif" font-size="11">'
        '<rect width="640" height="235" fill="white"/>' + body + "</svg>\n"
    )


def report(runs: list[ScaleRun], info: dict[str, str]) -> str:
    lines = [
        "| articles on the site | stored | wall time | articles/s | steady articles/s "
        "| CPU s / 1 000 articles | peak RSS (MiB) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in runs:
        cpu = run.cpu_seconds / run.articles * 1000 if run.articles else float("nan")
        lines.append(
            f"| {run.size:,} | {run.articles:,} | {run.wall_seconds:.0f} s | {run.rate:.1f} "
            f"| {run.steady_rate():.1f} | {cpu:.0f} | {run.peak_rss_bytes / 2**20:.0f} |".replace(
                ",", " "
            )
        )
    first, last = runs[0], runs[-1]
    change = last.rate / first.rate - 1 if first.rate else float("nan")
    peak = max(run.peak_rss_bytes for run in runs)
    lines += [
        "",
        f"Peak RSS below 1 GiB at every size: {'yes' if peak < GIB else 'no'} "
        f"({peak / 2**20:.0f} MiB at most). Throughput at {last.size:,} articles vs "
        f"{first.size:,}: {change * 100:+.0f} % (within 20 %: "
        f"{'yes' if abs(change) <= 0.2 else 'no'}).".replace(",", " "),
        "",
        "Machine: " + ", ".join(f"{key} {value}" for key, value in info.items()) + ".",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="2000,10000,50000", help="site sizes, comma-separated")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    parser.add_argument("--work", type=Path, default=BENCH_DIR / "scale", help="run outputs")
    parser.add_argument("--json", type=Path, help="write the measurements to this file")
    parser.add_argument("--svg", type=Path, help="write the chart to this file")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    parser.add_argument(
        "--previous",
        type=Path,
        help="a --json file of an earlier run: its sizes are reused, not crawled again",
    )
    args = parser.parse_args(argv)
    become_subreaper()
    info = machine()
    earlier: dict[int, ScaleRun] = {}
    if args.previous:
        data = json.loads(args.previous.read_text(encoding="utf-8"))
        earlier = {run["size"]: ScaleRun(**run) for run in data["runs"]}
        info = data["machine"]
    runs = []
    for size in [int(value) for value in args.sizes.split(",")]:
        if size in earlier:
            runs.append(earlier[size])
            continue
        run = crawl_size(size, args.work, args.workers, args.address, args.port)
        runs.append(run)
        print(
            f"{size} articles: {run.articles} stored in {run.wall_seconds:.0f} s "
            f"({run.rate:.1f}/s, steady {run.steady_rate():.1f}/s), CPU {run.cpu_seconds:.0f} s, "
            f"peak RSS {run.peak_rss_bytes / 2**20:.0f} MiB, exit {run.returncode}",
            file=sys.stderr,
            flush=True,
        )
        if args.json:  # after every size, so a long run that is stopped keeps what it measured
            data = {"machine": info, "runs": [asdict(r) for r in runs]}
            args.json.write_text(json.dumps(data, indent=1), encoding="utf-8")
    table = report(runs, info)
    print(table)
    if args.markdown:
        args.markdown.write_text(table + "\n", encoding="utf-8")
    if args.svg:
        args.svg.parent.mkdir(parents=True, exist_ok=True)
        args.svg.write_text(svg_chart(runs), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
