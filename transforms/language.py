"""Language identification with lingua (offline, accurate on short texts)."""
from __future__ import annotations

import threading
from functools import lru_cache

import numpy as np
import polars as pl

from transforms.kernels import code_points, text_units

# The beat's languages plus the ones most often confused with them, so an
# Urdu or Persian page is not forced into "ar" for lack of a better answer.
_CANDIDATES = ["ARABIC", "CHINESE", "ENGLISH", "PERSIAN", "URDU", "JAPANESE", "KOREAN",
               "FRENCH", "GERMAN", "SPANISH", "RUSSIAN", "TURKISH"]
# lingua is as sure after a few lines (about 35 words) as after a page, and far
# faster: on the 141,868 real labelled texts in ../shared/data (news, posts,
# reviews; ar, zh, en) 200 characters got 1,206 wrong and 300 got 1,208 (they
# differ on 6 texts: 200 right on 4), with a quarter less CPU.
SAMPLE_CHARS = 200


_BUILDING = threading.Lock()  # enrichment slices run in threads: build the detector once, not once each


def _detector():
    with _BUILDING:
        return _built_detector()


@lru_cache(maxsize=1)
def _built_detector():
    from lingua import Language, LanguageDetectorBuilder

    langs = [getattr(Language, name) for name in _CANDIDATES]
    return LanguageDetectorBuilder.from_languages(*langs).with_preloaded_language_models().build()


# Letters Persian and Urdu write and Arabic does not (Persian kaf and yeh, Urdu
# heh goliath, barree yeh...). Arabic script without any of them is Arabic:
# lingua, asked anyway, reads some dialect tweets as Persian.
_NOT_ARABIC = "پچژگکیےۓٹڈڑںھہۀ"


def _by_script(texts: pl.Series) -> np.ndarray:
    """"zh" for a sample written mostly in Han characters with no kana or
    hangul, "ar" for one mostly in Arabic script with no letter only Persian
    or Urdu write, else None: no model is needed to say so. One compiled
    pass over each text's first SAMPLE_CHARS characters."""
    marked = np.array(sorted(map(ord, _NOT_ARABIC)), dtype=np.int64)
    counts = text_units.script_counts(*text_units.buffers(texts), code_points.tables()[1], marked, SAMPLE_CHARS)
    han, letters, arabic, kana, not_arabic = counts.T
    chinese = (han >= 20) & (han >= 0.6 * letters) & (kana == 0)
    arab = (arabic >= 20) & (arabic >= 0.6 * letters) & (not_arabic == 0)
    return np.where(chinese, "zh", np.where(arab, "ar", None))


def detect(texts: list[str] | pl.Series) -> list[str | None]:
    """ISO 639-1 code per text, None when there is nothing to judge."""
    texts = pl.Series(texts, dtype=pl.String).fill_null("")
    by_script = _by_script(texts)
    unknown = by_script == None  # noqa: E711 (elementwise)
    # cut in Polars: only the samples lingua reads become Python strings, not whole articles
    samples = texts.filter(pl.Series(unknown)).str.slice(0, SAMPLE_CHARS).to_list()
    found = iter(_detector().detect_languages_in_parallel_of(samples) if samples else [])
    rest = iter(samples)
    out: list[str | None] = []
    for known in by_script.tolist():
        if known is not None:
            out.append(known)
            continue
        f, s = next(found), next(rest)
        out.append(f.iso_code_639_1.name.lower() if f is not None and s.strip() else None)
    return out


def with_language(frame: pl.DataFrame, text_col: str = "text", hint_col: str | None = None,
                  trust_hint: bool = False) -> pl.DataFrame:
    """Add `lang`.

    A page's own language attribute is a hint: outlets mislabel pages more
    often than lingua misreads a paragraph, so detection wins over it. A
    language the caller states (`trust_hint`, as `mediamon enrich` records
    do) is used as given, and detection only fills the rows without one:
    lingua reads a short English sentence as German now and then, an Arabic
    tweet in dialect as Persian."""
    has_hint = bool(hint_col and hint_col in frame.columns)
    if trust_hint and has_hint:
        need = frame[hint_col].is_null()
        texts = frame.filter(need)[text_col]
        found = iter(detect(texts) if texts.len() else [])
        detected = pl.Series("lang_detected", [next(found) if n else None for n in need.to_list()],
                             dtype=pl.String)
        lang = pl.coalesce(pl.col(hint_col), "lang_detected")
    else:
        detected = pl.Series("lang_detected", detect(frame[text_col]),
                             dtype=pl.String)
        lang = pl.coalesce("lang_detected", pl.col(hint_col)) if has_hint else pl.col("lang_detected")
    return frame.with_columns(detected).with_columns(lang.alias("lang")).drop("lang_detected")
