"""config/taxonomy.yaml: shape, ids, tree, phrases."""
from __future__ import annotations

from collections import Counter, defaultdict  # noqa: F401

import pytest  # noqa: F401

from tests.config.vocab_rules import *  # noqa: F401,F403
from tests.config.vocab_rules import _arabic_common_word_collisions, _arabic_entries_with_bad_prefix, _arabic_surface_forms, _ar_fold, _is_clean_string, _is_weight, _load, _mixed_script_tokens  # noqa: F401


class TestTaxonomy:
    def test_top_level_shape(self, taxonomy):
        assert isinstance(taxonomy, dict)
        assert set(taxonomy) == {"version", "topics"}
        assert isinstance(taxonomy["version"], str) and VERSION_RE.match(taxonomy["version"])
        assert isinstance(taxonomy["topics"], list)

    def test_minimum_topic_count(self, topics):
        assert len(topics) >= MIN_TOPICS

    def test_topic_shape(self, topics):
        allowed = {"id", "name", "parent", "phrases", "exclude", "min_hits"}  # min_hits: optional, loader default
        for topic in topics:
            assert isinstance(topic, dict), topic
            assert {"id", "name", "parent", "phrases"} <= set(topic), topic.get("id")
            assert set(topic) <= allowed, (topic["id"], set(topic) - allowed)
            assert _is_clean_string(topic["name"]), topic["id"]
            assert topic["parent"] is None or isinstance(topic["parent"], str), topic["id"]
            assert isinstance(topic["phrases"], dict), topic["id"]
            if "min_hits" in topic:
                mh = topic["min_hits"]
                assert isinstance(mh, int) and not isinstance(mh, bool) and mh >= 1, topic["id"]
            if "exclude" in topic:
                assert isinstance(topic["exclude"], dict) and topic["exclude"], topic["id"]
                assert set(topic["exclude"]) <= set(LANGS), topic["id"]

    def test_ids_valid_and_unique(self, topics):
        ids = [t["id"] for t in topics]
        for tid in ids:
            assert isinstance(tid, str) and ID_RE.match(tid), tid
        dupes = [i for i, n in Counter(ids).items() if n > 1]
        assert not dupes, f"duplicate topic ids: {dupes}"

    def test_parents_exist(self, topics):
        ids = {t["id"] for t in topics}
        missing = [(t["id"], t["parent"]) for t in topics if t["parent"] is not None and t["parent"] not in ids]
        assert not missing, f"unknown parents: {missing}"
        assert not [t["id"] for t in topics if t["parent"] == t["id"]], "topic is its own parent"

    def test_no_cycles(self, topics):
        parent = {t["id"]: t["parent"] for t in topics}
        for start in parent:
            seen = {start}
            node = parent[start]
            while node is not None:
                assert node not in seen, f"cycle through {start!r}"
                seen.add(node)
                node = parent.get(node)

    def test_hierarchy_depth(self, topics):
        parent = {t["id"]: t["parent"] for t in topics}

        def depth(tid: str) -> int:
            d = 1
            while parent.get(tid) is not None and d <= len(parent):  # bounded even if a cycle slipped in
                tid = parent[tid]
                d += 1
            return d

        depths = {tid: depth(tid) for tid in parent}
        assert max(depths.values()) in (2, 3), depths
        assert any(p is None for p in parent.values()), "no root topic"

    def test_required_topics_present(self, topics):
        by_id = {t["id"]: t for t in topics}
        required = {
            "technology": None,
            "ai": "technology",
            "ai_models": "ai",
            "ai_applications": "ai",
            "semiconductors": "technology",
            "export_controls": "semiconductors",
            "economy": None,
            "monetary_policy": "economy",
            "fiscal_stimulus": "economy",
            "private_economy_policy": "economy",
            "property_sector": "economy",
            "consumption": "economy",
            "deflation_prices": "economy",
            "employment": "economy",
            "markets": None,
            "stock_markets": "markets",
            "securities_regulation": "markets",
            "currency_yuan": "markets",
            "trade": None,
            "trade_war_tariffs": "trade",
            "geopolitics": None,
            "us_china_relations": "geopolitics",
            "russia_ukraine_war": "geopolitics",
            "middle_east": "geopolitics",
            "taiwan_strait": "geopolitics",
        }
        for tid, parent in required.items():
            assert tid in by_id, f"missing topic {tid}"
            assert by_id[tid]["parent"] == parent, (tid, by_id[tid]["parent"], parent)
        for tid in ("ai_chips", "cloud_data_centres", "big_tech", "startups_venture_capital",
                    "korea_japan_tech", "open_source", "energy_ev"):
            assert tid in by_id, f"missing topic {tid}"
        assert by_id["ai_chips"]["parent"] in ("ai", "semiconductors")

    def test_phrases_in_every_language(self, topics):
        lo, hi = PHRASES_PER_LANG
        for topic in topics:
            phrases = topic["phrases"]
            assert set(phrases) == set(LANGS), (topic["id"], set(phrases))
            for lang in LANGS:
                items = phrases[lang]
                assert isinstance(items, list), (topic["id"], lang)
                assert lo <= len(items) <= hi, (topic["id"], lang, len(items))
                for p in items:
                    assert _is_clean_string(p), (topic["id"], lang, p)

    def test_no_duplicate_phrases_within_topic(self, topics):
        for topic in topics:
            for lang, items in topic["phrases"].items():
                dupes = [p for p, n in Counter(s.casefold() for s in items).items() if n > 1]
                assert not dupes, (topic["id"], lang, dupes)

    def test_phrase_belongs_to_one_topic(self, topics):
        owners: dict[tuple[str, str], list[str]] = defaultdict(list)
        for topic in topics:
            for lang, items in topic["phrases"].items():
                for p in items:
                    owners[(lang, p.casefold())].append(topic["id"])
        shared = {k: v for k, v in owners.items() if len(v) > 1}
        assert not shared, f"phrases listed under several topics: {shared}"

    def test_exclude_does_not_contradict_phrases(self, topics):
        for topic in topics:
            for lang, items in topic.get("exclude", {}).items():
                assert isinstance(items, list) and items, (topic["id"], lang)
                own = {p.casefold() for p in topic["phrases"][lang]}
                for p in items:
                    assert _is_clean_string(p), (topic["id"], lang, p)
                    assert p.casefold() not in own, (topic["id"], lang, p)

    def test_english_phrases_lowercase(self, topics):
        bad = [(t["id"], p) for t in topics for p in t["phrases"]["en"] + t.get("exclude", {}).get("en", [])
               if p != p.lower()]
        assert not bad, bad

    def test_chinese_phrases_have_no_spaces(self, topics):
        bad = [(t["id"], p) for t in topics for p in t["phrases"]["zh"] + t.get("exclude", {}).get("zh", [])
               if re.search(r"\s", p)]
        assert not bad, bad

    def test_arabic_phrases_are_arabic(self, topics):
        bad = [(t["id"], p) for t in topics for p in t["phrases"]["ar"] if not ARABIC_LETTER_RE.search(p)]
        assert not bad, bad
        mixed = [p for t in topics for p in _mixed_script_tokens(t["phrases"]["ar"])]
        assert not mixed, mixed

    def test_no_chinese_phrases_that_hide_in_common_text(self, topics):
        # zh topic phrases are matched as substrings: 其中美国 contains 中美, 长江两岸 contains 两岸,
        # 中东部地区 contains 中东, 河南海关 contains 南海, 山东海洋 contains 东海, 黄金周 contains 黄金.
        banned = {"中美", "两岸", "中东", "南海", "东海", "黄金", "中欧", "统一", "上市", "开发商", "国家队", "打新"}
        hits = [(t["id"], p) for t in topics for p in t["phrases"]["zh"] if p in banned]
        assert not hits, hits

    def test_arabic_phrases_without_clitic_article(self, topics):
        strings = [p for t in topics for p in t["phrases"]["ar"] + t.get("exclude", {}).get("ar", [])]
        bad = _arabic_entries_with_bad_prefix(strings)
        assert not bad, bad
        collisions = _arabic_common_word_collisions(t_p for t in topics for t_p in t["phrases"]["ar"])
        assert not collisions, collisions


# ---------------------------------------------------------------------------
# Entities
# ---------------------------------------------------------------------------
