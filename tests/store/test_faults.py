"""Faults and many users on one database file: concurrent writers, a busy file, a killed
import, stale edits."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import polars as pl
import pytest

from scoring.accounts.access import User
from scoring.app.entry import grid_changes, save_values, values_grid
from scoring.core.errors import CampaignError
from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from tests.helpers import DEMO, REPO, demo_text, run_cli, write_folder

CID = "jiujiang-2023"
CLI = [sys.executable, "-m", "scoring"]


def value(db: Path, unit: str, period: str, indicator: str) -> str | None:
    con = connect(db)
    rows = con.execute(
        "SELECT CAST(value AS DOUBLE) FROM indicator_values WHERE unit_id = ? "
        "AND period = ? AND indicator_id = ?",
        [unit, period, indicator],
    ).fetchall()
    con.close()
    return None if not rows else f"{rows[0][0]:g}"


def one(unit: str, indicator: str, v: str) -> pl.DataFrame:
    return pl.DataFrame(
        {"unit_id": [unit], "period": ["2023Q2"], "indicator_id": [indicator], "value": [v], "_row": [1]}
    )


def test_two_sessions_saving_at_once_both_land(demo_copy):
    """Two dashboard sessions (threads of one process, a connection each) save together."""
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def save(unit: str, v: str) -> None:
        con = connect(demo_copy)
        try:
            barrier.wait()
            save_values(
                open_campaign(con, CID), one(unit, "honours", v), User(unit, "evaluator"), confirm_note="ok"
            )
        except BaseException as exc:
            errors.append(exc)
        finally:
            con.close()

    threads = [threading.Thread(target=save, args=a) for a in (("JJ001", "4"), ("JJ002", "3"))]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert not errors, errors
    assert value(demo_copy, "JJ001", "2023Q2", "honours") == "4"
    assert value(demo_copy, "JJ002", "2023Q2", "honours") == "3"


def test_two_processes_writing_at_once_both_land(demo_copy):
    """Two command-line writers: the second waits for the file, then writes."""
    procs = [
        subprocess.Popen(
            [
                *CLI,
                "set",
                "--campaign",
                CID,
                "--unit",
                unit,
                "--period",
                "2023Q2",
                "--indicator",
                "honours",
                "--value",
                v,
                "--confirm",
                "ok",
                "--db",
                str(demo_copy),
                "--wait",
                "60",
            ],
            cwd=REPO,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for unit, v in (("JJ003", "4"), ("JJ004", "3"))
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], outs
    assert value(demo_copy, "JJ003", "2023Q2", "honours") == "4"
    assert value(demo_copy, "JJ004", "2023Q2", "honours") == "3"


HOLD = (
    "import sys, time, duckdb; con = duckdb.connect(sys.argv[1]); print('held', flush=True);"
    " time.sleep(float(sys.argv[2]))"
)


def _hold(db: Path, seconds: float) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db), str(seconds)], stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


def test_busy_file_waits_then_fails_clearly(demo_copy, capsys):
    holder = _hold(demo_copy, 8)
    try:
        started = time.monotonic()
        rc, _, err = run_cli(capsys, "import", DEMO, "--db", demo_copy, "--wait", "1", "--lang", "en")
        assert rc == 1 and time.monotonic() - started >= 1
        assert "held by another writer" in err and "Traceback" not in err
        assert "busy with another writer; waiting up to 1.0 s" in err
    finally:
        holder.kill()
        holder.wait()


def test_busy_file_waits_for_the_writer_to_finish(demo_copy, capsys):
    holder = _hold(demo_copy, 2)
    rc, out, err = run_cli(capsys, "import", DEMO, "--db", demo_copy, "--wait", "30", "--lang", "en")
    holder.wait()
    assert rc == 0, err
    assert "imported campaign" in out


def test_dashboard_reads_do_not_block_a_command_line_import(demo_copy, capsys, tmp_path):
    """The dashboard opens the file per piece of work: an import gets its turn."""
    stop = tmp_path / "stop"
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            (
                "import os, sys, time\n"
                "from scoring.store.db import connect\n"
                "end = time.monotonic() + 60\n"
                "while time.monotonic() < end and not os.path.exists(sys.argv[2]):\n"
                "    con = connect(sys.argv[1], wait_seconds=30)\n"
                "    con.execute('SELECT count(*) FROM annual_results').fetchall()\n"
                "    con.close()\n"
                "    time.sleep(0.05)\n"
            ),
            str(demo_copy),
            str(stop),
        ],
        cwd=REPO,
    )
    try:
        time.sleep(0.5)
        rc, _, err = run_cli(capsys, "import", DEMO, "--db", demo_copy, "--wait", "30")
        assert rc == 0, err
        assert reader.poll() is None  # it was still reading while the import went through
    finally:
        stop.touch()  # the reader stops once the import is done
        reader.wait(timeout=60)
    assert reader.returncode == 0


def _big_campaign(folder: Path, units: int) -> Path:
    """The demo's rules with many more units (values synthesised by polars)."""
    write_folder(folder, {"campaign.yaml": demo_text("campaign.yaml").encode()})
    ids = [f"B{k:06d}" for k in range(units)]
    pl.DataFrame(
        {
            "unit_id": ids,
            "name": ids,
            "category": ["urban"] * units,
            "secretary_id": ids,
            "secretary_name": ids,
        }
    ).write_csv(folder / "units.csv")
    grid = (
        pl.DataFrame({"unit_id": ids})
        .join(pl.DataFrame({"period": [f"2023Q{q}" for q in range(1, 5)]}), how="cross")
        .join(
            pl.DataFrame(
                {
                    "indicator_id": [
                        "party_building",
                        "secretary_lead",
                        "member_role",
                        "grid_staffing",
                        "training",
                        "satisfaction",
                        "hotline",
                        "volunteers",
                        "property",
                        "veto",
                    ]
                }
            ),
            how="cross",
        )
    )
    grid.with_columns(
        pl.when(pl.col("indicator_id") == "veto").then(pl.lit("0")).otherwise(pl.lit("3")).alias("value")
    ).write_csv(folder / "values.csv")
    return folder


def test_import_killed_midway_leaves_the_last_good_state(demo_copy, tmp_path):
    con = connect(demo_copy)
    before = con.execute("SELECT count(*), sum(value) FROM indicator_values").fetchall()
    con.close()
    big = _big_campaign(tmp_path / "big", 40_000)
    yaml_text = (big / "campaign.yaml").read_text(encoding="utf-8")
    (big / "campaign.yaml").write_text(yaml_text.replace("missing: error", "missing: zero"), encoding="utf-8")
    proc = subprocess.Popen(
        [*CLI, "import", str(big), "--db", str(demo_copy), "--lang", "en"],
        cwd=REPO,
        stderr=subprocess.PIPE,
        stdout=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:
        if "writing to the database" in line:
            break
    time.sleep(0.3)
    assert proc.poll() is None, "the import finished before it could be killed"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    con = connect(demo_copy)
    after = con.execute("SELECT count(*), sum(value) FROM indicator_values").fetchall()
    campaigns = con.execute("SELECT campaign_id FROM campaigns ORDER BY 1").fetchall()
    con.close()
    assert after == before
    assert campaigns == [(CID,)]


def test_stale_edit_is_refused_naming_who(demo_copy):
    con = connect(demo_copy)
    mine = values_grid(open_campaign(con, CID), "2023Q2", "urban")  # loaded by 王评
    save_values(
        open_campaign(con, CID), one("JJ001", "honours", "4"), User("李评", "evaluator"), confirm_note="ok"
    )
    edited = mine.with_columns(
        pl.when(pl.col("unit_id") == "JJ001").then(pl.lit("2")).otherwise(pl.col("honours")).alias("honours")
    )
    with pytest.raises(CampaignError) as info:
        save_values(
            open_campaign(con, CID),
            grid_changes(mine, edited, "2023Q2"),
            User("王评", "evaluator"),
            confirm_note="ok",
        )
    con.close()
    (problem,) = info.value.problems
    assert problem.code == "stale_edit" and problem.params["who"] == "李评"
    assert "李评 changed unit JJ001 / honours to 4" in problem.message("en")
    assert value(demo_copy, "JJ001", "2023Q2", "honours") == "4"
