"""What the Airflow UI shows the person on call, per DAG and task: what it
does, what its failure means, what to do. Plain text, no imports: the DAG
file reads it at parse time."""

DAG = """\
### Daily media monitoring

Crawls every outlet in the sources file, extracts the article text, tags topics,
entities and sentiment, checks the batch and loads the DuckDB warehouse
(`$MEDIAMON_DATA_DIR/warehouse/mediamon.duckdb`). One run per day; a rerun of a
date replaces that date and changes nothing else.

**A red run does not mean nothing loaded.** Sources are isolated: one dead feed or
one source of empty pages fails its own crawl task and the last task,
`check_sources`, while every other source loads. The run's note (top of the run's
page) says what loaded per source and which sources failed; then read
`check_sources`'s log.

A run triggered without a logical date (the UI's and the API's default) works on
the UTC day it ran.

Useful queries (`mediamon sql "..."` or `duckdb -readonly`):
`SELECT * FROM source_health WHERE NOT passed ORDER BY crawl_date DESC` and
`SELECT * FROM crawl_runs WHERE crawl_date = current_date`.
"""

TASKS = {
    "read_sources": """\
Checks every config file (sources, taxonomy, entities, lexicons, quality rules) and
that the warehouse directory is writable, before any request is sent; removes temp
dirs that killed runs of this date left. **Failed:** the log names the file, the
entry and the field. Fix the file and clear this task; nothing was fetched.""",
    "crawl": """\
Fetches one source's feeds or sitemaps and its new article pages into
`raw/date=D/source=S/` (WARC). The map index is the source id. **Failed:** the
source's feed is dead or moved (404, timeout, an HTML page where the feed was): the
log shows the responses by status and errors by kind. The other sources go on.
Check the feed URL in a browser; fix `sources.yaml`; rerun the date.""",
    "extract": """\
Reads the raw archives of this date and extracts article text and dates (trafilatura),
whatever each crawl's outcome. **Failed:** a bug or a corrupt archive; the log names
the file. Rerunning the date refetches nothing that loaded.""",
    "enrich": """\
Language, sentences, near-duplicates, topics, entities, tone and sentiment for the
day's articles. **Failed:** usually a bad vocabulary or model file (its path in the log).""",
    "validate": """\
Great Expectations: rows that fail go to quarantine with their reasons; per-source
health (quarantine share of extracted content, volume against history) flags a source
`degraded` or holds it (`on_unhealthy`). **Failed:** only when no source gave a
single article (empty_batch): check `crawl_runs` and the sources' feeds.""",
    "load": """\
Writes the day into the warehouse in one swap of a copy: readers never block it.
**Failed:** another writer held the warehouse longer than `MEDIAMON_WRITE_WAIT_S`
(the log names its PID), or the disk is full. Nothing was half-written; rerun the date.""",
    "check_sources": """\
Last task: fails naming each source, check and value that failed today, after all
other sources loaded. **Failed:** look at the named source (dead feed, empty pages,
a volume drop). Held sources (`on_unhealthy: hold`) load once the date is rerun after
the fix.""",
    "summarize": """\
Writes the trend summary and the HTML report under `reports/date=D/`.
**Failed:** the warehouse could not be read; the data is loaded all the same.""",
    "run_note": """\
Writes the run's note (the summary at the top of this run's page): articles per
source, quarantined records and their top reasons, degraded or failed sources,
spikes, the report's path. It runs even when the load failed, and never fails:
a note it could not deliver is one warning in its log (the note is also kept in
`airflow/notes/`). To send it to an API server elsewhere, define the connection
`mediamon_api` (URL, login, password).""",
}

REPROCESS = """\
### Reprocess a date range

Re-runs extract, enrich, validate and load for every date between `start` and
`end` that has a raw archive, from the archive alone: no request is sent. Trigger
it after changing `config/taxonomy.yaml`, the lexicons or `models/`; afterwards
every row of those dates carries the new `taxonomy_version` / `lexicon_version`,
and the article count is what the archive holds.
"""
