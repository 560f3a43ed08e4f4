"""The contract commands, run as a user runs them."""
from __future__ import annotations

import json
import os
import subprocess
import sys

import polars as pl
import pytest


def mediamon(*args, data_dir=None, check=False):
    env = dict(os.environ)
    if data_dir is not None:
        env["MEDIAMON_DATA_DIR"] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "mediamon.cli", *args], env=env,
                          capture_output=True, text=True, timeout=300, check=check)


def test_enrich_jsonl_to_parquet(tmp_path):
    src = tmp_path / "in.jsonl"
    records = [
        {"id": "1", "title": "DeepSeek", "text": "DeepSeek and Tencent pushed Chinese AI stocks to a strong rally "
         "as investors cheered the open-source model breakthrough in Hangzhou and Shenzhen."},
        {"id": "2", "text": "أعلنت شركة ديب سيك عن نموذج جديد للذكاء الاصطناعي وارتفعت أسهم تينسنت في هونغ كونغ."},
        {"id": "3", "text": "深度求索发布新模型，腾讯股价大涨，人工智能板块全面反弹。", "lang": "zh"},
    ]
    src.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", encoding="utf-8")
    out = tmp_path / "out.parquet"
    res = mediamon("enrich", str(src), str(out))
    assert res.returncode == 0, res.stderr
    df = pl.read_parquet(out)
    assert df["id"].to_list() == ["1", "2", "3"]
    assert df["lang"].to_list() == ["en", "ar", "zh"]
    for ents in df["entities"].to_list():
        assert "deepseek" in {e["entity_id"] for e in ents}
    assert {"tone", "positive", "negative", "polarity", "word_count", "topics"} <= set(df.columns)


def test_enrich_rejects_bad_input_with_line_number(tmp_path):
    # without --strict a bad record is skipped and reported (tests/transforms/test_enrich_cli.py)
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": "1", "text": "fine"}\n{"id": "2"}\n')
    res = mediamon("enrich", str(src), str(tmp_path / "out.parquet"), "--strict")
    assert res.returncode == 2
    assert "in.jsonl:2" in res.stderr
    assert not (tmp_path / "out.parquet").exists()


def test_sql_without_a_warehouse_says_so(tmp_path):
    res = mediamon("sql", "SELECT 1", data_dir=tmp_path)
    assert res.returncode == 2 and "no warehouse" in res.stderr


@pytest.mark.parametrize("fmt, check", [
    ("csv", lambda out: out.splitlines()[0] == "n,s" and out.splitlines()[1] == "42,x"),
    ("json", lambda out: json.loads(out) == [{"n": 42, "s": "x"}]),
    ("table", lambda out: "42" in out and "│" in out),
])
def test_sql_formats(tmp_path, fmt, check):
    import duckdb

    db = tmp_path / "warehouse" / "mediamon.duckdb"
    db.parent.mkdir(parents=True)
    duckdb.connect(str(db)).close()
    res = mediamon("sql", "SELECT 42 AS n, 'x' AS s", "--format", fmt, data_dir=tmp_path)
    assert res.returncode == 0, res.stderr
    assert check(res.stdout)


def test_sql_is_read_only(tmp_path):
    import duckdb

    db = tmp_path / "warehouse" / "mediamon.duckdb"
    db.parent.mkdir(parents=True)
    duckdb.connect(str(db)).close()
    res = mediamon("sql", "CREATE TABLE t (x INT)", data_dir=tmp_path)
    assert res.returncode == 2 and "read-only" in res.stderr.lower()


def test_run_refuses_a_bad_sources_file(tmp_path):
    bad = tmp_path / "s.yaml"
    bad.write_text("sources:\n  - id: x\n    name: X\n    lang: en\n    kind: gopher\n    urls: [http://127.0.0.1/]\n")
    res = mediamon("run", "--sources", str(bad), data_dir=tmp_path)
    assert res.returncode == 2 and "field kind" in res.stderr
