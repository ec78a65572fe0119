"""A news-please item pipeline: the JSON object JsonFileStorage writes, appended to one file.

news-please's JsonFileStorage names each file after the URL's last path segment and the second
of the download; every URL ending in "/" (WordPress's default) has an empty last segment, so the
articles fetched in the same second overwrite one another. This writes the same object
(`extract_relevant_info`) per article as one line of $NEWS_PLEASE_EXPORT instead.
"""

from __future__ import annotations

import json
import os
from typing import Any

from newsplease.pipeline.pipelines import ExtractedInformationStorage


class JsonLinesStorage(ExtractedInformationStorage):
    """Appends each extracted article to one JSON-lines file."""

    def __init__(self) -> None:
        super().__init__()
        self.file = open(os.environ["NEWS_PLEASE_EXPORT"], "a", encoding="utf-8")  # noqa: SIM115

    def process_item(self, item: Any, spider: Any) -> Any:
        article = ExtractedInformationStorage.extract_relevant_info(item)
        self.file.write(json.dumps(article, ensure_ascii=False, default=str) + "\n")
        self.file.flush()
        return item

    def close_spider(self, spider: Any) -> None:
        self.file.close()
