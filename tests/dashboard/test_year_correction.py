"""An objection upheld during the year's 公示: the public page shows the corrected year (the
run the year is re-pinned to) and the correction, inside the window."""

from __future__ import annotations

from datetime import timedelta

from scoring.accounts.access import User
from scoring.app.corrections import uphold_with_correction
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, now
from scoring.workflow.periods import move
from scoring.workflow.year import move_year, record_objection
from tests.dashboard.conftest import open_app
from tests.helpers import actor

CID = "jiujiang-2023"
ADMIN = User("张主任", "admin")


def test_the_public_page_shows_the_corrected_year_and_the_correction(db):
    con = connect(db)
    later = now() + timedelta(days=6)
    for period in ("2023Q1", "2023Q2", "2023Q3", "2023Q4"):
        for step in ("submit", "approve", "publish"):
            move(open_campaign(con, CID), period, step, actor(step))
        move(open_campaign(con, CID), period, "finalize", ADMIN, at=later)
    move_year(open_campaign(con, CID), "publish", ADMIN)
    no = record_objection(
        open_campaign(con, CID), "JJ050", "居民丙", "二季度荣誉漏计", User("赵领导", "leader")
    )
    uphold_with_correction(open_campaign(con, CID), no, "honours", "5", "属实，补计", ADMIN, period="2023Q2")
    run = con.execute("SELECT run_id FROM year_status").fetchall()[0][0]
    unit, corrected = con.execute(
        "SELECT u.name, annual_score FROM annual_results a JOIN units u USING (unit_id) "
        "WHERE run_id = ? AND unit_id = 'JJ050'",
        [run],
    ).fetchall()[0]
    con.close()
    at = open_app("zh", "public")
    boards = [d.value for d in at.dataframe if "排名" in d.value.columns and "星级" in d.value.columns]
    rows = [b[b["单位"] == unit] for b in boards]
    shown = next(r for r in rows if len(r))
    assert float(shown["得分"].iloc[0]) == float(corrected)
    fixes = next(d.value for d in at.dataframe if "更正内容" in d.value.columns)
    assert fixes["单位"].tolist() == [unit] and fixes["期次"].tolist() == ["全年"]
    assert fixes["更正内容"].iloc[0].startswith("荣誉加分 2023Q2：") and fixes["更正内容"].iloc[0].endswith(
        "→ 5"
    )
