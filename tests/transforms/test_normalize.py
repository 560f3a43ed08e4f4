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


def test_fast_passes_give_the_plain_passes_result():
    """The one-table fold and the squeeze that skips lone spaces (transforms.normalize)
    give what a regex per step gives, on separator runs of every shape."""
    import random

    from transforms.normalize import _AR_ELONGATED, _AR_ONE, EMOJI, dense_text
    rng = random.Random(3)
    pieces = [" ", "  ", "\t", "\n", ",", ", ", " ,", " , ", "--", "😍", "a", "Ab", "أحمد", "َ", "ـ", "ٰ",
              "ة", "ئ", "中文", "7", "\u00a0", " \u00a0 ", "!?", "روووعة"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 12))) for _ in range(3000)]
    plain = (pl.col("t").fill_null("").str.to_lowercase().str.replace_all(r"[\u064B-\u065F\u0670\u0640]", "")
             .str.replace_many(["أ", "إ", "آ", "ٱ", "ى", "ة", "ؤ", "ئ"], ["ا", "ا", "ا", "ا", "ي", "ه", "و", "ي"])
             .str.replace_all(_AR_ELONGATED, _AR_ONE)
             .str.replace_all(EMOJI, " $0 ").str.replace_all(r"[^\p{L}\p{N}\p{Extended_Pictographic}]+", " "))
    frame = pl.DataFrame({"t": texts + [None]})
    assert frame.select(dense_text(pl.col("t"))).to_series().equals(frame.select(plain).to_series())


def test_the_compiled_word_forms_equal_the_expressions():
    """Enrichment cuts word forms in one compiled pass (transforms.kernels.word_forms)
    from tables read off the expressions; training, the patterns and the rare
    text the tables cannot fold (Σ, İ) use the expressions. A text must come
    out the same either way, or a phrase or a model token stops matching."""
    import random

    from transforms.segment import _by_expression
    rng = random.Random(5)
    pieces = [" ", "  ", "\t", "\n", ",", " , ", "--", "😍", "👍🏽", "❤️", "a", "Ab", "AI", "أحمد", "وبالذكاء", "َ",
              "ـ", "ة", "ئ", "روووعة", "ءءء", "中文", "經濟", "2025年", "7", "\u00a0", "\u200d", "!?", "…", "ÉTÉ",
              "ΣΑΣ", "İstanbul", "ǅ", "ﬁ", "𝐀", "①", "Ⅻ", "ß"]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 14))) for _ in range(3000)] + [None, ""]
    frame = pl.DataFrame({"body": texts, "lang": [rng.choice(["ar", "en", "zh"]) for _ in texts]})
    compiled, expressions = with_word_forms(frame), _by_expression(frame, "body")
    for col in ("dense", "words", "word_count"):
        assert compiled[col].equals(expressions[col]), col


def test_the_compiled_sentence_cut_equals_the_expressions():
    """Sentences are cut in one compiled pass (transforms.kernels.sentences);
    the rules are those the expressions state: a line break (with the white
    space around it) starts a paragraph, a Latin stop ends a sentence only
    before white space, a CJK or Arabic one wherever it stands, the headline
    is sentence 0, empty pieces are dropped but keep their index."""
    import random

    from transforms.sentences import _by_expression, split_sentences
    rng = random.Random(7)
    pieces = [" ", "\n", "\n\n", " \n ", "\r\n", "\t", "\u00a0", "\u2028", "\x1e", ".", ". ", "3.5%", "U.S.-made",
              "!", "? ", ";", ": ", "。", "！", "؟", "؛", "Word", "كلمة", "中文", "😍", ""]
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randrange(0, 16))) for _ in range(3000)]
    frame = pl.DataFrame({"article_id": [f"a{i}" for i in range(len(texts) + 2)], "lang": "en",
                          "title": [rng.choice(["", " Head ", "\x1eHead", None]) for _ in range(len(texts) + 2)],
                          "text": texts + [None, ""]})
    assert split_sentences(frame).equals(_by_expression(frame))
