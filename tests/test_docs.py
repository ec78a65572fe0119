"""The README stays true: its commands are the ones CI runs, every option and setting is in it."""

from __future__ import annotations

import re

import click
import pytest

from newsarchive.cli import cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_ci_runs_the_readme_test_command():
    ci = (REPO / ".ci" / "run").read_text()
    assert "bash scripts/test.sh" in README
    assert "bash scripts/test.sh" in ci
    assert "bash scripts/demo.sh" in README


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_and_option_is_documented(name):
    command = cli.commands[name]
    assert f"newsarchive {name}" in README
    for param in command.params:
        if isinstance(param, click.Option):
            assert any(opt in README for opt in param.opts), f"{name} {param.opts}"


def test_every_setting_is_documented():
    settings = (REPO / "crawler" / "settings.py").read_text()
    names = re.findall(r"^(NEWSARCHIVE_\w+)\b[^=\n]*=", settings, flags=re.MULTILINE)
    assert names
    for name in names:
        assert f"`{name}`" in README, name
