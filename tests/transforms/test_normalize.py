"""Word forms that posts and reviews need: emoji as words, Arabic elongation folded."""
from __future__ import annotations

import polars as pl
import pytest

from transforms.normalize import tokens_text
from transforms.segment import with_word_forms


def words(text: str) -> str:
    return pl.DataFrame({"t": [text]}).select(tokens_text(pl.col("t"))).item()


@pytest.mark.parametrize("text, expected", [
    ("love it😍😍!", " love it 😍 😍 "),           # glued to a word and to each other
    ("great job 👍🏽", " great job 👍 "),            # skin tone dropped
    ("I ❤️ it", " i ❤ it "),                         # text/emoji presentation selector dropped
    ("روووعة خطييييير", " روعه خطير "),              # elongation read as one letter
    ("حقق الفريق", " حقق الفريق "),                  # a letter written twice is spelling: kept
    ("GDP grew 1000 times", " gdp grew 1000 times "),  # digits and Latin untouched
])
def test_word_forms_of_posts_and_reviews(text, expected):
    assert words(text) == expected


def test_an_emoji_counts_as_one_word_and_plain_news_counts_as_before():
    f = with_word_forms(pl.DataFrame({"body": ["Shares rose 😍 today.", "Shares rose today."],
                                      "lang": ["en", "en"]}))
    assert f["word_count"].to_list() == [4, 3]
