"""A campaign in the middle of its year, as a district has it in May: Q1 published with one
objection upheld (a corrected value) and one pending, Q2 entered but for a few values, a value
far from its peers confirmed with a comment, Q2's deadline passed with a late exception for one
town; Q3 and Q4 not started."""

from __future__ import annotations

from pathlib import Path

import polars as pl

from scoring.accounts.access import User
from scoring.app.corrections import uphold_with_correction
from scoring.app.entry import save_values
from scoring.app.imports import import_campaign
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow.locks import grant_exception, set_deadline
from scoring.workflow.periods import move
from scoring.workflow.year import record_objection
from tests.engine.test_year_in_progress import _demo
from tests.helpers import actor

CID = "jiujiang-2023"
ADMIN = User("张主任", "admin")


def build_midyear(folder: Path, db: Path) -> Path:
    con = connect(db)
    import_campaign(con, read_campaign(_demo(folder, ("2023Q1", "2023Q2"), drop=5)), who="张主任")
    score(con, CID)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    leader = User("赵领导", "leader")
    upheld = record_objection(
        open_campaign(con, CID), "JJ001", "居民甲", "社区获市级表彰未计入", leader, "2023Q1"
    )
    uphold_with_correction(open_campaign(con, CID), upheld, "honours", "3", "市级表彰属实，补计", ADMIN)
    record_objection(open_campaign(con, CID), "JJ002", "居民乙", "排名有误", leader, "2023Q1")
    far = pl.DataFrame(
        {
            "unit_id": ["JJ003"],
            "period": ["2023Q2"],
            "indicator_id": ["party_building"],
            "value": ["0"],
            "_row": [1],
        }
    )
    save_values(open_campaign(con, CID), far, ADMIN, confirm_note="党建考核未通过，已核实")
    set_deadline(open_campaign(con, CID), "2023Q2", "2023-07-10", ADMIN)
    grant_exception(open_campaign(con, CID), "2023Q2", ADMIN, "二坝镇补录", town="二坝镇")
    con.close()
    return db
