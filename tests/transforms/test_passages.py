"""Long commentary is read passage by passage by the topic classifier
(transforms.topics.Gate.passage_words): a piece that spends its first
part on the economy and the rest on AI is about both, though a classifier
that learnt one topic per text, reading it whole, gives the economy too
little to let its phrases stand."""
from __future__ import annotations

import json
from dataclasses import replace

import polars as pl
import pytest

from transforms import topics
from transforms.evaluate import EVAL_DIR
from transforms.linear import cached_model, joint_probabilities
from transforms.model_scores import model_probabilities
from transforms.segment import with_word_forms
from transforms.sentences import split_sentences

from tests.transforms.stories import topics_by_story

# Self-written gate articles (tests/eval) run together into one commentary
# of 550-750 words that opens on the economy (the central bank and the yuan;
# falling prices and weak spending; a developer's bonds) and turns to AI
# models, chips, export controls and open source; with the economy-class
# root its opening is about.
PIECES = {"ar": (("ar-a-09", "ar-a-01", "ar-a-03", "ar-a-08"), "economy"),
          "zh": (("zh-a-02", "zh-a-01", "zh-a-04", "zh-a-08"), "economy"),
          "en": (("en-a-06", "en-a-01", "en-a-03", "en-a-07"), "markets")}


def _commentary(lang: str) -> str:
    texts = {r["id"]: r["text"] for r in map(json.loads, (EVAL_DIR / f"articles_{lang}.jsonl").open(encoding="utf-8"))}
    return "\n".join(texts[i] for i in PIECES[lang][0])


@pytest.mark.parametrize("lang", ["ar", "zh", "en"])
def test_a_long_commentary_keeps_the_topic_of_its_first_part(lang):
    got = topics_by_story([("c", lang, _commentary(lang))])["c"]
    assert {PIECES[lang][1], "technology"} <= got


@pytest.mark.parametrize("lang", ["ar", "zh", "en"])
def test_read_whole_the_same_commentary_loses_it(lang, monkeypatch):
    # what the passages are for: read whole, the classifier vetoes the
    # economy's phrases (ar, zh), or they are too sparse over the whole
    # text for a long English one
    monkeypatch.setitem(topics.GATES, lang, replace(topics.GATES[lang], passage_words=topics.NEVER))
    got = topics_by_story([("c", lang, _commentary(lang))])["c"]
    assert "technology" in got and PIECES[lang][1] not in got


def _sentences(texts: list[str], lang: str) -> pl.DataFrame:
    frame = pl.DataFrame({"article_id": [str(i) for i in range(len(texts))], "lang": [lang] * len(texts),
                          "title": [None] * len(texts), "text": texts}, schema_overrides={"title": pl.String})
    return with_word_forms(split_sentences(frame), "sentence")


def test_passages_are_even_runs_of_whole_sentences():
    limit = topics.GATES["ar"].passage_words
    # ten sentences of 60 words: 600 words make ceil(600 / limit) passages of equal size
    sentence = " ".join(["كلمة"] * 59) + " نهاية."
    sents = _sentences([" ".join([sentence] * 10)], "ar").filter(pl.col("sent_idx") > 0)
    passages = topics.with_passages(sents)["passage"].to_list()
    parts = -(-600 // limit)
    sizes = sorted(pl.Series(passages).value_counts()["count"].to_list())
    assert len(sizes) == parts and sizes[-1] - sizes[0] <= 1
    assert passages == sorted(passages)  # contiguous: a passage never skips back


def test_a_text_within_the_limit_is_read_whole_as_before():
    texts = ["تراجعت أسهم شركات الرقائق بعد قيود التصدير الأمريكية الجديدة.",
             "أعلن البنك المركزي خفض سعر الفائدة لدعم النمو الاقتصادي."]
    sents = _sentences(texts, "ar")
    models = (cached_model("sentiment"), cached_model("polarity"), cached_model("topics"))
    whole = joint_probabilities(sents, models, ("sid", "sid", "article_id"))[2].collect().sort("article_id")
    got = model_probabilities(sents, models)[2].collect().sort("article_id").select(whole.columns)
    assert got.equals(whole)


def test_a_line_break_starts_a_paragraph_and_blank_lines_do_not_count_twice():
    sents = _sentences(["First point. Still the first.\n\n  Second point.\nThird point. More of it."], "en")
    body = sents.filter(pl.col("sent_idx") > 0)
    assert body["para_idx"].to_list() == [0, 0, 1, 2, 2]
    assert body["sentence"].to_list()[2] == "Second point."


def test_a_paragraph_within_the_limit_is_never_cut():
    limit = topics.GATES["ar"].passage_words
    # three paragraphs of 0.6 limit words each: ceil(1.8) = 2 passages; the
    # even cut falls inside the second paragraph, which goes whole into the
    # passage it starts in rather than being split between two subjects
    sentence = " ".join(["كلمة"] * 29) + " نهاية."
    paragraph = " ".join([sentence] * (limit * 6 // 10 // 30))
    sents = _sentences(["\n".join([paragraph] * 3)], "ar").filter(pl.col("sent_idx") > 0)
    got = topics.with_passages(sents)
    per_paragraph = got.group_by("para_idx").agg(pl.col("passage").n_unique())["passage"].to_list()
    assert per_paragraph == [1, 1, 1]
    assert got["passage"].n_unique() == 2


def test_the_straddling_tiling_reads_across_each_inner_cut_of_the_first():
    limit = topics.GATES["ar"].passage_words
    # one paragraph of 5 limits' words: five passages, cut at 1, 2, 3 and 4 limits
    sentence = " ".join(["كلمة"] * 49) + " نهاية."
    sents = _sentences([" ".join([sentence] * (limit // 10))], "ar").filter(pl.col("sent_idx") > 0)
    got = topics.with_passages(sents)
    inner = got.filter(pl.col("straddling") >= 0)
    # four inner passages of a limit each, from half a passage to half a passage before the end
    sizes = inner.group_by("straddling").agg(pl.col("word_count").sum())["word_count"].to_list()
    assert len(sizes) == 4 and all(abs(s - limit) <= 50 for s in sizes)
    # each holds the end of one passage of the first tiling and the start of the next
    assert inner.group_by("straddling").agg(pl.col("passage").n_unique())["passage"].to_list() == [2] * 4
    # the two half-length ends are not read: one key, no passage's
    ends = got.filter(pl.col("straddling") < 0)
    assert ends["straddling"].n_unique() == 1 and ends["word_count"].sum() == pytest.approx(limit, abs=50)


def test_a_text_of_two_passages_gets_no_straddling_passage():
    limit = topics.GATES["ar"].passage_words
    sentence = " ".join(["كلمة"] * 49) + " نهاية."
    sents = _sentences([" ".join([sentence] * (limit * 2 // 50))], "ar").filter(pl.col("sent_idx") > 0)
    got = topics.with_passages(sents)
    assert got["passage"].n_unique() == 2 and (got["straddling"] < 0).all()


# A 1,600-word English piece (four passages of 400 words, cut at words 400,
# 800 and 1,200) that spends a stretch either side of its first cut on
# inflation: two mentions fall in the first passage and two in the second.
_RIVER = "The walkers crossed the old stone bridge and watched the boats drift slowly along the quiet river at early dusk."
_PRICES = "Shopkeepers in the small northern town said inflation had made bread and milk dearer again over the long cold winter."


def _piece(at: tuple[int, ...]) -> str:
    return " ".join(_PRICES if i in at else _RIVER for i in range(80))


def test_a_subject_across_a_cut_is_as_dense_as_the_passage_that_straddles_it(monkeypatch):
    assert len(_RIVER.split()) == len(_PRICES.split()) == 20
    economy = {"economy", "markets", "trade"}
    # four mentions in 1,600 words: too sparse for the whole text (2.5 per 1,000),
    # and 5 per 1,000 in each passage of the first tiling, below English's 7;
    # the passage from word 200 to 600 holds all four (10 per 1,000)
    straddled = _piece((17, 18, 21, 22))
    assert topics_by_story([("p", "en", straddled)])["p"] & economy
    # the same four mentions far apart are a passing subject, not a part of the piece
    assert not topics_by_story([("p", "en", _piece((2, 30, 50, 77)))])["p"] & economy
    # read in the first tiling alone, the stretch across its cut is lost
    tiled = topics.with_passages
    monkeypatch.setattr(topics, "with_passages", lambda sents: tiled(sents).with_columns(
        (-1 - pl.col("sid").first().over("article_id")).alias("straddling")))
    assert not topics_by_story([("p", "en", straddled)])["p"] & economy
