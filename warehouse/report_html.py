"""The daily HTML report: one self-contained file (inline CSS and SVG, no
CDN, nothing fetched) under $MEDIAMON_DATA_DIR/reports/date=D/report.html."""
from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from types import SimpleNamespace

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from core.atomic import atomic_path
from core.settings import Partition
from warehouse import charts
from warehouse.db import connect_reader
from warehouse.report_data import gather, latest_day

TEMPLATES = Path(__file__).with_name("templates")


class NothingToReport(ValueError):
    """The warehouse holds no articles yet."""


def _num(v) -> str:
    if v is None:
        return "–"
    if isinstance(v, float) and not v.is_integer():
        return f"{v:.2f}".rstrip("0").rstrip(".")
    return f"{int(v):,}"


def _chart(key: str, caption: str, svg: str | None) -> Markup:
    if not svg:
        return Markup('<p class="empty" id="{}">{}: no data for this period.</p>').format(key, caption)
    return Markup('<figure class="chart" id="{}"><figcaption>{}</figcaption>').format(key, caption) + Markup(
        svg) + Markup("</figure>")


def render(data: dict) -> str:
    def when(rows: list, draw) -> str | None:
        return draw(rows) if rows else None

    svgs = SimpleNamespace(
        topic_volume=when([r for r in data["topic_volume"]] if any(r["articles"] for r in data["topic_volume"])
                          else [], charts.topic_volume),
        tone_by_topic=when(data["tone_by_topic"], charts.tone_by_topic),
        tone_by_lang=when(data["tone_by_lang"], charts.tone_by_lang),
        entities=when(data["entities"], charts.entities),
        framing=when([f for f in data["framing"]
                      if any(f[f"{lang}_sentiment"] is not None for lang in ("ar", "zh", "en"))], charts.framing),
        comentions=when(data["comentions"], charts.comentions),
        quality=when([q for q in data["quality"]["sources"] if q["records"] is not None], charts.quality),
    )
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["j2", "html"]))
    return env.get_template("report.html.j2").render(
        **data, charts=svgs, num=_num, chart=_chart,
        generated=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def write_report(day: date | None = None, path: Path | None = None) -> Path:
    """Render the report of `day` (default: the latest crawl date) and return its path."""
    con = connect_reader(path)
    try:
        day = day or latest_day(con)
        if day is None:
            raise NothingToReport("the warehouse holds no articles yet: run `mediamon run` first")
        html = render(gather(con, day))
    finally:
        con.close()
    target = Partition.for_day(day).reports_dir / "report.html"
    with atomic_path(target) as tmp:
        tmp.write_text(html, encoding="utf-8")
    return target
