-- Conservation, per source and crawl date: every article record read from the
-- raw archive was loaded, quarantined, or skipped as the same page fetched twice.
CREATE TABLE IF NOT EXISTS partition_counts (
    crawl_date          DATE NOT NULL,
    source_id           VARCHAR NOT NULL,
    records             BIGINT NOT NULL,
    loaded              BIGINT NOT NULL,
    quarantined         BIGINT NOT NULL,
    skipped_duplicates  BIGINT NOT NULL,
    counted_at          TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (crawl_date, source_id),
    CHECK (records = loaded + quarantined + skipped_duplicates)
);
