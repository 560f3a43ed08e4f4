"""The real-data gate: on the dev splits of the public labelled sets in
../shared/data, mediamon may not drop below the floors pinned in
floors.json["real"], nor below the majority class or the best offline tool
on the same rows (except where floors.json names the reason it cannot)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from transforms.realdata import SKIP_REASON, available

if not available():
    pytest.skip(SKIP_REASON, allow_module_level=True)

from transforms.evaluate_real import evaluate_real, real_table  # noqa: E402

FLOORS = json.loads((Path(__file__).with_name("floors.json")).read_text())["real"]
LIMIT = FLOORS["_rows_per_set"]


def key(row: dict) -> str:
    return f"{row['lang']}/{row['task']}/{row['set']}"


@pytest.fixture(scope="module")
def rows():
    got = evaluate_real(LIMIT)
    print("\n" + real_table(got))
    return got


def test_every_language_and_task_is_measured(rows):
    measured = {(r["lang"], r["task"].split(":")[0]) for r in rows}
    assert measured == {(lang, task) for lang in ("ar", "en", "zh") for task in ("sentiment", "topic")}


def test_no_figure_below_its_floor(rows):
    missing = [key(r) for r in rows if key(r) not in FLOORS["mediamon"]]
    assert not missing, f"no floor pinned for {missing}"
    below = {key(r): (round(r["mediamon"], 3), FLOORS["mediamon"][key(r)]) for r in rows
             if r["mediamon"] < FLOORS["mediamon"][key(r)]}
    assert not below, f"below floor (measured, floor): {below}"


def test_not_below_the_majority_class_or_the_best_offline_tool(rows):
    worse = {}
    for r in rows:
        for ref in ("majority", "baseline"):
            if not math.isnan(r[ref]) and r["mediamon"] < r[ref] and key(r) not in FLOORS["known_below"]:
                worse[f"{key(r)} vs {ref}"] = (round(r["mediamon"], 3), round(r[ref], 3))
    assert not worse, f"mediamon below a baseline (mediamon, baseline): {worse}"


def test_the_known_exceptions_are_still_exceptions(rows):
    """A reason in floors.json that no longer holds is stale: remove it."""
    by_key = {key(r): r for r in rows}
    for k in FLOORS["known_below"]:
        r = by_key[k]
        assert r["mediamon"] < max(r["majority"], 0 if math.isnan(r["baseline"]) else r["baseline"]), k
