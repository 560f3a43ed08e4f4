"""`mediamon search` as a user runs it (contract: --format json)."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from mediamon.cli import app
from tests.test_cli import mediamon
from tests.warehouse.fixtures import demo_data_dir  # noqa: F401


@pytest.fixture
def run(demo_data_dir, monkeypatch):
    """In-process, for speed; the contract test above runs the real command."""
    monkeypatch.setenv("MEDIAMON_DATA_DIR", str(demo_data_dir))
    return lambda *args: CliRunner().invoke(app, ["search", *args])

CONTRACT = {"article_id", "lang", "source_id", "title", "url", "score", "snippet"}


def test_json_is_one_list_of_ranked_objects(demo_data_dir):
    res = mediamon("search", "ديب سيك", "--limit", "5", "--format", "json", data_dir=demo_data_dir)
    assert res.returncode == 0, res.stderr
    hits = json.loads(res.stdout)
    assert isinstance(hits, list) and len(hits) == 5
    assert all(CONTRACT <= set(h) for h in hits)
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)
    assert {h["lang"] for h in hits[:3]} == {"ar", "zh", "en"}


def test_table_and_csv(run):
    res = run("价格战", "--lang", "zh", "--limit", "2")
    assert res.exit_code == 0 and res.stdout.startswith(" 1. [zh]") and "价格战" in res.stdout
    res = run("Hang Seng", "--since", "2026-11-01", "--format", "csv")
    assert res.stdout.splitlines()[0].startswith("article_id,lang,source_id")


@pytest.mark.parametrize("args", [["x", "--since", "last week"], ["x", "--lang", "fr"], ["x", "--topic", "cooking"],
                                  ["x", "--format", "xml"], ["x", "--entity", "Acme"]])
def test_bad_input_is_one_line_and_exit_2(run, args):
    res = run(*args)
    assert res.exit_code == 2 and len(res.stderr.strip().splitlines()) == 1, (args, res.stderr)
    assert "Traceback" not in res.stderr


def test_no_warehouse_says_so(tmp_path):
    res = mediamon("search", "x", data_dir=tmp_path)
    assert res.returncode == 2 and "no warehouse" in res.stderr
