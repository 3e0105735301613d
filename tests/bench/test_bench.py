"""The benchmark harness: seeded generation and a full measured run (district size here;
province with `pytest -m slow`)."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from scoring.bench.timing import bench, table
from scoring.ingest.validate import read_campaign
from scoring.samples.synthetic import generate

STAGES = {
    "read_validate",
    "store",
    "points",
    "ranks_flags_stars",
    "awards_store_run",
    "export",
    "total",
    "peak_rss_mib",
    "leaderboard_ms",
}


def _digest(folder: Path) -> str:
    return hashlib.sha256(
        b"".join((folder / f).read_bytes() for f in ("campaign.yaml", "units.csv", "values.csv"))
    ).hexdigest()


def test_generation_is_seeded_and_valid(tmp_path):
    a = generate(109, tmp_path / "a")
    b = generate(109, tmp_path / "b")
    assert _digest(a) == _digest(b)
    data = read_campaign(a)
    assert data.units.height == 109 and data.values.height == 109 * 4 * 30


def test_generation_with_missing_values(tmp_path):
    """--missing 5: about 5 % of the cells have no row, seeded, and the rules score them 0."""
    a = generate(109, tmp_path / "a", missing_pct=5)
    assert _digest(a) == _digest(generate(109, tmp_path / "b", missing_pct=5))
    assert "missing: zero" in (a / "campaign.yaml").read_text(encoding="utf-8")
    data = read_campaign(a)
    cells = 109 * 4 * 30
    assert data.values.height + data.missing_count == cells
    assert 0.03 * cells < data.missing_count < 0.07 * cells
    result = bench("district", 1, tmp_path / "runs", missing_pct=5)
    assert result["values"] == data.values.height and result["missing_pct"] == 5


def test_district_bench_reports_every_stage(tmp_path):
    result = bench("district", 1, tmp_path)
    assert set(result["stages_median_s"]) == STAGES
    assert result["floor_median_s"] > 0 and result["ratio_to_floor"] > 0
    assert result["command_median_s"] > result["floor_median_s"] and result["values_file"] == "values.csv"
    assert "district" in table([result])
    # the command is also set against the least it can take: a new process loading DuckDB and
    # polars, then writing a points.csv of every value (and only that)
    start, write = result["start_median_s"], result["points_csv_median_s"]
    assert 0 < start < result["command_median_s"] and 0 < write < result["command_median_s"]
    assert result["command_bound_s"] == start + write
    assert result["bound_ratio_to_floor"] == result["command_bound_s"] / result["floor_median_s"]
    assert "least" in table([result])


def test_points_csv_floor_writes_every_value(tmp_path, monkeypatch):
    """The write it times is of one line per value, the spec's five columns."""
    import polars as pl

    from scoring.bench import timing as harness

    folder = generate(109, tmp_path / "c")
    written = {}
    real = pl.DataFrame.write_csv

    def keep(frame, path, *args, **kwargs):
        written["frame"] = frame
        return real(frame, path, *args, **kwargs)

    monkeypatch.setattr(pl.DataFrame, "write_csv", keep)
    assert harness.points_csv_seconds(folder, tmp_path) > 0
    frame = written["frame"]
    assert frame.columns == ["period", "unit_id", "indicator_id", "value", "points"]
    assert frame.height == 109 * 4 * 30 and not (tmp_path / "points-floor.csv").exists()


@pytest.mark.slow
@pytest.mark.parametrize("values_format", [None, "csv"])
def test_province_bench(tmp_path, values_format):
    result = bench("province", 1, tmp_path, values_format)
    assert result["values"] == 6_000_000 and result["stages_median_s"]["total"] > 0
    assert result["values_file"] == ("values.csv" if values_format else "values.parquet")


def test_peak_memory_is_the_run_s_own_not_its_parent_s():
    """Linux keeps getrusage's peak across exec: a run started by a big parent would report the
    parent's memory."""
    code = (
        "import subprocess, sys\n"
        "big = bytearray(400 * 2**20)\n"
        "for i in range(0, len(big), 4096): big[i] = 1\n"
        "child = 'from scoring.bench.timing import peak_rss_mib; print(peak_rss_mib())'\n"
        "run = subprocess.run([sys.executable, '-c', child], capture_output=True, text=True, check=True)\n"
        "print(run.stdout)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert 0 < float(out.stdout.strip()) < 300


def test_dashboard_pages_are_measured(demo_copy):
    """``scoring.bench.pages``: each page opened in its own process, timed, with what it sends.
    The leaderboard sends its category's board (at most a page of 100), payouts its payees
    (at most the 1,000 largest of each kind)."""
    from scoring.bench.pages import table as pages_table
    from scoring.bench.pages import visit_all
    from scoring.engine.run import latest_run
    from scoring.store.db import connect

    con = connect(demo_copy, read_only=True)
    run = latest_run(con, "jiujiang-2023")
    assert run is not None
    board = con.execute(
        "SELECT count(*) FROM annual_results WHERE run_id = ? AND category = (SELECT category "
        "FROM categories WHERE campaign_id = ? ORDER BY category_no LIMIT 1)",
        [run.run_id, run.campaign_id],
    ).fetchall()[0][0]
    payees = con.execute(
        "SELECT max(n) FROM (SELECT count(*) AS n FROM payouts WHERE run_id = ? GROUP BY payee_type)",
        [run.run_id],
    ).fetchall()[0][0]
    con.close()
    leaderboard, payouts = visit_all(demo_copy, ["leaderboard", "payouts"])
    assert leaderboard["page"] == "leaderboard" and payouts["page"] == "payouts"
    assert not leaderboard["errors"] and not payouts["errors"]
    assert leaderboard["max_table_rows"] == min(board, 100) and leaderboard["charts"] >= 1
    assert payouts["tables"] == 2 and payouts["max_table_rows"] == min(payees, 1000)
    assert payouts["page_s"] > 0 and leaderboard["page_s"] == leaderboard["app_s"] > 0
    assert "payouts" in pages_table([leaderboard, payouts])
