"""Enrichment on small literal articles in the three languages."""
from __future__ import annotations

from datetime import datetime, timezone

import polars as pl
import pytest

from transforms.enrich import enrich_frame

EN_POS = ("DeepSeek released new language models this week. The breakthrough lifted shares "
          "in China, and analysts expect strong growth for artificial intelligence firms. "
          "Tencent said its AI assistant now runs on the same model.")
EN_NEG = ("Chip sanctions deepened the crisis for semiconductors makers in China. Shares "
          "fell in a slump as the outlook turned weak, and the chips shortage is not "
          "ending soon.")
AR = ("أعلنت شركة DeepSeek عن نموذج جديد للذكاء الاصطناعي، وقالت تينسنت إنها ستعتمد النموذج "
      "في تطبيقاتها. ويرى محللون أن هذا الاختراق قد يدعم انتعاش الأسهم في الصين والبورصة.")
ZH = "深度求索发布新的大模型，腾讯宣布接入该模型。分析人士认为，这一突破将推动中国股市反弹，科技股持续增长，不断创新。"


def frame(rows):
    return pl.DataFrame(rows).with_columns(
        pl.col("published_at").str.to_datetime(time_zone="UTC"))


ROWS = [
    {"article_id": "en_pos", "title": "DeepSeek models rally", "text": EN_POS, "published_at": "2026-11-20T09:00:00Z"},
    {"article_id": "en_neg", "title": "Chip slump", "text": EN_NEG, "published_at": "2026-11-21T09:00:00Z"},
    {"article_id": "ar", "title": "اختراق جديد", "text": AR, "published_at": "2026-11-21T09:00:00Z"},
    {"article_id": "zh", "title": "深度求索突破", "text": ZH, "published_at": "2026-11-22T09:00:00Z"},
    {"article_id": "en_copy", "title": "DeepSeek models rally (wire)",
     "text": EN_POS + " Republished with permission.", "published_at": "2026-11-23T09:00:00Z"},
]


@pytest.fixture(scope="module")
def enriched(test_vocab):
    return enrich_frame(frame(ROWS), test_vocab)


def by_id(df):
    return {r["article_id"]: r for r in df.to_dicts()}


def test_language_is_detected_per_article(enriched):
    langs = {k: v["lang"] for k, v in by_id(enriched.articles).items()}
    assert langs == {"en_pos": "en", "en_neg": "en", "ar": "ar", "zh": "zh", "en_copy": "en"}


def test_entities_map_every_language_to_one_id(enriched):
    ents = enriched.entities.group_by("article_id").agg(pl.col("entity_id").sort())
    got = {r["article_id"]: r["entity_id"] for r in ents.to_dicts()}
    assert got["en_pos"] == ["china", "deepseek", "tencent"]
    assert got["ar"] == ["china", "deepseek", "tencent"]   # الصين with و attached, تينسنت
    assert got["zh"] == ["china", "deepseek", "tencent"]   # 深度求索, 腾讯, 中国


def test_topics_roll_up_to_parents(enriched):
    t = enriched.topics.filter(pl.col("article_id") == "en_pos")
    rows = {r["topic_id"]: r for r in t.to_dicts()}
    assert rows["ai_models"]["is_direct"]
    assert "ai" in rows and "technology" in rows
    assert rows["technology"]["is_direct"] is False
    assert rows["stock_markets"]["hits"] == 1


def test_exclusion_and_min_hits(test_vocab):
    res = enrich_frame(frame([{
        "article_id": "snack", "title": "Snacks", "published_at": "2026-11-20T09:00:00Z",
        "text": "The potato chips maker reported that chips sales held up in the town market this summer, "
                "while the weather stayed mild and the festival drew visitors from the region.",
    }]), test_vocab)
    assert "semiconductors" not in res.topics["topic_id"].to_list()


def test_tone_follows_gdelt_definition(enriched):
    arts = by_id(enriched.articles)
    pos, neg = arts["en_pos"], arts["en_neg"]
    assert pos["tone"] > 0 > neg["tone"]
    for a in arts.values():
        assert a["tone"] == pytest.approx(a["positive"] - a["negative"], abs=1e-3)
        assert a["polarity"] == pytest.approx(a["positive"] + a["negative"], abs=1e-3)
    # "breakthrough", "rally", "strong", "growth" over the word count (title included)
    assert pos["positive"] == pytest.approx(4 * 100 / pos["word_count"], abs=1e-3)


def test_negation_flips_the_term(test_vocab):
    res = enrich_frame(frame([{
        "article_id": "neg", "title": "Outlook", "published_at": "2026-11-20T09:00:00Z",
        "text": "Analysts said the recovery is not strong and the quarter brought no growth for the exporters.",
    }]), test_vocab)
    row = res.articles.to_dicts()[0]
    assert row["positive"] == 0 and row["negative"] > 0


def test_chinese_negator_inside_a_word_is_not_negation(enriched):
    zh = by_id(enriched.articles)["zh"]
    # 突破 (twice, with the title), 反弹, 增长 are positive; 不断 is "continuously", not 不
    assert zh["negative"] == 0
    assert zh["positive"] > 0


def test_arabic_clitics_are_matched(enriched):
    ar = by_id(enriched.articles)["ar"]
    assert ar["positive"] > 0  # اختراق and انتعاش
    topics = enriched.topics.filter(pl.col("article_id") == "ar")["topic_id"].to_list()
    assert "ai_models" in topics  # نموذج + النموذج (with ال: listed) + للذكاء


def test_near_copy_points_to_original(enriched):
    arts = by_id(enriched.articles)
    assert arts["en_copy"]["dup_of"] == "en_pos"
    assert all(arts[k]["dup_of"] is None for k in ("en_pos", "en_neg", "ar", "zh"))


def test_versions_are_stamped(enriched):
    assert set(enriched.articles["taxonomy_version"]) == {"test-1"}
    assert enriched.articles["lexicon_version"][0] == "ar:test-1+en:test-1+zh:test-1+emoji:test-1"


def test_nested_names_of_one_class_count_once(test_vocab):
    res = enrich_frame(frame([{
        "article_id": "zh_nest", "title": "出口管制", "published_at": "2026-11-20T09:00:00Z",
        "text": "美国商务部周二宣布新的出口管制措施，中国人民银行表示将保持流动性合理充裕，市场反应平稳，投资者继续观察后续政策。",
    }]), test_vocab)
    ents = set(res.entities["entity_id"].to_list())
    assert "us_commerce" in ents and "mofcom" not in ents   # 商务部 inside 美国商务部
    assert {"pboc", "china"} <= ents                         # 中国 inside 中国人民银行 is a place in an institution


def test_chinese_lexicon_words_survive_segmentation(test_vocab):
    res = enrich_frame(frame([{
        "article_id": "zh_lex", "title": "财报", "published_at": "2026-11-20T09:00:00Z",
        "text": "腾讯第三季度营收超预期，公司管理层对明年的广告业务和云计算业务表示乐观，并计划继续投入研发。",
    }]), test_vocab)
    assert res.articles["positive"][0] > 0   # 超预期 is one lexicon word, not 超 + 预期


def test_sentiment_toward_each_entity_comes_from_its_sentences(test_vocab):
    res = enrich_frame(frame([{
        "article_id": "mixed", "title": "Two stories", "published_at": "2026-11-20T09:00:00Z",
        "text": "DeepSeek delivered a breakthrough and strong growth this quarter. "
                "Meanwhile China slid deeper into crisis as sanctions bit and demand stayed weak.",
    }]), test_vocab)
    ents = {r["entity_id"]: r for r in res.entities.to_dicts()}
    assert ents["deepseek"]["sentiment_label"] == "positive"
    assert ents["china"]["sentiment_label"] == "negative"
    assert ents["deepseek"]["first_sentence"] == 1  # 0 is the headline


def test_phrases_that_contain_a_negator_do_not_negate(test_vocab):
    res = enrich_frame(frame([{
        "article_id": "nn", "title": "Outlook", "published_at": "2026-11-20T09:00:00Z",
        "text": "Exporters reported not only growth but a rally in orders across the region this month.",
    }]), test_vocab)
    assert res.articles["negative"][0] == 0 and res.articles["positive"][0] > 0


def test_negation_stops_at_the_sentence_end(test_vocab):
    res = enrich_frame(frame([{
        "article_id": "stop", "title": "x", "published_at": "2026-11-20T09:00:00Z",
        "text": "It was not. Growth returned.",
    }]), test_vocab)
    assert res.articles["positive"][0] > 0 and res.articles["negative"][0] == 0


def test_opinion_is_told_from_news(test_vocab):
    res = enrich_frame(frame([
        {"article_id": "op", "title": "Why I think the rally will last", "url": "https://ex.org/opinion/rally",
         "published_at": "2026-11-20T09:00:00Z",
         "text": "I think the rally in China has further to run. In my view we are seeing strong growth."},
        {"article_id": "news", "title": "Shares rise", "url": "https://ex.org/markets/2026/11/20/shares",
         "published_at": "2026-11-20T09:00:00Z",
         "text": "Shares in Hong Kong rose on Friday after the central bank cut a key rate by a quarter point."},
    ]), test_vocab)
    label = dict(res.articles.select("article_id", "is_opinion").iter_rows())
    assert label == {"op": True, "news": False}


def test_results_do_not_depend_on_row_order(test_vocab, enriched):
    """Reruns must reproduce the warehouse exactly, whatever order rows arrive in."""
    rows = [
        {"article_id": k, "title": t, "text": x, "published_at": p} for k, t, x, p in [
            ("en_pos", "DeepSeek models rally", EN_POS, "2026-11-20T09:00:00Z"),
            ("en_neg", "Chip slump", EN_NEG, "2026-11-21T09:00:00Z"),
            ("ar", "اختراق جديد", AR, "2026-11-21T09:00:00Z"),
            ("zh", "深度求索突破", ZH, "2026-11-22T09:00:00Z"),
            ("en_copy", "DeepSeek models rally (wire)", EN_POS + " Republished with permission.", "2026-11-23T09:00:00Z"),
        ]][::-1]
    again = enrich_frame(frame(rows), test_vocab)
    for name in ("articles", "topics", "entities"):
        a = getattr(enriched, name).sort(pl.all())
        b = getattr(again, name).select(getattr(enriched, name).columns).sort(pl.all())
        assert a.equals(b), name


def test_pieces_in_threads_give_the_batch_result(test_vocab, enriched, monkeypatch):
    """A large batch is enriched piece by piece on several threads; the
    result must not depend on it, and a copy in another piece than its
    original is still found."""
    import transforms.enrich as enrich

    monkeypatch.setattr(enrich, "MIN_PER_WORKER", 1)
    # five articles, three pieces on two threads, cut in id order: (ar, en_copy), (en_neg, en_pos), (zh),
    # so the copy and its original are in different pieces
    monkeypatch.setattr(enrich, "PIECE", 2)
    for rows in (ROWS, ROWS[::-1]):
        sliced = enrich_frame(frame(rows), test_vocab, workers=2)
        for name in ("articles", "topics", "entities", "sentences"):
            assert getattr(sliced, name).equals(getattr(enriched, name)), name
        assert by_id(sliced.articles)["en_copy"]["dup_of"] == "en_pos"


SORTED_BY = {"articles": ["article_id"], "topics": ["article_id", "topic_id"],
             "entities": ["article_id", "entity_id"], "sentences": ["article_id", "sent_idx"]}


def test_tables_come_sorted_by_their_keys(test_vocab, monkeypatch):
    """Each piece sorts its own rows and the pieces follow in id order; an
    id given twice (two pieces may then hold it) has the batch sort at the end."""
    import transforms.enrich as enrich

    monkeypatch.setattr(enrich, "MIN_PER_WORKER", 1)
    monkeypatch.setattr(enrich, "PIECE", 2)
    twice = [*ROWS[::-1], {**ROWS[2], "text": ZH, "published_at": "2026-11-24T09:00:00Z"}]
    for rows in (ROWS[::-1], twice):
        res = enrich_frame(frame(rows), test_vocab, workers=2)
        assert res.articles.height == len(rows)
        for name, keys in SORTED_BY.items():
            table = getattr(res, name)
            assert not table.is_empty() and table.equals(table.sort(keys)), name


def test_an_empty_batch_gives_empty_tables_with_their_columns(test_vocab):
    empty = pl.DataFrame(schema={"article_id": pl.String, "lang": pl.String, "title": pl.String, "text": pl.String})
    res = enrich_frame(empty, test_vocab)
    assert res.articles.is_empty() and res.topics.is_empty() and res.entities.is_empty()
    assert res.topics.schema == {"article_id": pl.String, "topic_id": pl.String, "hits": pl.Int64,
                                 "score": pl.Float64, "is_direct": pl.Boolean, "sentiment": pl.Float64,
                                 "sentiment_label": pl.String}
    assert res.entities.columns == ["article_id", "entity_id", "mentions", "first_sentence", "sentiment",
                                    "sentiment_label"]
