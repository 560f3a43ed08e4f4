"""Rebuild models/sentiment, models/polarity and models/topics from ../shared/data.

    python -m transforms.train                    # the shipped models
    python -m transforms.train --permissive-only  # from permissive sets alone
    python -m transforms.train --out /tmp/m       # somewhere else (e.g. to compare)

Reproducible: fixed seeds, data read in sorted order, deterministic solver."""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from transforms.linear import MODELS_DIR
from transforms.realdata import DATA_DIR, available, training_sets
from transforms.train.fit import SETTINGS, fit_language
from transforms.train.lexicons import SHIPPED_LEXICONS, training_lexicon

LANGS = ("ar", "en", "zh")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m transforms.train")
    ap.add_argument("--permissive-only", action="store_true", help="train from permissive sets alone")
    ap.add_argument("--out", type=Path, default=MODELS_DIR)
    ap.add_argument("--tasks", default="sentiment,polarity,topics")
    args = ap.parse_args(argv)
    if not available():
        print(f"error: no data at {DATA_DIR}", file=sys.stderr)
        return 2
    for task in args.tasks.split(","):
        out = args.out / task
        out.mkdir(parents=True, exist_ok=True)
        lexicon = training_lexicon() if task in ("sentiment", "polarity") else None
        if lexicon is not None:
            lexicon.write_parquet(out / "lexicon.parquet", compression="zstd", compression_level=19)
        meta = {"task": task, "classes": list(SETTINGS[task]["classes"]),
                "sublinear": True, "permissive_only": args.permissive_only, "langs": {},
                "lexicons": SHIPPED_LEXICONS if lexicon is not None else []}
        for lang in LANGS:
            sets = training_sets("sentiment" if task == "polarity" else task, lang, args.permissive_only)
            if task == "polarity":  # it learns the sign: the neutral prose has none to teach
                sets = [s for s in sets if s.task == "sentiment"]
            if not sets:
                print(f"{task}/{lang}: no data allowed, no model (enrichment falls back to the lexicon)")
                (out / f"{lang}.parquet").unlink(missing_ok=True)
                continue
            t0 = time.perf_counter()
            info = fit_language(task, lang, sets, out / f"{lang}.parquet", lexicon)
            info["train_seconds"] = round(time.perf_counter() - t0, 1)
            meta["langs"][lang] = info
            print(f"{task}/{lang}: {info['rows']} rows from {[s['name'] for s in info['sets']]}, "
                  f"{info['features']} features, {info['bytes'] / 1e6:.2f} MB, {info['train_seconds']} s")
        (out / "meta.json").write_text(json.dumps(meta, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
