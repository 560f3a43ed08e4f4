-- Trend views that do not lie: every daily series runs over a calendar, so a
-- day without an article is a 0 row, not a missing one, and near-copies are
-- counted once (their original stands for them). Days are publication days;
-- an article without a date counts on the day it was crawled.

CREATE OR REPLACE VIEW counted_articles AS
SELECT article_id, source_id, lang, title, url, tone, is_opinion, word_count,
       CAST(COALESCE(published_at, crawl_date) AS DATE) AS day
FROM articles
WHERE dup_of IS NULL;

-- Every day from the first article to the last crawl (or last article).
CREATE OR REPLACE VIEW calendar AS
SELECT CAST(unnest(generate_series(CAST(first_day AS TIMESTAMP), CAST(last_day AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS day
FROM (SELECT MIN(day) AS first_day,
             GREATEST(MAX(day), (SELECT MAX(crawl_date) FROM articles)) AS last_day
      FROM counted_articles)
WHERE first_day IS NOT NULL;

-- Volume per day, long form: dimension is topic | entity | lang | source.
-- Topics and entities run over the whole vocabulary, languages and sources over
-- those the warehouse has seen.
CREATE OR REPLACE VIEW daily_volume AS
WITH keys AS (
    SELECT 'topic' AS dimension, topic_id AS key FROM topics
    UNION ALL SELECT 'entity', entity_id FROM entities
    UNION ALL SELECT DISTINCT 'lang', lang FROM articles WHERE lang IS NOT NULL
    UNION ALL SELECT DISTINCT 'source', source_id FROM articles
), counts AS (
    SELECT 'topic' AS dimension, t.topic_id AS key, a.day, COUNT(*) AS articles
    FROM counted_articles a JOIN article_topics t USING (article_id) GROUP BY ALL
    UNION ALL
    SELECT 'entity', e.entity_id, a.day, COUNT(*)
    FROM counted_articles a JOIN article_entities e USING (article_id) GROUP BY ALL
    UNION ALL
    SELECT 'lang', lang, day, COUNT(*) FROM counted_articles WHERE lang IS NOT NULL GROUP BY ALL
    UNION ALL
    SELECT 'source', source_id, day, COUNT(*) FROM counted_articles GROUP BY ALL
)
SELECT k.dimension, k.key, c.day, COALESCE(n.articles, 0) AS articles
FROM keys k CROSS JOIN calendar c
LEFT JOIN counts n ON n.dimension = k.dimension AND n.key = k.key AND n.day = c.day;

-- Weeks start on Monday; a week only partly inside the calendar says how many
-- of its days are covered.
CREATE OR REPLACE VIEW weekly_volume AS
SELECT dimension, key, CAST(date_trunc('week', day) AS DATE) AS week,
       SUM(articles) AS articles, COUNT(*) AS days_covered
FROM daily_volume
GROUP BY ALL;

-- Tone (GDELT-style, of the whole article) and sentiment (of the sentences
-- carrying the topic), day by day, with 7-day moving averages weighted by
-- articles: quiet days add nothing to the average instead of pulling it to 0.
CREATE OR REPLACE VIEW topic_daily AS
WITH counts AS (
    SELECT a.day, t.topic_id, COUNT(*) AS articles, SUM(a.tone) AS tone_sum, COUNT(a.tone) AS tone_n,
           SUM(t.sentiment) AS sentiment_sum, COUNT(t.sentiment) AS sentiment_n
    FROM counted_articles a JOIN article_topics t USING (article_id) GROUP BY ALL
), filled AS (
    SELECT c.day, k.topic_id, COALESCE(n.articles, 0) AS articles,
           COALESCE(n.tone_sum, 0) AS tone_sum, COALESCE(n.tone_n, 0) AS tone_n,
           COALESCE(n.sentiment_sum, 0) AS sentiment_sum, COALESCE(n.sentiment_n, 0) AS sentiment_n
    FROM topics k CROSS JOIN calendar c
    LEFT JOIN counts n ON n.topic_id = k.topic_id AND n.day = c.day
)
SELECT day, topic_id, articles,
       ROUND(tone_sum / NULLIF(tone_n, 0), 3) AS avg_tone,
       ROUND(sentiment_sum / NULLIF(sentiment_n, 0), 3) AS avg_sentiment,
       ROUND(AVG(articles) OVER w_topic, 2) AS articles_ma7,
       ROUND(SUM(tone_sum) OVER w_topic / NULLIF(SUM(tone_n) OVER w_topic, 0), 3) AS tone_ma7,
       ROUND(SUM(sentiment_sum) OVER w_topic / NULLIF(SUM(sentiment_n) OVER w_topic, 0), 3) AS sentiment_ma7
FROM filled
WINDOW w_topic AS (PARTITION BY topic_id ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW);

CREATE OR REPLACE VIEW entity_daily AS
WITH counts AS (
    SELECT a.day, e.entity_id, COUNT(*) AS articles, SUM(e.mentions) AS mentions,
           SUM(a.tone) AS tone_sum, COUNT(a.tone) AS tone_n,
           SUM(e.sentiment) AS sentiment_sum, COUNT(e.sentiment) AS sentiment_n
    FROM counted_articles a JOIN article_entities e USING (article_id) GROUP BY ALL
), filled AS (
    SELECT c.day, k.entity_id, COALESCE(n.articles, 0) AS articles, COALESCE(n.mentions, 0) AS mentions,
           COALESCE(n.tone_sum, 0) AS tone_sum, COALESCE(n.tone_n, 0) AS tone_n,
           COALESCE(n.sentiment_sum, 0) AS sentiment_sum, COALESCE(n.sentiment_n, 0) AS sentiment_n
    FROM entities k CROSS JOIN calendar c
    LEFT JOIN counts n ON n.entity_id = k.entity_id AND n.day = c.day
)
SELECT day, entity_id, articles, mentions,
       ROUND(tone_sum / NULLIF(tone_n, 0), 3) AS avg_tone,
       ROUND(sentiment_sum / NULLIF(sentiment_n, 0), 3) AS avg_sentiment,
       ROUND(AVG(articles) OVER w_entity, 2) AS articles_ma7,
       ROUND(SUM(tone_sum) OVER w_entity / NULLIF(SUM(tone_n) OVER w_entity, 0), 3) AS tone_ma7,
       ROUND(SUM(sentiment_sum) OVER w_entity / NULLIF(SUM(sentiment_n) OVER w_entity, 0), 3) AS sentiment_ma7
FROM filled
WINDOW w_entity AS (PARTITION BY entity_id ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW);

-- Tone per topic and language per day (zero-filled over the languages seen).
CREATE OR REPLACE VIEW topic_lang_daily AS
WITH counts AS (
    SELECT a.day, t.topic_id, a.lang, COUNT(*) AS articles, AVG(a.tone) AS avg_tone, AVG(t.sentiment) AS avg_sentiment
    FROM counted_articles a JOIN article_topics t USING (article_id) GROUP BY ALL
)
SELECT c.day, k.topic_id, l.lang, COALESCE(n.articles, 0) AS articles,
       ROUND(n.avg_tone, 3) AS avg_tone, ROUND(n.avg_sentiment, 3) AS avg_sentiment
FROM topics k CROSS JOIN (SELECT DISTINCT lang FROM articles WHERE lang IS NOT NULL) l CROSS JOIN calendar c
LEFT JOIN counts n ON n.topic_id = k.topic_id AND n.lang = l.lang AND n.day = c.day;

-- Share of voice. Topics within the beat: the share of the day's articles that
-- carry the topic (an article may carry several, so shares can add past 100).
CREATE OR REPLACE VIEW topic_share_of_voice AS
WITH totals AS (SELECT day, articles FROM daily_volume WHERE dimension = 'lang'),
     day_total AS (SELECT day, SUM(articles) AS total FROM totals GROUP BY day)
SELECT v.day, v.key AS topic_id, v.articles, d.total AS day_articles,
       ROUND(100.0 * v.articles / NULLIF(d.total, 0), 2) AS share_pct
FROM daily_volume v JOIN day_total d USING (day)
WHERE v.dimension = 'topic';

-- Entities within a topic, per week: each entity's share of the entity
-- mentions in the topic's articles (the shares of a topic-week add to 100).
CREATE OR REPLACE VIEW entity_share_of_voice AS
WITH pairs AS (
    SELECT CAST(date_trunc('week', a.day) AS DATE) AS week, t.topic_id, e.entity_id, COUNT(*) AS articles
    FROM counted_articles a JOIN article_topics t USING (article_id) JOIN article_entities e USING (article_id)
    GROUP BY ALL
)
SELECT week, topic_id, entity_id, articles,
       ROUND(100.0 * articles / SUM(articles) OVER (PARTITION BY week, topic_id), 2) AS share_pct
FROM pairs;

-- Co-mentions with lift = P(a,b) / (P(a) P(b)) over counted articles, and
-- PMI = log2(lift): 1 (PMI 0) is what chance alone would give.
CREATE OR REPLACE MACRO entity_comentions_between(d0, d1) AS TABLE
WITH arts AS (SELECT article_id FROM counted_articles WHERE day BETWEEN d0 AND d1),
ae AS (SELECT DISTINCT article_id, entity_id FROM article_entities SEMI JOIN arts USING (article_id)),
n AS (SELECT COUNT(*) AS n FROM arts),
single AS (SELECT entity_id, COUNT(*) AS articles FROM ae GROUP BY ALL),
pairs AS (
    SELECT x.entity_id AS entity_a, y.entity_id AS entity_b, COUNT(*) AS articles
    FROM ae x JOIN ae y ON x.article_id = y.article_id AND x.entity_id < y.entity_id GROUP BY ALL
)
SELECT p.entity_a, p.entity_b, p.articles, sa.articles AS articles_a, sb.articles AS articles_b,
       ROUND(p.articles * n.n / (sa.articles * sb.articles), 3) AS lift,
       ROUND(log2(p.articles * n.n / (sa.articles * sb.articles)), 3) AS pmi
FROM pairs p CROSS JOIN n
JOIN single sa ON sa.entity_id = p.entity_a JOIN single sb ON sb.entity_id = p.entity_b;

CREATE OR REPLACE MACRO entity_topic_comentions_between(d0, d1) AS TABLE
WITH arts AS (SELECT article_id FROM counted_articles WHERE day BETWEEN d0 AND d1),
ae AS (SELECT DISTINCT article_id, entity_id FROM article_entities SEMI JOIN arts USING (article_id)),
atp AS (SELECT DISTINCT article_id, topic_id FROM article_topics SEMI JOIN arts USING (article_id)),
n AS (SELECT COUNT(*) AS n FROM arts),
se AS (SELECT entity_id, COUNT(*) AS articles FROM ae GROUP BY ALL),
st AS (SELECT topic_id, COUNT(*) AS articles FROM atp GROUP BY ALL),
pairs AS (SELECT ae.entity_id, atp.topic_id, COUNT(*) AS articles FROM ae JOIN atp USING (article_id) GROUP BY ALL)
SELECT p.entity_id, p.topic_id, p.articles, se.articles AS entity_articles, st.articles AS topic_articles,
       ROUND(p.articles * n.n / (se.articles * st.articles), 3) AS lift,
       ROUND(log2(p.articles * n.n / (se.articles * st.articles)), 3) AS pmi
FROM pairs p CROSS JOIN n JOIN se USING (entity_id) JOIN st USING (topic_id);

CREATE OR REPLACE VIEW entity_comentions AS
SELECT * FROM entity_comentions_between(DATE '0001-01-01', DATE '9999-12-31');

CREATE OR REPLACE VIEW entity_topic_comentions AS
SELECT * FROM entity_topic_comentions_between(DATE '0001-01-01', DATE '9999-12-31');

-- Opinion vs news per day and language; unlabelled articles are counted apart.
CREATE OR REPLACE VIEW opinion_mix_daily AS
WITH counts AS (
    SELECT day, lang, COUNT(*) FILTER (WHERE is_opinion) AS opinion,
           COUNT(*) FILTER (WHERE NOT is_opinion) AS news, COUNT(*) FILTER (WHERE is_opinion IS NULL) AS unlabelled
    FROM counted_articles GROUP BY ALL
)
SELECT c.day, l.lang, COALESCE(n.opinion, 0) AS opinion, COALESCE(n.news, 0) AS news,
       COALESCE(n.unlabelled, 0) AS unlabelled,
       ROUND(100.0 * n.opinion / NULLIF(n.opinion + n.news, 0), 2) AS opinion_pct
FROM (SELECT DISTINCT lang FROM articles WHERE lang IS NOT NULL) l CROSS JOIN calendar c
LEFT JOIN counts n ON n.lang = l.lang AND n.day = c.day;
