"""A unit's cells come from the run's kept cells when the campaign is small enough to keep,
and from a query of that unit's alone when it is not: the same rows either way."""

from __future__ import annotations

import pytest

from scoring.analysis import derivation
from scoring.core.errors import CampaignError
from scoring.engine.run import latest_run
from scoring.store.db import connect

CID = "jiujiang-2023"


def test_kept_and_queried_cells_agree(demo_copy, monkeypatch):
    con = connect(demo_copy)
    run = latest_run(con, CID)
    asked = [("JJ001", None), ("JJ001", "2023Q3"), ("JJ050", "2023Q1"), ("JJ109", None)]
    kept = [derivation.unit_cells(con, run, u, p) for u, p in asked]
    assert run.run_id in derivation._RUN_CELLS
    monkeypatch.setattr(derivation, "KEPT_CELLS", 0)  # as a province: never kept
    monkeypatch.setattr(derivation, "_RUN_CELLS", type(derivation._RUN_CELLS)())
    queried = [derivation.unit_cells(con, run, u, p) for u, p in asked]
    assert not derivation._RUN_CELLS
    for (u, p), a, b in zip(asked, kept, queried, strict=True):
        assert a.height == (96 if p is None else 24), (u, p)
        assert a.equals(b), (u, p)
    con.close()


def test_a_run_the_data_moved_on_from_is_refused_before_it_is_kept(demo_copy, monkeypatch):
    monkeypatch.setattr(derivation, "_RUN_CELLS", type(derivation._RUN_CELLS)())
    con = connect(demo_copy)
    run = latest_run(con, CID)
    con.execute("UPDATE value_cells SET value = value + 1 WHERE rowid = (SELECT min(rowid) FROM value_cells)")
    con.execute("UPDATE campaigns SET data_hash = NULL, data_digest = NULL")
    with pytest.raises(CampaignError) as caught:
        derivation.unit_cells(con, run, "JJ001", "2023Q1")
    assert caught.value.problems[0].code == "run_stale"
    con.close()
