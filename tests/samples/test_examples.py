"""The published schemes under docs/examples, each run as it is and checked against the results
its README computes by hand."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.helpers import read_csv, run_cli

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"


def _run(tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str) -> Path:
    out = tmp_path / "out"
    rc, _, err = run_cli(capsys, "run", EXAMPLES / name, "--out", out, "--db", tmp_path / "d.duckdb")
    assert rc == 0, err
    return out


def _annual(out: Path) -> dict[str, dict[str, str]]:
    return {r["unit_name"]: r for r in read_csv(out / "annual_results.csv")}


def _paid(out: Path) -> dict[str, Decimal]:
    return {r["payee_name"]: Decimal(r["final"]) for r in read_csv(out / "payouts.csv")}


def test_every_example_has_a_readme_naming_its_source():
    folders = [p for p in EXAMPLES.iterdir() if p.is_dir()]
    assert len(folders) >= 6
    for folder in folders:
        text = (folder / "README.md").read_text(encoding="utf-8")
        assert "Source:" in text and "could not be said" in text, folder.name


def test_longmen_counts_capped_and_progress(tmp_path, capsys):
    out = _run(tmp_path, capsys, "longmen-2018q2")
    annual = _annual(out)
    got = {
        name: annual[name]["annual_score"]
        for name in ("幸福聚居点", "和谐聚居点", "安居聚居点", "清水聚居点")
    }
    assert got == {"幸福聚居点": "84.5", "和谐聚居点": "74", "安居聚居点": "85", "清水聚居点": "90"}
    assert [n for n, r in annual.items() if r["progress"] == "1"] == ["清水聚居点"]
    assert _paid(out) == {"清水聚居点": Decimal(1000)}
    points = {(r["unit_id"], r["indicator_id"]): r["points"] for r in read_csv(out / "points.csv")}
    assert points[("LM02", "illegal_build")] == "-25"  # 6 × 5 = 30, 扣完为止 at 25
    assert points[("LM03", "satisfaction")] == "-5"


def test_huaian_flags_per_half_year(tmp_path, capsys):
    out = _run(tmp_path, capsys, "huaian-2018")
    flags = {r["unit_name"]: r["flags"] for r in read_csv(out / "annual_results.csv")}
    assert flags == {"新民村": "2", "东方村": "1", "红星村": "1", "永兴村": "1", "光明村": "0", "五里村": "0"}
    assert _paid(out) == {"东方村": 3600, "新民村": 7200, "永兴村": 3600, "红星村": 3600}


def test_linli_ties_at_the_edge(tmp_path, capsys):
    out = _run(tmp_path, capsys, "linli-2021")
    assert _paid(out) == {"久丰村": 50000, "杉龙村": 50000, "太山村": 50000}


def test_maguan_a_pass_mark_and_backward_villages(tmp_path, capsys):
    out = _run(tmp_path, capsys, "maguan-2019")
    assert _paid(out) == {"都龙村": 600, "金竹山村": 1200, "八寨村": 600, "马白社区": 600, "坡脚村": 600}
    behind = {(r["period"], r["unit_name"]) for r in read_csv(out / "period_results.csv") if r["flag"] == "0"}
    assert behind == {
        ("2019H1", "八寨村"),
        ("2019H1", "坡脚村"),
        ("2019H2", "都龙村"),
        ("2019H2", "马白社区"),
    }


def test_baoji_linear_up_to_the_standard(tmp_path, capsys):
    annual = _annual(_run(tmp_path, capsys, "baoji-shengjie"))
    got = {n: annual[n]["annual_score"] for n in ("东岭村", "西街村", "南坡村", "北原村")}
    assert got == {"东岭村": "126", "西街村": "158", "南坡村": "31.4", "北原村": "170"}


def test_shaoxing_levels_with_a_quota(tmp_path, capsys):
    annual = _annual(_run(tmp_path, capsys, "shaoxing-wuxing"))
    stars = {n: r["stars"] for n, r in annual.items()}
    assert (stars["棠棣村"], stars["梅林村"], stars["兰亭村"], stars["柯岩村"], stars["湖塘村"]) == (
        "2",
        "1",
        "1",
        "1",
        "0",
    )
    assert annual["兰亭村"]["annual_score"] == "476"
