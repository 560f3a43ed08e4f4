-- The same story in three languages: per entity or topic and week, volume and
-- sentiment (of the sentences naming the entity or carrying the topic, read in
-- their own language) in ar, zh and en side by side, the gap between the
-- warmest and the coldest language, and per language the headline whose
-- sentiment is strongest as an example.
CREATE OR REPLACE VIEW framing_by_lang AS
WITH tagged AS (
    SELECT 'entity' AS dimension, e.entity_id AS key, a.article_id, a.lang, a.title, a.url,
           CAST(date_trunc('week', a.day) AS DATE) AS week, e.sentiment
    FROM counted_articles a JOIN article_entities e USING (article_id)
    UNION ALL
    SELECT 'topic', t.topic_id, a.article_id, a.lang, a.title, a.url,
           CAST(date_trunc('week', a.day) AS DATE), t.sentiment
    FROM counted_articles a JOIN article_topics t USING (article_id)
)
SELECT dimension, key, week, lang, COUNT(*) AS articles, ROUND(AVG(sentiment), 3) AS avg_sentiment,
       arg_max(title, abs(COALESCE(sentiment, 0))) AS example_title,
       arg_max(url, abs(COALESCE(sentiment, 0))) AS example_url,
       arg_max(article_id, abs(COALESCE(sentiment, 0))) AS example_article_id
FROM tagged
GROUP BY ALL;

CREATE OR REPLACE VIEW framing_gap AS
SELECT dimension, key, week,
       COALESCE(SUM(articles) FILTER (WHERE lang = 'ar'), 0) AS ar_articles,
       COALESCE(SUM(articles) FILTER (WHERE lang = 'zh'), 0) AS zh_articles,
       COALESCE(SUM(articles) FILTER (WHERE lang = 'en'), 0) AS en_articles,
       MAX(avg_sentiment) FILTER (WHERE lang = 'ar') AS ar_sentiment,
       MAX(avg_sentiment) FILTER (WHERE lang = 'zh') AS zh_sentiment,
       MAX(avg_sentiment) FILTER (WHERE lang = 'en') AS en_sentiment,
       -- only where at least two languages covered it; one language has no gap
       CASE WHEN COUNT(avg_sentiment) >= 2 THEN ROUND(MAX(avg_sentiment) - MIN(avg_sentiment), 3) END AS sentiment_gap,
       MAX(example_title) FILTER (WHERE lang = 'ar') AS ar_example,
       MAX(example_title) FILTER (WHERE lang = 'zh') AS zh_example,
       MAX(example_title) FILTER (WHERE lang = 'en') AS en_example
FROM framing_by_lang
GROUP BY ALL;
