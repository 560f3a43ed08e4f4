"""The tuning scripts (transforms.train.tune_topics, tune_sentiment) enrich
each cross-validation fold for real and capture what a step reads inside the
tagging step, where articles are integer codes: named again, each captured
row must be the article it came from."""
from __future__ import annotations

import polars as pl

from transforms import topics
from transforms.linear import cached_model
from transforms.train.fit import enrich_fold, fold_names


def test_a_fold_is_one_piece_and_its_captured_rows_name_their_articles(monkeypatch):
    texts = ["Shares fell.",
             "Unused row that the fold leaves out.",
             "The central bank raised interest rates again as inflation stayed high, and stock markets fell "
             "for a third day while investors sold bank shares and bought government bonds.",
             "Chipmakers rallied after the new AI model launched."]
    captured = []
    real = topics._gated

    def spy(assigned, probs, counts, words, taxonomy, gates=None):
        captured.append(words.collect())
        return real(assigned, probs, counts, words, taxonomy, gates)

    monkeypatch.setattr(topics, "_gated", spy)
    monkeypatch.setattr("transforms.enrich.PIECE", 2)  # smaller than the fold: enrich_fold must still make one piece
    rows = [3, 0, 2]
    enrich_fold(texts, rows, "en", (cached_model("sentiment"), cached_model("polarity"), cached_model("topics")))
    assert len(captured) == 1
    named = {r["article_id"]: r["word_count"] for r in fold_names(captured[0], rows).iter_rows(named=True)}
    assert set(named) == {"0", "2", "3"}
    assert named["0"] == 2 and named["2"] > named["3"] > named["0"]
