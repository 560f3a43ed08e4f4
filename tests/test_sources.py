from __future__ import annotations

import re

import pytest

from core.sources import ConfigError, load_sources

GOOD = """
sources:
  - id: example_ar
    name: Example Arabic daily
    lang: ar
    kind: rss
    urls: ["https://example.org/rss.xml"]
    allowed_domains: ["example.org"]
    max_pages: 200
  - id: example_mixed
    name: Mixed
    lang: [ar, en]
    kind: sitemap
    urls: ["https://example.com/sitemap.xml"]
"""


def write(tmp_path, text):
    p = tmp_path / "sources.yaml"
    p.write_text(text)
    return p


def test_contract_example_loads(tmp_path):
    src = load_sources(write(tmp_path, GOOD))
    assert src.get("example_ar").lang == ("ar",)
    assert src.get("example_mixed").lang == ("ar", "en")
    assert src.get("example_mixed").max_pages == 200


@pytest.mark.parametrize("mutation, message", [
    (("kind: rss", "kind: telegram"), "source 'example_ar' field kind"),
    (("id: example_ar", "id: Bad-Id"), "field id"),
    (("lang: ar\n    kind: rss", "lang: xx\n    kind: rss"), "unsupported language 'xx'"),
    (('urls: ["https://example.org/rss.xml"]', 'urls: ["file:///etc/passwd"]'), "not an http(s) URL"),
    (("max_pages: 200", "max_pages: 0"), "field max_pages"),
    (("id: example_mixed", "id: example_ar"), "duplicate source id 'example_ar'"),
    (("max_pages: 200", "max_pages: 200\n    colour: red"), "field colour"),
    # the feed on a CDN host the crawler would refuse: caught here, not as a silent empty crawl
    (('urls: ["https://example.org/rss.xml"]', 'urls: ["https://feeds.example-cdn.net/rss.xml"]'),
     "outside allowed_domains ['example.org']"),
])
def test_bad_entries_name_the_field(tmp_path, mutation, message):
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_sources(write(tmp_path, GOOD.replace(*mutation, 1)))


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        load_sources(tmp_path / "nope.yaml")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_sources(write(tmp_path, "sources: [\n"))


def test_the_shipped_sources_file_is_valid():
    from core.settings import CONFIG_DIR

    src = load_sources(CONFIG_DIR / "sources.yaml")
    assert {lang for s in src.sources for lang in s.lang} == {"ar", "zh", "en"}
    assert all(s.urls[0].startswith("https://") and s.allowed_domains for s in src.sources)
