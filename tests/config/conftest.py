"""Fixtures: the vocabulary files, loaded strictly (duplicate keys fail)."""
from __future__ import annotations

import pytest

from tests.config.vocab_rules import ENTITIES_PATH, LANGS, LEXICON_DIR, TAXONOMY_PATH, _load


@pytest.fixture(scope="module")
def taxonomy() -> dict:
    return _load(TAXONOMY_PATH)


@pytest.fixture(scope="module")
def topics(taxonomy) -> list[dict]:
    return taxonomy["topics"]


@pytest.fixture(scope="module")
def entities_doc() -> dict:
    return _load(ENTITIES_PATH)


@pytest.fixture(scope="module")
def entities(entities_doc) -> list[dict]:
    return entities_doc["entities"]


@pytest.fixture(scope="module", params=LANGS)
def lexicon(request) -> tuple[str, dict]:
    lang = request.param
    return lang, _load(LEXICON_DIR / f"{lang}.yaml")


