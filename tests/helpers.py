"""Shared test helpers: run the CLI in-process, write campaign folders, read outputs."""

from __future__ import annotations

import csv
import os
import re
from fractions import Fraction
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from scoring.cli.main import main
from scoring.core.money import plain

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "data" / "demo"


@cache
def demo_text(name: str) -> str:
    """A file of the demo campaign as values only: the residents' survey's values written into
    values.csv (entered by 满意度调查, after the other rows) and the survey's declaration taken
    out of campaign.yaml, with the source delivering its answers (a survey export). The same
    campaign, scoring to the same results, for the tests that rebuild the demo from some of its
    files or change them."""
    text = (DEMO / name).read_text(encoding="utf-8")
    if name == "campaign.yaml":
        rules = text.split("\nsurveys:", 1)[0]
        return re.sub(r"\n  - id: satisfaction_survey\b.*?(?=\n  - id: |\Z)", "", rules, flags=re.S) + "\n"
    if name == "values.csv":
        from scoring.ingest.validate import read_campaign

        surveyed = {}
        for c in read_campaign(DEMO).survey_cells:
            if c.value is not None:
                row = [
                    c.unit_id,
                    c.period,
                    c.indicator_id,
                    plain(c.value),
                    "满意度调查",
                    f"调查 {c.respondents} 人",
                ]
                surveyed[(c.unit_id, c.period)] = ",".join(row)
        lines = []
        for line in text.splitlines():  # each where the generator drew it: after training
            lines.append(line)
            unit, period, indicator = line.split(",")[:3]
            if indicator == "training" and (unit, period) in surveyed:
                lines.append(surveyed[(unit, period)])
        return "\n".join(lines) + "\n"
    return text


def demo_files(*names: str) -> dict[str, str]:
    """Files of the demo campaign as they are, with its survey answers: for a re-import over
    the stored demo (whose rules declare the survey)."""
    return {n: (DEMO / n).read_text(encoding="utf-8") for n in (*names, "surveys.csv")}


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    rc = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return rc, out, err


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def write_folder(folder: Path, files: dict[str, str | bytes]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, content in files.items():
        path = folder / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    return folder


def frac(text: str) -> Fraction | None:
    return None if text == "" else Fraction(text)


def assert_matches_reference(out: Path, ref: dict[str, Any]) -> None:
    """Every output number of the engine equals the reference's, exactly."""
    from tests.reference import round2

    for r in read_csv(out / "points.csv"):
        key = (r["unit_id"], r["period"], r["indicator_id"])
        assert frac(r["points"]) == ref["points"][key], key
        if ref["points"][key] is None and r["value"] != "":  # 不涉及: written so, no points
            assert r["value"] == "不涉及", key
    import json

    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["year_complete"] == ref["year_complete"]
    assert {p["period"]: p["status"] for p in summary["periods"]} == ref["period_status"]
    rows = read_csv(out / "period_results.csv")
    assert {(r["unit_id"], r["period"]) for r in rows} == {
        (uid, p) for (uid, p) in ref["score"] if p in ref["scored_periods"]
    }
    if not ref["year_complete"]:  # the year does not exist yet: no annual results, no payouts
        assert not (out / "annual_results.csv").exists() and not (out / "payouts.csv").exists()
    for r in rows:
        key = (r["unit_id"], r["period"])
        assert frac(r["score"]) == ref["score"][key], key
        assert r["vetoed"] == str(int(ref["veto"][key])), key
        rank = ref["period_rank"][key]
        assert r["rank"] == ("" if rank is None else str(rank)), key
        assert r["flag"] == str(int(ref["flag"][key])), key
    if not ref["year_complete"]:
        return
    for r in read_csv(out / "annual_results.csv"):
        uid = r["unit_id"]
        assert frac(r["annual_score"]) == ref["annual"][uid], uid
        assert r["vetoed"] == str(int(ref["year_veto"][uid])), uid
        rank = ref["annual_rank"][uid]
        assert r["annual_rank"] == ("" if rank is None else str(rank)), uid
        assert int(r["stars"]) == ref["stars"][uid], uid
        assert int(r["flags"]) == ref["flags"][uid], uid
        if "progress" in r:
            assert r["progress"] == str(int(uid in ref["progress"])), uid
    got = {(r["payee_type"], r["payee_id"]): r for r in read_csv(out / "payouts.csv")}
    want = {(p[0], p[1]): p for p in ref["payouts"]}
    assert set(got) == set(want)
    for key, p in want.items():
        r = got[key]
        assert frac(r["gross"]) == round2(p[2]), key
        assert frac(r["capped"]) == round2(p[3]), key
        assert frac(r["final"]) == p[4], key
    assert Fraction(str(summary["total_final"])) == ref["total_final"]
    assert Fraction(str(summary["total_before_scaling"])) == round2(ref["total_before_scaling"])
    num, den = summary["scale_factor_fraction"].split("/")
    assert Fraction(int(num), int(den)) == ref["scale_factor"]
    if ref["unallocated"] is None:
        assert summary["unallocated"] is None
    else:
        assert Fraction(str(summary["unallocated"])) == ref["unallocated"]


# who takes each workflow step in tests: four eyes means the one who submits is not the one who
# approves, and neither entered the values (the imports record "local")
STEP_ACTORS = {"submit": ("评估员", "evaluator"), "approve": ("审核人", "leader")}


def actor(step: str) -> Any:
    from scoring.accounts.access import User

    name, role = STEP_ACTORS.get(step, ("管理员", "admin"))
    return User(name, role)


def stored_value(db: Path, unit: str, period: str, indicator: str) -> Any:
    """One stored value of the demo campaign's database, as DuckDB returns it."""
    from scoring.store.db import connect

    con = connect(db)
    try:
        rows = con.execute(
            "SELECT value FROM indicator_values WHERE unit_id = ? AND period = ? AND indicator_id = ?",
            [unit, period, indicator],
        ).fetchall()
    finally:
        con.close()
    return rows[0][0] if rows else None


def shown(text: object) -> str:
    """A dashboard message as a reader sees it: the page escapes every markdown character of its
    messages (``dashboard.chrome.messages_as_text``), which markdown then draws as itself."""
    import re

    return re.sub(r"\\(.)", r"\1", str(text))


def examples(n: int) -> int:
    """Random examples a property test tries: ``n`` in the default suite (new ones every run),
    ten times as many with ``STARSCORE_THOROUGH=1`` (a deeper search, docs/development.md)."""
    return n * 10 if os.environ.get("STARSCORE_THOROUGH") == "1" else n
