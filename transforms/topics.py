"""Topic tags: phrase hits per topic, vetoed by exclusions, rolled up to parents,
with the sentiment of the sentences that carry them."""
from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import polars as pl

from transforms import ENGINE
from transforms.kernels.passages import tilings
from transforms.sentiment import target_feeling
from transforms.targets import roll_up, sentence_points
from transforms.vocab import Taxonomy

WORDS_PER_REQUIRED_HIT = 150  # a 40-word sentence cannot be held to an 800-word article's bar

# The classifier's classes and the taxonomy roots they vouch for. Real news
# mentions "market" or "chip" in passing far more often than it is about
# them: a phrase-triggered topic under one of these roots stands only where
# the classifier gives its class at least `gate`, or where the text is dense
# with the root's phrases (`strong` hits and `dense` per 100 words: a
# sentence naming two chip makers; the classifiers learnt general news and
# know the beat's niches less well than its phrase lists do); at `assign`
# the classifier alone tags the root (the coverage no list reaches).
ROOT_CLASS = {"economy": "economy", "markets": "economy", "trade": "economy",
              "technology": "technology", "politics": "politics", "geopolitics": "politics"}
MODEL_ROOTS = {"economy": "economy", "technology": "technology", "politics": "politics"}


NEVER = 10**9  # a word count no text reaches


@dataclass(frozen=True)
class Gate:
    gate: dict[str, float]     # per classifier class
    assign: dict[str, float]   # per classifier class
    strong: int
    dense: float
    # A classifier that never read a text as long as `long_words` is out of
    # its depth there: in such a text it vetoes no phrase topic, and it tags
    # a root alone only if the root's class is in `long_alone` or one of the
    # root's own phrases occurs.
    long_words: int = NEVER
    long_alone: tuple[str, ...] = tuple(MODEL_ROOTS)
    # In such a text the phrases alone decide, and a passing mention is not
    # what a long piece is about: a root of a class listed here (and its
    # beats) needs this many of the root's phrase hits per 1,000 words.
    long_dense: tuple[tuple[str, float], ...] = ()
    # A classifier that learnt one topic per text splits its belief over
    # the topics of a long commentary, so that none reaches the gate. A text
    # longer than this is also read passage by passage (even runs of whole
    # sentences of at most this many words): each class gets the larger of
    # the whole text's and its best passage's probability, and a long-text
    # density is read in the densest passage. A text is about what one of
    # its passages is about.
    passage_words: int = NEVER


def _even(gate: float, assign: float, strong: int, dense: float) -> Gate:
    return Gate({c: gate for c in MODEL_ROOTS}, {c: assign for c in MODEL_ROOTS}, strong, dense)


# Per language: the classifiers differ in what they learnt from (headlines,
# articles, sentences) and so in how sure they are. Chosen by 5-fold
# cross-validation on the training splits (python -m transforms.train.tune_topics;
# models/topics/CARD.md says what it picked and why), never on the dev splits,
# among the settings that keep the self-written beats (tests/eval) at their floors.
GATES = {
    # articles and sentences, a sure classifier: it vouches at .15, tags alone at .4
    # Passages (both Arabic and Chinese) are about as long as the median
    # article the classifier learnt from (SANAD 235 words; SogouC 836
    # characters, about 440 words). Chosen on the training splits: out of
    # fold the single articles lose little (mean F1 ar .867 -> .864 at 250;
    # zh .718 -> .715 at 400, -> .712 at 250, where SogouC economy precision
    # fell .75 -> .68), and four training articles run together into one
    # text gain most (R ar .78/.55/.51 -> .92/.94/.90, zh .13/.08/.11 ->
    # .77/.72/.81 for economy/technology/politics at P >= .96).
    "ar": replace(_even(0.15, 0.4, 3, 3.0), passage_words=250),
    # headlines and sentences: politics alone only at .6 (world and domestic
    # news is most of what it learnt, and it claims news-like text of every
    # kind), technology already at .3 (the rare class it under-rates); three
    # phrases at one per 100 words are dense enough
    "en": Gate({"economy": 0.15, "technology": 0.15, "politics": 0.15},
               {"economy": 0.4, "technology": 0.3, "politics": 0.6}, 3, 1.0,
               # it learnt from texts of at most 54 words (headlines, SIB-200
               # sentences, tweets); on long UK business stories it says
               # politics (.75 of the BBC train split's economy articles at
               # P >= .6) and gives economy .02. Beyond 150 words the phrases
               # decide, and politics alone needs a politics phrase (BBC
               # train, research-only, development use; models/topics/CARD.md):
               # economy P/R .85/.42 -> .76/.56, technology .84/.71 -> .83/.74,
               # politics .44/.92 -> .69/.68. Technology alone stays: needing
               # a phrase there cost its recall .71 -> .55. With the politics
               # beats (taxonomy 2026.12.2) two passing mentions of MPs or a
               # missile made every third business story political: economy
               # and politics need 7 root hits per 1,000 words there (about
               # three in a 400-word story). BBC train: economy .79/.73 ->
               # .85/.67, politics .68/.89 -> .81/.78 (6 per 1,000: politics
               # P .79; 8: recall .65 economy).
               # A density is read in the densest passage of 400 words: in
               # four BBC train articles run together it was diluted four
               # times (R economy .34, politics .44); at 400 the single
               # articles are unchanged and the runs reach .75 / .79 (P .92 /
               # .89), technology .56 -> .76 (at 250 single politics
               # precision fell .81 -> .76).
               long_words=150, long_alone=("economy", "technology"),
               long_dense=(("economy", 7.0), ("politics", 7.0)), passage_words=400),
    # headlines and articles: passing mentions of 市场 or 手机 abound, so the
    # classifier must be sure (.5) for a phrase topic to stand, unless a
    # short text is all about it (one hit per 20 words)
    "zh": Gate({"economy": 0.5, "technology": 0.5, "politics": 0.5},
               {"economy": 0.6, "technology": 0.5, "politics": 0.5}, 1, 5.0, passage_words=400),
}
DEFAULT_GATE = _even(0.2, 0.4, 2, 2.0)  # any other language: the settings before cross-validation


def with_passages(sents: pl.DataFrame) -> pl.DataFrame:
    """Add `passage` and `straddling` to sentence rows (sid, article_id,
    lang, word_count, para_idx) in text order.

    passage: the sid of the first sentence of the passage each sentence
    falls in. A text of W words with a passage limit of L
    (Gate.passage_words) is cut into ceil(W / L) passages of even length,
    so no short leftover is read on its own. The cuts fall between
    paragraphs where they can: a paragraph of at most L words goes whole
    into the passage it starts in, so that a commentary's turn from one
    subject to the next (most often a new paragraph) does not mix both into
    one passage; a longer paragraph is cut at sentence boundaries.

    straddling: the passages of the first tiling with every cut moved half
    a passage on: each straddles a cut of the first tiling, so that a part
    of a text which the first tiling splits in two (a subject that does not
    start where a passage does) is read whole in one of them. Only the inner
    ones: the half-length ends would read less than a passage, and they lie
    inside the first tiling's ends. The sid of a passage's first sentence;
    the sentences of the two ends share -1 - the first sid of their text, a
    value no passage has (model_probabilities reads no passage there)."""
    if sents.is_empty():
        return sents.with_columns(pl.lit(None, pl.Int64).alias("passage"), pl.lit(None, pl.Int64).alias("straddling"))
    cols = sents.select(
        (pl.col("article_id") != pl.col("article_id").shift(1)).fill_null(True).cum_sum().alias("text"),
        pl.col("sid").cast(pl.Int64), pl.col("word_count").cast(pl.Int64), pl.col("para_idx").cast(pl.Int64),
        _per_lang(GATES, lambda g: g.passage_words).cast(pl.Int64).alias("limit"))
    args = [cols[c].to_numpy() for c in ("text", "sid", "word_count", "para_idx", "limit")]
    first, _, _ = tilings(*args, 0.0)
    moved, index, parts = tilings(*args, 0.5)
    text, sid = args[0], args[1]
    opens = np.flatnonzero(np.r_[True, text[1:] != text[:-1]])
    text_first = sid[opens][np.cumsum(np.r_[True, text[1:] != text[:-1]]) - 1]
    inner = (index > 0) & (index < parts) & (parts >= 3)
    return sents.with_columns(pl.Series("passage", first), pl.Series("straddling", np.where(inner, moved, -1 - text_first)))


def _roots(taxonomy: Taxonomy) -> pl.LazyFrame:
    return pl.LazyFrame({"topic_id": [t.id for t in taxonomy.topics],
                         "root": [([t.id, *taxonomy.ancestors(t.id)])[-1] for t in taxonomy.topics]})


def _per_lang(values: dict[str, object], pick) -> pl.Expr:
    """A per-language setting as an expression over the `lang` column."""
    default = pick(DEFAULT_GATE)
    return pl.col("lang").replace_strict({k: pick(g) for k, g in values.items()}, default=default)


def _threshold(kind: str, cls: str | pl.Expr, gates: dict[str, Gate]) -> pl.Expr:
    if isinstance(cls, str):
        return _per_lang(gates, lambda g: getattr(g, kind)[cls])
    return pl.coalesce(*[pl.when(cls == c).then(_per_lang(gates, lambda g, c=c: getattr(g, kind)[c]))
                         for c in MODEL_ROOTS])


def _dense(hits: pl.Expr, gates: dict[str, Gate]) -> pl.Expr:
    strong = _per_lang(gates, lambda g: g.strong)
    dense = _per_lang(gates, lambda g: g.dense)
    return (hits >= strong) & (hits * 100 >= dense * pl.col("word_count").clip(1))


def _long(gates: dict[str, Gate]) -> pl.Expr:
    """Whether the text is longer than its language's classifier ever read."""
    return pl.col("word_count").fill_null(0) > _per_lang(gates, lambda g: g.long_words)


def _long_dense(cls: pl.Expr, hits: pl.Expr, rate: pl.Expr, gates: dict[str, Gate]) -> pl.Expr:
    """Whether a long text's root hits are dense enough for its class (true
    where no density is set for the class): `rate` is the root's hits per
    1,000 words in its densest passage (a commentary that spends one part on
    the economy is as dense there as a piece about it), where known, else
    the whole text's."""
    need = pl.coalesce(*[pl.when(cls == c).then(_per_lang(gates, lambda g, c=c: dict(g.long_dense).get(c, 0.0)))
                         for c in MODEL_ROOTS], pl.lit(0.0))
    whole = hits * 1000 / pl.col("word_count").clip(1)
    return pl.max_horizontal(rate.fill_null(0.0), whole) >= need


def _gated(assigned: pl.LazyFrame, probs: pl.LazyFrame, counts: pl.LazyFrame, words: pl.LazyFrame,
           taxonomy: Taxonomy, gates: dict[str, Gate] | None = None) -> pl.LazyFrame:
    """Phrase-triggered topics the classifier does not veto, plus the roots it tags alone.

    `counts` (article_id, topic_id, hits[, rate]) with every hit counted for its ancestors
    too, `rate` its hits per 1,000 words in its densest passage;
    `words` (article_id, word_count, lang)."""
    gates = GATES if gates is None else gates
    if "rate" not in counts.collect_schema().names():
        counts = counts.with_columns(pl.lit(None, dtype=pl.Float64).alias("rate"))
    known = {t.id for t in taxonomy.topics}
    cls = pl.col("root").replace_strict(ROOT_CLASS, default=None, return_dtype=pl.String)
    p_root = pl.coalesce(*[pl.when(cls == c).then(pl.col(f"p_{c}")) for c in set(ROOT_CLASS.values())])
    kept = (
        assigned.join(_roots(taxonomy), on="topic_id").join(probs, on="article_id", how="left")
        .join(counts.select("article_id", pl.col("topic_id").alias("root"), pl.col("hits").alias("root_hits"),
                            pl.col("rate").alias("root_rate")),
              on=["article_id", "root"], how="left")
        .join(words, on="article_id", how="left")
        .filter(pl.when(_long(gates))
                .then(_long_dense(cls, pl.col("root_hits").fill_null(0), pl.col("root_rate"), gates))
                .otherwise(p_root.is_null() | (p_root >= _threshold("gate", cls, gates))
                           | _dense(pl.col("root_hits").fill_null(0), gates)))
        .select("article_id", "topic_id", "is_direct")
    )
    scored = probs.join(words, on="article_id", how="left")
    tagged = [
        scored.filter(pl.col(f"p_{c}") >= _threshold("assign", c, gates))
        .join(counts.filter(pl.col("topic_id") == root)
              .select("article_id", pl.col("hits").alias("_own"), pl.col("rate").alias("_rate")),
              on="article_id", how="left")
        .filter(~_long(gates) | _per_lang(gates, lambda g, c=c: c in g.long_alone)
                | ((pl.col("_own").fill_null(0) >= 1)
                   & _long_dense(pl.lit(c), pl.col("_own").fill_null(0), pl.col("_rate"), gates)))
        .select("article_id", pl.lit(root).alias("topic_id"), pl.lit(True).alias("is_direct"))
        for c, root in MODEL_ROOTS.items() if root in known
    ]
    if not tagged:
        return kept
    alone = pl.concat(tagged).join(kept, on=["article_id", "topic_id"], how="anti")
    return pl.concat([kept, alone])


def _lineage_matrix(taxonomy: Taxonomy) -> np.ndarray:
    """(topics, topics) 0/1: row t marks t and each of its ancestors."""
    index = {t.id: i for i, t in enumerate(taxonomy.topics)}
    m = np.zeros((len(index), len(index)), dtype=np.int64)
    for t in taxonomy.topics:
        for u in (t.id, *taxonomy.ancestors(t.id)):
            m[index[t.id], index[u]] = 1
    return m


def _densest(topic: np.ndarray, sid: np.ndarray, passages: pl.DataFrame, taxonomy: Taxonomy,
             shape: tuple[int, int]) -> np.ndarray:
    """(articles, topics) float: per article and root with a long-text
    density (Gate.long_dense), its hits per 1,000 words in its densest
    passage of either tiling; NaN where it has none. From the spread hits
    (`topic` an ancestor or the topic itself) of the sentences `sid`."""
    rate = np.full(shape, np.nan)
    dense_langs = [lang for lang, g in GATES.items() if g.long_dense]
    roots = {root for root, c in ROOT_CLASS.items() if any(c in dict(GATES[lang].long_dense) for lang in dense_langs)}
    wanted = np.array([t.id in roots for t in taxonomy.topics])
    if not wanted.any() or not sid.size:
        return rate
    n_sids = passages.height
    in_lang = passages["lang"].is_in(dense_langs).fill_null(False).to_numpy()
    words = passages["word_count"].to_numpy()
    keep = wanted[topic] & in_lang[sid]
    t, s = topic[keep], sid[keep]
    for tiling in ("passage", "straddling"):
        window = passages[tiling].to_numpy()
        inside = window >= 0
        # a passage is named by the sid of its first sentence
        window_words = np.bincount(window[inside & in_lang], weights=words[inside & in_lang], minlength=n_sids)
        w = window[s]
        ok = w >= 0
        found, hits = np.unique(w[ok].astype(np.int64) * shape[1] + t[ok], return_counts=True)
        per_window = hits * 1000.0 / np.maximum(window_words[found // shape[1]], 1)
        cell = passages["article_id"].to_numpy()[found // shape[1]].astype(np.int64) * shape[1] + found % shape[1]
        np.fmax.at(rate.reshape(-1), cell, per_window)
    return rate


def article_topics(hits: pl.DataFrame, articles: pl.DataFrame, taxonomy: Taxonomy,
                   scores: pl.DataFrame, probs: pl.LazyFrame | None = None,
                   band: float = 0.25, passages: pl.DataFrame | None = None) -> pl.DataFrame:
    """(article_id, topic_id, hits, score, is_direct, sentiment, sentiment_label).

    `hits` (article_id, sid, sent_idx, kind, target_id), `articles`
    (article_id, word_count, lang): article_id a small integer code (0..n-1
    in the enrichment's tagging step), which indexes the grid of articles by
    topics; `scores` (sid, score) for every sentence, sids 0..m-1; `probs` (article_id, p_<class>) from the topic classifier, if
    there is one; `passages` (sid, article_id, lang, word_count, passage,
    straddling), a row per sid in sid order (with_passages), for the
    densities of long texts.

    A topic needs `min_hits` phrase hits (fewer in short texts), or one in the
    headline: the headline is where an outlet says what the piece is about;
    an exclusion phrase of the topic in the article vetoes it. Every hit
    counts for its topic and each ancestor, and a topic tags its ancestors.
    score = hits per 1,000 words."""
    if articles.is_empty():
        return pl.DataFrame(schema={"article_id": articles.schema["article_id"], "topic_id": pl.String,
                                    "hits": pl.Int64, "score": pl.Float64, "is_direct": pl.Boolean,
                                    "sentiment": pl.Float64, "sentiment_label": pl.String})
    ids = [t.id for t in taxonomy.topics]
    n_topics, enum = len(ids), pl.Enum(ids)
    n_articles = int(articles["article_id"].max()) + 1
    word_count = np.zeros(n_articles, dtype=np.int64)
    word_count[articles["article_id"].to_numpy()] = articles["word_count"].fill_null(0).to_numpy()
    # the few columns read, before a filter copies its rows (a DataFrame of
    # the Series: DataFrame.select of five columns cost 5 ms a piece)
    hits = pl.DataFrame([hits[c] for c in ("article_id", "sid", "sent_idx", "kind", "target_id")])
    own = hits.filter(pl.col("kind") == "topic")
    article, sid = own["article_id"].to_numpy().astype(np.int64), own["sid"].to_numpy().astype(np.int64)
    topic = own["target_id"].cast(enum).to_physical().to_numpy().astype(np.int64)
    slot = article * n_topics + topic
    cells = n_articles * n_topics
    count = np.bincount(slot, minlength=cells).reshape(n_articles, n_topics)
    titled = np.bincount(slot[own["sent_idx"].to_numpy() == 0], minlength=cells).reshape(n_articles, n_topics)
    vetoes = hits.filter(pl.col("kind") == "topic_exclude")
    vetoed = np.zeros(cells, dtype=bool)
    vetoed[vetoes["article_id"].to_numpy().astype(np.int64) * n_topics
           + vetoes["target_id"].cast(enum).to_physical().to_numpy()] = True
    need = np.minimum(np.array([t.min_hits for t in taxonomy.topics])[None, :],
                      1 + word_count[:, None] // WORDS_PER_REQUIRED_HIT)
    direct = (count > 0) & ~vetoed.reshape(n_articles, n_topics) & ((count >= need) | (titled > 0))
    lineage = _lineage_matrix(taxonomy)
    tagged = (direct.astype(np.float32) @ lineage.astype(np.float32)) > 0  # (BLAS: exact below 2**24 topics)

    # every hit counts for its topic and each ancestor
    fan = lineage.sum(axis=1)[topic]
    starts = np.cumsum(lineage.sum(axis=1)) - lineage.sum(axis=1)
    spread_topic = np.nonzero(lineage)[1][np.repeat(starts[topic], fan) + _ranks(fan)]
    spread_article, spread_sid = np.repeat(article, fan), np.repeat(sid, fan)
    rolled = roll_up(spread_article, spread_topic, spread_sid, np.repeat(own["sent_idx"].to_numpy(), fan),
                     n_topics, sentence_points(scores))
    code = articles.schema["article_id"]
    topic_ids = pl.Series(ids, dtype=pl.String)
    at, tt = np.nonzero(tagged)
    assigned = pl.DataFrame({"article_id": pl.Series(at, dtype=code), "topic_id": topic_ids.gather(tt),
                             "is_direct": direct[at, tt]})
    if probs is not None:
        rate = (_densest(spread_topic, spread_sid, passages, taxonomy, (n_articles, n_topics))
                if passages is not None else np.full((n_articles, n_topics), np.nan))
        counts = pl.DataFrame({"article_id": pl.Series(rolled.article, dtype=code),
                               "topic_id": topic_ids.gather(rolled.target),
                               "hits": rolled.hits, "rate": rate[rolled.article, rolled.target]}
                              ).with_columns(pl.col("rate").fill_nan(None))
        assigned = _gated(assigned.lazy(), probs, counts.lazy(), articles.lazy().select("article_id", "word_count", "lang"),
                          taxonomy).collect(engine=ENGINE)
    # the hits and feeling of each tagged topic, by its cell
    cell = np.full(cells, -1, dtype=np.int64)
    cell[rolled.article * n_topics + rolled.target] = np.arange(rolled.hits.size)
    row = cell[assigned["article_id"].to_numpy().astype(np.int64) * n_topics
               + assigned["topic_id"].cast(enum).to_physical().to_numpy()]
    pick = lambda values: np.r_[values, 0][row]  # noqa: E731  (row -1, no hit: the 0 put last)
    words = word_count[assigned["article_id"].to_numpy().astype(np.int64)]
    return assigned.with_columns(
        pl.Series("hits", pick(rolled.hits), dtype=pl.Int64), pl.Series("_words", words),
        pl.Series("_sentences", pick(rolled.sentences)), pl.Series("_total", pick(rolled.total)),
    ).with_columns(
        pl.when(pl.col("_words") > 0).then(pl.col("hits") * 1000.0 / pl.col("_words")).otherwise(None)
        .round(2).alias("score"),
        *target_feeling(pl.col("_total"), pl.col("_sentences"), band),
    ).select("article_id", "topic_id", "hits", "score", "is_direct", "sentiment", "sentiment_label")


def _ranks(sizes: np.ndarray) -> np.ndarray:
    """0, 1, ..., n-1 for each n in `sizes`, run together."""
    starts = np.repeat(np.cumsum(sizes) - sizes, sizes)
    return np.arange(int(sizes.sum())) - starts
