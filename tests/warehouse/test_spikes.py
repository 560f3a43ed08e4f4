"""A spike planted in generated data is found, with the articles that caused it."""
from __future__ import annotations

from datetime import timedelta

import pytest

from tests.warehouse.fixtures import SPIKE
from warehouse.db import connect
from warehouse.spikes import SpikeRules, find_spikes, load_rules


@pytest.fixture(scope="module")
def con(spiked_warehouse):
    c = connect(spiked_warehouse[1], read_only=True)
    yield c
    c.close()


def test_the_planted_spike_is_found_with_its_causes(con):
    found = find_spikes(con)
    # china is named in every spike story too, so it spikes with them; background days never do
    assert {(s.dimension, s.key, s.day) for s in found} == {("topic", SPIKE.topic, SPIKE.day),
                                                            ("entity", SPIKE.entity, SPIKE.day),
                                                            ("entity", "china", SPIKE.day)}
    topic = next(s for s in found if s.dimension == "topic")
    # first busy day after two silent weeks: the zero days are the baseline
    assert topic.articles == SPIKE.articles and topic.baseline == 0.0 and topic.z_score >= 3
    ids = [c["article_id"] for c in topic.causes]
    assert ids[0] == "sp000"  # the most relevant story leads ...
    assert topic.causes[0]["copies"] == 1 + SPIKE.copies  # ... with its wire copies folded in
    assert sorted(ids) == sorted(f"sp{n:03d}" for n in range(SPIKE.articles))  # and no copy listed on its own
    assert {c["lang"] for c in topic.causes} == {"ar", "zh", "en"}
    assert all(c["title"] and c["url"].startswith("https://") and c["source_id"] for c in topic.causes)


def test_thresholds_come_from_config(con, tmp_path):
    assert load_rules() == SpikeRules()  # the shipped file says what the `spikes` view uses
    assert [s.key for s in find_spikes(con, rules=SpikeRules(min_articles=SPIKE.articles + 1))] == ["china"]
    strict = find_spikes(con, rules=SpikeRules(z_threshold=100.0), with_causes=False)
    assert strict == []
    cfg = tmp_path / "spikes.yaml"
    cfg.write_text("window_days: 14\nz_threshold: 2.5\nmin_articles: 8\nmin_history_days: 7\ncauses: 3\n")
    found = find_spikes(con, rules=load_rules(cfg))
    assert found and all(len(s.causes) == 3 for s in found)


def test_the_sql_view_agrees_with_the_configured_defaults(con):
    view = con.execute("SELECT dimension, key, day FROM spikes ORDER BY ALL").fetchall()
    assert view == sorted((s.dimension, s.key, s.day) for s in find_spikes(con, with_causes=False))
    assert con.execute("SELECT topic_id FROM topic_spikes").fetchall() == [(SPIKE.topic,)]


def test_quiet_days_keep_the_baseline_honest(con):
    # The day after the spike, the trailing mean includes the spike day and 13 zero days
    row = con.execute("SELECT baseline FROM volume_zscores(14) WHERE dimension = 'topic' AND key = ? AND day = ?",
                      [SPIKE.topic, SPIKE.day + timedelta(days=1)]).fetchone()
    assert row[0] == pytest.approx(SPIKE.articles / 14, abs=1e-3)


def test_bad_config_names_the_field(tmp_path):
    from core.yamlconfig import ConfigError

    cfg = tmp_path / "spikes.yaml"
    cfg.write_text("window_days: 1\n")
    with pytest.raises(ConfigError, match="window_days"):
        load_rules(cfg)
