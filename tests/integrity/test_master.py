"""Master data that moves money: once a period is locked, no import can redirect a payout by
changing a unit's secretary or raise an award by changing the rules; before a lock every such
change is an audit row with its before and after."""

from __future__ import annotations

import pytest

from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.periods import move
from tests.helpers import DEMO, actor, demo_files, write_folder

CID = "jiujiang-2023"


def _folder(tmp_path, replace: dict[str, tuple[str, str]]):
    files = demo_files("campaign.yaml", "units.csv", "secretaries.csv", "values.csv")
    for name, (old, new) in replace.items():
        assert old in files[name], old
        files[name] = files[name].replace(old, new, 1)
    return write_folder(tmp_path / "c", dict(files))


def _audit(con, actions: tuple[str, ...]) -> list[tuple]:
    return con.execute(
        "SELECT action, unit_id, period, source FROM audit_log WHERE action IN ? ORDER BY seq",
        [list(actions)],
    ).fetchall()


def _first_unit_line() -> str:
    return (DEMO / "units.csv").read_text(encoding="utf-8").splitlines()[1]


def test_a_locked_period_s_payee_cannot_be_redirected_by_import(demo_copy, tmp_path):
    con = connect(demo_copy)
    move(open_campaign(con, CID), "2023Q1", "submit", actor("submit"))
    move(open_campaign(con, CID), "2023Q1", "approve", actor("approve"))
    line = _first_unit_line()  # JJ001,山旺社区,urban,S001,唐军文,...
    parts = line.split(",")
    changed = ",".join([*parts[:3], "S99", "王某", *parts[5:]])
    before = con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
    with pytest.raises(CampaignError) as info:
        import_campaign(con, read_campaign(_folder(tmp_path, {"units.csv": (line, changed)})))
    assert [p.code for p in info.value.problems] == ["master_locked"]
    message = info.value.render("en")
    assert "JJ001" in message and "S001 → S99" in message and "reopen" in message
    assert con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0] == before
    assert con.execute("SELECT secretary_id FROM units WHERE unit_id = 'JJ001'").fetchall() == [("S001",)]
    con.close()


def test_award_and_unit_changes_before_a_lock_are_audited_with_before_and_after(demo_copy, tmp_path):
    con = connect(demo_copy)
    line = _first_unit_line()
    parts = line.split(",")
    changed = ",".join([*parts[:3], "S99", "王某", *parts[5:]])
    folder = _folder(
        tmp_path,
        {"campaign.yaml": ("5: 150000", "5: 1350000"), "units.csv": (line, changed)},
    )
    import_campaign(con, read_campaign(folder), who="张主任", reason="更正")
    rows = _audit(con, ("rules_change", "unit_change"))
    assert [(a, u) for a, u, _, _ in rows] == [("rules_change", None), ("unit_change", "JJ001")]
    assert "awards.stars.5: 150000 → 1350000" in rows[0][3]
    assert "secretary_id: S001 → S99" in rows[1][3] and "secretary_name: 唐军文 → 王某" in rows[1][3]
    who = con.execute("SELECT DISTINCT who, reason FROM audit_log WHERE action = 'unit_change'").fetchall()
    assert who == [("张主任", "更正")]
    con.close()


def test_a_secretary_of_an_open_period_may_change_beside_a_locked_one(demo_copy, tmp_path):
    con = connect(demo_copy)
    move(open_campaign(con, CID), "2023Q1", "submit", actor("submit"))
    move(open_campaign(con, CID), "2023Q1", "approve", actor("approve"))
    lines = (DEMO / "secretaries.csv").read_text(encoding="utf-8").splitlines()
    q4 = next(ln for ln in lines if ",2023Q4," in ln)
    q1 = next(ln for ln in lines if ",2023Q1," in ln)
    uid, period, _, _ = q4.split(",")
    import_campaign(
        con, read_campaign(_folder(tmp_path, {"secretaries.csv": (q4, f"{uid},{period},S98,赵某")}))
    )
    assert _audit(con, ("secretary_change",))[0][:3] == ("secretary_change", uid, "2023Q4")
    uid1, p1, _, _ = q1.split(",")
    with pytest.raises(CampaignError) as info:
        import_campaign(
            con, read_campaign(_folder(tmp_path / "2", {"secretaries.csv": (q1, f"{uid1},{p1},S97,钱某")}))
        )
    assert [p.code for p in info.value.problems] == ["master_locked"]
    con.close()
