"""config/entities.yaml: shape, ids, aliases in three languages."""
from __future__ import annotations

from collections import Counter, defaultdict  # noqa: F401

import pytest  # noqa: F401

from tests.config.vocab_rules import *  # noqa: F401,F403
from tests.config.vocab_rules import _arabic_common_word_collisions, _arabic_entries_with_bad_prefix, _arabic_surface_forms, _ar_fold, _is_clean_string, _is_weight, _load, _mixed_script_tokens  # noqa: F401


class TestEntities:
    def test_top_level_shape(self, entities_doc):
        assert isinstance(entities_doc, dict)
        assert set(entities_doc) == {"version", "entities"}
        assert isinstance(entities_doc["version"], str) and VERSION_RE.match(entities_doc["version"])
        assert isinstance(entities_doc["entities"], list)

    def test_minimum_entity_count(self, entities):
        assert len(entities) >= MIN_ENTITIES

    def test_entity_shape(self, entities):
        for ent in entities:
            assert isinstance(ent, dict), ent
            assert set(ent) == {"id", "name", "type", "aliases"}, ent.get("id")
            assert _is_clean_string(ent["name"]), ent["id"]
            assert ent["type"] in ENTITY_TYPES, (ent["id"], ent["type"])
            assert isinstance(ent["aliases"], dict), ent["id"]

    def test_ids_valid_and_unique(self, entities):
        ids = [e["id"] for e in entities]
        for eid in ids:
            assert isinstance(eid, str) and ID_RE.match(eid), eid
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        assert not dupes, f"duplicate entity ids: {dupes}"

    def test_aliases_in_every_language(self, entities):
        for ent in entities:
            aliases = ent["aliases"]
            assert set(aliases) == set(LANGS), (ent["id"], set(aliases))
            for lang in LANGS:
                items = aliases[lang]
                assert isinstance(items, list) and items, (ent["id"], lang)
                for a in items:
                    assert _is_clean_string(a), (ent["id"], lang, a)

    def test_arabic_alias_in_arabic_script(self, entities):
        missing = [e["id"] for e in entities if not any(ARABIC_LETTER_RE.search(a) for a in e["aliases"]["ar"])]
        assert not missing, f"entities without an Arabic-script alias: {missing}"
        mixed = [a for e in entities for a in _mixed_script_tokens(e["aliases"]["ar"])]
        assert not mixed, mixed

    def test_no_duplicate_alias_within_language(self, entities):
        for ent in entities:
            for lang, items in ent["aliases"].items():
                dupes = [a for a, n in Counter(s.casefold() for s in items).items() if n > 1]
                assert not dupes, (ent["id"], lang, dupes)

    def test_no_alias_shared_between_entities(self, entities):
        owners: dict[str, set[str]] = defaultdict(set)
        for ent in entities:
            for items in ent["aliases"].values():
                for a in items:
                    owners[a.casefold()].add(ent["id"])
        shared = {a: sorted(ids) for a, ids in owners.items() if len(ids) > 1}
        assert not shared, f"aliases shared by several entities: {shared}"

    def test_no_bare_ambiguous_aliases(self, entities):
        banned = {"ai", "li", "ma", "xi", "us", "fed", "arm", "sec", "bis", "safe", "cac", "he", "wang", "mbs",
                  "央行", "字节", "百川", "理想", "吉利", "人大", "شي", "لي", "ما", "كيف", "سيول", "نيو"}
        # Chinese names are matched as substrings: these short forms sit inside common
        # collocations (北京东…, 其中共有, 其中芯片, 提高通过, 欧美光伏, 上海光源, 千万科技, 阿里·哈梅内伊).
        banned |= {"京东", "中共", "中芯", "高通", "美光", "海光", "万科", "阿里", "科技部", "联想", "快手"}
        hits = [(e["id"], a) for e in entities for items in e["aliases"].values() for a in items
                if a.casefold() in banned]
        assert not hits, hits

    def test_arabic_aliases_without_clitic_article(self, entities):
        bad = _arabic_entries_with_bad_prefix(a for e in entities for a in e["aliases"]["ar"])
        assert not bad, bad
        collisions = _arabic_common_word_collisions(a for e in entities for a in e["aliases"]["ar"])
        assert not collisions, collisions

    def test_every_type_represented(self, entities):
        assert {e["type"] for e in entities} == ENTITY_TYPES

    def test_required_entities_present(self, entities):
        ids = {e["id"] for e in entities}
        required = {
            "deepseek", "moonshot_ai", "zhipu_ai", "minimax", "baichuan", "zero_one_ai", "stepfun", "iflytek",
            "sensetime", "openai", "anthropic", "google_deepmind", "meta", "microsoft", "mistral_ai",
            "alibaba", "tencent", "bytedance", "baidu", "huawei", "xiaomi", "jd_com", "meituan", "pdd_holdings",
            "netease", "kuaishou", "apple", "amazon", "samsung", "sk_hynix", "sony", "softbank",
            "nvidia", "amd", "intel", "tsmc", "smic", "asml", "cambricon", "hua_hong", "ymtc", "cxmt",
            "qualcomm", "arm", "applied_materials", "tokyo_electron",
            "chatgpt", "qwen", "doubao", "ernie", "hunyuan", "yuanbao", "kimi", "glm", "deepseek_r1",
            "deepseek_v3", "gemini", "claude", "llama", "h20", "h100", "ascend_910",
            "pboc", "csrc", "ndrc", "miit", "mofcom", "state_council", "npc", "federal_reserve",
            "us_commerce_department", "bis", "white_house", "us_congress", "european_commission", "imf",
            "world_bank", "wto", "opec", "nato", "hkex", "sse", "szse", "nasdaq", "hang_seng_index",
            "xi_jinping", "li_qiang", "he_lifeng", "pan_gongsheng", "liang_wenfeng", "jack_ma", "pony_ma",
            "eddie_wu", "joe_tsai", "robin_li", "ren_zhengfei", "lei_jun", "liang_rubo", "zhang_yiming",
            "jensen_huang", "sam_altman", "elon_musk", "donald_trump", "joe_biden", "vladimir_putin",
            "volodymyr_zelensky", "jerome_powell", "lisa_su",
            "china", "united_states", "taiwan", "hong_kong", "japan", "south_korea", "russia", "ukraine",
            "israel", "iran", "saudi_arabia", "uae", "egypt", "gaza", "european_union", "beijing", "shanghai",
            "shenzhen", "hangzhou", "guangzhou", "shenyang", "dongguan", "washington", "silicon_valley",
        }
        missing = sorted(required - ids)
        assert not missing, f"missing entities: {missing}"


# ---------------------------------------------------------------------------
# Sentiment lexicons
# ---------------------------------------------------------------------------
