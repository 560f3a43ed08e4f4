"""Whole-word hits from the word-sequence lookup, and Chinese substring
hits from the code-point walk, are the ones an Aho-Corasick scan finds:
same patterns, same byte offsets (substrings: in the same order too)."""
import polars as pl

from transforms.matching import find_hits
from transforms.normalize import dense_text, tokens_text
from transforms.word_hits import find_substring_hits, find_word_hits


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


def test_substring_walk_finds_what_the_scan_finds_in_its_order():
    texts = ["中国人工智能产业与人工智能芯片", "国产gpu和ai芯片 openai的aaa", "", None, "智能", "𠀀ai𠀀能人工",
             "美国商务部和商务部"]
    frame = pl.DataFrame({"sid": range(len(texts)), "text": texts}).with_columns(
        dense_text(pl.col("text")).alias("dense"))
    # overlapping, nested, sharing an end, Latin inside Han, a 4-byte character, one never found
    plist = ["人工智能", "人工", "智能", "工智", "能", "ai", "aa", "ai芯片", "国产gpu", "𠀀ai", "商务部",
             "美国商务部", "不在文中"]
    scanned = find_hits(frame.lazy(), pl.DataFrame({"pattern": plist}), "dense", "sid").collect()
    walked = find_substring_hits(frame, plist, "dense", "sid")
    assert scanned.height == 25
    assert walked.equals(scanned)
