"""A deterministic imitation of the regional news site, generated on the fly and served locally."""

from demosite.content import DemoArticle, DemoSite, article_record
from demosite.server import RunningServer, serve_demo_site

__all__ = ["DemoArticle", "DemoSite", "RunningServer", "article_record", "serve_demo_site"]
