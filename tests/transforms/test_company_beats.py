"""Company news (a quarter's results, a takeover, a collapse) is business
coverage even when it names no macro phrase: the company_results and
corporate_deals beats tag it and roll up to the markets root."""
from __future__ import annotations

import pytest

from tests.transforms.stories import topics_by_story

STORIES = [
    ("en_results", "en", "Baidu's quarterly profit beat forecasts as revenue from its cloud unit grew 20%, "
                         "and the search company raised its dividend for shareholders.", "company_results"),
    ("en_deal", "en", "The carmaker agreed a takeover of a battery supplier, its largest acquisition, "
                      "after the merger won approval from regulators.", "corporate_deals"),
    ("zh_results", "zh", "小米集团第三季度营收同比增长三成，净利润创出新高，财报发布后股东反应积极。", "company_results"),
    ("zh_deal", "zh", "这家芯片企业宣布收购一家设计公司，并购完成后将取得其控股权。", "corporate_deals"),
    ("ar_results", "ar", "أعلنت الشركة ارتفاع صافي الأرباح في الربع الثالث مع نمو الإيرادات، "
                         "وقررت زيادة توزيعات الأرباح على المساهمين.", "company_results"),
    ("ar_deal", "ar", "وافقت الشركة على صفقة استحواذ على منافستها، وتقول إن الاندماج سيكتمل العام المقبل.",
     "corporate_deals"),
]
# an export-control story: chips and policy, no company results or deal
CONTROL = ("en_policy", "en", "Washington widened its export controls on advanced chips, and Beijing "
                              "called the rules an abuse of national security.", None)


@pytest.fixture(scope="module")
def tags() -> dict[str, set[str]]:
    return topics_by_story([r[:3] for r in (*STORIES, CONTROL)])


@pytest.mark.parametrize("story", STORIES, ids=[s[0] for s in STORIES])
def test_company_news_is_tagged_with_its_beat_and_the_markets_root(tags, story):
    aid, _, _, beat = story
    assert {beat, "markets"} <= tags[aid], tags[aid]


def test_a_policy_story_gets_no_company_beat(tags):
    assert not {"company_results", "corporate_deals"} & tags["en_policy"], tags["en_policy"]
