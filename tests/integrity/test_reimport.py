"""Importing a folder over a stored campaign: what it changes is said first, and changing values
entered since the last import needs a confirmation."""

from __future__ import annotations

import polars as pl

from scoring.accounts.access import User
from scoring.app.entry import save_values
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import demo_text, run_cli, write_folder

CID = "jiujiang-2023"


def _value(db, unit: str, indicator: str) -> str:
    con = connect(db)
    rows = con.execute(
        "SELECT value FROM indicator_values WHERE unit_id = ? AND period = '2023Q1' AND indicator_id = ?",
        [unit, indicator],
    ).fetchall()
    con.close()
    return str(rows[0][0]).rstrip("0").rstrip(".")


def test_reimport_over_entered_values_is_previewed_and_needs_confirmation(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    files = ("campaign.yaml", "units.csv", "secretaries.csv", "values.csv")
    folder = write_folder(tmp_path / "c", {f: demo_text(f).encode() for f in files})
    assert run_cli(capsys, "import", folder, "--db", db, "--user", "张科长")[0] == 0
    before = _value(db, "JJ001", "party_building")
    con = connect(db)  # an evaluator corrects a value on the grid after the import
    change = pl.DataFrame(
        {
            "unit_id": ["JJ001"],
            "period": ["2023Q1"],
            "indicator_id": ["party_building"],
            "value": ["9"],
            "_row": [1],
        }
    )
    save_values(open_campaign(con, CID), change, User("王评", "evaluator"), confirm_note="核实")
    con.close()
    # the same folder again would put the old value back: said first, nothing written
    rc, out, _ = run_cli(capsys, "import", folder, "--dry-run", "--db", db)
    assert rc == 0 and "修改 1" in out and "其中 1 个数值是上次导入后录入的" in out and "试运行" in out
    assert _value(db, "JJ001", "party_building") == "9"
    rc, _, err = run_cli(capsys, "import", folder, "--db", db)
    assert rc == 1 and "1 个在上次导入之后录入的数值" in err and "JJ001 2023Q1 party_building（王评）" in err
    assert _value(db, "JJ001", "party_building") == "9"
    rc, _, err = run_cli(capsys, "import", folder, "--yes", "--db", db, "--user", "张科长")
    assert rc == 0 and "修改 1" in err
    assert _value(db, "JJ001", "party_building") == before
    con = connect(db)
    audit = con.execute(
        "SELECT who, old_value, new_value, source FROM audit_log WHERE unit_id = 'JJ001' "
        "AND indicator_id = 'party_building' ORDER BY seq"
    ).fetchall()
    con.close()
    assert audit[0][0] == "王评" and len(audit) == 2 and audit[-1][3] == "import"
    # values imported from the folder itself may be replaced by a new folder without confirmation
    values = demo_text("values.csv")
    changed = values.replace("JJ002,2023Q1,party_building,11,", "JJ002,2023Q1,party_building,12,", 1)
    (folder / "values.csv").write_text(changed, encoding="utf-8")
    assert changed != values
    assert run_cli(capsys, "import", folder, "--db", db)[0] == 0
