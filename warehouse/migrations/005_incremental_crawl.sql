-- Incremental crawling: what each run did not fetch, and why.
ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS not_modified BIGINT;           -- listings answered 304
ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS skipped_known BIGINT;          -- listed, held since an earlier date
ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS skipped_duplicate_url BIGINT;  -- listed twice today (tracking parameters)
ALTER TABLE crawl_runs ADD COLUMN IF NOT EXISTS skipped_outside_window BIGINT; -- listed with a date before the run's window
