"""The command line's progress bar: within a long stage the time keeps counting and the running
query's progress shows, so a national import never looks stuck."""

from __future__ import annotations

import io
import sys
import time

import duckdb

from scoring.cli.support import Stages


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class _Query:
    """A connection whose running query moves 10 points a call, from where an earlier one ended."""

    def __init__(self) -> None:
        self.done = 23.0  # the last query's figure, which DuckDB keeps reporting

    def query_progress(self) -> float:
        return self.done


def test_a_long_stage_shows_the_query_s_progress_and_the_time(monkeypatch):
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(Stages, "TICK", 0.05)
    query = _Query()
    stages = Stages("en", 2)
    stages.watch(query)
    stages.start(0, "stage.store")
    time.sleep(0.3)
    assert "23%" not in screen.getvalue()  # a finished query's figure is not shown
    query.done = 41.0
    time.sleep(0.3)
    stages.close()
    drawn = screen.getvalue()
    assert "writing to the database" in drawn and "41%" in drawn


def test_a_closed_connection_shows_no_percentage(monkeypatch):
    screen = _Terminal()
    monkeypatch.setattr(sys, "stderr", screen)
    monkeypatch.setattr(Stages, "TICK", 0.05)
    con = duckdb.connect()
    stages = Stages("en", 1)
    stages.watch(con)
    con.close()
    stages.start(0, "stage.points")
    time.sleep(0.3)
    stages.close()
    assert "%" not in screen.getvalue()


def test_no_terminal_no_bar_and_no_thread(monkeypatch, capsys):
    stages = Stages("en", 1)
    stages.watch(_Query())
    stages.start(0, "stage.points")
    stages.close()
    assert stages._ticker is None
    assert "points and period scores" in capsys.readouterr().err
