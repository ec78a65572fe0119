"""Tests for the declarative site profiles in crawler/sites/."""

from __future__ import annotations

import tomllib
from typing import Any

import pytest

from crawler.profiles import (
    GENERIC_PROFILE,
    SITES_DIR,
    InvalidSiteProfile,
    SiteProfile,
    UnknownSiteProfile,
    available_profiles,
    load_profile,
    profile_for_url,
    profile_from_mapping,
)


def test_available_profiles() -> None:
    names = available_profiles()
    assert names == sorted(names)
    assert {"generic", "antwerpspersbureau"} <= set(names)


@pytest.mark.parametrize("name", ["generic", "antwerpspersbureau"])
def test_every_shipped_profile_loads(name: str) -> None:
    profile = load_profile(name)
    assert isinstance(profile, SiteProfile)
    assert profile.name == name


def test_all_profile_files_load() -> None:
    for name in available_profiles():
        assert load_profile(name).name == name


def test_regional_profile() -> None:
    profile = load_profile("antwerpspersbureau")
    assert profile.site_name == "Persbureau Provincie Antwerpen"
    assert profile.hosts == ("antwerpspersbureau.be", "www.antwerpspersbureau.be")
    assert profile.start_urls == ("https://www.antwerpspersbureau.be/",)
    assert profile.language == "nl"
    assert profile.dateline is not None
    assert profile.signature is not None
    assert profile.date_order == "DMY"
    assert "redactie" in profile.not_authors
    assert "Abonneer u op onze nieuwsbrief" in profile.boilerplate_phrases
    assert not profile.is_generic


def test_generic_profile_has_no_site_rules() -> None:
    profile = load_profile(GENERIC_PROFILE)
    assert profile.is_generic
    assert profile.hosts == ()
    assert profile.dateline is None
    assert profile.signature is None
    assert profile.body_selectors == ()


def test_unknown_profile_lists_the_available_names() -> None:
    with pytest.raises(UnknownSiteProfile) as raised:
        load_profile("bestaat-niet")
    message = str(raised.value)
    assert "bestaat-niet" in message
    for name in available_profiles():
        assert name in message
    assert raised.value.available == available_profiles()


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://www.antwerpspersbureau.be/vier-organisaties/", "antwerpspersbureau"),
        ("http://antwerpspersbureau.be/", "antwerpspersbureau"),
        ("https://WWW.ANTWERPSPERSBUREAU.BE/x", "antwerpspersbureau"),
        ("https://www.antwerpspersbureau.be:443/x", "antwerpspersbureau"),
        ("https://antwerpspersbureau.be.elders.example/", "generic"),
        ("https://nieuws.example/", "generic"),
        ("not a url", "generic"),
        ("http://[broken", "generic"),
        ("", "generic"),
    ],
)
def test_profile_for_url(url: str, name: str) -> None:
    assert profile_for_url(url).name == name


def test_profile_files_explain_themselves() -> None:
    """Profiles are read by people who do not know Python: every file opens with comments."""
    for path in SITES_DIR.glob("*.toml"):
        lines = path.read_text(encoding="utf-8").splitlines()
        assert lines[0].startswith("# Site profile:"), path.name
        comments = sum(1 for line in lines if line.lstrip().startswith("#"))
        settings = sum(1 for line in lines if "=" in line and not line.lstrip().startswith("#"))
        assert comments >= settings // 2, path.name
        tomllib.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "needs a name"),
        ({"name": "x", "colour": "blue"}, "unknown key 'colour'"),
        ({"name": "x", "selectors": {"titel": ["h1"]}}, "unknown key 'titel' in [selectors]"),
        ({"name": "x", "selectors": {"title": "h1"}}, "expected list"),
        ({"name": "x", "selectors": {"title": ["h1[["]}}, "bad selector"),
        ({"name": "x", "selectors": {"drop": ["//div[@class="]}}, "bad selector"),
        ({"name": "x", "hosts": "a.example"}, "expected list"),
        ({"name": "x", "dates": {"numeric_order": "MM/DD"}}, "numeric_order"),
        ({"name": "x", "pages": {"listing_min_teasers": "2"}}, "expected int"),
        ({"name": "x", "pages": {"undated_static_pages": "maybe"}}, "undated_static_pages"),
        ({"name": "x", "dateline": {"pattern": "("}}, "not a valid regex"),
        ({"name": "x", "dateline": {"pattern": "^[A-Z]+ – "}}, "named 'place'"),
        (
            {"name": "x", "signature": {"max_words": 4, "colour": 1}},
            "unknown key 'colour' in [signature]",
        ),
        ({"name": "x", "selectors": []}, "must be a table"),
    ],
)
def test_invalid_profiles_are_refused(data: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidSiteProfile, match=message.replace("[", r"\[").replace("(", r"\(")):
        profile_from_mapping(data, source="test.toml")


def test_rules_can_be_switched_off() -> None:
    profile = profile_from_mapping(
        {
            "name": "x",
            "signature": {"enabled": False},
            "dateline": {"enabled": False, "pattern": "("},
        }
    )
    assert profile.signature is None
    assert profile.dateline is None


def test_profiles_are_hashable_and_cached() -> None:
    assert load_profile("generic") is load_profile("generic")
    assert hash(load_profile("antwerpspersbureau"))


@pytest.mark.parametrize(
    ("paragraph", "place"),
    [
        ("MECHELEN – Vandaag", "MECHELEN"),
        ("HEIST-OP-DEN-BERG - De gemeente", "HEIST-OP-DEN-BERG"),
        ("PUURS-SINT-AMANDS — Het", "PUURS-SINT-AMANDS"),
        ("'S-GRAVENWEZEL – Het", "'S-GRAVENWEZEL"),
        ("Mechelen – Vandaag", None),
        ("MECHELEN-Vandaag", None),
        ("In MECHELEN – Vandaag", None),
    ],
)
def test_regional_dateline_pattern(paragraph: str, place: str | None) -> None:
    rule = load_profile("antwerpspersbureau").dateline
    assert rule is not None
    match = rule.regex.match(paragraph)
    assert (match.group("place") if match else None) == place
