"""General news speaks of politics without naming it: MPs and senators,
candidates and ballots, navies and missiles. The politics beats tag such
stories in each language and roll up to the politics root; in a long
English story, two passing mentions do not make a business piece political."""
from __future__ import annotations

import pytest

from tests.transforms.stories import topics_by_story

STORIES = [
    ("en_vote", "en", "The candidates spent the last week on the campaign trail, and an opinion poll "
                      "put the Tories two points behind.", "elections_parties"),
    ("en_house", "en", "MPs on the select committee questioned the home secretary, while the House of "
                       "Lords delayed the bill.", "government_legislature"),
    ("en_army", "en", "The navy sent two warships to the strait after the army fired missiles during "
                      "an exercise.", "military_defence"),
    ("zh_vote", "zh", "两名候选人结束竞选活动，最新民调显示执政联盟支持率下滑，选票将于周日清点。", "elections_parties"),
    ("zh_house", "zh", "参议院以微弱多数通过了这项法案，众议院下周将进行表决。", "government_legislature"),
    ("zh_army", "zh", "海军派出两艘驱逐舰参加演习，空军的轰炸机也参与其中。", "military_defence"),
    ("ar_vote", "ar", "أظهر استطلاع الرأي تقدم المرشح المستقل قبل التصويت، فيما دعت الأحزاب الناخبين إلى "
                      "المشاركة في الاقتراع.", "elections_parties"),
    ("ar_house", "ar", "صادق مجلس الشيوخ على التشريعات الجديدة بعد نقاش طويل، وقالت الحكومة إنها ستنفذها فوراً.",
     "government_legislature"),
    ("ar_army", "ar", "أرسلت البحرية حاملة الطائرات إلى المنطقة، وأطلقت المقاتلات الصواريخ خلال المناورات.",
     "military_defence"),
]

# About 350 words on a company's quarter that name a prime minister and a
# parliament once each: 6 politics hits per 1,000 words, under the 7 a long
# English story needs.
_RESULTS = (
    "Sunward Solar reported its strongest quarter in three years on Tuesday, as orders from utilities "
    "in Europe and South East Asia lifted revenue by a fifth. The panel maker said profit before tax "
    "rose to 410 million dollars, ahead of what analysts had pencilled in, and it raised its forecast "
    "for the full year. Shares climbed nine per cent in early trading. The company's chief executive "
    "said the factories in Malaysia and Vietnam were running close to capacity for the first time since "
    "the price slump two years ago, when a glut of modules drove many smaller rivals out of business. "
    "Prices for wafers and cells have since steadied, and the company has been able to pass part of the "
    "rise in glass and aluminium costs on to its customers. Margins widened to eighteen per cent. "
    "The group also said it would spend 600 million dollars on a new line for high efficiency cells, "
    "to be built next to its largest plant, and that it expected the line to start output late next "
    "year. Last month the prime minister visited that plant. Investors welcomed the plan but asked how "
    "it would be paid for: net debt already stands at twice annual earnings, and the company has "
    "bonds falling due in the spring. The finance director said cash from operations would cover most "
    "of the cost and that the rest would come from a loan agreed with three banks. Analysts at two "
    "brokers raised their price targets, citing the order book, which now covers nine months of output. "
    "Others were more cautious, pointing to the risk of a new round of price cuts if demand in China "
    "weakens and exporters there turn to other markets. The company said it had no plans to cut its "
    "dividend and that it would consider buying back shares once the new line is running. A tariff "
    "bill now before parliament could raise the cost of imported frames. Sunward will publish its "
    "annual results in February, when it is expected to give a first forecast for next year's "
    "shipments, which it put at between eleven and thirteen gigawatts in a presentation to investors. "
    "Suppliers of inverters and mounting systems also rose on the news, and the sector index closed "
    "at its highest level since the spring. Trading volumes were twice the daily average."
)
# About 250 words of politics: the root and its beats, densely
_POLITICS = (
    "MPs returned to Westminster on Monday with the government facing its hardest week since the "
    "election. The prime minister must win a vote in parliament on the immigration bill, and at least "
    "thirty Tory backbenchers have said they will oppose it. The opposition party has promised to vote "
    "against the bill as a whole, and the Liberal Democrats want an inquiry first. Cabinet ministers "
    "spent the weekend calling wavering MPs, and the home secretary offered to change two clauses. "
    "An opinion poll published on Sunday put the governing party eight points behind, its worst result "
    "this year, and several candidates for next year's mayoral races have asked the party leader to "
    "drop the plan. In the House of Lords, peers are preparing amendments that would send the bill back "
    "to the Commons. The foreign secretary, speaking in Brussels, said the legislation would not breach "
    "treaties the country has signed. Voters in two marginal seats will give their verdict in a "
    "referendum on local powers next month, which both sides see as a test of the government. "
    "Lawmakers from the ruling party said privately that the whips expected a majority of about ten. "
    "The chancellor is not expected to speak in the debate, which will run until late on Wednesday."
)
LONG = [("en_long_results", "en", _RESULTS, None), ("en_long_politics", "en", _POLITICS, "politics")]
# the words of war in stories that are not about armies
NOT_MILITARY = [
    ("en_charity", "en", "The Salvation Army opened a grocery store where families pay what they can.", None),
    ("zh_trade_war", "zh", "中美贸易战争持续升级，两国再度提高关税，市场担忧出口放缓。", None),
]


@pytest.fixture(scope="module")
def tags() -> dict[str, set[str]]:
    return topics_by_story([r[:3] for r in (*STORIES, *LONG, *NOT_MILITARY)])


@pytest.mark.parametrize("story", STORIES, ids=[s[0] for s in STORIES])
def test_political_news_is_tagged_with_its_beat_and_the_politics_root(tags, story):
    aid, _, _, beat = story
    assert {beat, "politics"} <= tags[aid], tags[aid]


def test_a_long_business_story_with_two_passing_political_mentions_is_not_political(tags):
    assert len(_RESULTS.split()) > 300
    assert "politics" not in tags["en_long_results"], tags["en_long_results"]
    assert {"markets", "company_results"} <= tags["en_long_results"], tags["en_long_results"]


def test_a_long_political_story_is_political(tags):
    assert {"politics", "government_legislature", "elections_parties"} <= tags["en_long_politics"], \
        tags["en_long_politics"]


@pytest.mark.parametrize("story", NOT_MILITARY, ids=[s[0] for s in NOT_MILITARY])
def test_the_words_of_war_outside_war_are_not_military_news(tags, story):
    assert "military_defence" not in tags[story[0]], tags[story[0]]
