"""Benchmark: seeded synthetic campaigns from a district to a nation, each stage timed.

``python -m scoring.bench [--size district|city|province|national|all] [--runs N]
[--values csv|parquet] [--missing PCT] [--field-kinds] [--district-rules] [--pages]``

Each size is generated once as a campaign folder (values as Parquet from city size up, or as
CSV at every size with ``--values csv``; with ``--missing PCT`` that share of the cells has no
value and counts 0; with ``--field-kinds`` one relative and one rank_points indicator replace
two linear ones, on the same values), then run N times, each run in a fresh process so that
its peak memory is its own. Stages: read + validate, store, points, ranks/flags/stars, awards
(with storing the run), export (points as Parquet). The *floor* is DuckDB reading the same
values file and computing one weighted GROUP BY (unit, period) — the least work any engine must
do — and the whole run is reported as a ratio to it. Each run also times the whole command as a
user types it, ``starscore run FOLDER --out DIR`` (process start and points.csv included),
against the same floor. After each run the dashboard's board query (one category, one period,
top 50 with stars and flags) is timed on the stored results. Medians of the runs are printed as
a table and written to a JSON file. With ``--pages``, every dashboard page is then opened on the
last run's database (``scoring.bench.pages``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import polars as pl

from scoring.core.frames import register
from scoring.samples.synthetic import CATEGORIES, N_INDICATORS, PERIODS, generate

SIZES = {"district": 109, "city": 2_000, "province": 50_000, "national": 700_000}


FLOOR_SQL = """
SELECT v.unit_id, v.period, sum(TRY_CAST(v.value AS DOUBLE) * w.weight) AS score
FROM {source} v JOIN weights w USING (indicator_id)
GROUP BY v.unit_id, v.period
"""


def _values_source(folder: Path) -> str:
    path = folder / "values.parquet"
    return f"read_parquet('{path}')" if path.exists() else f"read_csv('{folder / 'values.csv'}')"


def _weights(con: Any) -> None:
    """One weight per indicator, registered as ``weights``."""
    weights = pl.DataFrame(
        {
            "indicator_id": [f"i{k:02d}" for k in range(N_INDICATORS - 3)] + ["bonus", "penalty", "veto"],
            "weight": [1.0 + k / 100 for k in range(N_INDICATORS)],
        }
    )
    register(con, "weights", weights)


def floor_seconds(folder: Path) -> float:
    """DuckDB reading the values file and one weighted GROUP BY (unit, period)."""
    import duckdb

    con = duckdb.connect()
    _weights(con)
    started = time.perf_counter()
    con.execute(f"CREATE TEMP TABLE floor AS {FLOOR_SQL.format(source=_values_source(folder))}")
    took = time.perf_counter() - started
    con.close()
    return took


def start_seconds() -> float:
    """A new Python process loading DuckDB and polars, which every ``starscore`` command
    needs, then exiting: the least any command takes before it reads a byte."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import duckdb, polars"], check=True)
    return time.perf_counter() - started


def points_csv_seconds(folder: Path, workdir: Path) -> float:
    """Writing a points.csv of the values file's rows (the spec's five columns, every number
    already text and held in memory) by the quicker of DuckDB's COPY and polars' write_csv:
    the least any engine writing that file with these tools can take, whatever it computes
    before. Its rows are not sorted, though the command's are."""
    import duckdb

    con = duckdb.connect()
    _weights(con)
    con.execute(
        f"""CREATE TEMP TABLE lines AS
        SELECT v.period, v.unit_id, v.indicator_id, CAST(v.value AS VARCHAR) AS value,
               CAST(round(TRY_CAST(v.value AS DOUBLE) * w.weight, 2) AS VARCHAR) AS points
        FROM {_values_source(folder)} v JOIN weights w USING (indicator_id)"""
    )
    path = workdir / "points-floor.csv"
    started = time.perf_counter()
    con.execute(f"COPY lines TO '{path}' (FORMAT csv, HEADER true)")
    by_duckdb = time.perf_counter() - started
    frame = con.sql("SELECT * FROM lines").pl()
    con.close()
    started = time.perf_counter()
    frame.write_csv(path)
    by_polars = time.perf_counter() - started
    path.unlink()
    return min(by_duckdb, by_polars)


def one_run(folder: Path, workdir: Path) -> dict[str, float]:
    """The engine's whole run on a folder, stage by stage (run in a fresh process)."""
    from scoring.app.imports import import_campaign
    from scoring.engine.run import score
    from scoring.ingest.validate import read_campaign
    from scoring.outputs.results import export
    from scoring.store.campaign import open_campaign
    from scoring.store.db import connect

    times: dict[str, float] = {}
    clock = time.perf_counter()
    total = clock

    def lap(name: str) -> None:
        nonlocal clock
        t = time.perf_counter()
        times[name] = t - clock
        clock = t

    data = read_campaign(folder)
    lap("read_validate")
    db = workdir / "bench.duckdb"
    con = connect(db)
    import_campaign(con, data)
    cid = data.rules.id
    del data
    lap("store")
    # the engine's own stages (points; ranks, flags and stars; awards; storing the run)
    laps = {1: "points", 2: "ranks_flags_stars"}
    run = score(con, cid, on_stage=lambda done, _total, _key: lap(laps[done]) if done in laps else None)
    lap("awards_store_run")
    camp = open_campaign(con, run.campaign_id)
    export(camp, run, workdir / "out", points_format="parquet")
    lap("export")
    times["total"] = time.perf_counter() - total
    times["leaderboard_ms"] = _leaderboard_ms(camp, run)
    con.close()
    times["peak_rss_mib"] = peak_rss_mib()
    return times


def peak_rss_mib() -> float:
    """This process's peak resident memory. Linux keeps getrusage's maximum across exec, so a
    run started from a big parent (the bench, having just generated the national campaign)
    would report the parent's peak; the memory map's own high-water mark (VmHWM) starts anew."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _leaderboard_ms(camp: Any, run: Any) -> float:
    """The dashboard's board query — one category, one period, top 50 with stars and flags —
    median of 5 (milliseconds), after the run."""
    from scoring.app.service import leaderboard

    took = []
    for _ in range(5):
        started = time.perf_counter()
        board = leaderboard(camp, run, CATEGORIES[0], PERIODS[1], limit=50)
        took.append((time.perf_counter() - started) * 1000)
        assert 0 < board.height <= 50
    return statistics.median(took)


def _child(folder: str, workdir: str) -> None:
    print(json.dumps(one_run(Path(folder), Path(workdir))))


def command_seconds(folder: Path, workdir: Path) -> float:
    """The whole command as a user types it: ``starscore run FOLDER --out DIR`` into a new
    database, wall clock from process start to exit."""
    started = time.perf_counter()
    out, db = str(workdir / "cmd-out"), str(workdir / "cmd.duckdb")
    subprocess.run(
        [sys.executable, "-m", "scoring", "run", str(folder), "--out", out, "--db", db, "--lang", "en"],
        capture_output=True,
        check=True,
    )
    return time.perf_counter() - started


def _value_rows(folder: Path) -> int:
    path = folder / "values.parquet"
    rows = pl.scan_parquet(path) if path.exists() else pl.scan_csv(folder / "values.csv", infer_schema=False)
    return int(rows.select(pl.len()).collect().item())


def bench(
    size: str,
    runs: int,
    root: Path,
    values_format: str | None = None,
    missing_pct: int = 0,
    pages: bool = False,
    field_kinds: bool = False,
    district: bool = False,
) -> dict[str, Any]:
    units = SIZES[size]
    name = f"campaign-{size}" + (f"-{values_format}" if values_format else "")
    kinds = ("-field" if field_kinds else "") + ("-district" if district else "")
    folder = root / (name + (f"-missing{missing_pct}" if missing_pct else "") + kinds)
    if not (folder / "campaign.yaml").exists():
        print(
            f"generating {size} ({units:,} units × 4 periods × {N_INDICATORS} indicators"
            + (f", {missing_pct} % of values missing" if missing_pct else "")
            + ")…",
            file=sys.stderr,
            flush=True,
        )
        generate(units, folder, values_format, missing_pct, field_kinds, district)
    results = []
    floors = []
    commands = []
    starts, writes = [], []
    page_visits: list[dict[str, Any]] = []
    for k in range(runs):
        print(f"{size}: run {k + 1}/{runs}…", file=sys.stderr, flush=True)
        floors.append(floor_seconds(folder))
        with tempfile.TemporaryDirectory(dir=root) as work:
            out = subprocess.run(
                [
                    sys.executable,
                    "-c",
                    "import sys; from scoring.bench.timing import _child; _child(sys.argv[1], sys.argv[2])",
                    str(folder),
                    work,
                ],
                capture_output=True,
                text=True,
                check=True,
            )
            results.append(json.loads(out.stdout.strip().splitlines()[-1]))
            commands.append(command_seconds(folder, Path(work)))
            starts.append(start_seconds())
            writes.append(points_csv_seconds(folder, Path(work)))
            if pages and k == runs - 1:  # the dashboard on the last run's database
                from scoring.bench.pages import PAGES, visit_all

                page_visits = visit_all(Path(work) / "bench.duckdb", list(PAGES))
    median = {k: statistics.median(r[k] for r in results) for k in results[0]}
    floor = statistics.median(floors)
    command = statistics.median(commands)
    # the least a command can take: start, then write points.csv (without reading, checking,
    # storing or scoring anything)
    bound = statistics.median(starts) + statistics.median(writes)
    return {
        "size": size,
        "units": units,
        "values": _value_rows(folder),
        "missing_pct": missing_pct,
        "field_kinds": field_kinds,
        "district_rules": district,
        "values_file": next(p.name for p in folder.iterdir() if p.stem == "values"),
        "runs": runs,
        "stages_median_s": median,
        "floor_median_s": floor,
        "ratio_to_floor": median["total"] / floor if floor else None,
        "command_median_s": command,
        "command_ratio_to_floor": command / floor if floor else None,
        "start_median_s": statistics.median(starts),
        "points_csv_median_s": statistics.median(writes),
        "command_bound_s": bound,
        "bound_ratio_to_floor": bound / floor if floor else None,
        "all_runs": results,
        "floor_runs": floors,
        "command_runs": commands,
        "start_runs": starts,
        "points_csv_runs": writes,
        **({"pages": page_visits} if pages else {}),
    }


def table(rows: list[dict[str, Any]]) -> str:
    cols = ["read_validate", "store", "points", "ranks_flags_stars", "awards_store_run", "export", "total"]
    head = (
        f"{'size':<9}{'values':>12}"
        + "".join(f"{c[:12]:>13}" for c in cols)
        + f"{'floor':>9}{'ratio':>8}{'peak MiB':>10}{'board ms':>10}{'command':>9}{'ratio':>8}"
    )
    lines = [head]
    for r in rows:
        m = r["stages_median_s"]
        lines.append(
            f"{r['size']:<9}{r['values']:>12,}"
            + "".join(f"{m[c]:>13.3f}" for c in cols)
            + f"{r['floor_median_s']:>9.3f}{r['ratio_to_floor']:>8.1f}"
            + f"{m['peak_rss_mib']:>10.0f}{m['leaderboard_ms']:>10.0f}"
            + f"{r['command_median_s']:>9.3f}{r['command_ratio_to_floor']:>8.1f}"
        )
    lines += ["", "the command against the least it can take (start + writing points.csv):", ""]
    lines.append(
        f"{'size':<9}{'floor':>9}{'start':>9}{'write pts':>11}{'least':>9}{'÷ floor':>9}"
        f"{'command':>9}{'÷ floor':>9}{'÷ least':>9}"
    )
    for r in rows:
        lines.append(
            f"{r['size']:<9}{r['floor_median_s']:>9.3f}{r['start_median_s']:>9.3f}"
            f"{r['points_csv_median_s']:>11.3f}{r['command_bound_s']:>9.3f}"
            f"{r['bound_ratio_to_floor']:>9.1f}{r['command_median_s']:>9.3f}"
            f"{r['command_ratio_to_floor']:>9.1f}{r['command_median_s'] / r['command_bound_s']:>9.1f}"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scoring.bench", description=__doc__)
    parser.add_argument(
        "--size",
        default="district,city,province",
        help="comma-separated sizes: district, city, province, national; or all",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs per size (median reported)")
    parser.add_argument(
        "--dir",
        default=os.path.join(tempfile.gettempdir(), "starscore-bench"),
        help="where generated campaigns are kept (reused between runs)",
    )
    parser.add_argument(
        "--values",
        choices=("csv", "parquet"),
        help="write every size's values file in this format (default: CSV for the district, "
        "Parquet from city size up)",
    )
    parser.add_argument(
        "--missing",
        type=int,
        default=0,
        metavar="PCT",
        help="leave this percentage of the cells without a value (the rules then score a missing "
        "value 0); default 0",
    )
    parser.add_argument(
        "--field-kinds",
        action="store_true",
        help="one relative and one rank_points indicator in place of two linear ones (same values)",
    )
    parser.add_argument(
        "--district-rules",
        action="store_true",
        help="a penalty counted per occurrence (each), an item that may not apply (3 %% of its "
        "cells 不涉及, so the values are text) and a progress award against baseline.csv",
    )
    parser.add_argument(
        "--pages",
        action="store_true",
        help="also open every dashboard page on the last run's database (python -m "
        "scoring.bench.pages): first visit, rows and bytes sent",
    )
    parser.add_argument("--out", default="bench-results.json", help="JSON result file")
    args = parser.parse_args(argv)
    root = Path(args.dir)
    root.mkdir(parents=True, exist_ok=True)
    sizes = [s.strip() for s in args.size.split(",") if s.strip()]
    if sizes == ["all"]:
        sizes = list(SIZES)
    unknown = [s for s in sizes if s not in SIZES]
    if unknown:
        parser.error(f"unknown size {', '.join(unknown)}; choose from {', '.join(SIZES)}")
    if not 0 <= args.missing < 100:
        parser.error("--missing must be a percentage from 0 to 99")
    rows = [
        bench(
            size,
            args.runs,
            root,
            args.values,
            args.missing,
            args.pages,
            args.field_kinds,
            args.district_rules,
        )
        for size in sizes
    ]
    print(table(rows))
    for row in rows:
        if "pages" in row:
            from scoring.bench.pages import table as pages_table

            print(f"\ndashboard, {row['size']}:\n{pages_table(row['pages'])}")
    Path(args.out).write_text(
        json.dumps({"machine": {"cpus": os.cpu_count()}, "results": rows}, indent=2), encoding="utf-8"
    )
    print(f"results written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
