"""The store: values kept by integer keys, read back by their ids; campaigns side by side;
a database written before the keys is moved over when opened."""

from __future__ import annotations

import io
import shutil
from pathlib import Path
from unittest.mock import ANY

import polars as pl

from scoring.app.imports import import_campaign
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.store.fingerprint import data_hash, forget_data_hash, stored_hash
from tests.helpers import DEMO, demo_text

CID = "jiujiang-2023"
VALUE_COLS = "campaign_id, unit_id, period, indicator_id, value, entered_by, note, entered_at"


def stored_values(con) -> pl.DataFrame:
    return con.sql(f"SELECT {VALUE_COLS} FROM indicator_values ORDER BY ALL").pl()


def other_campaign(tmp_path: Path, drop_units: int) -> Path:
    """The demo under another id, with its last ``drop_units`` units (and their values) left out."""
    folder = tmp_path / "other"
    shutil.copytree(DEMO, folder)
    yaml = folder / "campaign.yaml"
    yaml.write_text(
        yaml.read_text(encoding="utf-8").replace(f"id: {CID}", "id: other-2023"), encoding="utf-8"
    )
    units = pl.read_csv(folder / "units.csv", infer_schema=False)
    keep = units.head(units.height - drop_units)
    keep.write_csv(folder / "units.csv")
    for name in ("values.csv", "secretaries.csv", "surveys.csv"):
        frame = pl.read_csv(folder / name, infer_schema=False)
        frame.filter(pl.col("unit_id").is_in(keep["unit_id"].implode())).write_csv(folder / name)
    return folder


def test_values_read_back_with_who_entered_them_and_their_notes(demo_copy):
    con = connect(demo_copy)
    got = con.sql(
        "SELECT unit_id, period, indicator_id, CAST(value AS DOUBLE) AS value, entered_by, note "
        "FROM indicator_values ORDER BY ALL"
    ).pl()
    src = (
        pl.read_csv(io.StringIO(demo_text("values.csv")), infer_schema=False)
        .filter(pl.col("value").is_not_null())
        .select(
            "unit_id",
            "period",
            "indicator_id",
            pl.col("value").cast(pl.Float64),
            "entered_by",
            "note",
        )
        .sort(pl.all())
    )
    assert got.height == src.height > 10_000
    assert got.equals(src)
    assert got["note"].drop_nulls().n_unique() >= 1  # the demo's veto notes are kept
    # who and when are kept once per (who, note), not per value
    entries = con.execute("SELECT count(*) FROM value_entries").fetchall()[0][0]
    assert 0 < entries < 20


def test_campaigns_share_the_file_without_touching_each_other(demo_copy, tmp_path):
    con = connect(demo_copy)
    demo_before = stored_values(con)
    demo_hash = data_hash(con, CID)
    other = read_campaign(other_campaign(tmp_path, drop_units=9))
    import_campaign(con, other)
    per = dict(con.execute("SELECT campaign_id, count(*) FROM indicator_values GROUP BY ALL").fetchall())
    assert per[CID] == demo_before.height
    assert per["other-2023"] == other.values.height < demo_before.height
    # re-importing the demo replaces its cells only; unit numbers restart at 1 in each campaign
    import_campaign(con, read_campaign(DEMO), reason="again")
    assert (
        stored_values(con)
        .filter(pl.col("campaign_id") == CID)
        .drop("entered_at")
        .equals(demo_before.drop("entered_at"))
    )
    assert (
        con.execute("SELECT count(*) FROM indicator_values WHERE campaign_id = 'other-2023'").fetchall()[0][0]
        == other.values.height
    )
    assert data_hash(con, CID) == demo_hash
    assert score(con, "other-2023").summary["campaign_id"] == "other-2023"
    con.close()


def test_a_database_from_before_the_integer_keys_is_moved_over(demo_copy):
    con = connect(demo_copy)
    before = stored_values(con)
    run = score(con, CID)
    # the layout of earlier versions: one table of values by their ids
    con.execute("CREATE TABLE old_values AS SELECT * FROM indicator_values")
    con.execute("DROP VIEW indicator_values")
    con.execute("DROP TABLE value_cells")
    con.execute("DROP TABLE value_entries")
    con.execute("ALTER TABLE units DROP COLUMN unit_no")
    con.execute("ALTER TABLE campaigns DROP COLUMN key_no")
    con.execute("ALTER TABLE old_values RENAME TO indicator_values")
    con.execute("DELETE FROM meta WHERE key = 'schema_text'")  # earlier versions never wrote it
    con.close()

    con = connect(demo_copy)
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'indicator_values'"
    ).fetchall()
    assert kind == [("VIEW",)]
    assert stored_values(con).equals(before)
    kept = data_hash(con, CID)
    forget_data_hash(con, CID)
    assert data_hash(con, CID) == kept  # recomputed from the moved values
    assert score(con, CID).run_id == run.run_id
    con.close()
    con = connect(demo_copy)  # opening again changes nothing
    assert stored_values(con).equals(before)
    con.close()


def test_a_database_with_smallint_keys_keeps_working(demo_copy):
    """Databases made before the keys were INTEGER keep their SMALLINT period and indicator
    numbers: values read back, re-import and score as in a new database."""
    con = connect(demo_copy)
    before = stored_values(con)
    run = score(con, CID)
    con.execute("DROP VIEW indicator_values")
    con.execute(
        "CREATE TABLE old_cells (campaign_key INTEGER NOT NULL, unit_no INTEGER NOT NULL, "
        "period_no SMALLINT NOT NULL, indicator_no SMALLINT NOT NULL, "
        "value DECIMAL(38,9) NOT NULL, entry_no BIGINT NOT NULL)"
    )
    con.execute("INSERT INTO old_cells SELECT * FROM value_cells")
    con.execute("DROP TABLE value_cells")
    con.execute("ALTER TABLE old_cells RENAME TO value_cells")
    con.execute("DELETE FROM meta WHERE key = 'schema_text'")  # earlier versions never wrote it
    con.close()

    con = connect(demo_copy)
    types = dict(
        con.execute(
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'value_cells'"
        ).fetchall()
    )
    assert types["period_no"] == types["indicator_no"] == "SMALLINT"
    assert stored_values(con).equals(before)
    import_campaign(con, read_campaign(DEMO), reason="again")
    assert stored_values(con).drop("entered_at").equals(before.drop("entered_at"))
    again = score(con, CID)
    assert again.run_id == run.run_id
    con.execute("DELETE FROM runs WHERE run_id = ?", [run.run_id])  # computed afresh
    assert score(con, CID).summary == {**again.summary, "computed_at": ANY}
    con.close()


def test_a_reimport_without_a_unit_logs_each_of_its_values_by_id(demo_copy, tmp_path):
    from scoring.store.trail import history

    con = connect(demo_copy)
    folder = other_campaign(tmp_path, drop_units=0)
    import_campaign(con, read_campaign(folder))
    units = pl.read_csv(folder / "units.csv", infer_schema=False)
    gone = units["unit_id"][3]  # a unit in the middle: every later unit's number shifts
    held = con.sql(
        f"SELECT period, indicator_id, value FROM indicator_values WHERE campaign_id = 'other-2023' "
        f"AND unit_id = '{gone}' ORDER BY ALL"
    ).pl()
    kept = stored_values(con).filter((pl.col("campaign_id") == "other-2023") & (pl.col("unit_id") != gone))
    units.filter(pl.col("unit_id") != gone).write_csv(folder / "units.csv")
    for name in ("values.csv", "secretaries.csv", "surveys.csv"):
        frame = pl.read_csv(folder / name, infer_schema=False)
        frame.filter(pl.col("unit_id") != gone).write_csv(folder / name)
    import_campaign(con, read_campaign(folder), who="李科员")
    log = history(con, "other-2023", limit=100_000).filter(
        ~pl.col("action").is_in(["import", "import_period"])
    )
    # the unit's removal is master data, audited beside its values (scoring.app.master)
    assert log.filter(pl.col("action") == "unit_remove")["unit_id"].to_list() == [gone]
    log = log.filter(pl.col("action") != "unit_remove")
    assert set(log["action"]) == {"delete"} and set(log["unit_id"]) == {gone}
    assert (
        log.select("period", "indicator_id", pl.col("old_value").alias("value")).sort(pl.all()).equals(held)
    )
    # the units after it kept their values under their new numbers
    after = stored_values(con).filter(pl.col("campaign_id") == "other-2023")
    assert after.drop("entered_at").equals(kept.drop("entered_at"))
    con.close()


def test_a_save_moves_the_kept_fingerprint_to_that_of_the_stored_tables(demo_copy):
    from scoring.accounts.access import LOCAL_ADMIN
    from scoring.app.entry import save_values
    from scoring.core.money import plain

    con = connect(demo_copy)
    before = data_hash(con, CID)
    cells = pl.DataFrame(
        {
            "unit_id": ["JJ001", "JJ002", "JJ003", "JJ004"],
            "period": ["2023Q1", "2023Q2", "2023Q3", "2023Q4"],
            "indicator_id": ["honours", "honours", "party_building", "honours"],
            "_row": [2, 3, 4, 5],
        }
    )
    con.register("_cells", cells)
    stored = con.sql(
        "SELECT c.unit_id, c.period, c.indicator_id, v.value FROM _cells c JOIN indicator_values v "
        "USING (unit_id, period, indicator_id) ORDER BY c._row"
    ).pl()
    assert stored.height == 4
    # two changes, a cleared cell, and one value entered again as it was
    changes = cells.with_columns(pl.Series("value", ["2", "1.5", "", plain(stored["value"][3])]))
    save_values(open_campaign(con, CID), changes, LOCAL_ADMIN, reason="test", confirm_note="ok")
    kept = con.execute(
        "SELECT data_hash, data_digest FROM campaigns WHERE campaign_id = ?", [CID]
    ).fetchall()[0]
    assert kept[0] and kept[1]  # moved along, not dropped
    assert kept[0] != before
    assert kept[0] == stored_hash(con, CID)  # the same as reading every stored row again
    # the original values back: the original fingerprint
    back = cells.with_columns(pl.Series("value", [plain(v) for v in stored["value"]]))
    save_values(open_campaign(con, CID), back, LOCAL_ADMIN, reason="test", confirm_note="ok")
    assert data_hash(con, CID) == before == stored_hash(con, CID)
    con.close()


def test_the_schema_is_built_once_per_schema_text(tmp_path):
    """Opening a file built from this schema text runs none of it again (an open is a few
    milliseconds); a file without the note, as every earlier version left it, is built."""
    from scoring.store.db import SCHEMA_TEXT

    con = connect(tmp_path / "s.duckdb")
    assert con.execute("SELECT value FROM meta WHERE key = 'schema_text'").fetchall() == [(SCHEMA_TEXT,)]
    con.execute("DROP TABLE lock_exceptions")
    con.close()
    con = connect(tmp_path / "s.duckdb")  # noted as built: not run again
    assert not con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'lock_exceptions'").fetchall()
    con.execute("DELETE FROM meta WHERE key = 'schema_text'")
    con.close()
    con = connect(tmp_path / "s.duckdb")  # not noted: built again
    assert con.execute("SELECT 1 FROM duckdb_tables() WHERE table_name = 'lock_exceptions'").fetchall()
    con.close()
