"""config/lexicons/*.yaml: terms, weights, negators."""
from __future__ import annotations

from collections import Counter, defaultdict  # noqa: F401

import pytest  # noqa: F401

from tests.config.vocab_rules import *  # noqa: F401,F403
from tests.config.vocab_rules import _arabic_common_word_collisions, _arabic_entries_with_bad_prefix, _arabic_surface_forms, _ar_fold, _is_clean_string, _is_weight, _load, _mixed_script_tokens  # noqa: F401


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


def test_emoji_lexicon_entries_survive_normalization():
    """An emoji key that normalization rewrites (a variation selector, a skin
    tone, two emoji in one key) would never match any text."""
    import polars as pl

    from transforms.normalize import tokens_text

    lex = _load(LEXICON_DIR / "emoji.yaml")
    assert set(lex) == {"version", "positive", "negative"} and VERSION_RE.match(lex["version"])
    lo, hi = WEIGHT_RANGE
    for key in ("positive", "negative"):
        keys = list(lex[key])
        assert keys and all(_is_weight(w) and lo <= w <= hi for w in lex[key].values()), key
        folded = pl.DataFrame({"k": keys}).select(tokens_text(pl.col("k")).alias("k"))["k"].to_list()
        assert [f" {k} " for k in keys] == folded, [k for k, f in zip(keys, folded) if f != f" {k} "]
    assert not set(lex["positive"]) & set(lex["negative"])
