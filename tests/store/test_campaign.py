"""A campaign's rules are parsed once per version: an import that holds its rules, a score and
every save after it parse nothing again, and a changed text is read again, never a stale parse."""

from __future__ import annotations

import json

import polars as pl
import pytest

from scoring.accounts.access import LOCAL_ADMIN
from scoring.app.entry import save_values
from scoring.app.imports import import_campaign
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.rules import model
from scoring.store.campaign import load_rules_from_db, open_campaign
from scoring.store.db import connect
from tests.helpers import DEMO


@pytest.fixture
def parses(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    count = [0]
    real = model.Rules.model_validate.__func__  # type: ignore[attr-defined]

    def counting(cls, *args, **kwargs):  # type: ignore[no-untyped-def]
        count[0] += 1
        return real(cls, *args, **kwargs)

    monkeypatch.setattr(model.Rules, "model_validate", classmethod(counting))
    return count


def test_rules_are_parsed_once_per_version(tmp_path, parses):
    con = connect(tmp_path / "a.duckdb")
    data = read_campaign(DEMO)
    assert parses[0] == 1  # the folder's own rules
    import_campaign(con, data)
    score(con, data.rules.id)
    change = pl.DataFrame(
        {"unit_id": ["JJ001"], "period": ["2023Q1"], "indicator_id": ["honours"], "value": ["3"], "_row": [1]}
    )
    save_values(open_campaign(con, data.rules.id), change, LOCAL_ADMIN, confirm_note="x")
    assert parses[0] == 1
    campaign = open_campaign(con, data.rules.id)
    assert campaign.rules is load_rules_from_db(con, data.rules.id) and campaign.zone == "Asia/Shanghai"
    # the stored text changed (here around the product): read again, not the kept parse
    stored = json.loads(con.execute("SELECT rules_json FROM campaigns").fetchall()[0][0])
    stored["campaign"]["name"] = "改名后的活动"
    con.execute("UPDATE campaigns SET rules_json = ?", [json.dumps(stored)])
    assert load_rules_from_db(con, data.rules.id).campaign.name == "改名后的活动"
    assert parses[0] == 2
    con.close()
