"""The grid's stale-edit check uses the values shown when the edit began: another user's change
made before Save is never silently overwritten; after a refresh the new value shows."""

from __future__ import annotations

import polars as pl

from scoring.entry import save_values
from scoring.integrity.access import LOCAL_ADMIN
from scoring.store.db import connect
from tests.dashboard.conftest import open_app


def _value(db, unit: str, period: str, indicator: str):
    con = connect(db)
    row = con.execute(
        "SELECT value FROM indicator_values WHERE unit_id = ? AND period = ? AND indicator_id = ?",
        [unit, period, indicator],
    ).fetchall()
    con.close()
    return row[0][0]


def test_a_change_made_by_someone_else_before_save_is_not_overwritten(db):
    at = open_app("en", "entry")
    at.selectbox(key="en_period").set_value("2023Q4").run()
    at.selectbox(key="en_category").set_value("urban").run()
    shown = at.dataframe[-1].value if False else None  # the grid is a data editor, read below
    del shown
    # another user (the command line) changes JJ002's honours while this page is open
    con = connect(db)
    change = pl.DataFrame(
        {"unit_id": ["JJ002"], "period": ["2023Q4"], "indicator_id": ["honours"], "value": ["4"], "_row": [1]}
    )
    save_values(con, "jiujiang-2023", change, LOCAL_ADMIN, confirm_note="核实")
    con.close()
    at.session_state["en_grid"] = {"edited_rows": {1: {"honours": "3"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="en_save").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error) + " ".join(
        " ".join(map(str, d.value.get("Problem", []))) for d in at.dataframe if "Problem" in d.value.columns
    )
    assert "reload before editing" in errors
    assert _value(db, "JJ002", "2023Q4", "honours") == 4  # the other user's value stands
    # a refresh shows the current value, and an edit from there is saved
    at.button(key="en_refresh").click().run()
    at.session_state["en_grid"] = {"edited_rows": {1: {"honours": "3"}}, "added_rows": [], "deleted_rows": []}
    at.button(key="en_save").click().run()
    if at.button(key="en_confirm") and any("far from" in w.value for w in at.warning):
        at.text_input(key="en_confirm_note").input("核实").run()
        at.button(key="en_confirm").click().run()
    assert _value(db, "JJ002", "2023Q4", "honours") == 3
