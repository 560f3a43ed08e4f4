-- Sentence-level sentiment rolled up to each entity and topic an article
-- mentions, and the opinion/news label.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS is_opinion BOOLEAN;
ALTER TABLE articles ADD COLUMN IF NOT EXISTS opinion_score DOUBLE;
ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS sentiment DOUBLE;          -- mean score of the sentences carrying the topic
ALTER TABLE article_topics ADD COLUMN IF NOT EXISTS sentiment_label VARCHAR;   -- positive | negative | neutral
ALTER TABLE article_entities RENAME COLUMN first_pos TO first_sentence;        -- 0 = the headline
ALTER TABLE article_entities ADD COLUMN IF NOT EXISTS sentiment DOUBLE;        -- mean score of the sentences naming it
ALTER TABLE article_entities ADD COLUMN IF NOT EXISTS sentiment_label VARCHAR;

-- How each entity is written about, day by day: not the article's mood, the
-- mood of the sentences that name it.
CREATE OR REPLACE VIEW entity_sentiment AS
SELECT CAST(a.published_at AS DATE) AS day, e.entity_id, a.lang, COUNT(*) AS articles,
       ROUND(AVG(e.sentiment), 3) AS avg_sentiment,
       COUNT(*) FILTER (WHERE e.sentiment_label = 'positive') AS positive_articles,
       COUNT(*) FILTER (WHERE e.sentiment_label = 'negative') AS negative_articles
FROM articles a JOIN article_entities e USING (article_id)
WHERE a.dup_of IS NULL
GROUP BY ALL;

CREATE OR REPLACE VIEW topic_sentiment AS
SELECT CAST(a.published_at AS DATE) AS day, t.topic_id, a.lang, a.is_opinion, COUNT(*) AS articles,
       ROUND(AVG(t.sentiment), 3) AS avg_sentiment
FROM articles a JOIN article_topics t USING (article_id)
WHERE a.dup_of IS NULL
GROUP BY ALL;
