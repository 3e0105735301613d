"""自评 beside 考评: a period's self-scores imported as values are checked; an assessed value that
differs from the self-score is saved only with a reason; the unit replies once, until its town
is submitted; the cells read side by side with the reason, the reply and the proof files."""

from __future__ import annotations

import polars as pl
import pytest

from scoring.accounts.access import User
from scoring.app.entry import save_values
from scoring.app.evidence import add_evidence
from scoring.app.selfscore import import_self_scores, reply, side_by_side
from scoring.core.errors import CampaignError
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.towns import move_town
from tests.helpers import run_cli

CID = "jiujiang-2023"
ADMIN = User("张主任", "admin")
PDF = b"%PDF-1.7\n%%EOF\n"


def sheet(rows: list[tuple[str, str, str]]) -> pl.DataFrame:
    return (
        pl.DataFrame(
            {
                "unit_id": [r[0] for r in rows],
                "indicator_id": [r[1] for r in rows],
                "value": [r[2] for r in rows],
            }
        )
        .with_row_index("_row", offset=2)
        .with_columns(pl.col("_row").cast(pl.Int64))
    )


def one(value: str) -> pl.DataFrame:
    return pl.DataFrame(
        {
            "unit_id": ["JJ001"],
            "period": ["2023Q2"],
            "indicator_id": ["honours"],
            "value": [value],
            "_row": [1],
        }
    )


def test_self_scores_are_checked_as_values_are(demo_copy):
    con = connect(demo_copy)
    with pytest.raises(CampaignError) as info:
        import_self_scores(
            open_campaign(con, CID),
            "2023Q2",
            sheet([("JJ001", "honours", "九十"), ("XX9", "honours", "1")]),
            "自评.csv",
            ADMIN,
        )
    assert {(p.row, p.code) for p in info.value.problems} >= {(2, "not_a_number")}
    assert con.execute("SELECT count(*) FROM self_scores").fetchall() == [(0,)]
    con.close()


def test_a_different_assessed_value_needs_a_reason_and_the_unit_replies_once(demo_copy):
    con = connect(demo_copy)
    campaign = open_campaign(con, CID)
    assert import_self_scores(campaign, "2023Q2", sheet([("JJ001", "honours", "3")]), "自评.csv", ADMIN) == 1
    add_evidence(campaign, "JJ001", "2023Q2", "honours", "证书.pdf", PDF, ADMIN)
    with pytest.raises(CampaignError) as info:  # 考评 2 against 自评 3, no reason
        save_values(open_campaign(con, CID), one("2"), ADMIN)
    assert [p.code for p in info.value.problems] == ["self_score_reason"]
    save_values(open_campaign(con, CID), one("3"), ADMIN, confirm_note="核实")  # as the unit's: no reason
    save_values(open_campaign(con, CID), one("2"), ADMIN, reason="区级表彰只计2分", confirm_note="核实")
    cells = side_by_side(con, CID, "2023Q2", "JJ001")
    row = cells.row(0, named=True)
    assert (row["differs"], row["reason"], row["files"]) == (True, "区级表彰只计2分", 1)
    reply(con, CID, "JJ001", "2023Q2", "honours", "我们是市级表彰，附证书", ADMIN)
    with pytest.raises(CampaignError) as info:
        reply(con, CID, "JJ001", "2023Q2", "honours", "再说一次", ADMIN)
    assert [p.code for p in info.value.problems] == ["reply_twice"]
    assert side_by_side(con, CID, "2023Q2", "JJ001")["reply"].to_list() == ["我们是市级表彰，附证书"]
    con.close()


def test_no_reply_once_the_town_is_submitted(demo_copy):
    con = connect(demo_copy)
    import_self_scores(
        open_campaign(con, CID), "2023Q2", sheet([("JJ001", "honours", "3")]), "自评.csv", ADMIN
    )
    town = con.execute("SELECT town FROM units WHERE unit_id = 'JJ001'").fetchall()[0][0]
    move_town(con, CID, "2023Q2", town, "submit", ADMIN)
    with pytest.raises(CampaignError) as info:
        reply(con, CID, "JJ001", "2023Q2", "honours", "不同意", ADMIN)
    assert [p.code for p in info.value.problems] == ["reply_closed"]
    con.close()


def test_the_command_line_imports_lists_and_replies(demo_copy, tmp_path, capsys):
    (tmp_path / "自评.csv").write_text("unit_id,indicator_id,value\nJJ001,honours,4\n", encoding="utf-8")
    base = ["--db", str(demo_copy), "--campaign", CID]
    rc, out, _ = run_cli(
        capsys, "selfscore", "import", str(tmp_path / "自评.csv"), *base, "--period", "2023Q2"
    )
    assert rc == 0 and "1" in out
    rc, out, _ = run_cli(capsys, "selfscore", "list", *base, "--period", "2023Q2")
    assert rc == 0 and "JJ001" in out
    rc, _, _ = run_cli(capsys, "selfscore", "reply", *base, "--unit", "JJ001", "--period", "2023Q2",
                       "--indicator", "honours", "--text", "附证书")  # fmt: skip
    assert rc == 0
