"""The topic gate: the same classifier output and phrase hits give each
language's own verdict (transforms.topics.GATES), as cross-validation chose."""
from __future__ import annotations

import polars as pl

from transforms import topics
from transforms.vocab import cached_vocabulary


def _tags(lang: str, p_politics: float, root_hits: int, word_count: int, gates=None,
          phrase_root: str | None = "geopolitics", rate: float | None = None) -> set[str]:
    """Roots kept for one article whose phrases found `root_hits` under
    `phrase_root` and, when there are any, triggered it; `rate` is their
    number per 1,000 words in the densest passage, if known."""
    triggered = [phrase_root] if phrase_root and root_hits else []
    assigned = pl.LazyFrame({"article_id": ["a"] * len(triggered), "topic_id": triggered,
                             "is_direct": [True] * len(triggered)},
                            schema={"article_id": pl.String, "topic_id": pl.String, "is_direct": pl.Boolean})
    probs = pl.LazyFrame({"article_id": ["a"], "p_economy": [0.0], "p_other": [1.0 - p_politics],
                          "p_politics": [p_politics], "p_technology": [0.0]})
    counts = pl.LazyFrame({"article_id": ["a"], "topic_id": [phrase_root], "hits": [root_hits], "rate": [rate]},
                          schema_overrides={"rate": pl.Float64})
    words = pl.LazyFrame({"article_id": ["a"], "word_count": [word_count], "lang": [lang]})
    got = topics._gated(assigned, probs, counts, words, cached_vocabulary().taxonomy, gates).collect()
    return set(got["topic_id"].to_list())


def test_a_phrase_topic_stands_where_its_language_lets_the_classifier_vouch():
    # P(politics) .3: enough for an English or Arabic phrase topic, not for a Chinese one
    assert _tags("en", 0.3, 1, 100) == {"geopolitics"}
    assert _tags("ar", 0.3, 1, 400) == {"geopolitics"}
    assert _tags("zh", 0.3, 1, 400) == set()


def test_density_overrides_an_unsure_classifier_per_language():
    # one hit in a 15-word sentence is dense for Chinese (>= 1 hit, >= 5 per 100 words) ...
    assert _tags("zh", 0.05, 1, 15) == {"geopolitics"}
    # ... but English wants three hits; with three in 200 words (1.5 per 100) it stands
    assert _tags("en", 0.05, 1, 15) == set()
    assert _tags("en", 0.05, 3, 200) == {"geopolitics"}


def test_the_classifier_alone_tags_a_root_at_its_language_threshold():
    # English politics alone needs .6 (it claims news-like text of every kind); Arabic .4
    # (in a headline-sized text: a long one also needs a politics phrase, below)
    assert "politics" not in _tags("en", 0.5, 0, 40)
    assert "politics" in _tags("en", 0.65, 0, 40)
    assert "politics" in _tags("ar", 0.5, 0, 400)


def test_an_unknown_language_gets_the_default_gate():
    gates = {"xx": topics._even(0.9, 0.95, 10**6, 1.0)}
    assert _tags("xx", 0.5, 1, 400, gates) == set()
    assert _tags("de", 0.5, 1, 400, gates) == {"geopolitics", "politics"}


def test_in_a_long_english_article_the_phrases_decide():
    # the English classifier never read more than 54 words: beyond 150 it
    # vetoes no phrase topic, however unsure it is, where the root's phrases
    # are dense enough (7 per 1,000 words) ...
    assert _tags("en", 0.0, 3, 400) == {"geopolitics"}
    assert _tags("en", 0.0, 1, 100) == set()
    # ... and vouches for none: two passing mentions do not make a long piece political
    assert _tags("en", 0.9, 2, 400) == set()
    # ... while Chinese, which learnt from articles, keeps its veto
    assert _tags("zh", 0.0, 1, 400) == set()


def test_english_politics_alone_needs_a_politics_phrase_in_a_long_article():
    def alone(lang: str, politics_hits: int, word_count: int) -> bool:
        return "politics" in _tags(lang, 0.9, politics_hits, word_count, phrase_root="politics")
    # a headline-trained classifier sure of politics is trusted on a headline ...
    assert alone("en", 0, 40)
    # ... but a 600-word business story it calls politics needs politics
    # phrases too, as many as any long English root needs (7 per 1,000 words)
    assert not alone("en", 0, 600)
    assert not alone("en", 1, 600)
    assert alone("en", 5, 600)
    # Arabic learnt from articles: no such limit
    assert alone("ar", 0, 600)


def test_a_long_english_text_is_as_dense_as_its_densest_passage():
    # three hits in 1,600 words are 1.9 per 1,000: too sparse for the whole text ...
    assert _tags("en", 0.0, 3, 1600) == set()
    # ... but all in one 400-word passage they are 7.5 per 1,000 there
    assert _tags("en", 0.0, 3, 1600, rate=7.5) == {"geopolitics"}
    assert _tags("en", 0.0, 3, 1600, rate=5.0) == set()
