-- Why a score is what it is: the sentences that carry each article-entity and
-- article-topic sentiment, with their own score and the lexicon cues that made
-- it (+term, -term; modifiers as "not (negator)", "sharply (intensifier)").
-- An entity's or topic's sentiment in article_entities / article_topics is the
-- mean score of exactly these sentences. Filled by warehouse/evidence.py in
-- the load's transaction.
CREATE TABLE IF NOT EXISTS article_sentences (
    article_id  VARCHAR NOT NULL,
    sent_idx    BIGINT NOT NULL,                -- 0 = the headline
    sentence    VARCHAR NOT NULL,
    score       DOUBLE NOT NULL,
    label       VARCHAR NOT NULL,               -- positive | negative | neutral
    cues        VARCHAR[] NOT NULL,
    PRIMARY KEY (article_id, sent_idx)
);

CREATE TABLE IF NOT EXISTS sentence_targets (
    article_id  VARCHAR NOT NULL,
    sent_idx    BIGINT NOT NULL,
    kind        VARCHAR NOT NULL,               -- entity | topic (a topic's sentences count for its ancestors too)
    target_id   VARCHAR NOT NULL,
    PRIMARY KEY (article_id, sent_idx, kind, target_id)
);

CREATE OR REPLACE VIEW entity_evidence AS
SELECT e.article_id, e.entity_id, e.sentiment AS entity_sentiment, s.sent_idx, s.sentence,
       s.score AS sentence_score, s.label, s.cues
FROM article_entities e
JOIN sentence_targets t ON t.article_id = e.article_id AND t.kind = 'entity' AND t.target_id = e.entity_id
JOIN article_sentences s ON s.article_id = t.article_id AND s.sent_idx = t.sent_idx;

CREATE OR REPLACE VIEW topic_evidence AS
SELECT p.article_id, p.topic_id, p.sentiment AS topic_sentiment, s.sent_idx, s.sentence,
       s.score AS sentence_score, s.label, s.cues
FROM article_topics p
JOIN sentence_targets t ON t.article_id = p.article_id AND t.kind = 'topic' AND t.target_id = p.topic_id
JOIN article_sentences s ON s.article_id = t.article_id AND s.sent_idx = t.sent_idx;

-- The framing gap with example sentences: per entity, week and language, the
-- sentence naming the entity whose score is strongest.
CREATE OR REPLACE VIEW framing_examples AS
SELECT 'entity' AS dimension, v.entity_id AS key, CAST(date_trunc('week', a.day) AS DATE) AS week, a.lang,
       arg_max(v.sentence, abs(v.sentence_score)) AS example_sentence,
       arg_max(v.sentence_score, abs(v.sentence_score)) AS example_score,
       arg_max(a.url, abs(v.sentence_score)) AS example_url
FROM entity_evidence v JOIN counted_articles a USING (article_id)
GROUP BY ALL;
