"""Language identification on real text: on the dev splits of the public
labelled sets in ../shared/data (news, headlines, posts and reviews), the
language detect names must be the set's own at least as often as
floors.json["real"]["language"] pins, per language."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from transforms.realdata import SKIP_REASON, available, data_sets

if not available():
    pytest.skip(SKIP_REASON, allow_module_level=True)

from transforms.language import detect  # noqa: E402

FLOORS = json.loads((Path(__file__).with_name("floors.json")).read_text())["real"]["language"]


@pytest.mark.parametrize("lang", ["ar", "en", "zh"])
def test_detected_language_is_the_texts_own(lang):
    right = total = 0
    for task in ("sentiment", "topics"):
        for data_set in data_sets(task, lang):
            texts = data_set.read("dev")["text"]
            right += sum(found == lang for found in detect(texts))
            total += texts.len()
    assert total > 1000
    print(f"\n{lang}: {right}/{total} = {right / total:.4f} (floor {FLOORS[lang]})")
    assert right / total >= FLOORS[lang]
