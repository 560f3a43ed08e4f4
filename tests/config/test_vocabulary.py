"""Validation of the enrichment vocabulary in config/.

Checks config/taxonomy.yaml, config/entities.yaml and config/lexicons/{en,ar,zh}.yaml
for schema shape, id hygiene, hierarchy integrity, language coverage, minimum sizes,
alias/term collisions and a few language-specific writing conventions.

Deliberately independent of any mediamon module: only pyyaml and the standard library.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "config"
TAXONOMY_PATH = CONFIG / "taxonomy.yaml"
ENTITIES_PATH = CONFIG / "entities.yaml"
LEXICON_DIR = CONFIG / "lexicons"

LANGS = ("en", "ar", "zh")
ID_RE = re.compile(r"^[a-z0-9_]+$")
VERSION_RE = re.compile(r"^\d{4}\.\d{1,2}\.\d+$")
ENTITY_TYPES = {"org", "person", "place", "institution", "product"}

MIN_TOPICS = 30
MIN_ENTITIES = 160
MIN_TERMS_PER_POLARITY = 250
PHRASES_PER_LANG = (6, 20)
WEIGHT_RANGE = (0.5, 2.0)

# Arabic: a phrase must not start with a clitic fused to the article
# (wa+al, bi+al, li+al -> "lil").
ARABIC_CLITIC_ARTICLE_PREFIXES = ("وال", "بال", "لل")
ARABIC_LETTER_RE = re.compile(r"[\u0621-\u064A\u0671-\u06D3]")
LATIN_LETTER_RE = re.compile(r"[A-Za-z]")
CJK_RE = re.compile(r"[\u4e00-\u9fff]")
DIACRITICS_RE = re.compile(r"[\u064B-\u0652]")


# ---------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (pyyaml silently keeps the last one)."""


def _construct_mapping_no_duplicates(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False):
    seen = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r}", key_node.start_mark
            )
        seen.add(key)
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping_no_duplicates)


def _load(path: Path):
    assert path.is_file(), f"missing vocabulary file: {path}"
    with path.open(encoding="utf-8") as fh:
        return yaml.load(fh, Loader=_StrictLoader)  # noqa: S506 - SafeLoader subclass


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


def _is_clean_string(value) -> bool:
    return isinstance(value, str) and value != "" and value == value.strip() and "  " not in value


def _arabic_entries_with_bad_prefix(strings) -> list[str]:
    return [s for s in strings if s.startswith(ARABIC_CLITIC_ARTICLE_PREFIXES)]


def _mixed_script_tokens(strings) -> list[str]:
    """Arabic-script tokens that also contain Latin letters (typically a typo)."""
    bad = []
    for s in strings:
        for token in s.split():
            if ARABIC_LETTER_RE.search(token) and LATIN_LETTER_RE.search(token):
                bad.append(s)
                break
    return bad


# Very common Arabic words that no vocabulary entry may spell once a clitic
# (و ف ب ل ك) or the article is added or removed, e.g. أمل -> كامل ("complete"),
# آمن -> الأمن ("security"), الذهب -> ذهب ("went").
COMMON_ARABIC_WORDS = (
    "كامل كاملة الكامل الأمن أمن ذهب وذهب قال وقال كان وكان كانت أن إن التي الذي الذين على إلى عن "
    "بين كما لكن لقد قد بعد قبل عند خلال حول حيث أمام ذلك هذا هذه هناك هنا بل أو ثم أي كل بعض غير "
    "العام اليوم الأول أول وأضاف أضاف أكد وأكد أشار وأشار"
).split()
_AR_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي"})


def _ar_fold(text: str) -> str:
    return DIACRITICS_RE.sub("", text).translate(_AR_FOLD)


def _arabic_surface_forms(entry: str) -> set[str]:
    """Forms a one-word entry takes in running text: with/without ال, with a clitic prefix."""
    word = _ar_fold(entry)
    bare = word[2:] if word.startswith("ال") and len(word) > 4 else word
    forms = {bare, "ال" + bare, "لل" + bare}
    for clitic in "وفبلك":
        forms |= {clitic + bare, clitic + "ال" + bare}
    return forms


def _arabic_common_word_collisions(entries) -> list[tuple[str, str]]:
    common = {_ar_fold(w) for w in COMMON_ARABIC_WORDS}
    out = []
    for entry in entries:
        if " " in entry:
            continue
        out += [(entry, f) for f in sorted(_arabic_surface_forms(entry) & common)]
    return out


# ---------------------------------------------------------------------------
# Taxonomy
# ---------------------------------------------------------------------------


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


def _is_weight(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


class TestLexicons:
    def test_top_level_shape(self, lexicon):
        lang, lex = lexicon
        assert isinstance(lex, dict)
        assert set(lex) == {"version", "lang", "positive", "negative", "negators", "intensifiers", "diminishers",
                            "non_negations", "first_person"}
        for key in ("non_negations", "first_person"):
            assert isinstance(lex[key], list) and lex[key], (lang, key)
        # a non-negation must contain one of the negators, or it guards nothing
        for phrase in lex["non_negations"]:
            assert any(n in phrase for n in lex["negators"]), (lang, phrase)
        assert isinstance(lex["version"], str) and VERSION_RE.match(lex["version"])
        assert lex["lang"] == lang
        for key in ("positive", "negative", "intensifiers", "diminishers"):
            assert isinstance(lex[key], dict) and lex[key], (lang, key)
        assert isinstance(lex["negators"], list) and lex["negators"], lang

    def test_all_terms_are_clean_strings(self, lexicon):
        # Guards against YAML 1.1 surprises such as unquoted `no:` / `on:` keys becoming booleans.
        lang, lex = lexicon
        for key in ("positive", "negative", "intensifiers", "diminishers"):
            for term in lex[key]:
                assert _is_clean_string(term), (lang, key, term)
        for term in lex["negators"]:
            assert _is_clean_string(term), (lang, "negators", term)
        assert len(set(lex["negators"])) == len(lex["negators"]), (lang, "duplicate negators")

    def test_minimum_sizes(self, lexicon):
        lang, lex = lexicon
        assert len(lex["positive"]) >= MIN_TERMS_PER_POLARITY, (lang, len(lex["positive"]))
        assert len(lex["negative"]) >= MIN_TERMS_PER_POLARITY, (lang, len(lex["negative"]))

    def test_weights_in_range(self, lexicon):
        lang, lex = lexicon
        lo, hi = WEIGHT_RANGE
        for key in ("positive", "negative"):
            bad = {t: w for t, w in lex[key].items() if not _is_weight(w) or not lo <= w <= hi}
            assert not bad, (lang, key, bad)

    def test_modifier_weights(self, lexicon):
        lang, lex = lexicon
        bad_int = {t: w for t, w in lex["intensifiers"].items() if not _is_weight(w) or not 1.0 < w <= 2.0}
        bad_dim = {t: w for t, w in lex["diminishers"].items() if not _is_weight(w) or not 0.0 < w < 1.0}
        assert not bad_int, (lang, bad_int)
        assert not bad_dim, (lang, bad_dim)

    def test_no_term_both_positive_and_negative(self, lexicon):
        lang, lex = lexicon
        pos = {t.casefold() for t in lex["positive"]}
        neg = {t.casefold() for t in lex["negative"]}
        assert not pos & neg, (lang, sorted(pos & neg))

    def test_modifiers_disjoint_from_polar_terms(self, lexicon):
        lang, lex = lexicon
        polar = {t.casefold() for t in lex["positive"]} | {t.casefold() for t in lex["negative"]}
        groups = {
            "negators": {t.casefold() for t in lex["negators"]},
            "intensifiers": {t.casefold() for t in lex["intensifiers"]},
            "diminishers": {t.casefold() for t in lex["diminishers"]},
        }
        for name, terms in groups.items():
            assert not terms & polar, (lang, name, sorted(terms & polar))
        names = list(groups)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                assert not groups[a] & groups[b], (lang, a, b, sorted(groups[a] & groups[b]))

    def test_neutral_topic_words_absent(self, lexicon):
        lang, lex = lexicon
        neutral = {
            "en": {"market", "markets", "policy", "china", "economy", "tariff", "tariffs", "inflation", "debt",
                   "trade", "rate", "rates", "ai", "chip", "chips"},
            "ar": {"السوق", "سوق", "السياسة", "الصين", "الاقتصاد", "التجارة", "التضخم", "الديون", "الرسوم"},
            "zh": {"市场", "政策", "中国", "经济", "关税", "通胀", "利率", "贸易", "芯片"},
        }[lang]
        terms = set(lex["positive"]) | set(lex["negative"])
        assert not terms & neutral, (lang, sorted(terms & neutral))

    def test_language_specific_form(self, lexicon):
        lang, lex = lexicon
        terms = list(lex["positive"]) + list(lex["negative"])
        if lang == "en":
            assert not [t for t in terms if t != t.lower() or " " in t], "en terms: lower-case single tokens"
        elif lang == "ar":
            assert not [t for t in terms if not ARABIC_LETTER_RE.search(t) or " " in t]
            assert not _arabic_entries_with_bad_prefix(terms), _arabic_entries_with_bad_prefix(terms)
            assert not _arabic_common_word_collisions(terms), _arabic_common_word_collisions(terms)
            assert not [t for t in terms if DIACRITICS_RE.search(t)], "ar terms are written without harakat"
        else:
            assert not [t for t in terms if not CJK_RE.search(t) or re.search(r"\s", t)]

    def test_english_inflections_listed(self):
        lex = _load(LEXICON_DIR / "en.yaml")
        for family in (("surge", "surged", "surges", "surging"), ("plunge", "plunged", "plunges", "plunging"),
                       ("rally", "rallied", "rallies", "rallying"), ("decline", "declined", "declines", "declining")):
            polarity = "positive" if family[0] in lex["positive"] else "negative"
            missing = [w for w in family if w not in lex[polarity]]
            assert not missing, missing

    def test_expected_core_terms(self, lexicon):
        lang, lex = lexicon
        core = {
            "en": ({"growth", "rally", "surge", "rebound", "recovery", "boom", "innovation", "breakthrough",
                    "profit", "optimism"},
                   {"slump", "plunge", "slowdown", "deflation", "default", "sanctions", "ban", "war", "crisis",
                    "layoffs", "losses", "tensions", "decline", "weak"}),
            "ar": ({"ارتفاع", "انتعاش", "نمو", "تعافي", "التعافي", "اختراق", "أرباح"},
                   {"تراجع", "انخفاض", "ركود", "انكماش", "عقوبات", "حرب", "أزمة", "خسائر"}),
            "zh": ({"增长", "突破", "反弹", "复苏", "利好", "上涨", "大涨"},
                   {"下跌", "暴跌", "衰退", "通缩", "制裁", "战争", "危机", "亏损", "裁员", "疲软"}),
        }[lang]
        pos, neg = core
        assert not pos - set(lex["positive"]), (lang, sorted(pos - set(lex["positive"])))
        assert not neg - set(lex["negative"]), (lang, sorted(neg - set(lex["negative"])))

    def test_expected_modifiers(self, lexicon):
        lang, lex = lexicon
        negators, intensifiers, diminishers = {
            "en": ({"not", "no", "never", "without", "hardly"}, {"very", "sharply", "extremely"},
                   {"slightly", "somewhat"}),
            "ar": ({"لا", "لم", "لن", "ليس", "غير", "بدون", "دون"}, {"جدا", "للغاية", "بشدة"}, {"طفيف", "قليلا"}),
            "zh": ({"不", "没有", "未", "并非", "无"}, {"非常", "大幅", "极其", "十分"}, {"略", "小幅", "稍"}),
        }[lang]
        assert negators <= set(lex["negators"]), (lang, sorted(negators - set(lex["negators"])))
        assert intensifiers <= set(lex["intensifiers"]), (lang, sorted(intensifiers - set(lex["intensifiers"])))
        assert diminishers <= set(lex["diminishers"]), (lang, sorted(diminishers - set(lex["diminishers"])))
