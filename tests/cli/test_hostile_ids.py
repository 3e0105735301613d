"""Hostile ids and names through every command: quotes, ``$run``, ``;``, backslashes and
spreadsheet formulas are data, never SQL and never formulas. Every result comes out as for
plain ids, and every CSV the product writes neutralises a text cell a spreadsheet would run."""

from __future__ import annotations

import csv
import json
from datetime import timedelta

from scoring.accounts.access import LOCAL_ADMIN
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, now
from scoring.workflow.periods import move
from tests.helpers import actor, run_cli, write_folder

CID = "x'y$run;--\\z\"$cid"
UNITS = {  # id: (name, secretary id, secretary name)
    "u'1": ('=HYPERLINK("http://x","click")', "s$run", "+1+1"),
    "u$run": ("@SUM(A1)", "s;2", "-2+3"),
    "u;2": ("普通社区", "s\\3", "王某"),
    "u\\3": ("\t制表", "s'4", "李某"),
}
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _folder(tmp_path):
    yaml = (
        "format: starscore/1\n"
        f"campaign: {{id: {json.dumps(CID)}, name: 攻击测试, year: 2024, periods: [Q1, Q2]}}\n"
        "missing: error\n"
        "categories: [{id: c, name: 类}]\n"
        "indicators: [{id: pb, name: 党建, kind: score, points: 20}]\n"
        "stars: [{stars: 1, min_score: 0}]\n"
        "flags: {top_n: 1}\n"
        "awards: {stars: {1: 1000}, flag: 100, community_cap: 5000, secretary_share: 0.25,"
        " secretary_cap: 1000, rounding: 1}\n"
    )
    rows = ["unit_id,name,category,secretary_id,secretary_name"]
    values = ["unit_id,period,indicator_id,value"]
    for k, (uid, (name, sid, sname)) in enumerate(UNITS.items()):
        rows.append(",".join(_q(x) for x in (uid, name, "c", sid, sname)))
        values += [f"{_q(uid)},Q1,pb,{10 + k}", f"{_q(uid)},Q2,pb,{12 - k}"]
    return write_folder(
        tmp_path / "c",
        {"campaign.yaml": yaml, "units.csv": "\n".join(rows) + "\n", "values.csv": "\n".join(values) + "\n"},
    )


def _q(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _cells(path):
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [cell for row in csv.reader(fh) for cell in row]


def test_hostile_ids_through_every_command(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    out = tmp_path / "out"
    folder = _folder(tmp_path)
    assert run_cli(capsys, "validate", folder)[0] == 0
    rc, _, err = run_cli(capsys, "run", folder, "--out", out, "--db", db, "--lang", "en")
    assert rc == 0, err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["campaign_id"] == CID
    periods = list(csv.DictReader((out / "period_results.csv").open(encoding="utf-8")))
    assert len(periods) == 8  # 4 units x 2 periods, nothing more
    assert {r["unit_id"].lstrip("'") for r in periods} == set(UNITS)
    for name in ("period_results.csv", "annual_results.csv", "payouts.csv", "points.csv"):
        cells = _cells(out / name)
        assert not [c for c in cells if c.startswith(FORMULA) and not _number(c)], name
    payouts = list(csv.DictReader((out / "payouts.csv").open(encoding="utf-8")))
    assert '\'=HYPERLINK("http://x","click")' in {r["payee_name"] for r in payouts}
    assert "'+1+1" in {r["payee_name"] for r in payouts}
    for args in (
        ("score", "--campaign", CID),
        ("export", "--campaign", CID, "--out", tmp_path / "again"),
        ("audit", "--campaign", CID, "--unit", "u'1"),
        ("explain", "u$run", "--campaign", CID),
        ("explain", "s;2", "--campaign", CID),
        ("set", "--campaign", CID, "--unit", "u;2", "--period", "Q2", "--indicator", "pb", "--value", "11"),
        ("robustness", "--campaign", CID, "--draws", "20", "--out", tmp_path / "rb.csv"),
        ("period", "--campaign", CID, "--period", "Q1", "submit"),
        ("period", "--campaign", CID, "--period", "Q1", "approve", "--user", "审核人"),  # four eyes
        ("period", "--campaign", CID, "--period", "Q1", "publish"),
        ("verify", "--campaign", CID),
        ("notice", "--campaign", CID, "--out", tmp_path / "notice"),
    ):
        rc, _, err = run_cli(capsys, *args, "--db", db, "--lang", "en")
        assert rc == 0, (args, err)
    assert not [c for c in _cells(tmp_path / "rb.csv") if c.startswith(FORMULA) and not _number(c)]
    again = list(csv.DictReader((tmp_path / "again" / "period_results.csv").open(encoding="utf-8")))
    assert len(again) == 8
    con = connect(db)
    for period in ("Q2",):
        for step in ("submit", "approve", "publish"):
            move(open_campaign(con, CID), period, step, actor(step))
    for period in ("Q1", "Q2"):
        move(open_campaign(con, CID), period, "finalize", LOCAL_ADMIN, at=now() + timedelta(days=6))
    con.close()
    rc, stdout, _ = run_cli(capsys, "verify", "--campaign", CID, "--db", db, "--lang", "en")
    assert rc == 0 and "payouts" in stdout


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


RAW = ("\x1b", "\u202e", "\x00", "\x07")


def test_control_characters_already_stored_are_shown_escaped(tmp_path, capsys):
    """A database written before control characters were refused (or edited around the
    product) holds them in a name and a reason: every command shows them as escapes, never as
    characters a terminal would act on."""
    db = tmp_path / "d.duckdb"
    assert run_cli(capsys, "run", _folder(tmp_path), "--out", tmp_path / "out", "--db", db)[0] == 0
    con = connect(db)
    con.execute("UPDATE units SET name = ? WHERE unit_id = ?", ["社区\x1b[2J\u202e反转\x00\x07", "u;2"])
    con.close()
    args = ("set", "--campaign", CID, "--unit", "u;2", "--period", "Q2", "--indicator", "pb", "--value", "3")
    assert run_cli(capsys, *args, "--reason", "改正\x1b]0;title\x07", "--db", db)[0] == 0
    shown = []
    for cmd in (
        ("score", "--campaign", CID),
        ("explain", "u;2", "--campaign", CID),
        ("audit", "--campaign", CID, "--unit", "u;2"),
    ):
        rc, stdout, stderr = run_cli(capsys, *cmd, "--db", db)
        assert rc == 0, (cmd, stderr)
        assert not [c for c in RAW if c in stdout + stderr], cmd
        shown.append(stdout)
    assert "\\x1b[2J\\u202e反转" in shown[1]  # the name, escaped, in the derivation
    assert "改正\\x1b]0;title\\x07" in shown[2]  # the reason, escaped, in the audit trail
