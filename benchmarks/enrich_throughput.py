"""Enrichment throughput: mediamon's batch enrichment against a straightforward
pure-Python per-article tagger over the same vocabulary, in one run.

    python -m benchmarks.enrich_throughput [--articles 100000] [--baseline 300] [--chunk 20000] [--workers N]

Articles are synthetic but realistic: sentences drawn (seeded) from the demo
newsroom's articles in Arabic, Chinese and English, about 800 words each.
Not a test: it prints figures and asserts nothing."""
from __future__ import annotations

import argparse
import random
import re
import time

import polars as pl

WORDS = 800


def synthetic_articles(n: int, seed: int = 7) -> pl.DataFrame:
    from mediamon.demo.newsroom import load_articles
    from transforms.sentences import split_sentences

    demo = [a for a in load_articles() if not a.broken]
    pool = split_sentences(pl.DataFrame({
        "article_id": [f"{a.outlet_id}/{a.slug}" for a in demo], "lang": [a.lang for a in demo],
        "title": [a.title for a in demo], "text": [a.body for a in demo],
    })).filter(pl.col("sent_idx") > 0)
    by_lang = {lang: pool.filter(pl.col("lang") == lang)["sentence"].to_list() for lang in ("ar", "zh", "en")}
    rng = random.Random(seed)
    rows = []
    for i in range(n):
        lang = ("ar", "zh", "en")[i % 3]
        sents, size = [], 0
        while size < WORDS:
            s = rng.choice(by_lang[lang])
            sents.append(s)
            size += len(s) / 1.6 if lang == "zh" else len(s.split())
        rows.append({"article_id": f"bench-{i}", "lang": lang, "title": sents[0], "text": " ".join(sents[1:])})
    return pl.DataFrame(rows)


# --- the baseline: what one would write first, one article at a time --------------

_AR_MARKS = re.compile(r"[\u064B-\u065F\u0670\u0640]")
_NON_WORD = re.compile(r"[^\w]+")


def _fold(text: str) -> str:
    text = _AR_MARKS.sub("", text.lower())
    for a, b in (("أ", "ا"), ("إ", "ا"), ("آ", "ا"), ("ى", "ي"), ("ة", "ه")):
        text = text.replace(a, b)
    return text


def baseline_tag(article: dict, patterns: dict[str, list[tuple[str, str, str]]]) -> dict:
    """Topics, entities and tone for one article by looping over every phrase."""
    text = _fold(article["title"] + " " + article["text"])
    spaced = " " + " ".join(_NON_WORD.sub(" ", text).split()) + " "
    words = len(spaced.split()) if article["lang"] != "zh" else int(len(text) / 1.6)
    topics, entities, pos, neg = {}, {}, 0, 0
    for kind, target, pattern in patterns[article["lang"]]:
        n = text.count(pattern) if article["lang"] == "zh" else spaced.count(pattern)
        if not n:
            continue
        if kind == "topic":
            topics[target] = topics.get(target, 0) + n
        elif kind == "entity":
            entities[target] = entities.get(target, 0) + n
        elif kind == "positive":
            pos += n
        elif kind == "negative":
            neg += n
    p, q = 100 * pos / max(words, 1), 100 * neg / max(words, 1)
    return {"topics": [t for t, n in topics.items() if n >= 2], "entities": entities, "tone": p - q}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=100_000)
    ap.add_argument("--baseline", type=int, default=300, help="articles for the (slow) baseline")
    ap.add_argument("--chunk", type=int, default=20_000)
    ap.add_argument("--workers", type=int, default=None, help="threads per batch (default: Polars' thread count)")
    args = ap.parse_args()

    from transforms.enrich import enrich_frame
    from transforms.patterns import vocabulary_patterns
    from transforms.vocab import cached_vocabulary

    vocab = cached_vocabulary()
    patterns = vocabulary_patterns(vocab)
    data = synthetic_articles(args.articles)
    mb = sum(len(t.encode()) for t in data["text"].to_list()) / 1e6
    print(f"{data.height} articles, {mb:.1f} MB of text, {len(patterns)} patterns")

    enrich_frame(data.head(300), vocab, patterns)  # warm-up: lingua models
    t0, cpu0 = time.perf_counter(), time.process_time()
    n_topics = n_entities = 0
    stages: dict[str, float] = {}
    for chunk in data.iter_slices(args.chunk):
        res = enrich_frame(chunk, vocab, patterns, timings=stages, workers=args.workers)
        n_topics += res.topics.height
        n_entities += res.entities.height
    elapsed, cpu = time.perf_counter() - t0, time.process_time() - cpu0
    rate = data.height / elapsed
    print(f"mediamon enrich: {elapsed:.1f} s, {rate:,.0f} articles/s, {mb / elapsed:.2f} MB/s "
          f"({n_topics} topic tags, {n_entities} entity rows)")
    # wall-clock rates move by a fifth between runs and machines; the CPU
    # each article costs moves less, and says what a core count can reach
    # (Polars' thread count is the cores it found, cgroup quotas included; os.cpu_count() is the host's)
    cores = pl.thread_pool_size()
    print(f"  CPU: {1000 * cpu / data.height:.2f} ms per article, {cpu / elapsed:.2f} cores busy "
          f"(at this cost {cores} fully busy cores would do {cores * data.height / cpu:,.0f} articles/s)")
    # the phases run piece by piece in every worker at once: each gets the
    # time its workers spent in it (worker-seconds, about cores x seconds)
    for name, secs in stages.items():
        print(f"  {name:<28} {secs:6.1f} worker-s  {data.height / secs:>9,.0f} articles per worker-second")

    per_lang: dict[str, list] = {"ar": [], "zh": [], "en": []}
    for lang, kind, target, pattern, mode in patterns.select("lang", "kind", "target_id", "pattern", "mode").iter_rows():
        if kind in ("topic", "entity", "positive", "negative"):
            per_lang[lang].append((kind, target, pattern.strip() if mode == "substring" else pattern))
    sample = data.head(args.baseline).to_dicts()
    t0, cpu0 = time.perf_counter(), time.process_time()
    for art in sample:
        baseline_tag(art, per_lang)
    base_elapsed, base_cpu = time.perf_counter() - t0, time.process_time() - cpu0
    base_rate = len(sample) / base_elapsed
    print(f"pure-Python baseline: {len(sample)} articles in {base_elapsed:.1f} s, {base_rate:,.1f} articles/s, "
          f"{1000 * base_cpu / len(sample):.1f} ms CPU per article")
    tagging = stages["models_topics_entities_tone"]
    print(f"ratio: {rate / base_rate:,.1f}x (whole enrichment); "
          f"{data.height / tagging / base_rate:,.1f}x (the tagging phase's articles per worker-second, "
          "which also runs the models, against the baseline's topics+entities+tone on one core); "
          f"{(base_cpu / len(sample)) / (cpu / data.height):,.1f}x less CPU per article")


if __name__ == "__main__":
    main()
