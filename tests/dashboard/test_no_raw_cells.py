"""Every table on every page of a campaign in the middle of its year holds no empty (null)
cell: the browser draws one as a grey "None", an English word on a Chinese page. The pages
are opened as the admin of an open-mode database, who sees them all."""

from __future__ import annotations

import pytest

from scoring.store.db import connect
from tests.dashboard.conftest import PAGES, every_tab, open_app
from tests.dashboard.midyear import build_midyear


@pytest.fixture(scope="module")
def midyear_db(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("midyear")
    path = build_midyear(tmp / "campaign", tmp / "mid.duckdb")
    held = connect(path)  # the pages' openings join this instance (tests.dashboard.conftest.db)
    yield path
    held.close()


@pytest.mark.parametrize("page", [p for p in PAGES if p not in ("campaigns", "users")])
def test_no_table_shows_a_raw_empty_cell(midyear_db, monkeypatch, page):
    monkeypatch.setenv("STARSCORE_DB", str(midyear_db))
    raw = {}
    for n, at in enumerate(every_tab(open_app("zh", page), page)):
        for k, frame in enumerate(d.value for d in at.dataframe):
            empty = [c for c in frame.columns if frame[c].isna().any()]
            if empty:
                raw[n, k] = empty
    assert not raw, raw
