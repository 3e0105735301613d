"""The demo campaign: reproducible from its seed, valid, and its results pinned as golden files."""

from __future__ import annotations

import filecmp
import sys
from pathlib import Path

import polars as pl

from scoring.samples.demo import write_demo
from tests.helpers import DEMO, read_csv, run_cli

GOLDEN = Path(__file__).parent / "golden" / "demo"
RESULT_FILES = ("period_results.csv", "annual_results.csv", "points.csv", "payouts.csv")


def test_demo_folder_is_the_seeded_generator_output(tmp_path):
    write_demo(tmp_path / "demo")
    names = ["campaign.yaml", "units.csv", "values.csv", "secretaries.csv", "surveys.csv"]
    names += [f"sources/{p.name}" for p in (tmp_path / "demo" / "sources").iterdir()]
    assert len(names) == 9  # and the four departments' files
    for name in names:
        assert filecmp.cmp(tmp_path / "demo" / name, DEMO / name, shallow=False), name


def test_demo_shape(tmp_path, capsys):
    rc, _, err = run_cli(capsys, "run", DEMO, "--out", tmp_path, "--db", tmp_path / "d.duckdb")
    assert rc == 0, err
    annual = pl.read_csv(tmp_path / "annual_results.csv")
    assert annual.height == 109
    assert annual["category"].value_counts().height == 3
    assert annual.filter(pl.col("vetoed") == 1).height == 2
    pays = pl.read_csv(tmp_path / "payouts.csv")
    # the caps and the budget bind
    assert pays.filter((pl.col("payee_type") == "community") & (pl.col("gross") > 150000)).height
    assert pays.filter((pl.col("payee_type") == "secretary") & (pl.col("gross") > 37500)).height
    import json

    summary = json.loads((tmp_path / "summary.json").read_text(encoding="utf-8"))
    assert summary["scaled"] and summary["total_before_scaling"] > 12_000_000
    assert summary["total_final"] <= 12_000_000
    assert len(read_csv(DEMO / "secretaries.csv")) == 16  # four 换届 units


def test_demo_results_match_golden(tmp_path, capsys):
    rc, _, err = run_cli(capsys, "run", DEMO, "--out", tmp_path, "--db", tmp_path / "d.duckdb")
    assert rc == 0, err
    for name in RESULT_FILES:
        assert (tmp_path / name).read_text(encoding="utf-8") == (GOLDEN / name).read_text(encoding="utf-8"), (
            f"{name} differs; if intended: python -m tests.test_demo --regen"
        )


def test_rescoring_is_identical(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    assert run_cli(capsys, "run", DEMO, "--out", tmp_path / "a", "--db", db)[0] == 0
    assert run_cli(capsys, "score", "--campaign", "jiujiang-2023", "--db", db)[0] == 0
    assert (
        run_cli(capsys, "export", "--campaign", "jiujiang-2023", "--out", tmp_path / "b", "--db", db)[0] == 0
    )
    for name in RESULT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


if __name__ == "__main__" and "--regen" in sys.argv:
    import tempfile

    from scoring.cli.main import main

    with tempfile.TemporaryDirectory() as tmp:
        main(["run", str(DEMO), "--out", str(GOLDEN), "--db", str(Path(tmp) / "d.duckdb")])
    (GOLDEN / "summary.json").unlink()
