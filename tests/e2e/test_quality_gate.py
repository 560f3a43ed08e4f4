"""A batch of deliberately broken pages through the real DAG: every bad record
ends in quarantine with its reason, the good ones of the same batch load, and
the per-source ledger adds up."""
from __future__ import annotations

import os
import subprocess
import sys

import duckdb
import pytest

from tests.conftest import seed_airflow
from tests.localserver import serve, write_source

pytestmark = pytest.mark.e2e
DAY = "2026-11-25"
TOPICS = ["chip export controls", "yuan and rates", "Hang Seng tech", "cloud spending", "AI model prices",
          "EV exports", "property slump", "factory output"]


def story(i: int, topic: str) -> str:
    return " ".join(
        f"Analysts in Hong Kong said story {i} about {topic} showed how Chinese firms adapt, "
        f"with DeepSeek and Tencent among the companies cited in report number {i}{j}." for j in range(12))


def page(title: str, body: str, date: str = "2026-11-24T08:00:00+00:00", lang: str = "en") -> bytes:
    paras = "".join(f"<p>{p}</p>" for p in body.split("\n\n") if p)
    return (f'<html lang="{lang}"><head><title>{title}</title>'
            f'<meta property="article:published_time" content="{date}"></head>'
            f"<body><article><h1>{title}</h1>{paras}</article></body></html>").encode()


@pytest.fixture(scope="module")
def run(tmp_path_factory, airflow_home_template):
    routes: dict = {}
    html = "text/html; charset=utf-8"
    with serve(routes) as base:
        good = {f"/good/{i}.html": (200, html, page(f"Story {i} on {t}", story(i, t))) for i, t in enumerate(TOPICS)}
        bad = {
            "/bad/empty.html": (200, html, page("Empty page", "")),
            "/bad/script.html": (200, html, b"<html><head><title>App</title></head><body><div id='root'></div>"
                                             b"<script>document.getElementById('root').innerHTML='news'</script></body></html>"),
            "/bad/future.html": (200, html, page("From the future", story(90, "a future"), date="2031-01-01T08:00:00+00:00")),
            "/bad/chinese.html": (200, html, page("中文文章", "深度求索发布新模型，腾讯股价大涨，人工智能板块全面反弹。" * 20, lang="zh")),
            # 2 MB of distinct paragraphs (an extractor folds repeated ones)
            "/bad/huge.html": (200, html, page("Huge", "\n\n".join(f"Part {k}. " + story(k, "a dump")
                                                                   for k in range(1100)))),
        }
        routes.update(good)
        routes.update(bad)
        links = [*good, *bad, "/good/0.html?utm_source=newsletter"]   # the last is the first behind utm_
        items = "".join(f"<item><title>t</title><link>{base}{p}</link></item>" for p in links)
        routes["/robots.txt"] = (200, "text/plain", b"")
        routes["/rss.xml"] = (200, "application/rss+xml",
                              f'<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>{items}</channel></rss>'.encode())
        cfg = write_source(tmp_path_factory.mktemp("gate") / "sources.yaml", "gate", [f"{base}/rss.xml"])
        data_dir = tmp_path_factory.mktemp("gate") / "data"
        seed_airflow(airflow_home_template, data_dir)
        proc = subprocess.run([sys.executable, "-m", "mediamon.cli", "run", "--date", DAY, "--sources", str(cfg)],
                              env={**os.environ, "MEDIAMON_DATA_DIR": str(data_dir)},
                              capture_output=True, text=True, timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    con = duckdb.connect(str(data_dir / "warehouse" / "mediamon.duckdb"), read_only=True)
    yield {"con": con, "data_dir": data_dir}
    con.close()


def test_good_records_load(run):
    urls = sorted(u for (u,) in run["con"].execute("SELECT url FROM articles").fetchall())
    assert [u.rsplit("/", 1)[1] for u in urls] == [f"{i}.html" for i in range(len(TOPICS))]


# An article shell with only its headline left is "too short"; a page with
# nothing but a script has no text at all.
@pytest.mark.parametrize("path, reason", [
    ("/bad/empty.html", "length_out_of_bounds"), ("/bad/script.html", "empty_text"),
    ("/bad/future.html", "future_date"), ("/bad/chinese.html", "unexpected_language"),
    ("/bad/huge.html", "length_out_of_bounds"),
])
def test_bad_records_are_quarantined_with_reason(run, path, reason):
    rows = run["con"].execute("SELECT reasons FROM quarantine WHERE url LIKE ?", [f"%{path}"]).fetchall()
    assert any(reason in r[0] for r in rows), rows


def test_ledger_adds_up(run):
    row = run["con"].execute(
        "SELECT records, loaded, quarantined, skipped_duplicates FROM partition_counts WHERE source_id = 'gate'"
    ).fetchone()
    assert row == (14, 8, 5, 1)


def test_the_tracking_parameter_duplicate_is_skipped_not_fetched(run):
    assert run["con"].execute(
        "SELECT skipped_duplicate_url, articles FROM crawl_runs WHERE source_id = 'gate'").fetchone() == (1, 13)


def test_results_and_data_docs_are_kept(run):
    failed = dict(run["con"].execute(
        "SELECT reason, SUM(unexpected_count) FROM dq_results WHERE NOT success GROUP BY reason").fetchall())
    assert failed["empty_text"] == 1 and failed["future_date"] == 1 and failed["length_out_of_bounds"] == 2
    assert (run["data_dir"] / "gx" / "uncommitted" / "data_docs" / "local_site" / "index.html").exists()
