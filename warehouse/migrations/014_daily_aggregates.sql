-- Pre-aggregated daily counts, so the trend views and spikes answer in
-- milliseconds over years of articles. agg_daily holds, per dimension, key and
-- publication day, the counts of the articles of the crawl dates listed in
-- agg_crawl_dates; articles of any other crawl date are counted live. So the
-- views are exact whatever was refreshed: with nothing held every article is
-- counted live (right, slower); the load holds each crawl date it writes
-- (warehouse/aggregates.py, in the load's transaction), and the live part then
-- reads only the crawl_date column to find there is nothing left to count.
CREATE TABLE IF NOT EXISTS agg_daily (
    dimension      VARCHAR NOT NULL,   -- topic | entity | lang | source
    key            VARCHAR NOT NULL,
    day            DATE NOT NULL,
    articles       BIGINT NOT NULL,
    mentions       BIGINT,             -- entities only
    tone_sum       DOUBLE,
    tone_n         BIGINT,
    sentiment_sum  DOUBLE,             -- topics and entities: of the sentences carrying them
    sentiment_n    BIGINT,
    PRIMARY KEY (dimension, key, day)
);

CREATE TABLE IF NOT EXISTS agg_crawl_dates (crawl_date DATE PRIMARY KEY);

CREATE OR REPLACE VIEW counted_articles AS
SELECT article_id, source_id, lang, title, url, tone, is_opinion, word_count,
       CAST(COALESCE(published_at, crawl_date) AS DATE) AS day, crawl_date
FROM articles
WHERE dup_of IS NULL;

-- Materialized first on the cheap crawl_date test: the publication day (a
-- time-zone-aware cast) is then computed only for the few rows left.
CREATE OR REPLACE VIEW unheld_articles AS
WITH raw AS MATERIALIZED (
    SELECT article_id, source_id, lang, tone, is_opinion, published_at, crawl_date FROM articles
    WHERE dup_of IS NULL AND crawl_date NOT IN (SELECT crawl_date FROM agg_crawl_dates)
)
SELECT article_id, source_id, lang, tone, is_opinion, CAST(COALESCE(published_at, crawl_date) AS DATE) AS day,
       crawl_date
FROM raw;

CREATE OR REPLACE VIEW calendar AS
SELECT CAST(unnest(generate_series(CAST(first_day AS TIMESTAMP), CAST(last_day AS TIMESTAMP), INTERVAL 1 DAY)) AS DATE) AS day
FROM (SELECT MIN(day) AS first_day, GREATEST(MAX(day), (SELECT MAX(crawl_date) FROM articles)) AS last_day
      FROM (SELECT day FROM agg_daily WHERE dimension = 'source' UNION ALL SELECT day FROM unheld_articles))
WHERE first_day IS NOT NULL;

-- The counts for publication days between d0 and d1, of the held crawl dates
-- (what agg_daily stores) or, if `unheld`, of all others (what is counted live).
CREATE OR REPLACE MACRO daily_counts_between(d0, d1, unheld) AS TABLE
WITH raw AS MATERIALIZED (
    SELECT article_id, source_id, lang, tone, published_at, crawl_date FROM articles
    WHERE dup_of IS NULL
      AND (CASE WHEN unheld THEN crawl_date NOT IN (SELECT crawl_date FROM agg_crawl_dates)
                ELSE crawl_date IN (SELECT crawl_date FROM agg_crawl_dates) END)
), a AS (
    SELECT article_id, source_id, lang, tone, CAST(COALESCE(published_at, crawl_date) AS DATE) AS day FROM raw
    WHERE CAST(COALESCE(published_at, crawl_date) AS DATE) BETWEEN d0 AND d1
)
SELECT 'topic' AS dimension, t.topic_id AS key, a.day, COUNT(*) AS articles, CAST(NULL AS BIGINT) AS mentions,
       SUM(a.tone) AS tone_sum, COUNT(a.tone) AS tone_n, SUM(t.sentiment) AS sentiment_sum,
       COUNT(t.sentiment) AS sentiment_n
FROM a JOIN article_topics t USING (article_id) GROUP BY ALL
UNION ALL
SELECT 'entity', e.entity_id, a.day, COUNT(*), SUM(e.mentions), SUM(a.tone), COUNT(a.tone),
       SUM(e.sentiment), COUNT(e.sentiment)
FROM a JOIN article_entities e USING (article_id) GROUP BY ALL
UNION ALL
SELECT 'lang', lang, day, COUNT(*), NULL, SUM(tone), COUNT(tone), NULL, NULL FROM a WHERE lang IS NOT NULL GROUP BY ALL
UNION ALL
SELECT 'source', source_id, day, COUNT(*), NULL, SUM(tone), COUNT(tone), NULL, NULL FROM a GROUP BY ALL;

CREATE OR REPLACE VIEW daily_counts AS
SELECT * FROM agg_daily
UNION ALL
SELECT * FROM daily_counts_between(DATE '0001-01-01', DATE '9999-12-31', true);

CREATE OR REPLACE VIEW daily_volume AS
WITH keys AS (
    SELECT 'topic' AS dimension, topic_id AS key FROM topics
    UNION ALL SELECT 'entity', entity_id FROM entities
    UNION ALL SELECT DISTINCT dimension, key FROM daily_counts WHERE dimension IN ('lang', 'source')
)
SELECT k.dimension, k.key, c.day, COALESCE(n.articles, 0) AS articles
FROM keys k CROSS JOIN calendar c
LEFT JOIN daily_counts n ON n.dimension = k.dimension AND n.key = k.key AND n.day = c.day;

CREATE OR REPLACE VIEW topic_daily AS
WITH filled AS (
    SELECT c.day, k.topic_id, COALESCE(n.articles, 0) AS articles,
           COALESCE(n.tone_sum, 0) AS tone_sum, COALESCE(n.tone_n, 0) AS tone_n,
           COALESCE(n.sentiment_sum, 0) AS sentiment_sum, COALESCE(n.sentiment_n, 0) AS sentiment_n
    FROM topics k CROSS JOIN calendar c
    LEFT JOIN (SELECT * FROM daily_counts WHERE dimension = 'topic') n ON n.key = k.topic_id AND n.day = c.day
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
WITH filled AS (
    SELECT c.day, k.entity_id, COALESCE(n.articles, 0) AS articles, COALESCE(n.mentions, 0) AS mentions,
           COALESCE(n.tone_sum, 0) AS tone_sum, COALESCE(n.tone_n, 0) AS tone_n,
           COALESCE(n.sentiment_sum, 0) AS sentiment_sum, COALESCE(n.sentiment_n, 0) AS sentiment_n
    FROM entities k CROSS JOIN calendar c
    LEFT JOIN (SELECT * FROM daily_counts WHERE dimension = 'entity') n ON n.key = k.entity_id AND n.day = c.day
)
SELECT day, entity_id, articles, mentions,
       ROUND(tone_sum / NULLIF(tone_n, 0), 3) AS avg_tone,
       ROUND(sentiment_sum / NULLIF(sentiment_n, 0), 3) AS avg_sentiment,
       ROUND(AVG(articles) OVER w_entity, 2) AS articles_ma7,
       ROUND(SUM(tone_sum) OVER w_entity / NULLIF(SUM(tone_n) OVER w_entity, 0), 3) AS tone_ma7,
       ROUND(SUM(sentiment_sum) OVER w_entity / NULLIF(SUM(sentiment_n) OVER w_entity, 0), 3) AS sentiment_ma7
FROM filled
WINDOW w_entity AS (PARTITION BY entity_id ORDER BY day ROWS BETWEEN 6 PRECEDING AND CURRENT ROW);
