-- Trend views. Days are publication days (UTC); near-copies are left out of
-- volumes so a syndicated story is counted once.
CREATE OR REPLACE VIEW unique_articles AS
SELECT * FROM articles WHERE dup_of IS NULL;

CREATE OR REPLACE VIEW daily_topic_volume AS
SELECT CAST(a.published_at AS DATE) AS day, t.topic_id, a.lang,
       COUNT(*) AS articles, ROUND(AVG(a.tone), 3) AS avg_tone
FROM unique_articles a JOIN article_topics t USING (article_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW entity_mentions AS
SELECT CAST(a.published_at AS DATE) AS day, e.entity_id, a.lang,
       COUNT(*) AS articles, SUM(e.mentions) AS mentions, ROUND(AVG(a.tone), 3) AS avg_tone
FROM unique_articles a JOIN article_entities e USING (article_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW sentiment_by_topic AS
SELECT t.topic_id, a.lang, COUNT(*) AS articles,
       ROUND(AVG(a.tone), 3) AS avg_tone, ROUND(AVG(a.positive), 3) AS avg_positive,
       ROUND(AVG(a.negative), 3) AS avg_negative
FROM unique_articles a JOIN article_topics t USING (article_id)
GROUP BY ALL;

CREATE OR REPLACE VIEW share_of_voice AS
SELECT CAST(published_at AS DATE) AS day, source_id, lang, COUNT(*) AS articles,
       ROUND(100.0 * COUNT(*) / SUM(COUNT(*)) OVER (PARTITION BY CAST(published_at AS DATE)), 2) AS share_pct
FROM unique_articles
GROUP BY 1, 2, 3;

-- A topic spikes when its day's volume is well above its trailing 7-day mean.
CREATE OR REPLACE VIEW topic_spikes AS
WITH daily AS (
    SELECT day, topic_id, SUM(articles) AS articles FROM daily_topic_volume GROUP BY ALL
), scored AS (
    SELECT day, topic_id, articles,
           AVG(articles) OVER w AS baseline,
           STDDEV_POP(articles) OVER w AS spread
    FROM daily
    WINDOW w AS (PARTITION BY topic_id ORDER BY day RANGE BETWEEN INTERVAL 7 DAY PRECEDING AND INTERVAL 1 DAY PRECEDING)
)
SELECT day, topic_id, articles, ROUND(baseline, 2) AS baseline,
       ROUND((articles - baseline) / NULLIF(spread, 0), 2) AS z_score
FROM scored
WHERE baseline IS NOT NULL AND articles >= 3 AND articles >= 2 * baseline;
