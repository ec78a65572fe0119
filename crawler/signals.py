"""Signals of the newsarchive crawler, in addition to Scrapy's own."""

# Sent with url=, status= (int or None) and reason= (a readable sentence) whenever a URL of
# the crawl fails: a download error, an HTTP error, an unreadable sitemap, a failed extraction.
crawl_error = object()

# Sent by the robots.txt middleware with url= and body= (bytes) when it has read a site's
# robots.txt, so the spider can take the Sitemap: lines without fetching it a second time.
robots_fetched = object()

# Sent by the extraction pipeline with url=, is_article= and links_followed= (whether its links
# were read by extraction and followed already) once a page's extraction is decided.
page_extracted = object()

# Sent by the spider with old= and new= when a URL answered a permanent redirect (301, 308): an
# article archived under the old URL has moved (a changed slug) and keeps one row.
url_moved = object()
