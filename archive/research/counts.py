"""`/counts` and `/counts.json`: articles per month of a search, as an SVG bar chart and a table."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from datasette.utils.asgi import Response
from markupsafe import Markup

from archive import search
from archive.research.common import (
    query_url,
    render,
    request_filters,
    run_limited,
    search_params,
)
from archive.research.search_pages import form_options


async def counts_page(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")
    filters = request_filters(request)
    try:
        months = await run_limited(datasette, lambda conn: search.counts_by_month(conn, q, filters))
    except search.SearchQueryError as exc:
        months, error = [], str(exc)
    else:
        error = None
    if request.url_vars.get("format") == "json":
        return Response.json(
            {
                "query": q,
                "filters": asdict(filters),
                "months": [{"month": month, "articles": count} for month, count in months],
            }
        )
    months = _fill_months(months)
    rows = [
        {
            "month": month,
            "count": count,
            "search_url": query_url(
                "/search", {**search_params(q, filters), "from": month, "to": month}
            ),
        }
        for month, count in months
    ]
    context = {
        "q": q,
        "filters": filters,
        "options": await form_options(datasette, filters),
        "rows": rows,
        "total": sum(count for _, count in months),
        "chart": Markup(bar_chart_svg(months)),  # noqa: S704 - built with escaped text only
        "error": error,
        "search_url": query_url("/search", search_params(q, filters)),
        "json_url": query_url("/counts.json", search_params(q, filters)),
    }
    return await render(datasette, request, "counts.html", context)


def _fill_months(months: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """The months from first to last, with 0 for the months without articles."""
    if not months:
        return []
    counts = dict(months)
    year, month = (int(part) for part in months[0][0].split("-")[:2])
    last = months[-1][0]
    filled = []
    while True:
        key = f"{year:04d}-{month:02d}"
        filled.append((key, counts.get(key, 0)))
        if key >= last or len(filled) > 2400:
            return filled
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _tick_step(peak: int) -> int:
    """A round step (1, 2 or 5 times a power of ten) giving at most about five gridlines."""
    magnitude = 1
    while True:
        for factor in (1, 2, 5):
            if factor * magnitude * 4 >= peak:
                return factor * magnitude
        magnitude *= 10


def bar_chart_svg(months: list[tuple[str, int]], width: int = 900, height: int = 260) -> str:
    """Articles per month as an inline SVG bar chart (no script, no external resources)."""
    import html

    if not months:
        return ""
    left, bottom, top = 48, 28, 12
    plot_w, plot_h = width - left - 8, height - bottom - top
    tick = _tick_step(max(count for _, count in months))
    peak = tick * -(-max(count for _, count in months) // tick) or tick
    step = plot_w / len(months)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="chart-title"><title id="chart-title">Articles per month, '
        f"{html.escape(months[0][0])} to {html.escape(months[-1][0])}</title>"
    ]
    for value in range(0, peak + 1, tick):
        y = top + plot_h * (1 - value / peak)
        parts.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" class="grid"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end">{value}</text>'
        )
    for index, (month, count) in enumerate(months):
        bar_h = plot_h * count / peak
        x = left + index * step
        parts.append(
            f'<rect x="{x + step * 0.1:.1f}" y="{top + plot_h - bar_h:.1f}" '
            f'width="{max(step * 0.8, 1):.1f}" height="{bar_h:.1f}">'
            f"<title>{html.escape(month)}: {count} articles</title></rect>"
        )
        if month.endswith("-01") or index == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 8}" class="axis">{html.escape(month[:4])}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
