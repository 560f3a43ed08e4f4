"""The report's charts: Vega-Lite specs rendered to inline SVG by vl-convert
(no browser, no CDN, nothing fetched when the report is opened)."""
from __future__ import annotations

import json
from datetime import date

FONT = "Noto Sans, Noto Sans CJK SC, Noto Naskh Arabic, DejaVu Sans, sans-serif"
SENTIMENT = {"domain": [-1, 0, 1], "range": ["#c0392b", "#eeeeee", "#1f7a4d"]}
LANG_COLORS = {"domain": ["ar", "zh", "en"], "range": ["#7b4ea3", "#d1495b", "#2e86ab"]}


def _plain(values: list[dict]) -> list[dict]:
    """Dates as ISO strings, numbers as floats: what a Vega-Lite data block takes."""
    out = []
    for row in values:
        out.append({k: (v.isoformat() if isinstance(v, date) else float(v) if hasattr(v, "as_integer_ratio")
                        and not isinstance(v, (bool, int)) else v) for k, v in row.items()})
    return json.loads(json.dumps(out, default=str))


def svg(spec: dict, values: list[dict]) -> str:
    import vl_convert as vlc

    full = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "data": {"values": _plain(values)},
            "config": {"font": FONT, "view": {"stroke": None}, "axis": {"labelFontSize": 11, "titleFontSize": 11},
                       "legend": {"labelFontSize": 11}},
            "background": "white", **spec}
    return vlc.vegalite_to_svg(full)


def topic_volume(values: list[dict]) -> str:
    return svg({"width": 760, "height": 260, "mark": {"type": "line", "point": False, "strokeWidth": 2},
                "encoding": {"x": {"field": "day", "type": "temporal", "title": None, "axis": {"format": "%d %b"}},
                             "y": {"field": "articles", "type": "quantitative", "title": "articles a day"},
                             "color": {"field": "topic", "type": "nominal", "title": "topic",
                                       "scale": {"scheme": "tableau10"}}}}, values)


def tone_by_topic(values: list[dict]) -> str:
    return svg({"width": 340, "height": {"step": 18}, "mark": "bar",
                "encoding": {"y": {"field": "topic", "type": "nominal", "sort": "-x", "title": None},
                             "x": {"field": "tone", "type": "quantitative", "title": "tone (GDELT scale), 7 days"},
                             "color": {"field": "sentiment", "type": "quantitative", "scale": SENTIMENT,
                                       "title": "sentiment"}}}, values)


def tone_by_lang(values: list[dict]) -> str:
    return svg({"width": 260, "height": {"step": 26}, "mark": "bar",
                "encoding": {"y": {"field": "language", "type": "nominal", "title": None},
                             "x": {"field": "tone", "type": "quantitative", "title": "tone, 7 days"},
                             "color": {"field": "lang", "type": "nominal", "scale": LANG_COLORS, "legend": None}}},
               values)


def entities(values: list[dict]) -> str:
    return svg({"width": 340, "height": {"step": 18}, "mark": "bar",
                "encoding": {"y": {"field": "entity", "type": "nominal", "sort": "-x", "title": None},
                             "x": {"field": "this_week", "type": "quantitative", "title": "articles, 7 days"},
                             "color": {"field": "sentiment", "type": "quantitative", "scale": SENTIMENT,
                                       "title": "sentiment"}}}, values)


def framing(values: list[dict]) -> str:
    long = [{"entity": r["entity"], "lang": lang, "sentiment": r[f"{lang}_sentiment"]}
            for r in values for lang in ("ar", "zh", "en") if r[f"{lang}_sentiment"] is not None]
    return svg({"width": 340, "height": {"step": 10}, "mark": "bar",
                "encoding": {"y": {"field": "entity", "type": "nominal", "title": None},
                             "yOffset": {"field": "lang", "type": "nominal", "sort": ["ar", "zh", "en"]},
                             "x": {"field": "sentiment", "type": "quantitative", "title": "sentiment this week",
                                   "scale": {"domain": [-1, 1]}},
                             "color": {"field": "lang", "type": "nominal", "scale": LANG_COLORS,
                                       "title": "language"}}}, long)


def comentions(values: list[dict]) -> str:
    pairs = [{"pair": f"{r['entity_a']} + {r['entity_b']}", "pmi": r["pmi"], "articles": r["articles"]}
             for r in values]
    return svg({"width": 300, "height": {"step": 18}, "mark": "bar",
                "encoding": {"y": {"field": "pair", "type": "nominal", "sort": "-x", "title": None},
                             "x": {"field": "pmi", "type": "quantitative", "title": "PMI (bits above chance), 30 days"},
                             "color": {"value": "#2e86ab"}}}, pairs)


def quality(values: list[dict]) -> str:
    long = [{"source": r["source_id"], "outcome": k, "records": r[k] or 0}
            for r in values for k in ("loaded", "quarantined", "skipped_duplicates")]
    return svg({"width": 340, "height": {"step": 18}, "mark": "bar",
                "encoding": {"y": {"field": "source", "type": "nominal", "title": None},
                             "x": {"field": "records", "type": "quantitative", "title": "records read today"},
                             "color": {"field": "outcome", "type": "nominal",
                                       "scale": {"domain": ["loaded", "quarantined", "skipped_duplicates"],
                                                 "range": ["#1f7a4d", "#c0392b", "#bbbbbb"]}}}}, long)
