"""The grid's stale-edit check uses the values shown when the edit began: another user's change
made before Save is never silently overwritten; after a refresh the new value shows."""

from __future__ import annotations

import polars as pl

from scoring.accounts.access import LOCAL_ADMIN
from scoring.app.entry import save_values
from scoring.store.campaign import open_campaign
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
    # another user (the command line) changes JJ002's honours while this page is open
    con = connect(db)
    change = pl.DataFrame(
        {"unit_id": ["JJ002"], "period": ["2023Q4"], "indicator_id": ["honours"], "value": ["4"], "_row": [1]}
    )
    save_values(open_campaign(con, "jiujiang-2023"), change, LOCAL_ADMIN, confirm_note="核实")
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
    if "en_flagged" in at.session_state:  # an outlier against its history: confirmed
        at.text_input(key="en_confirm_note").input("核实").run()
        at.button(key="en_confirm").click().run()
    assert _value(db, "JJ002", "2023Q4", "honours") == 3


def test_an_uploaded_outlier_asks_for_the_same_confirmation_as_the_grid(db):
    at = open_app("en", "entry")
    at.selectbox(key="en_period").set_value("2023Q4").run()
    upload = b"unit_id,period,indicator_id,value\nJJ002,2023Q4,party_building,0\n"
    at.get("file_uploader")[0].set_value(("values.csv", upload, "text/csv")).run()
    before = _value(db, "JJ002", "2023Q4", "party_building")
    at.button(key="en_apply").click().run()
    assert not at.exception
    assert "en_flagged" in at.session_state  # not saved: a confirming comment is asked for
    assert _value(db, "JJ002", "2023Q4", "party_building") == before
    at.text_input(key="en_confirm_note").input("核实无误").run()
    at.button(key="en_confirm").click().run()
    assert _value(db, "JJ002", "2023Q4", "party_building") == 0


def test_a_page_says_when_its_run_is_not_the_data_s_any_more(db):
    con = connect(db)
    con.execute(  # a value changed behind the product's back: the kept fingerprint is dropped
        "UPDATE campaigns SET data_hash = NULL, data_digest = NULL WHERE campaign_id = 'jiujiang-2023'"
    )
    con.execute("UPDATE value_cells SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM value_cells)")
    con.close()
    at = open_app("en", "payouts")
    assert any("the data changed after this run" in w.value for w in at.warning)


def test_names_are_shown_as_plain_text(db):
    con = connect(db)
    con.execute(
        "UPDATE units SET name = '![t](http://127.0.0.1:8529/x.png) :red[红]' WHERE unit_id = 'JJ002'"
    )
    con.close()
    at = open_app("en", "profile")
    at.selectbox(key="pf_unit").set_value("JJ002").run()
    heading = next(h.value for h in at.subheader if "8529" in h.value)
    assert heading.startswith("\\!\\[t\\]\\(http\\:") and "\\:red\\[" in heading


def test_a_campaign_name_and_a_user_name_are_text_on_every_message(db):
    """Markdown in a campaign's name (an image from an address of its choosing) reaches the
    public page's caption, the rules page and every message only as text."""
    con = connect(db)
    name = "![t](http://127.0.0.1:8529/x.png) **粗** :red[红]"
    con.execute("UPDATE campaigns SET name = ?", [name])
    rules = con.execute("SELECT rules_json FROM campaigns").fetchall()[0][0]
    con.execute("UPDATE campaigns SET rules_json = ?", [rules.replace("鸠江区", name, 1)])
    con.close()
    for page in ("public", "rules"):
        at = open_app("zh", page)
        texts = [e.value for e in (*at.caption, *at.markdown, *at.info) if "8529" in e.value]
        assert texts, page
        for text in texts:  # every markdown character escaped: drawn as itself, nothing fetched
            assert "![t](" not in text and "\\!\\[t\\]\\(http\\:" in text and "\\*\\*粗" in text, text
