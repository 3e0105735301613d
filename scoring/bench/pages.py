"""The dashboard at a benchmark's size: each page's first visit timed, and what it sends.

``python -m scoring.bench.pages DB [--pages leaderboard,profile,…] [--out FILE]``

Every page of the dashboard is opened on the database (Streamlit's AppTest: the app's script
runs as the server runs it, with no browser), each page in a fresh process so that no page
finds another's cache warm. For each page: the seconds of its first visit (after the app's own
first run, which shows the default page and is timed apart), and what the page would send to
the browser: its tables (how many, the most rows in one, their Arrow bytes) and charts (how
many, their plotly JSON bytes). That the largest table stays bounded at national size is what
"no page loads all units into the browser" means, measured.

``--edits N`` also times the entry grid as an evaluator uses it: the entry page's rerun (what
every cell edit cost while edits reran the page), the reruns N cell edits cause now (none: the
grid is in a form, so edits stay in the browser until Save), and the one Save of the N edited
cells (checks, audit, rescoring and the page drawn again).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from dashboard.pages import PAGES as NAV

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "dashboard" / "app.py"
# page name -> its file under dashboard/views, in navigation order
VIEW_FILES = {name: file for name, file, _label, _icon in NAV}
PAGES = tuple(VIEW_FILES)
# the page the app opens on for the bench's operator (an admin: 我的待办 is the evaluators')
DEFAULT_PAGE = "leaderboard"


def _sent(at: Any) -> dict[str, int]:
    """What the page's last run would send to the browser: tables and charts."""
    from pyarrow import ipc  # Streamlit's own dependency: its tables travel as Arrow

    rows = [ipc.open_stream(d.proto.arrow_data.data).read_all().num_rows for d in at.dataframe]
    charts = at.get("plotly_chart")
    return {
        "tables": len(rows),
        "max_table_rows": max(rows, default=0),
        "table_bytes": sum(len(d.proto.arrow_data.data) for d in at.dataframe),
        "charts": len(charts),
        "chart_bytes": sum(len(c.proto.spec) for c in charts),
    }


def visit(db: Path, page: str, lang: str = "zh") -> dict[str, Any]:
    """The app's first run on ``db`` (showing the default page), then ``page`` opened: seconds
    and what it sends. Run in a fresh process: Streamlit's caches live as long as the process."""
    os.environ["STARSCORE_DB"] = str(db)
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=600)
    at.session_state["lang"] = lang
    started = time.perf_counter()
    at.run()
    app_s = time.perf_counter() - started
    page_s = app_s  # the default page is the leaderboard: its first visit is the app's run
    if page != DEFAULT_PAGE:
        started = time.perf_counter()
        at.switch_page(f"views/{VIEW_FILES[page]}").run()
        page_s = time.perf_counter() - started
    errors = [str(e.value) for e in at.exception]
    return {"page": page, "app_s": app_s, "page_s": page_s, **_sent(at), "errors": errors}


def entry_edits(db: Path, cells: int = 72, lang: str = "zh") -> dict[str, Any]:
    """The entry grid: the page's rerun, then ``cells`` edits saved at once (see above)."""
    os.environ["STARSCORE_DB"] = str(db)
    import polars as pl
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=600)
    at.session_state["lang"] = lang
    at.run()
    started = time.perf_counter()
    at.switch_page("views/entry.py").run()
    page_s = time.perf_counter() - started
    started = time.perf_counter()
    at.run()  # a rerun: what each cell edit cost when an edit reran the page
    rerun_s = time.perf_counter() - started
    grid: pl.DataFrame = at.session_state["en_base"][1]
    scored = [c for c in grid.columns if c not in ("unit_id", "name", "town")]
    edits: dict[int, dict[str, str]] = {}
    for n in range(cells):  # a score each: one lower (or higher) than it is, still in range
        row, col = n % grid.height, scored[(n // grid.height) % len(scored)]
        value = grid[col][row]
        new = "1" if value in (None, "", "0") else format(max(Decimal(value) - 1, Decimal(0)), "f")
        edits.setdefault(row, {})[col] = new
    at.session_state["en_grid"] = {"edited_rows": edits, "added_rows": [], "deleted_rows": []}
    started = time.perf_counter()
    at.button(key="en_save").click().run()
    save_s = time.perf_counter() - started
    errors = [str(e.value) for e in at.exception]
    return {
        "cells": sum(len(v) for v in edits.values()),
        "page_s": page_s,
        "rerun_s": rerun_s,
        "reruns_while_editing": 0,  # st.form: the browser sends the grid's edits only on Save
        "save_s": save_s,
        "saved": [s.value for s in at.success],
        "asked_to_confirm": "en_flagged" in at.session_state and at.session_state["en_flagged"] is not None,
        "errors": errors,
    }


def visit_all(db: Path, pages: list[str], lang: str = "zh") -> list[dict[str, Any]]:
    """Every page's first visit, each in its own process."""
    results = []
    for page in pages:
        print(f"page {page}…", file=sys.stderr, flush=True)
        out = subprocess.run(
            [sys.executable, "-m", "scoring.bench.pages", str(db), "--one", page, "--lang", lang],
            capture_output=True,
            text=True,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results


def table(results: list[dict[str, Any]]) -> str:
    head = (
        f"{'page':<13}{'app s':>8}{'page s':>8}{'tables':>8}{'max rows':>10}{'table KiB':>11}"
        f"{'charts':>8}{'chart KiB':>11}"
    )
    lines = [head]
    for r in results:
        lines.append(
            f"{r['page']:<13}{r['app_s']:>8.2f}{r['page_s']:>8.2f}{r['tables']:>8}"
            f"{r['max_table_rows']:>10,}{r['table_bytes'] / 1024:>11.1f}{r['charts']:>8}"
            f"{r['chart_bytes'] / 1024:>11.1f}" + ("  ERROR" if r["errors"] else "")
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.bench.pages", description=__doc__)
    parser.add_argument("db", help="a scored starscore database")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated pages (default: all)")
    parser.add_argument("--lang", choices=("zh", "en"), default="zh")
    parser.add_argument("--out", help="also write the results to this JSON file")
    parser.add_argument("--edits", type=int, metavar="N", help="also time N entry-grid edits saved at once")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child: one page, JSON on stdout
    args = parser.parse_args(argv)
    db = Path(args.db).resolve()
    if args.one == "edits":
        print(json.dumps(entry_edits(db, args.edits or 72, args.lang)))
        return 0
    if args.one:
        print(json.dumps(visit(db, args.one, args.lang)))
        return 0
    pages = [p.strip() for p in args.pages.split(",") if p.strip()]
    unknown = [p for p in pages if p not in PAGES]
    if unknown:
        parser.error(f"unknown page {', '.join(unknown)}; choose from {', '.join(PAGES)}")
    if not db.exists():
        parser.error(f"no database at {db}")
    results = visit_all(db, pages, args.lang)
    print(table(results))
    edits = None
    if args.edits:
        edits = edit_visit(db, args.edits, args.lang)
        print(edits_table(edits))
    if args.out:
        Path(args.out).write_text(json.dumps({"pages": results, "edits": edits}, indent=2), encoding="utf-8")
    return 1 if any(r["errors"] for r in results) or (edits and edits["errors"]) else 0


def edit_visit(db: Path, cells: int, lang: str = "zh") -> dict[str, Any]:
    """``entry_edits`` in a fresh process (no page's cache warm)."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "scoring.bench.pages",
            str(db),
            "--one",
            "edits",
            "--edits",
            str(cells),
            "--lang",
            lang,
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def edits_table(r: dict[str, Any]) -> str:
    return (
        f"entry grid: page {r['page_s']:.2f} s, a rerun {r['rerun_s']:.2f} s (each cell edit's cost "
        f"before the form), reruns while editing {r['cells']} cells: {r['reruns_while_editing']}, "
        f"saving them {r['save_s']:.2f} s" + ("  ERROR" if r["errors"] else "")
    )


if __name__ == "__main__":
    sys.exit(main())
