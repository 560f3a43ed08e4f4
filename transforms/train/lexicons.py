"""The lexicon a sentiment model reads beside its tokens (features.with_lexicon_tokens).

mediamon's own tone lexicons (config/lexicons, written for this project) in
every language, and VADER (MIT) and AFINN-165 (ODbL 1.0) for English. These
may ship; the other established lexicons in ../shared/data are research-only
and stay out."""
from __future__ import annotations

import polars as pl

from transforms.features import lexicon_table
from transforms.realdata import DATA_DIR
from transforms.vocab import load_vocabulary

SHIPPED_LEXICONS = ["config/lexicons (mediamon's own, Apache-2.0)", "VADER (en, MIT)",
                    "AFINN-165 (en, ODbL 1.0: lexicon.parquet's rows drawn from it stay under ODbL)"]
# AFINN scores -5..5; VADER's scale, which the class tokens use, is -4..4
AFINN_SCALE = 0.8


def training_lexicon() -> pl.DataFrame:
    entries: list[tuple[str, str, float]] = []
    for lang, lex in load_vocabulary().lexicons.items():
        # weights run 0.5..2 (1 = ordinary strength); VADER's scale is -4..4
        entries += [(lang, w, 2.0 * v) for w, v in lex.positive.items()]
        entries += [(lang, w, -2.0 * v) for w, v in lex.negative.items()]
    en = DATA_DIR / "lexicons" / "en"
    vader = pl.read_csv(en / "vader" / "vader_lexicon.csv", infer_schema=False)
    entries += [("en", t, float(v)) for t, v in vader.iter_rows()]
    # AFINN was built on microblog posts: it knows the words tweets judge with
    # that VADER lacks (5-fold CV on the English training sets: binary
    # accuracy .827 -> .832; models/sentiment/CARD.md). A word in both gets
    # the mean of their valences (lexicon_table).
    afinn = pl.read_csv(en / "afinn" / "afinn_en_165.csv", infer_schema=False)
    entries += [("en", t, AFINN_SCALE * float(v)) for t, v in afinn.select("term", "score").iter_rows()]
    return lexicon_table(entries)
