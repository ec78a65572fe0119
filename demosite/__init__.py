"""A deterministic imitation of the regional news site, generated on the fly and served locally."""

from demosite.content import DemoArticle, DemoSite
from demosite.server import RunningServer, serve_demo_site

__all__ = ["DemoArticle", "DemoSite", "RunningServer", "serve_demo_site"]
