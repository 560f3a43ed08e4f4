-- Spikes over the zero-filled series: a topic or entity spikes when its day's
-- volume is above the mean of the trailing `window_days` calendar days (quiet
-- days count as 0) by `z` deviations and reaches `min_articles`. The spread has
-- a floor of sqrt(baseline) and 1 (Poisson noise), so a topic that was silent
-- for two weeks spikes on its first busy day instead of dividing by zero.
-- `min_history` days of calendar must precede the day (the warehouse's own
-- first days have no baseline). config/spikes.yaml holds the thresholds the
-- report and CLI use; the `spikes` view below uses the same defaults.
CREATE OR REPLACE MACRO volume_zscores(window_days) AS TABLE
SELECT dimension, key, day, articles, baseline, history_days,
       ROUND((articles - baseline) / GREATEST(spread, SQRT(baseline), 1.0), 2) AS z_score
FROM (
    SELECT dimension, key, day, articles,
           ROUND(AVG(articles) OVER w_trailing, 3) AS baseline,
           STDDEV_POP(articles) OVER w_trailing AS spread,
           COUNT(*) OVER w_trailing AS history_days
    FROM daily_volume
    WHERE dimension IN ('topic', 'entity')
    WINDOW w_trailing AS (PARTITION BY dimension, key ORDER BY day ROWS BETWEEN window_days PRECEDING AND 1 PRECEDING)
);

CREATE OR REPLACE MACRO spikes_with(window_days, z, min_articles, min_history) AS TABLE
SELECT * FROM volume_zscores(window_days)
WHERE articles >= min_articles AND history_days >= min_history AND z_score >= z;

CREATE OR REPLACE VIEW spikes AS SELECT * FROM spikes_with(14, 3.0, 5, 7);

-- Kept for the queries written against migration 002; now over the calendar.
CREATE OR REPLACE VIEW topic_spikes AS
SELECT day, key AS topic_id, articles, baseline, z_score FROM spikes WHERE dimension = 'topic';

-- The articles that made a spike: that day's articles on the topic or entity,
-- near-copies folded into their original (copies says how many it stands
-- for), ranked by relevance: topic hits per 1,000 words, or entity mentions
-- with a headline mention first.
CREATE OR REPLACE MACRO spike_causes(dim, k, d) AS TABLE
WITH hits AS (
    SELECT a.article_id, COALESCE(a.dup_of, a.article_id) AS story_id,
           CASE WHEN dim = 'topic' THEN t.score ELSE NULL END AS topic_score,
           e.mentions, e.first_sentence
    FROM articles a
    LEFT JOIN article_topics t ON dim = 'topic' AND t.article_id = a.article_id AND t.topic_id = k
    LEFT JOIN article_entities e ON dim = 'entity' AND e.article_id = a.article_id AND e.entity_id = k
    WHERE CAST(COALESCE(a.published_at, a.crawl_date) AS DATE) = d
      AND (t.article_id IS NOT NULL OR e.article_id IS NOT NULL)
), stories AS (
    SELECT story_id, COUNT(*) AS copies,
           MAX(CASE WHEN dim = 'topic' THEN topic_score
                    ELSE mentions + CASE WHEN first_sentence = 0 THEN 5 ELSE 0 END END) AS relevance
    FROM hits GROUP BY story_id
)
SELECT s.story_id AS article_id, o.title, o.source_id, o.lang, o.url, o.published_at,
       ROUND(s.relevance, 3) AS relevance, s.copies
FROM stories s JOIN articles o ON o.article_id = s.story_id
ORDER BY s.relevance DESC, s.copies DESC, s.story_id;
