"""A foreign name's ng is نغ in most of the Arabic press and نج in Egypt's:
the vocabulary lists one spelling and finds both (transforms.matching.arabic_spellings)."""
from __future__ import annotations

from transforms.matching import arabic_spellings
from transforms.vocab import cached_vocabulary

from tests.transforms.stories import enrich_stories


def test_every_ng_of_a_phrase_is_spelt_both_ways():
    assert sorted(arabic_spellings("هونغ كونغ")) == sorted(["هونغ كونغ", "هونغ كونج", "هونج كونغ", "هونج كونج"])
    # a lone غ is Arabic's own letter, and a phrase without نغ is left alone
    assert arabic_spellings("المغرب") == ["المغرب"]
    assert arabic_spellings("نموذج") == ["نموذج"]
    # Dongguan spelt with ج would be Don Juan
    assert arabic_spellings("دونغوان") == ["دونغوان"]


def _entities(text: str) -> set[str]:
    return set(enrich_stories([("a", "ar", text)]).entities["entity_id"].to_list())


def test_names_in_egyptian_spelling_are_found():
    listed = {a for e in cached_vocabulary().gazetteer.entities for a in e.aliases["ar"]}
    cases = [  # (entity, the name as the sentence spells it, sentence)
        ("liang_wenfeng", "ليانج وينفنج", "قال ليانج وينفنج إن النموذج الجديد أرخص من منافسيه."),
        ("wang_wentao", "وانج وينتاو", "التقى وزير التجارة وانج وينتاو نظيره الأوروبي أمس."),
        ("singapore", "سنجافورة", "افتتحت الشركة مكتبا جديدا في سنجافورة هذا الشهر."),
        ("hong_kong", "هونج كونغ", "ارتفعت الأسهم في هونج كونغ بعد إعلان النتائج."),
    ]
    for entity_id, name, sentence in cases:
        assert name not in listed  # found through the listed نغ spelling, not listed itself
        assert entity_id in _entities(sentence), sentence


def test_the_spelling_that_is_another_word_finds_nothing():
    assert "dongguan" not in _entities("شاهدنا مسرحية دونجوان في القاهرة مساء أمس.")
    assert "dongguan" in _entities("افتتح المصنع الجديد في دونغوان جنوب الصين.")
