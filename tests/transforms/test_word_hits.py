"""Whole-word hits from the word-sequence lookup are the ones an
Aho-Corasick scan of the padded text finds: same patterns, same byte offsets."""
import polars as pl

from transforms.matching import find_hits
from transforms.normalize import tokens_text
from transforms.word_hits import find_word_hits


def test_lookup_finds_what_the_scan_finds():
    texts = ["Not only the new york times, but New York itself", "new new york", "", None,
             "والذكاء الاصطناعي للذكاء", "york new york new york"]
    frame = pl.DataFrame({"sid": range(len(texts)), "text": texts}).with_columns(
        tokens_text(pl.col("text")).alias("words"))
    plist = [" new ", " new york ", " york new ", " not only ", " new york times ", " york ",
             " والذكاء ", " الذكاء الاصطناعي ", " absent words here "]
    scanned = find_hits(frame.lazy(), pl.DataFrame({"pattern": plist}), "words", "sid").collect()
    looked_up = find_word_hits(frame, plist, "words", "sid")
    order = ["sid", "pos", "pattern"]
    assert scanned.height == 22
    assert looked_up.sort(order).equals(scanned.sort(order))
