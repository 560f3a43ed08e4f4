"""Plain Chinese news statements read neutral. The Chinese sentiment data
is a stock forum and shop reviews, where nearly everything is praise or
complaint; SIB-200's sentences, read as neutral by the three-way model,
keep a schedule or an announcement from reading as good news."""
from __future__ import annotations

import pytest

from tests.transforms.stories import enrich_stories

PLAIN = [
    "国家统计局将于下周二公布十月份规模以上工业增加值数据。",
    "该公司董事会定于本月底召开会议，审议下一年度的预算草案。",
    "论坛为期两天，来自二十多个国家的代表将出席开幕式。",
    "交通运输部发布了今年第三季度港口货物吞吐量的统计口径说明。",
    "这家研究机构表示，报告全文将在其官方网站上公布。",
    "新版规定自明年一月一日起施行，原有文件同时废止。",
]
FELT = [
    ("这款手机质量太差了，用了两天就坏，客服也不理人，非常失望。", "negative"),
    ("公司业绩大幅增长，新产品广受好评，股价创出历史新高。", "positive"),
]


@pytest.fixture(scope="module")
def labels() -> dict[str, str]:
    texts = PLAIN + [t for t, _ in FELT]
    res = enrich_stories([(str(i), "zh", t) for i, t in enumerate(texts)])
    got = dict(res.articles.select("article_id", "sentiment_label").iter_rows())
    return {t: got[str(i)] for i, t in enumerate(texts)}


def test_plain_chinese_news_statements_read_neutral(labels):
    neutral = [t for t in PLAIN if labels[t] == "neutral"]
    assert len(neutral) >= 5, {t: labels[t] for t in PLAIN}


def test_felt_chinese_sentences_keep_their_feeling(labels):
    for text, feeling in FELT:
        assert labels[text] == feeling, (text, labels[text])
