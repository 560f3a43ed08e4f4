"""The trained models: what enrichment computes in Polars is what
scikit-learn learnt, the shipped files are what their cards say, and the
sentiment columns reach every output."""
from __future__ import annotations

import json

import numpy as np
import polars as pl
import pytest

from transforms.enrich import enrich_frame
from transforms.features import lexicon_table, texts_to_tokens
from transforms.linear import MODELS_DIR, LinearModel, class_probabilities
from transforms.segment import with_word_forms

TRAIN = [
    ("Profits soared and the outlook is excellent", "positive"),
    ("A strong rally lifted every bank", "positive"),
    ("Investors cheered the excellent results", "positive"),
    ("Shares crashed after a terrible quarter", "negative"),
    ("The lender collapsed amid fraud charges", "negative"),
    ("A weak outlook and heavy losses", "negative"),
    ("The meeting is scheduled for Tuesday", "neutral"),
    ("The company is based in Hangzhou", "neutral"),
    ("The report covers the third quarter", "neutral"),
] * 2


ZH_TRAIN = [
    ("利润大涨，前景非常好", "positive"), ("股价创出新高，投资者满意", "positive"), ("AI 2025 增长强劲", "positive"),
    ("股价暴跌，亏损严重", "negative"), ("公司破产，投资者失望", "negative"), ("GPT-4 需求疲软，亏损扩大", "negative"),
    ("会议定于周二举行", "neutral"), ("公司总部位于杭州", "neutral"), ("报告涵盖第三季度", "neutral"),
] * 2
AR_TRAIN = [
    ("ارتفعت الأرباح بقوة والتوقعات ممتازة", "positive"), ("حققت الشركة نتائج قياسية", "positive"),
    ("وبالنجاح الكبير رحب المستثمرون", "positive"), ("انهارت الأسهم وتكبدت خسائر فادحة", "negative"),
    ("أفلست الشركة وسط مخاوف", "negative"), ("وبالخسائر الكبيرة تراجع السوق", "negative"),
    ("يعقد الاجتماع يوم الثلاثاء", "neutral"), ("يقع مقر الشركة في هانغتشو", "neutral"),
    ("يغطي التقرير الربع الثالث", "neutral"),
] * 2
PROBES = {
    "en": (TRAIN, ["Excellent profits and a strong rally", "Terrible losses, shares crashed", "Based in Hangzhou"],
           [("en", "excellent", 3.0), ("en", "terrible", -3.0)]),
    # "AI 2025" and "GPT-4" run together as one Chinese bigram token ("ai2025") at training time
    "zh": (ZH_TRAIN, ["利润大涨，AI 2025 前景好", "GPT-4 亏损，股价暴跌", "总部位于杭州"],
           [("zh", "暴跌", -3.0), ("zh", "大涨", 3.0)]),
    "ar": (AR_TRAIN, ["وبالأرباح الممتازة ارتفعت الأسهم", "انهارت الشركة بخسائر", "مقر الشركة في هانغتشو"],
           [("ar", "ممتازة", 3.0), ("ar", "خسائر", -3.0)]),
}


@pytest.mark.parametrize("lang", sorted(PROBES))
def test_inference_equals_scikit_learn(lang):
    """Enrichment scores hashed features in compiled loops; scikit-learn,
    at training time, read token strings. Both must give the same probabilities."""
    from transforms.train.fit import fit_table

    train, probe, lexicon = PROBES[lang]
    texts, labels = [t for t, _ in train], [lab for _, lab in train]
    lex = lexicon_table(lexicon)
    table, intercept, (counts, tfidf, clf) = fit_table("sentiment", texts, labels, [1.0] * len(texts), lang, lex)
    model = LinearModel("sentiment", ("negative", "neutral", "positive"), True,
                        table.with_columns(pl.lit(lang).alias("lang")).with_row_index("tid"),
                        pl.DataFrame([{"lang": lang, **{f"b_{c}": float(b) for c, b in
                                                        zip(("negative", "neutral", "positive"), intercept)}}]),
                        (lang,), lex)
    expected = clf.predict_proba(tfidf.transform(counts.transform(texts_to_tokens(probe, [lang] * 3, lex))))
    frame = with_word_forms(pl.DataFrame({"text": probe, "lang": [lang] * 3}).with_row_index("sid"), "text")
    got = (class_probabilities(frame, model, "sid").collect().sort("sid")
           .select("p_negative", "p_neutral", "p_positive").to_numpy())
    assert np.allclose(got, expected, atol=1e-9)
    assert got[0].argmax() == 2 and got[1].argmax() == 0


@pytest.mark.parametrize("task", ["sentiment", "polarity", "topics"])
def test_shipped_models_are_small_and_say_what_trained_them(task):
    meta = json.loads((MODELS_DIR / task / "meta.json").read_text())
    assert set(meta["langs"]) == {"ar", "en", "zh"}
    for lang, info in meta["langs"].items():
        assert (MODELS_DIR / task / f"{lang}.parquet").stat().st_size < 5_000_000
        research = [s["name"] for s in info["sets"] if s["licence"] != "permissive"]
        assert info["research_only_used"] == bool(research)
        # research-only data only where the language has no permissive data for the task
        if lang in ("ar", "en"):
            assert not research, (task, lang, research)
    card = (MODELS_DIR / task / "CARD.md").read_text()
    for lang, info in meta["langs"].items():
        for s in info["sets"]:
            assert s["name"] in card, (task, s["name"])


def test_english_models_read_afinn_and_carry_its_terms():
    """AFINN-165 (ODbL) feeds the English models' lexicon tokens: words only
    it lists (not VADER, not config/lexicons) carry its polarity, and the
    model's metadata and card name it with its licence."""
    for task in ("sentiment", "polarity"):
        meta = json.loads((MODELS_DIR / task / "meta.json").read_text())
        assert any("AFINN-165" in s and "ODbL" in s for s in meta["lexicons"]), meta["lexicons"]
        assert "ODbL" in (MODELS_DIR / task / "CARD.md").read_text()
    lex = pl.read_parquet(MODELS_DIR / "sentiment" / "lexicon.parquet").filter(pl.col("lang") == "en")
    cls = dict(zip(lex["tok"].to_list(), lex["lex"].to_list()))
    for word in ("wrongdoing", "deplored", "bribed"):
        assert cls.get(word, "").startswith("<lex-"), (word, cls.get(word))
    assert cls.get("accomplishments", "").startswith("<lex+")


ARTICLES = [
    ("en_neg", "en", "Shares plunged and the lender warned of heavy losses. Investors fear a deep crisis."),
    ("en_pos", "en", "Profits soared to a record and the company raised its outlook. Analysts praised the strong results."),
    ("zh_neg", "zh", "股价暴跌，公司亏损严重，投资者非常失望。"),
    ("zh_pos", "zh", "业绩大幅增长，股价创出新高，投资者十分满意。"),
    ("ar_neg", "ar", "انهارت أسهم الشركة وتكبدت خسائر فادحة وسط مخاوف من أزمة عميقة."),
    ("ar_pos", "ar", "حققت الشركة أرباحا قياسية وارتفعت أسهمها بقوة بعد نتائج ممتازة."),
]


@pytest.fixture(scope="module")
def enriched():
    frame = pl.DataFrame({"article_id": [a for a, _, _ in ARTICLES], "lang": [lang for _, lang, _ in ARTICLES],
                          "title": [None] * len(ARTICLES), "text": [t for _, _, t in ARTICLES]},
                         schema={"article_id": pl.String, "lang": pl.String, "title": pl.String, "text": pl.String})
    return enrich_frame(frame, trust_lang=True)


def test_article_and_sentence_sentiment_point_the_right_way(enriched):
    arts = {r["article_id"]: r for r in enriched.articles.to_dicts()}
    for aid, _, _ in ARTICLES:
        want = aid.split("_")[1]
        assert arts[aid]["sentiment_label"] == ("negative" if want == "neg" else "positive"), arts[aid]
        assert -1 <= arts[aid]["sentiment"] <= 1
    sents = enriched.sentences
    assert {"sentiment", "sentiment_label"} <= set(sents.columns)
    assert sents.filter(pl.col("article_id") == "en_neg", pl.col("sent_idx") > 0)["sentiment"].max() < 0


def test_the_enriched_parquet_carries_sentiment_per_article_and_sentence(enriched, tmp_path):
    from transforms.enrich import write_enriched

    paths = write_enriched(enriched, tmp_path)
    arts = pl.read_parquet(paths["articles"])
    sents = pl.read_parquet(paths["sentences"])
    assert {"tone", "polarity", "sentiment", "sentiment_label"} <= set(arts.columns)
    assert {"article_id", "sent_idx", "sentiment", "sentiment_label"} <= set(sents.columns)
    assert sents["sentiment"].is_between(-1, 1).all()
    assert set(sents["sentiment_label"]) <= {"positive", "negative", "neutral"}


POSTS = [
    # the judgement is in the emoji, or in everyday words news rarely uses
    ("en_emoji", "en", "Picked up the new phone from the shop today 😍😍 #upgrade", "positive"),
    ("en_angry", "en", "Two hours on hold and then they hung up on me 😡👎", "negative"),
    ("en_words", "en", "The museum tour was brilliant and the guide was awesome.", "positive"),
    ("ar_review", "ar", "الاكل روووعة والخدمة ممتازة، انصح فيه", "positive"),
    ("ar_bad", "ar", "الخدمة زفت والاكل بارد ومقرف", "negative"),
    ("ar_not", "ar", "المطعم مش حلو ابدا", "negative"),
    ("zh_review", "zh", "菜很好吃，分量足，送餐也准时，好评！", "positive"),
    ("zh_bad", "zh", "太难吃了，饭都凉了，还有异味，差评", "negative"),
    # 不错 is praise: its 不 must not turn the praise after it into a complaint
    ("zh_not_bad", "zh", "东西不错，用着很舒服", "positive"),
]


def test_posts_and_reviews_read_the_right_way():
    frame = pl.DataFrame({"article_id": [a for a, *_ in POSTS], "lang": [lang for _, lang, *_ in POSTS],
                          "title": [None] * len(POSTS), "text": [t for _, _, t, _ in POSTS]},
                         schema={"article_id": pl.String, "lang": pl.String, "title": pl.String, "text": pl.String})
    arts = {r["article_id"]: r for r in enrich_frame(frame, trust_lang=True).articles.to_dicts()}
    for aid, _, text, want in POSTS:
        got = arts[aid]
        assert got["sentiment_label"] == want, (text, got["sentiment"])
        # the GDELT-style tone sees the same words
        assert (got["tone"] > 0) == (want == "positive") and got["tone"] != 0, (text, got["tone"])


def test_topic_models_do_not_learn_from_emoji():
    """Emoji say how a text feels, not what it is about; the sentiment
    models may use them (the Arabic tweets are full of them)."""
    from transforms.normalize import EMOJI

    for lang in ("ar", "en", "zh"):
        table = pl.read_parquet(MODELS_DIR / "topics" / f"{lang}.parquet")
        assert table.filter(pl.col("tok").str.contains(EMOJI)).is_empty(), lang
    assert not pl.read_parquet(MODELS_DIR / "sentiment" / "ar.parquet").filter(
        pl.col("tok").str.contains(EMOJI)).is_empty()


def test_empty_headline_does_not_dilute_the_article(enriched):
    sents = enriched.sentences.filter(pl.col("article_id") == "en_pos")
    head = sents.filter(pl.col("sent_idx") == 0).row(0, named=True)
    assert head["sentiment"] == 0 and head["sentiment_label"] == "neutral"
    body = sents.filter(pl.col("sent_idx") > 0)["sentiment"].mean()
    art = enriched.articles.filter(pl.col("article_id") == "en_pos")["sentiment"].item()
    assert art == pytest.approx(body, abs=1e-3)


def test_a_given_lang_is_kept_when_trusted_and_detection_wins_otherwise():
    # German by its words, labelled English by the caller
    frame = pl.DataFrame({"article_id": ["x"], "lang": ["en"], "title": [None],
                          "text": ["Die Regierung hat heute neue Regeln für die Wirtschaft beschlossen."]},
                         schema={"article_id": pl.String, "lang": pl.String, "title": pl.String, "text": pl.String})
    assert enrich_frame(frame, trust_lang=True).articles["lang"].item() == "en"
    assert enrich_frame(frame).articles["lang"].item() == "de"


def test_a_language_without_a_model_falls_back_to_the_lexicon():
    """A permissive-only build has no Chinese sentiment models: Chinese
    sentences then take the lexicon's score, the other languages the models'."""
    from dataclasses import replace

    from transforms.linear import cached_model

    def without_zh(model):
        return replace(model, weights=model.weights.filter(pl.col("lang") != "zh"),
                       intercepts=model.intercepts.filter(pl.col("lang") != "zh"),
                       langs=tuple(lang for lang in model.langs if lang != "zh"))

    models = (without_zh(cached_model("sentiment")), without_zh(cached_model("polarity")), cached_model("topics"))
    frame = pl.DataFrame({"article_id": [a for a, _, _ in ARTICLES], "lang": [lang for _, lang, _ in ARTICLES],
                          "title": [None] * len(ARTICLES), "text": [t for _, _, t in ARTICLES]})
    full = {r["article_id"]: r["sentiment"] for r in enrich_frame(frame).articles.iter_rows(named=True)}
    got = {r["article_id"]: r["sentiment"] for r in enrich_frame(frame, models=models).articles.iter_rows(named=True)}
    assert got["zh_pos"] > 0 > got["zh_neg"]
    assert got["zh_pos"] != full["zh_pos"]  # the model's share is gone
    for aid in ("en_pos", "en_neg", "ar_pos", "ar_neg"):
        assert got[aid] == full[aid]


def test_a_row_with_no_key_is_read_in_no_group():
    """model_probabilities leaves the ends of the straddling tiling out this
    way: the groups around them read as if those rows were not there."""
    from transforms.linear import cached_model

    model = cached_model("topics")
    texts = ["Chip makers raised prices", "The central bank cut rates", "Parliament passed the budget",
             "Exports to Europe grew", "Tariffs hit car makers"]
    frame = with_word_forms(pl.DataFrame({"text": texts, "lang": ["en"] * 5}).with_row_index("sid"), "text")
    keyed = frame.with_columns(pl.Series("g", [None, 7, 7, None, 9], dtype=pl.Int64))
    got = class_probabilities(keyed, model, "g").collect().sort("g")
    assert got["g"].to_list() == [7, 9]
    alone = class_probabilities(keyed.filter(pl.col("g").is_not_null()), model, "g").collect().sort("g")
    assert got.equals(alone)


@pytest.mark.parametrize("order", ["by language", "interleaved"])
def test_each_arabic_word_carries_the_stem_training_read(order):
    """The stem key of every Arabic text unit is the key of the "~stem" the
    training tokenizer makes of that word (0 where it makes none), whether
    a language's rows are together (one slice of units) or not."""
    from transforms.features import _AR_CLITIC
    from transforms.feature_keys import STEM_SEED, units

    texts = [("ar", "وبالذكاء الاصطناعي والشركات للنموذج في الصين"), ("en", "The model ships"),
             ("ar", "فالبورصة بالذكاء وللشركات ولد"), ("zh", "深度求索发布模型"), ("ar", "الذكاء و ب")]
    rows = texts if order == "interleaved" else sorted(texts, key=lambda t: t[0])
    frame = with_word_forms(pl.DataFrame({"lang": [r[0] for r in rows], "text": [r[1] for r in rows]})
                            .with_row_index("sid").with_columns(pl.col("sid").cast(pl.Int64)), "text")
    got = units(frame)
    arabic = frame.filter(pl.col("lang") == "ar")
    words = pl.Series([w for text in arabic["words"] for w in text.split()])
    stems = words.str.extract(_AR_CLITIC, 1)
    keys = iter(0 if stem is None else key for stem, key in zip(stems, stems.hash(STEM_SEED)))
    want = [next(keys) if sid in arabic["sid"].to_list() else 0 for sid in got["sid"]]
    assert got.filter(pl.col("sid").is_in(arabic["sid"].implode())).height == words.len()
    assert got["stem"].to_list() == want
    assert sum(k != 0 for k in want) >= 6
