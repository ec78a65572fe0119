"""The archive for researchers: the pages the Datasette plugin `archive/plugins/research.py` adds.

`common` holds what the pages share (queries under the time limit, request filters, URLs,
rendering, HTML cleaning); one module per page group: `search_pages` (`/search`,
`/search.json`), `feeds` (`/search.atom`), `article` (`/article/<id>`), `counts` (`/counts`,
`/counts.json` and the SVG chart), `home` (the home page's facts, `/api`, the stylesheet);
`facets` holds the grouped array facet of the table pages.
"""
