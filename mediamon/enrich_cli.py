"""`mediamon enrich`: JSONL in, one Parquet file out, topics and entities nested.

A record that cannot be enriched (not JSON, no id, no text, an id seen
before) is reported with its line number and skipped; the rest are enriched.
A `lang` the record gives is used as given (detection fills only the
missing ones); a code mediamon does not know stops the command, since every
later record from the same caller would be wrong the same way."""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from core.atomic import atomic_path

CHUNK = 5000
# the beat's languages and the others detection can name (transforms.language)
KNOWN_LANGS = ("ar", "zh", "en", "fa", "ur", "ja", "ko", "fr", "de", "es", "ru", "tr")
SCHEMA = {"article_id": pl.String, "text": pl.String, "title": pl.String,
          "lang": pl.String, "url": pl.String, "published_at": pl.String}


@dataclass
class Summary:
    enriched: int = 0
    bad: list[tuple[int, str, str]] = field(default_factory=list)   # (line, kind, reason)

    def counts(self) -> Counter:
        return Counter(kind for _, kind, _ in self.bad)


def _check(rec, seen: set[str]) -> tuple[str, str] | None:
    """(kind, reason) when the record cannot be enriched."""
    if not isinstance(rec, dict):
        return "not_an_object", "not a JSON object"
    if rec.get("id") in (None, ""):
        return "missing_id", "no 'id'"
    if not isinstance(rec.get("text"), str) or not rec["text"].strip():
        return "empty_text", "no 'text' or an empty one"
    if str(rec["id"]) in seen:
        return "duplicate_id", f"id {str(rec['id'])!r} already seen"
    return None


def _lang(rec: dict, path: Path, n: int) -> str | None:
    lang = rec.get("lang")
    if lang in (None, ""):
        return None
    code = str(lang).strip().lower()
    if code not in KNOWN_LANGS:
        raise ValueError(f"{path}:{n}: unknown lang {lang!r}; expected one of {', '.join(KNOWN_LANGS)} "
                         "(or leave it out to detect it)")
    return code


def read_records(path: Path, summary: Summary) -> pl.DataFrame:
    rows, seen = [], set()
    with open(path, encoding="utf-8", errors="replace") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            try:
                rec = json.loads(line)
            except json.JSONDecodeError as exc:
                summary.bad.append((n, "bad_json", f"not JSON: {exc.msg}"))
                continue
            problem = _check(rec, seen)
            if problem:
                summary.bad.append((n, *problem))
                continue
            seen.add(str(rec["id"]))
            rows.append({
                "article_id": str(rec["id"]), "text": rec["text"], "title": rec.get("title"),
                "lang": _lang(rec, path, n), "url": rec.get("url"), "published_at": rec.get("published_at"),
            })
    df = pl.DataFrame(rows, schema=SCHEMA)
    return df.with_columns(pl.col("published_at").str.to_datetime(time_zone="UTC", strict=False)).with_row_index("_row")


def enrich_jsonl(infile: Path, outfile: Path, strict: bool = False) -> Summary:
    """Raises ValueError for a file that cannot be read as a whole, an unknown
    lang, or (with `strict`) any bad record; nothing is written then."""
    from tqdm import tqdm

    from transforms.enrich import enrich_frame
    from transforms.patterns import cached_patterns
    from transforms.vocab import cached_vocabulary

    summary = Summary()
    records = read_records(infile, summary)
    if strict and summary.bad:
        n, _, reason = summary.bad[0]
        raise ValueError(f"{infile}:{n}: {reason} ({len(summary.bad)} bad record(s); --strict)")
    vocab, patterns = cached_vocabulary(), cached_patterns()
    parts = []
    with tqdm(total=records.height, unit="rec", disable=records.height < CHUNK, desc="enrich") as bar:
        for chunk in records.iter_slices(CHUNK):
            res = enrich_frame(chunk, vocab, patterns, trust_lang=True)
            topics = res.topics.group_by("article_id").agg(
                pl.struct("topic_id", "hits", "score", "is_direct", "sentiment", "sentiment_label").alias("topics"))
            ents = res.entities.group_by("article_id").agg(
                pl.struct("entity_id", "mentions", "sentiment", "sentiment_label").alias("entities"))
            sents = res.sentences.sort("sent_idx").group_by("article_id").agg(
                pl.struct("sent_idx", "sentiment", "sentiment_label").alias("sentences"))
            parts.append(res.articles.join(topics, on="article_id", how="left")
                         .join(ents, on="article_id", how="left")
                         .join(sents, on="article_id", how="left"))
            bar.update(chunk.height)
    # joins do not keep row order; a user reading OUT next to IN expects it
    if parts:
        out = pl.concat(parts, how="diagonal_relaxed").sort("_row").drop("_row").rename({"article_id": "id"})
    else:
        out = records.drop("_row").rename({"article_id": "id"})
    with atomic_path(Path(outfile)) as tmp:
        out.write_parquet(tmp)
    summary.enriched = out.height
    return summary
