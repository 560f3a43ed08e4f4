"""The evaluation gate: enrichment quality per language may not drop below the
floors pinned in floors.json."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.evaluate import LANGS, evaluate, read_jsonl, table

FLOORS = json.loads((Path(__file__).with_name("floors.json")).read_text())


@pytest.fixture(scope="module")
def results():
    res = evaluate()
    print("\n" + table(res))
    return res


def test_the_evaluation_set_is_big_enough():
    here = Path(__file__).parent
    for lang in LANGS:
        assert len(read_jsonl(here / f"sentences_{lang}.jsonl")) >= 60
    assert sum(len(read_jsonl(here / f"articles_{lang}.jsonl")) for lang in LANGS) >= 30


@pytest.mark.parametrize("lang", LANGS)
def test_no_metric_below_its_floor(results, lang):
    below = {
        f"{unit}.{metric}": (round(results[lang][unit][metric], 3), floor)
        for unit, metrics in FLOORS[lang].items() for metric, floor in metrics.items()
        if results[lang][unit][metric] < floor
    }
    assert not below, f"{lang}: below floor (measured, floor): {below}"
