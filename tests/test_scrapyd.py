"""Scheduled runs through a real scrapyd on loopback: deploy, schedule over the JSON API, poll."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import httpx
import pytest
from sqlite_utils import Database

from archive.warcs import default_warc_dir, warc_files
from demosite import DemoSite, serve_demo_site
from tests.conftest import DEMO_PROFILE, REPO, free_port

pytest.importorskip("scrapyd", reason="scrapyd is in the test extras")

ARTICLES = 30


def build_egg(path: Path) -> Path:
    """The project's deployable egg: its settings module as the `[scrapy] settings` entry point.

    The code itself is installed in scrapyd's environment (site profiles are read from files
    next to the code, which a zipped egg cannot provide).
    """
    with zipfile.ZipFile(path, "w") as egg:
        egg.writestr(
            "EGG-INFO/PKG-INFO", "Metadata-Version: 1.0\nName: newsarchive\nVersion: 0.1\n"
        )
        egg.writestr("EGG-INFO/entry_points.txt", "[scrapy]\nsettings = crawler.settings\n")
    return path


@pytest.fixture
def scrapyd(tmp_path) -> str:
    port = free_port()
    (tmp_path / "scrapyd.conf").write_text(
        "[scrapyd]\n"
        "bind_address = 127.0.0.1\n"
        f"http_port = {port}\n"
        "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\n"
        "poll_interval = 0.5\nmax_proc = 1\n"
    )
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen(
        [sys.executable, "-m", "scrapyd"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            httpx.get(f"{url}/daemonstatus.json", timeout=5).raise_for_status()
            break
        except httpx.TransportError:
            assert server.poll() is None, "scrapyd did not start"
            assert time.monotonic() < deadline, "scrapyd did not answer"
            time.sleep(0.2)
    yield url
    server.terminate()
    server.wait(timeout=30)


def test_scrapyd_deploys_schedules_and_runs_the_spider(tmp_path, scrapyd):
    egg = build_egg(tmp_path / "newsarchive.egg")
    deployed = httpx.post(
        f"{scrapyd}/addversion.json",
        data={"project": "newsarchive", "version": "1"},
        files={"egg": egg.read_bytes()},
        timeout=60,
    ).json()
    assert deployed["status"] == "ok", deployed
    assert deployed["spiders"] == 1
    spiders = httpx.get(f"{scrapyd}/listspiders.json", params={"project": "newsarchive"}).json()
    assert spiders["spiders"] == ["news"]

    db = tmp_path / "archive.db"
    site = DemoSite(articles=ARTICLES)
    with serve_demo_site(site) as server:
        scheduled = httpx.post(
            f"{scrapyd}/schedule.json",
            data={
                "project": "newsarchive",
                "spider": "news",
                "site": DEMO_PROFILE,
                "start_url": f"{server.url}/",
                "setting": [
                    f"NEWSARCHIVE_DB={db}",
                    "NEWSARCHIVE_TRIGGER=scheduled",
                    "NEWSARCHIVE_EXTRACT_WORKERS=1",
                    "DOWNLOAD_DELAY=0",
                    "AUTOTHROTTLE_ENABLED=False",
                    "CONCURRENT_REQUESTS_PER_DOMAIN=8",
                ],
            },
            timeout=30,
        ).json()
        assert scheduled["status"] == "ok", scheduled
        job = scheduled["jobid"]
        deadline = time.monotonic() + 180
        while True:
            jobs = httpx.get(f"{scrapyd}/listjobs.json", params={"project": "newsarchive"}).json()
            if any(item["id"] == job for item in jobs["finished"]):
                break
            assert time.monotonic() < deadline, jobs
            time.sleep(0.5)
    log = next((tmp_path / "logs").rglob(f"{job}.log")).read_text()
    archive = Database(db)
    stored = archive.execute("SELECT count(*) FROM articles").fetchone()[0]
    assert stored == ARTICLES, log[-3000:]
    crawl = archive.execute("SELECT status, trigger FROM crawls").fetchone()
    assert crawl == ("finished", "scheduled")
    assert warc_files(default_warc_dir(db))


def test_scrapy_cfg_has_a_deploy_target():
    config = (REPO / "scrapy.cfg").read_text()
    assert "[deploy]" in config
    assert "project = newsarchive" in config
