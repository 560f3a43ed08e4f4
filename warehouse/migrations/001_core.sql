-- Core tables. Keys end in _id, timestamps in _at (jaffle-shop style).
CREATE TABLE IF NOT EXISTS articles (
    article_id        VARCHAR PRIMARY KEY,   -- sha256(canonical url)[:16]
    url               VARCHAR NOT NULL,
    source_id         VARCHAR NOT NULL,
    title             VARCHAR,
    text              VARCHAR,
    author            VARCHAR,
    lang              VARCHAR,
    published_at      TIMESTAMPTZ,
    published_from    VARCHAR,               -- html | feed
    fetched_at        TIMESTAMPTZ,
    crawl_date        DATE NOT NULL,          -- the logical date of the run that fetched it
    tone              DOUBLE,
    positive          DOUBLE,
    negative          DOUBLE,
    polarity          DOUBLE,
    word_count        BIGINT,
    dup_of            VARCHAR,
    content_sha256    VARCHAR,
    taxonomy_version  VARCHAR NOT NULL,
    lexicon_version   VARCHAR NOT NULL,
    loaded_at         TIMESTAMPTZ NOT NULL
);

CREATE TABLE IF NOT EXISTS article_topics (
    article_id  VARCHAR NOT NULL,
    topic_id    VARCHAR NOT NULL,
    hits        BIGINT NOT NULL,
    score       DOUBLE,                      -- hits per 1,000 words
    is_direct   BOOLEAN NOT NULL,            -- false: rolled up from a child topic
    PRIMARY KEY (article_id, topic_id)
);

CREATE TABLE IF NOT EXISTS article_entities (
    article_id  VARCHAR NOT NULL,
    entity_id   VARCHAR NOT NULL,
    mentions    BIGINT NOT NULL,
    first_pos   BIGINT,
    PRIMARY KEY (article_id, entity_id)
);

CREATE TABLE IF NOT EXISTS topics (
    topic_id          VARCHAR PRIMARY KEY,
    name              VARCHAR NOT NULL,
    parent_id         VARCHAR,
    taxonomy_version  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS entities (
    entity_id  VARCHAR PRIMARY KEY,
    name       VARCHAR NOT NULL,
    type       VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS quarantine (
    record_id       VARCHAR NOT NULL,
    stage           VARCHAR NOT NULL,        -- extract | validate
    source_id       VARCHAR,
    url             VARCHAR,
    reasons         VARCHAR[] NOT NULL,
    payload         VARCHAR,                 -- the rejected record as JSON
    crawl_date      DATE NOT NULL,
    quarantined_at  TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (record_id, stage, crawl_date)
);

CREATE TABLE IF NOT EXISTS crawl_runs (
    crawl_date          DATE NOT NULL,
    source_id           VARCHAR NOT NULL,
    requests            BIGINT,
    responses           BIGINT,
    responses_by_status MAP(VARCHAR, BIGINT),
    items               BIGINT,
    articles            BIGINT,
    bytes               BIGINT,
    duration_s          DOUBLE,
    errors_by_kind      MAP(VARCHAR, BIGINT),
    finish_reason       VARCHAR,
    started_at          TIMESTAMPTZ,
    finished_at         TIMESTAMPTZ,
    PRIMARY KEY (crawl_date, source_id)
);

CREATE TABLE IF NOT EXISTS dq_results (
    crawl_date        DATE NOT NULL,
    run_id            VARCHAR NOT NULL,
    suite             VARCHAR NOT NULL,
    expectation       VARCHAR NOT NULL,
    column_name       VARCHAR,
    reason            VARCHAR NOT NULL,
    success           BOOLEAN NOT NULL,
    unexpected_count  BIGINT NOT NULL,
    observed_value    VARCHAR,
    checked_at        TIMESTAMPTZ NOT NULL
);
