-- Source isolation: each source's health is judged on its own, and a source
-- that fails a check never keeps another source's articles out.
-- One row per source, date and check: what was observed, against what bound,
-- and what was done about it (loaded, loaded but degraded, held in quarantine).
CREATE TABLE IF NOT EXISTS source_health (
    crawl_date   DATE NOT NULL,
    source_id    VARCHAR NOT NULL,
    check_name   VARCHAR NOT NULL,     -- quarantine_share | source_volume | listing | crawl
    observed     DOUBLE,
    threshold    VARCHAR,              -- the bound it was held to, as configured
    severity     VARCHAR NOT NULL,     -- warn | fail
    passed       BOOLEAN NOT NULL,
    action       VARCHAR NOT NULL,     -- ok | warned | degraded | held | crawl_failed
    detail       VARCHAR,
    checked_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (crawl_date, source_id, check_name)
);
-- Loaded although its source failed a health check (on_unhealthy: load).
ALTER TABLE articles ADD COLUMN IF NOT EXISTS degraded BOOLEAN DEFAULT false;
-- Pages an earlier date fetched but never loaded, fetched again by this run.
ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS refetched_pending BIGINT;
