"""The passes of crawler.extract.extract_article, one module each (see crawler/extract.py)."""
