"""Trends across campaigns that share unit ids: a unit's rank and stars year by year."""

from __future__ import annotations

from scoring.analysis.profile import trends
from scoring.app.imports import import_campaign
from scoring.engine.run import score
from scoring.ingest.validate import read_campaign
from scoring.store.db import connect
from tests.dashboard.conftest import open_app
from tests.helpers import DEMO, demo_text, write_folder


def _next_year(tmp_path, db):
    """The demo again as a 2024 campaign with JJ002 much better."""
    yaml_text = demo_text("campaign.yaml")
    for a, b in (("jiujiang-2023", "jiujiang-2024"), ("2023年度", "2024年度"), ("year: 2023", "year: 2024")):
        yaml_text = yaml_text.replace(a, b)
    values = demo_text("values.csv")
    values = (
        "\n".join(
            line.replace(",party_building,", ",party_building,").replace(line.split(",")[3], "15")
            if line.startswith("JJ002,") and ",party_building," in line
            else line
            for line in values.splitlines()
        )
        + "\n"
    )
    folder = write_folder(
        tmp_path / "y2024",
        {
            "campaign.yaml": yaml_text,
            "units.csv": (DEMO / "units.csv").read_bytes(),
            "secretaries.csv": (DEMO / "secretaries.csv").read_bytes(),
            "values.csv": values,
        },
    )
    con = connect(db)
    import_campaign(con, read_campaign(folder))
    score(con, "jiujiang-2024")
    return con


def test_trend_lists_each_campaign_in_year_order(demo_copy, tmp_path):
    con = _next_year(tmp_path, demo_copy)
    frame = trends(con, "JJ002")
    con.close()
    assert frame["campaign_id"].to_list() == ["jiujiang-2023", "jiujiang-2024"]
    assert frame["year"].to_list() == [2023, 2024]
    before, after = frame["annual_score"].to_list()
    assert after > before
    assert frame["ranked_units"].to_list()[0] == 38


def test_profile_shows_the_years(db, tmp_path):
    _next_year(tmp_path, db).close()
    at = open_app("en", "profile")
    at.selectbox(key="pf_unit").set_value("JJ002").run()
    at.session_state["pf_tab"] = "Trend"  # the tab the years are on
    at.run()
    assert not at.exception
    assert any(s.value == "Across the years" for s in at.subheader)
