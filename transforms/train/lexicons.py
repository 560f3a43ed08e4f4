"""The lexicon a sentiment model reads beside its tokens (features.with_lexicon_tokens).

mediamon's own tone lexicons (config/lexicons, written for this project) in
every language, and VADER (MIT) for English. Both may ship; the other
established lexicons in ../shared/data are research-only and stay out."""
from __future__ import annotations

import polars as pl

from transforms.features import lexicon_table
from transforms.realdata import DATA_DIR
from transforms.vocab import load_vocabulary

SHIPPED_LEXICONS = ["config/lexicons (mediamon's own, Apache-2.0)", "VADER (en, MIT)"]


def training_lexicon() -> pl.DataFrame:
    entries: list[tuple[str, str, float]] = []
    for lang, lex in load_vocabulary().lexicons.items():
        # weights run 0.5..2 (1 = ordinary strength); VADER's scale is -4..4
        entries += [(lang, w, 2.0 * v) for w, v in lex.positive.items()]
        entries += [(lang, w, -2.0 * v) for w, v in lex.negative.items()]
    vader = pl.read_csv(DATA_DIR / "lexicons" / "en" / "vader" / "vader_lexicon.csv", infer_schema=False)
    entries += [("en", t, float(v)) for t, v in vader.iter_rows()]
    return lexicon_table(entries)
