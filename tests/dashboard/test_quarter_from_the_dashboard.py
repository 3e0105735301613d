"""Q1 from the dashboard, with Q2–Q4 empty: the last values entered in the grid score the
quarter on save, the save counts what the period still lacks in the saved units' towns, the
board and the public page show Q1 (no stars before the year), and a file of a final period is
refused at its preview."""

from __future__ import annotations

import re
from datetime import timedelta

import polars as pl
import pytest

from scoring.accounts.access import LOCAL_ADMIN
from scoring.app.entry import save_values, values_grid
from scoring.app.imports import import_campaign
from scoring.engine.run import latest_run
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect, now
from scoring.workflow.periods import move, statuses
from tests.dashboard.conftest import open_app, save_grid
from tests.engine.test_year_in_progress import _demo
from tests.helpers import actor

CID = "jiujiang-2023"


@pytest.fixture
def q1_open(tmp_path, monkeypatch):
    """The demo's Q1 lacking JJ109's last two values (delays, veto), nothing after it, unscored."""
    path = tmp_path / "q1.duckdb"
    con = connect(path)
    import_campaign(con, read_campaign(_demo(tmp_path / "q1", ("2023Q1",), drop=2)))
    con.close()
    monkeypatch.setenv("STARSCORE_DB", str(path))
    return path


def _grid_row(db, unit: str) -> int:
    """The unit's row in the entry grid of the demo's villages of 二坝镇."""
    con = connect(db)
    grid = values_grid(open_campaign(con, CID), "2023Q1", "village", "二坝镇")
    con.close()
    return grid["unit_id"].to_list().index(unit)


def _save(at, db, edits: dict[str, str], unit: str = "JJ109") -> None:
    save_grid(at, _grid_row(db, unit), edits)


def test_q1_is_scored_on_the_save_that_completes_it_and_shown_on_the_boards(q1_open):
    at = open_app("zh", "entry")
    assert at.selectbox(key="en_period").value == "2023Q1"  # the period that is due
    at.selectbox(key="en_category").set_value("village").run()
    at.selectbox(key="en_town").set_value("二坝镇").run()

    _save(at, q1_open, {"delays": "0"})
    said = " ".join(w.value for w in at.warning)
    assert "2023Q1 在所保存单位的街道（镇）仍缺 1 个数值（全区共缺 1 个），该期暂不计分" in said
    assert "2964" not in said  # the year's count is nobody's business here

    _save(at, q1_open, {"veto": "0"})
    assert any("2023Q1 的数值已齐全并已计分" in s.value for s in at.success), [
        m.value for m in (*at.success, *at.warning, *at.info, *at.error)
    ]
    con = connect(q1_open)
    run = latest_run(con, CID)
    assert run is not None
    assert [(p["period"], p["status"]) for p in run.summary["periods"]][:2] == [
        ("2023Q1", "scored"),
        ("2023Q2", "not_started"),
    ]
    ranked = con.execute(
        "SELECT count(*) FROM period_results WHERE run_id = ? AND period = '2023Q1'", [run.run_id]
    ).fetchall()[0][0]
    assert ranked == 109
    for step in ("submit", "approve"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    con.close()

    # published from the approval page, by the dashboard's admin
    at.switch_page("views/workflow.py").run()
    assert at.selectbox(key="wf_period").value == "2023Q1"
    at.selectbox(key="wf_action").set_value("publish").run()
    at.button(key="wf_do").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    con = connect(q1_open)
    assert statuses(con, CID).row(0, named=True)["status"] == "published"
    con.close()

    # the board of Q1: every village ranked, no stars column before the year exists
    at.switch_page("views/leaderboard.py").run()
    assert at.selectbox(key="lb_period").value == "2023Q1"
    at.selectbox(key="lb_category").set_value("village").run()
    board = at.dataframe[0].value
    con = connect(q1_open)
    villages = con.execute("SELECT count(*) FROM units WHERE category = 'village'").fetchall()[0][0]
    con.close()
    assert len(board) == villages and "星级" not in board.columns and "排名" in board.columns
    assert not [w.value for w in at.warning if "改动" in w.value]  # no stale-run warning

    # the public page lists Q1's boards in full
    at.switch_page("views/public.py").run()
    boards = [d.value for d in at.dataframe if "排名" in d.value.columns]
    assert len(boards) == 3 and sum(len(d) for d in boards) == 109  # three categories, every unit


def test_a_file_of_a_final_period_is_refused_at_its_preview(q1_open):
    con = connect(q1_open)
    last = {"unit_id": ["JJ109"] * 2, "period": ["2023Q1"] * 2, "indicator_id": ["delays", "veto"]}
    cells = pl.DataFrame({**last, "value": ["0", "0"], "_row": [1, 2]})
    save_values(open_campaign(con, CID), cells, LOCAL_ADMIN, confirm_note="核实")
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, CID), "2023Q1", step, actor(step))
    move(open_campaign(con, CID), "2023Q1", "finalize", LOCAL_ADMIN, at=now() + timedelta(days=8))
    con.close()
    at = open_app("zh", "entry")
    upload = b"unit_id,period,indicator_id,value\nJJ002,2023Q1,honours,3\n"
    at.get("file_uploader")[0].set_value(("values.csv", upload, "text/csv")).run()
    assert not at.exception
    problems = " ".join(" ".join(map(str, d.value.iloc[:, -1])) for d in at.dataframe)
    assert "2023Q1" in problems and "已定稿" in problems and "不能再导入" in problems
    assert "en_apply" not in [b.key for b in at.button]  # nothing to confirm: no diff was made


def test_data_stored_without_scoring_is_scored_from_the_page(tmp_path, monkeypatch):
    """A folder imported on the command line (not scored): those allowed score it from the page."""
    path = tmp_path / "q1.duckdb"
    con = connect(path)
    import_campaign(con, read_campaign(_demo(tmp_path / "q1", ("2023Q1",))))
    con.close()
    monkeypatch.setenv("STARSCORE_DB", str(path))
    at = open_app("zh", "leaderboard")
    assert any("尚未计分" in w.value for w in at.warning) and not at.dataframe
    at.button(key="app_score").click().run()
    assert not at.exception, at.exception
    assert at.selectbox(key="lb_period").value == "2023Q1" and at.dataframe
    assert "app_score" not in [b.key for b in at.button]  # scored: nothing to score any more


def test_the_stale_warning_is_for_the_period_whose_data_changed(tmp_path, monkeypatch):
    """Q2 changed by an import that was not scored: Q2's board warns, Q1's does not."""
    path = tmp_path / "q12.duckdb"
    folder = _demo(tmp_path / "q12", ("2023Q1", "2023Q2"))
    con = connect(path)
    import_campaign(con, read_campaign(folder))
    from scoring.engine.run import score

    score(con, CID)
    text = (folder / "values.csv").read_text(encoding="utf-8")
    changed = re.sub(r"(?m)^(JJ001,2023Q2,honours,)[^,\n]*", r"\g<1>4", text)
    if changed == text:
        changed = re.sub(r"(?m)^(JJ001,2023Q2,honours,)[^,\n]*", r"\g<1>3", text)
    (folder / "values.csv").write_text(changed, encoding="utf-8")
    import_campaign(con, read_campaign(folder), confirm=True)  # stored, not scored
    con.close()
    monkeypatch.setenv("STARSCORE_DB", str(path))
    at = open_app("zh", "leaderboard")
    assert at.selectbox(key="lb_period").value == "2023Q1"
    assert not [w for w in at.warning if "改动" in w.value]
    at.selectbox(key="lb_period").set_value("2023Q2").run()
    assert [w for w in at.warning if "改动" in w.value]
