-- mediamon's own article sentiment (issue 14): the mean of the sentence
-- scores of the trained models blended with the lexicon, beside GDELT's
-- tone (which is unchanged). Rows loaded before this have NULL: a reprocess
-- fills them.
ALTER TABLE articles ADD COLUMN IF NOT EXISTS sentiment DOUBLE;          -- -1..1
ALTER TABLE articles ADD COLUMN IF NOT EXISTS sentiment_label VARCHAR;   -- positive | negative | neutral

CREATE OR REPLACE VIEW daily_sentiment AS
SELECT CAST(published_at AS DATE) AS day, source_id, lang, COUNT(*) AS articles,
       ROUND(AVG(sentiment), 3) AS avg_sentiment, ROUND(AVG(tone), 3) AS avg_tone,
       COUNT(*) FILTER (WHERE sentiment_label = 'positive') AS positive_articles,
       COUNT(*) FILTER (WHERE sentiment_label = 'negative') AS negative_articles
FROM articles
WHERE dup_of IS NULL
GROUP BY ALL;
