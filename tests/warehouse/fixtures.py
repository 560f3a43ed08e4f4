from __future__ import annotations

from datetime import date

import pytest

from tests.warehouse.corpus import Corpus, Spike

SPIKE = Spike(day=date(2026, 10, 30), topic="stock_markets", entity="deepseek", articles=8)


@pytest.fixture(scope="module")
def spiked_warehouse(tmp_path_factory, test_vocab):
    """35 days of background coverage; on 30 Oct a silent topic gets 8 stories and 2 wire copies."""
    corpus = Corpus(date(2026, 10, 1), 35, spike=SPIKE).generate()
    return corpus, corpus.load(test_vocab, tmp_path_factory.mktemp("wh") / "mediamon.duckdb")


_DEMO: dict[str, object] = {}


@pytest.fixture(scope="session")
def demo_data_dir(tmp_path_factory):
    """A data dir whose warehouse holds the demo newsroom, enriched (built once per test process)."""
    if "dir" not in _DEMO:
        from tests.warehouse.demo_warehouse import build

        root = tmp_path_factory.mktemp("demo_data")
        build(root / "warehouse" / "mediamon.duckdb")
        _DEMO["dir"] = root
    return _DEMO["dir"]
