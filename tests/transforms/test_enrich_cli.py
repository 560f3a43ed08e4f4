"""`mediamon enrich` as a user runs it: bad records are skipped and reported,
`--strict` fails on them, a given lang is used as given."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import polars as pl
import pytest

GOOD_EN = "Shares of the chip maker slumped after the company cut its revenue outlook for the year."
# short English that lingua tends to read as another language: the caller's lang must win
SHORT_EN = "Tencent: Hunyuan gains"
GOOD_AR = "ارتفعت أسهم الشركة بقوة بعد إعلان أرباح قياسية فاقت توقعات المحللين."


def run(*args):
    return subprocess.run([sys.executable, "-m", "mediamon.cli", "enrich", *args], env=dict(os.environ),
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def mixed(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": GOOD_EN, "lang": "en"}),
        '{"id": "b", "text": "unterminated',
        json.dumps({"text": "no id here", "lang": "en"}),
        json.dumps({"id": "c", "text": "   "}),
        json.dumps({"id": "d", "text": SHORT_EN, "lang": "en"}),
        json.dumps({"id": "a", "text": "the same id again"}),
        json.dumps({"id": "e", "text": GOOD_AR}, ensure_ascii=False),
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return src


def test_bad_records_are_skipped_and_reported_with_line_and_reason(mixed, tmp_path):
    out = tmp_path / "out.parquet"
    res = run(str(mixed), str(out))
    assert res.returncode == 0, res.stderr
    df = pl.read_parquet(out)
    assert df["id"].to_list() == ["a", "d", "e"]
    for line, why in ((2, "not JSON"), (3, "no 'id'"), (4, "empty"), (6, "already seen")):
        assert f"in.jsonl:{line}: " in res.stderr and why in res.stderr, (line, res.stderr)
    assert "enriched 3 records" in res.stdout
    assert "skipped 4 bad record(s): bad_json 1, duplicate_id 1, empty_text 1, missing_id 1" in res.stdout


def test_strict_fails_on_any_bad_record_and_writes_nothing(mixed, tmp_path):
    out = tmp_path / "out.parquet"
    res = run(str(mixed), str(out), "--strict")
    assert res.returncode == 2
    assert "in.jsonl:2" in res.stderr and "4 bad record(s)" in res.stderr
    assert not out.exists()


def test_given_lang_is_used_and_detection_fills_the_rest(mixed, tmp_path):
    out = tmp_path / "out.parquet"
    assert run(str(mixed), str(out)).returncode == 0
    df = pl.read_parquet(out)
    assert dict(zip(df["id"], df["lang"])) == {"a": "en", "d": "en", "e": "ar"}


def test_sentiment_per_article_and_sentence_in_the_output(mixed, tmp_path):
    out = tmp_path / "out.parquet"
    assert run(str(mixed), str(out)).returncode == 0
    df = pl.read_parquet(out)
    row = {r["id"]: r for r in df.to_dicts()}
    assert row["a"]["sentiment"] < 0 and row["a"]["sentiment_label"] == "negative"
    assert row["e"]["sentiment"] > 0 and row["e"]["sentiment_label"] == "positive"
    assert all(-1 <= s["sentiment"] <= 1 for s in row["a"]["sentences"])
    assert {"tone", "positive", "negative", "polarity"} <= set(df.columns)


def test_an_unknown_lang_is_one_clear_error(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "1", "text": GOOD_EN, "lang": "english"}) + "\n")
    res = run(str(src), str(tmp_path / "out.parquet"))
    assert res.returncode == 2
    assert res.stderr.strip().count("\n") == 0 and "in.jsonl:1: unknown lang 'english'" in res.stderr
