"""Signals of the newsarchive crawler, in addition to Scrapy's own."""

# Sent with url=, status= (int or None) and reason= (a readable sentence) whenever a URL of
# the crawl fails: a download error, an HTTP error, an unreadable sitemap, a failed extraction.
crawl_error = object()
