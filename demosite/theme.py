"""The weight of a full WordPress theme: inline styles and scripts.

A plain demo page is about 13 KB; a page of a real WordPress news site carries 60–150 KB, most
of it the block library's inline CSS, global style variables, the emoji loader, consent and
analytics snippets. `DemoSite(theme="full")` adds that weight to every HTML page without
adding pages or links, so a crawl finds the same site, but parsing
and extraction cost what they would on a real theme. Deterministic, like the rest of the site.
"""

from __future__ import annotations

import itertools

BLOCKS = (
    "archives", "audio", "button", "buttons", "calendar", "categories", "code", "column",
    "columns", "comments", "cover", "details", "embed", "file", "gallery", "group", "heading",
    "image", "latest-comments", "latest-posts", "list", "media-text", "navigation", "page-list",
    "paragraph", "post-author", "post-date", "post-excerpt", "post-featured-image",
    "post-title", "pullquote", "query", "quote", "rss", "search", "separator", "social-links",
    "spacer", "table", "tag-cloud", "video",
)  # fmt: skip
PARTS = ("", "__inner-container", "__content", "__link", "__caption")
PROPERTIES = (
    "box-sizing:border-box",
    "margin:0 0 1.5em",
    "padding:calc(.667em + 2px) calc(1.333em + 2px)",
    "font-size:var(--wp--preset--font-size--medium)",
    "line-height:1.6",
    "display:flex;flex-wrap:wrap;align-items:center",
    "border-radius:9999px;border:1px solid currentColor",
    "text-decoration:none;word-break:break-word",
)
COLORS = (
    "black", "cyan-bluish-gray", "white", "pale-pink", "vivid-red", "luminous-vivid-orange",
    "luminous-vivid-amber", "light-green-cyan", "vivid-green-cyan", "pale-cyan-blue",
    "vivid-cyan-blue", "vivid-purple", "primary", "secondary", "tertiary", "contrast",
)  # fmt: skip
SIZES = ("small", "medium", "large", "x-large", "xx-large")


def _block_library_css() -> str:
    rules = []
    for number, (block, part) in enumerate(itertools.product(BLOCKS, PARTS)):
        properties = ";".join(PROPERTIES[(number + k) % len(PROPERTIES)] for k in range(3))
        rules.append(f".wp-block-{block}{part}{{{properties}}}")
    return "".join(rules)


def _global_styles_css() -> str:
    variables = [
        f"--wp--preset--color--{name}:#{(i * 0x3A5F1D) % 0xFFFFFF:06x}"
        for i, name in enumerate(COLORS)
    ]
    variables += [
        f"--wp--preset--gradient--{a}-to-{b}:linear-gradient(135deg,"
        f"var(--wp--preset--color--{a}) 0%,var(--wp--preset--color--{b}) 100%)"
        for a, b in itertools.combinations(COLORS[:9], 2)
    ]
    variables += [f"--wp--preset--font-size--{size}:{13 + 5 * i}px" for i, size in enumerate(SIZES)]
    rules = [f"body{{{';'.join(variables)}}}"]
    for name in COLORS:
        rules.append(f".has-{name}-color{{color:var(--wp--preset--color--{name}) !important}}")
        rules.append(
            f".has-{name}-background-color{{background-color:var(--wp--preset--color--{name})"
            " !important}"
        )
        rules.append(
            f".has-{name}-border-color{{border-color:var(--wp--preset--color--{name}) !important}}"
        )
    for size in SIZES:
        rules.append(
            f".has-{size}-font-size{{font-size:var(--wp--preset--font-size--{size}) !important}}"
        )
    return "".join(rules)


def _emoji_script() -> str:
    # The shape of WordPress's emoji loader: a settings object and a minified function.
    settings = (
        'window._wpemojiSettings = {"baseUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji\\/'
        '15.0.3\\/72x72\\/","ext":".png","svgUrl":"https:\\/\\/s.w.org\\/images\\/core\\/emoji'
        '\\/15.0.3\\/svg\\/","svgExt":".svg","source":{"concatemoji":"\\/wp-includes\\/js\\/'
        'wp-emoji-release.min.js?ver=6.5.4"}};'
    )
    steps = "".join(
        f"function s{i}(e,t){{var n=e.getContext('2d');n.clearRect(0,0,e.width,e.height);"
        f"n.fillText(t,0,0);var a=new Uint32Array(n.getImageData(0,0,e.width,e.height).data);"
        f"return a.every(function(e,t){{return e===(t*{i + 7})%255}})}}"
        for i in range(60)
    )
    return f"{settings}!function(i,n){{{steps}}}(window,document);"


def _consent_script() -> str:
    purposes = ("functional", "statistics", "marketing", "preferences")
    entries = ",".join(
        f'{{"id":{i},"purpose":"{purposes[i % 4]}","cookie":"_np_{i:03d}",'
        f'"expires":{30 * (i % 13 + 1)},"description":"Cookie {i} van de website"}}'
        for i in range(90)
    )
    return (
        f"var complianz_cookies=[{entries}];"
        "window.dataLayer=window.dataLayer||[];function gtag(){dataLayer.push(arguments);}"
        "gtag('consent','default',{'ad_storage':'denied','analytics_storage':'denied'});"
    )


HEAD = (
    f'<style id="wp-block-library-inline-css">{_block_library_css()}</style>\n'
    f'<style id="global-styles-inline-css">{_global_styles_css()}</style>\n'
    f'<script id="wp-emoji-settings">{_emoji_script()}</script>\n'
    f'<script id="cmplz-cookiebanner-js-extra">{_consent_script()}</script>\n'
)
SCRIPTS = "".join(
    f'<script src="/wp-includes/js/{name}.min.js?ver=6.5.4" id="{name}-js"></script>\n'
    for name in (
        "jquery/jquery",
        "jquery/jquery-migrate",
        "comment-reply",
        "wp-embed",
        "hoverintent-js",
    )
)
