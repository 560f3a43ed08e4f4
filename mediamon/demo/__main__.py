"""Command line for the demo newsroom.

    python -m mediamon.demo serve [--anchor YYYY-MM-DD] [--sources-out FILE]

Serves the three fictional outlets on 127.0.0.1 until Ctrl-C or SIGTERM, so
`make demo` (or a human) can point the crawler at them.
"""

from __future__ import annotations

import argparse
import datetime as dt
import signal
import sys
import threading

from mediamon.demo.newsroom import Newsroom


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m mediamon.demo", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    serve = sub.add_parser("serve", help="serve the demo outlets until interrupted")
    serve.add_argument("--anchor", type=dt.date.fromisoformat, default=None,
                       help="date the articles are dated against (default: today, UTC)")
    serve.add_argument("--sources-out", metavar="FILE", default=None,
                       help="also write a sources.yaml pointing at the running outlets")
    return parser.parse_args(argv)


def serve(anchor: dt.date | None, sources_out: str | None) -> int:
    stop = threading.Event()
    # SIGTERM (from make, docker, CI) should shut down as cleanly as Ctrl-C does.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with Newsroom(anchor=anchor) as newsroom:
        print(f"demo newsroom (anchor {newsroom.anchor.isoformat()})", flush=True)
        for outlet in newsroom.outlets:
            print(f"  {outlet.id:<8} {outlet.lang}  {outlet.base_url}  feed={outlet.feed_url}", flush=True)
        if sources_out:
            print(f"sources written to {newsroom.write_sources(sources_out)}", flush=True)
        try:
            while not stop.wait(0.5):
                pass
        except KeyboardInterrupt:
            pass
    print("demo newsroom stopped", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    return serve(args.anchor, args.sources_out)


if __name__ == "__main__":
    sys.exit(main())
