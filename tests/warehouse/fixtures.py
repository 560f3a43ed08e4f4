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
