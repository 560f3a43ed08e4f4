"""The article this project exists for: an Arabic commentary on DeepSeek,
Tencent and Alibaba, chips, policy and war, which opens on the Chinese
economy's slump. Its text belongs to its author, so it is read in place from
../shared/seed (never copied here); where it is absent the test skips."""
from __future__ import annotations

from pathlib import Path

import pytest

from core.settings import PROJECT_ROOT
from tests.transforms.stories import enrich_stories

SEED_DIR = (PROJECT_ROOT / ".." / "shared" / "seed").resolve()
SEEDS = sorted(SEED_DIR.glob("*.txt")) if SEED_DIR.is_dir() else []

pytestmark = pytest.mark.skipif(not SEEDS, reason=f"no seed article at {SEED_DIR}")


@pytest.fixture(scope="module")
def enriched():
    text = Path(SEEDS[0]).read_text(encoding="utf-8")
    return enrich_stories([("seed", "ar", text)])


def test_the_commentary_is_about_the_economy_as_well_as_ai_and_politics(enriched):
    tags = set(enriched.topics["topic_id"].to_list())
    # economy is the part a one-label classifier read whole gave away (P .148 against .15)
    assert {"economy", "technology", "politics", "geopolitics"} <= tags
    # its "large models" are 大模型 rendered in Arabic (taxonomy 2026.12.3)
    assert {"ai", "ai_models", "semiconductors", "open_source", "us_china_relations", "private_economy_policy"} <= tags
    # its paragraph on AI in the war names it once, then "Russia and Ukraine" (taxonomy 2026.12.4)
    assert "russia_ukraine_war" in tags
    war = enriched.topics.filter(enriched.topics["topic_id"] == "russia_ukraine_war")
    assert war["sentiment_label"].to_list() == ["negative"]
    # the securities regulator's new rules on securities lending, and what they do to quant trading
    assert "securities_regulation" in tags


def test_the_companies_and_countries_it_names_are_found(enriched):
    names = set(enriched.entities["entity_id"].to_list())
    assert {"deepseek", "tencent", "alibaba", "huawei", "bytedance", "china", "united_states"} <= names
    # its founder, spelt as the Egyptian press spells the ng of a name (ج, not غ)
    assert "liang_wenfeng" in names
    assert enriched.articles["lang"].to_list() == ["ar"]
