"""Vocabulary files fail loudly, naming file, entry and field."""
from __future__ import annotations

import shutil

import pytest

from core.yamlconfig import ConfigError
from tests.conftest import FIXTURES
from transforms.vocab import load_vocabulary


@pytest.fixture()
def cfg(tmp_path):
    shutil.copytree(FIXTURES / "config", tmp_path / "config")
    return tmp_path / "config"


def edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_fixture_vocabulary_loads(cfg):
    v = load_vocabulary(cfg)
    assert v.taxonomy.ancestors("ai_models") == ["ai", "technology"]


@pytest.mark.parametrize("file, old, new, message", [
    ("taxonomy.yaml", 'en: ["technology"]', "en: []", "taxonomy.yaml: entry 'technology' field phrases"),
    ("taxonomy.yaml", "parent: ai\n", "parent: robotics\n", "topic 'ai_models': unknown parent 'robotics'"),
    ("taxonomy.yaml", "id: semiconductors", "id: ai", "duplicate topic id(s): ['ai']"),
    ("taxonomy.yaml", "parent: technology", "parent: ai_models", "parent cycle"),
    ("entities.yaml", "type: org", "type: company", "entities.yaml: entry 'deepseek' field type"),
    ("entities.yaml", "id: tencent", "id: deepseek", "duplicate entity id(s): ['deepseek']"),
    ("lexicons/en.yaml", "slump: 1.0", "growth: 1.0", "terms both positive and negative: ['growth']"),
    ("lexicons/emoji.yaml", '"😞": 1.1', '"😍": 1.1', "emoji both positive and negative: ['😍']"),
])
def test_malformed_entries_are_named(cfg, file, old, new, message):
    edit(cfg / file, old, new)
    with pytest.raises(ConfigError) as err:
        load_vocabulary(cfg)
    assert file in str(err.value) and message in str(err.value)


def test_emoji_join_every_language_and_a_language_entry_wins(cfg):
    lexicons = load_vocabulary(cfg).lexicons
    for lang, lex in lexicons.items():
        assert lex.positive["😍"] > 0 and lex.negative["😡"] > 0, lang
    # a language that reads an emoji otherwise says so in its own file
    edit(cfg / "lexicons" / "en.yaml", "negative: {slump: 1.0,", 'negative: {"😍": 0.7, slump: 1.0,')
    en = load_vocabulary(cfg).lexicons["en"]
    assert en.negative["😍"] == 0.7 and "😍" not in en.positive
