"""Every page through streamlit's AppTest, in both languages, against the demo database."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from dashboard.i18n import LABELS
from scoring.store.campaign import open_campaign
from tests.dashboard.conftest import PAGES, every_tab, open_app
from tests.helpers import DEMO, actor, demo_text, shown


@pytest.mark.parametrize("page", list(PAGES))
def test_page_renders(db, page):
    """Every page in Chinese, then in English in the same session (the language switched)."""
    at = open_app("zh", page)
    for _ in every_tab(at, page):
        assert [t.value for t in at.title] == [LABELS[PAGES[page]]["zh"]]
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    for _ in every_tab(at, page, "en"):
        assert [t.value for t in at.title] == [LABELS[PAGES[page]]["en"]]


def test_leaderboard_has_every_unit_across_categories(db):
    at = open_app("zh", "leaderboard")
    total = 0
    for category in ("urban", "agri", "village"):
        at.selectbox(key="lb_category").set_value(category).run()
        at.selectbox(key="lb_period").set_value(None).run()
        frame = at.dataframe[0].value
        total += len(frame)
        # a place for each unit, or a dash and the veto mark (never an empty "None" cell)
        assert frame["排名"].notna().all()
        assert (frame["排名"] != "—").sum() + (frame["否决"] != "").sum() == len(frame)
    assert total == 109
    charts = at.get("plotly_chart")
    import json

    spec = json.loads(charts[0].proto.spec)
    assert len(charts) == 2 and spec["layout"]["title"]["text"] == "得分与星级线"
    assert len(spec["layout"]["shapes"]) == 5  # one line per star threshold


def test_leaderboard_window_view(db):
    at = open_app("en", "leaderboard")
    at.radio(key="lb_view").set_value("window").run()
    at.text_input(key="lb_search").input("JJ04").run()
    at.selectbox(key="lb_focus").set_value("JJ040").run()
    frame = at.dataframe[0].value
    frame = getattr(frame, "data", frame)  # a highlighted table arrives as a Styler
    assert "JJ040" in frame["Id"].tolist() and len(frame) <= 21
    # the unit looked for is marked (and highlighted); no other row is
    marked = frame[frame["Unit"].str.startswith("▶ ")]
    assert marked["Id"].tolist() == ["JJ040"]


def _unit_score(db: Path, unit: str) -> Decimal:
    con = duckdb.connect(str(db))
    row = con.execute(
        """SELECT a.annual_score FROM annual_results a JOIN runs r USING (run_id)
                         WHERE a.unit_id = ? ORDER BY r.computed_at DESC LIMIT 1""",
        [unit],
    ).fetchall()
    con.close()
    return row[0][0]


def test_saving_a_value_changes_the_leaderboard(db):
    at = open_app("en", "entry")
    at.selectbox(key="en_period").set_value("2023Q4").run()
    at.selectbox(key="en_category").set_value("urban").run()
    before = _unit_score(db, "JJ002")
    at.session_state["en_grid"] = {
        "edited_rows": {1: {"party_building": "0"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="en_save").click().run()
    assert not at.exception
    # 0 is far below the category and the unit's history: a confirming comment is asked for
    assert any("far from their category" in w.value for w in at.warning)
    assert _unit_score(db, "JJ002") == before  # nothing saved yet
    at.text_input(key="en_confirm_note").input("核实无误").run()
    at.button(key="en_confirm").click().run()
    assert any("Saved 1 values" in s.value for s in at.success), [e.value for e in at.error]
    after = _unit_score(db, "JJ002")
    assert after < before
    lb = open_app("en", "leaderboard")
    lb.selectbox(key="lb_category").set_value("urban").run()
    lb.selectbox(key="lb_period").set_value(None).run()
    frame = lb.dataframe[0].value
    shown = frame.loc[frame["Id"] == "JJ002", "Score"].iloc[0]
    assert Decimal(str(shown)).quantize(Decimal("0.01")) == after


def test_bad_value_is_refused_and_nothing_saved(db):
    at = open_app("en", "entry")
    at.selectbox(key="en_period").set_value("2023Q1").run()
    at.selectbox(key="en_category").set_value("urban").run()
    before = _unit_score(db, "JJ001")
    at.session_state["en_grid"] = {
        "edited_rows": {0: {"party_building": "abc", "satisfaction": "101"}, 1: {"party_building": "3"}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.button(key="en_save").click().run()
    assert any("nothing was saved" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    # named by the cell a person sees: the unit (name and id) and the indicator's name
    assert set(problems["Column"]) == {"党建引领", "群众满意度"}
    assert set(problems["File"]) == {"山旺社区（JJ001）"}
    assert "'abc' is not a number" in " ".join(problems["Problem"])
    assert _unit_score(db, "JJ001") == before
    con = duckdb.connect(str(db))
    value = con.execute(
        "SELECT value FROM indicator_values WHERE period = '2023Q1' "
        "AND unit_id = 'JJ002' AND indicator_id = 'party_building'"
    ).fetchall()
    assert value[0][0] != 3  # the valid edit in the same save was not written either
    con.close()


def test_payouts_page_reconciles_to_summary(db):
    at = open_app("en", "payouts")
    metrics = {m.label: m.value for m in at.metric}
    # the factor as a number (the exact 1600/1643 on hover)
    assert metrics["Total paid"] == "11,991,000" and metrics["Scale factor"] == "0.973828"
    assert any("= 11,991,000 yuan" in i.value for i in at.info)


def test_rules_page_reads_like_rules(db):
    at = open_app("zh", "rules")
    text = " ".join(m.value for m in at.markdown)
    assert "5 星：年度得分 ≥ 88" in text and "10%" in text
    assert "2023Q1、2023Q2、2023Q3、2023Q4" in text


def test_rules_page_in_english_joins_with_commas(db):
    at = open_app("en", "rules")
    assert "2023Q1, 2023Q2, 2023Q3, 2023Q4" in " ".join(m.value for m in at.markdown)
    indicators = at.dataframe[1].value
    tiers = indicators.loc[indicators["Id"] == "service_area"].iloc[0, 3]
    assert "; " in tiers and "；" not in tiers, tiers


def test_campaign_import_from_zip(db):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for f in ("units.csv", "values.csv", "secretaries.csv", "surveys.csv"):
            z.write(DEMO / f, f"demo/{f}")
        text = (DEMO / "campaign.yaml").read_text(encoding="utf-8")
        z.writestr("demo/campaign.yaml", text.replace("id: jiujiang-2023", "id: copy-2023"))
    at = open_app("en", "campaigns")
    at.get("file_uploader")[0].set_value([("demo.zip", buf.getvalue(), "application/zip")]).run()
    at.button(key="ca_import").click().run()
    assert not at.exception
    assert any("copy-2023" in shown(s.value) for s in at.success), [e.value for e in at.error]
    listed = at.dataframe[-1].value  # the list already has it, not one action behind
    assert "copy-2023" in set(listed.iloc[:, 0])
    at.button(key="ca_switch").click().run()
    assert not at.exception
    assert at.session_state["campaign"] == "copy-2023"


def test_campaign_import_with_parquet_values(db):
    import polars as pl

    values = pl.read_csv(io.StringIO(demo_text("values.csv")), infer_schema=False).with_columns(
        pl.col("value").cast(pl.Float64)
    )
    parquet = io.BytesIO()
    values.write_parquet(parquet)
    text = demo_text("campaign.yaml").replace("id: jiujiang-2023", "id: pq-2023")
    at = open_app("en", "campaigns")
    at.get("file_uploader")[0].set_value(
        [
            ("campaign.yaml", text.encode("utf-8"), "text/yaml"),
            ("units.csv", (DEMO / "units.csv").read_bytes(), "text/csv"),
            ("secretaries.csv", (DEMO / "secretaries.csv").read_bytes(), "text/csv"),
            ("values.parquet", parquet.getvalue(), "application/octet-stream"),
        ]
    ).run()
    at.button(key="ca_import").click().run()
    assert not at.exception
    assert any("pq-2023" in shown(s.value) for s in at.success), [e.value for e in at.error]


def test_campaign_import_reports_problems(db):
    at = open_app("en", "campaigns")
    bad = (DEMO / "units.csv").read_bytes().replace(b",urban,", b",nowhere,", 1)
    at.get("file_uploader")[0].set_value(
        [
            ("campaign.yaml", demo_text("campaign.yaml").encode(), "text/yaml"),
            ("units.csv", bad, "text/csv"),
            ("values.csv", demo_text("values.csv").encode(), "text/csv"),
        ]
    ).run()
    at.button(key="ca_import").click().run()
    assert any("nothing was saved" in e.value for e in at.error)
    problems = next(d.value for d in at.dataframe if "Problem" in d.value.columns)
    assert "unknown category 'nowhere'" in " ".join(problems["Problem"])


def test_workflow_table_shows_empty_cells_empty(db):
    """An open period has no one who changed it yet: its cells are empty, not "None"."""
    at = open_app("zh", "workflow")
    shown = at.dataframe[0].value
    assert shown.shape[0] == 4
    # who, when, reason, objections until, deadline: empty (the last column counts objections)
    assert not shown.isin(["None"]).any().any() and (shown.iloc[0, 2:7] == "").all()


def test_readable_writes_times_to_the_second():
    from datetime import datetime

    import polars as pl

    from dashboard.common import readable

    frame = pl.DataFrame({"who": ["王", None], "at": [datetime(2023, 4, 5, 9, 30, 12), None], "n": [1, None]})
    shown = readable(frame)
    assert shown["who"].to_list() == ["王", ""] and shown["at"].to_list() == ["2023-04-05 09:30:12", ""]
    assert shown["n"].to_list() == [1, None]  # numbers stay numbers


def test_audit_trail_reads_in_the_users_language(db, capsys):
    """The recorded action and the application's own words in the reader's language, the
    values as written, an empty cell where there was none; people's reasons as they wrote them."""
    from tests.helpers import run_cli

    args = ("--db", db, "--campaign", "jiujiang-2023", "--unit", "JJ001", "--period", "2023Q1")
    rc, _, err = run_cli(
        capsys, "set", *args, "--indicator", "honours", "--value", "4.5", "--reason", "补录荣誉"
    )
    assert rc == 0, err
    at = open_app("zh", "audit")
    rows = at.dataframe[0].value
    change, first_import = rows.iloc[0], rows.iloc[-1]
    assert (change["操作"], change["新值"], change["理由"], change["来源"]) == (
        "修改",
        "4.5",
        "补录荣誉",
        "数据录入",
    )
    assert (first_import["操作"], first_import["原值"], first_import["理由"]) == ("导入", "", "导入")
    assert at.selectbox(key="au_indicator").format_func("honours") == "荣誉加分 (honours)"


def test_public_boards_are_paged_in_the_database(tmp_path, monkeypatch):
    """A published board longer than the page lists its first 1,000 places and says how many
    there are; the printable notice has them all."""
    from scoring.app.imports import import_campaign
    from scoring.engine.run import score
    from scoring.ingest.validate import read_campaign
    from scoring.samples.synthetic import generate
    from scoring.store.db import connect
    from scoring.workflow.periods import move

    folder = generate(3_600, tmp_path / "c", "csv")  # 3 categories of about 1,200 units
    data = read_campaign(folder)
    db = tmp_path / "big.duckdb"
    con = connect(db)
    import_campaign(con, data)
    score(con, data.rules.id)
    for step in ("submit", "approve", "publish"):
        move(open_campaign(con, data.rules.id), data.rules.campaign.periods[0], step, actor(step))
    con.close()
    monkeypatch.setenv("STARSCORE_DB", str(db))
    at = open_app("en", "public")
    assert [len(d.value) for d in at.dataframe] == [1000, 1000, 1000]
    said = [shown(c.value) for c in at.caption if "places" in c.value]
    assert said == ["The first 1000 places of 1200 units; the printable notice lists them all."] * 3


def test_robustness_table_names_the_category(db):
    at = open_app("zh", "robustness")
    table = at.dataframe[0].value
    assert set(table["类别"]) == {"城市社区"}  # the category chosen first, by its name


def test_workflow_log_and_users_speak_the_readers_language(db):
    """The workflow log's states and the users' roles in the reader's language, not as codes."""
    from streamlit.testing.v1 import AppTest

    from scoring.accounts.access import add_user
    from scoring.store.db import connect
    from scoring.workflow.periods import move
    from tests.helpers import REPO

    con = connect(db)
    move(open_campaign(con, "jiujiang-2023"), "2023Q1", "submit", actor("submit"))
    add_user(con, "boss", "admin-pass-12", "admin")  # a session is checked against the users table
    add_user(con, "wang", "evaluator-pass-1", "evaluator")
    con.close()

    def page(name: str) -> AppTest:
        at = AppTest.from_file(str(REPO / "dashboard" / "views" / f"{name}.py"), default_timeout=60)
        at.session_state["lang"] = "zh"
        at.session_state["campaign"] = "jiujiang-2023"
        at.session_state["user"] = {"username": "boss", "role": "admin", "towns": [], "areas": []}
        return at.run()

    log = next(d.value for d in page("workflow").dataframe if "原状态" in d.value.columns)
    assert (log.iloc[0]["原状态"], log.iloc[0]["新状态"]) == ("填报中", "已提交")
    assert set(page("users").dataframe[0].value["角色"]) == {"管理员", "评分员"}


def test_audit_finds_units_by_a_search(db):
    """The unit filter offers the units a search finds, never every unit of a province."""
    at = open_app("zh", "audit")
    assert len(at.selectbox(key="au_unit").options) == 51  # "—" and the first 50 units
    at.text_input(key="au_search").input("山旺").run()
    assert at.selectbox(key="au_unit").options == ["—", "山旺社区 (JJ001)"]


def test_flags_are_a_text_symbol_common_fonts_draw_not_an_emoji():
    from dashboard.common import flags_text

    assert flags_text(2) == "⚑⚑" and flags_text(None) == ""
    assert all(ord(ch) < 0x1F000 for ch in flags_text(3))  # no emoji plane: no empty box


def test_payouts_of_a_run_that_does_not_recompute_are_not_offered(db):
    """A payout row added to the stored run: the payouts page says so and offers no file."""
    from scoring.store.db import connect

    con = connect(db)
    run = con.execute("SELECT run_id FROM runs ORDER BY computed_at DESC LIMIT 1").fetchall()[0][0]
    con.execute(
        "INSERT INTO payouts SELECT * FROM payouts WHERE run_id = ? AND payee_type = 'community' LIMIT 1",
        [run],
    )
    con.close()
    at = open_app("zh", "payouts")
    assert any("不能导出奖金表" in shown(e.value) for e in at.error)
    assert not at.get("download_button")


def test_a_page_whose_run_goes_stale_while_it_draws_says_so_instead_of_failing(db, monkeypatch):
    """Another session's save makes the run stale until it is scored again: the profile's
    points, which need the current run, then wait in words."""
    from scoring.analysis import derivation
    from scoring.core.errors import CampaignError, Problem

    def stale(*_: object, **__: object) -> None:
        raise CampaignError([Problem("database", None, None, "run_stale", {"run": "r"})])

    monkeypatch.setattr(derivation, "check_current", stale)  # a unit's cells need the current run
    at = open_app("zh", "profile")
    assert not at.exception
    assert any("正在重新计分" in i.value for i in at.info)


def test_the_evidence_page_sets_self_scores_beside_the_assessed_values(db):
    import polars as pl

    from scoring.accounts.access import User
    from scoring.app.selfscore import import_self_scores
    from scoring.store.campaign import open_campaign
    from scoring.store.db import connect

    con = connect(db)
    rows = pl.DataFrame({"unit_id": ["JJ001"], "indicator_id": ["honours"], "value": ["5"], "_row": [2]})
    period = "2023Q4"
    import_self_scores(open_campaign(con, "jiujiang-2023"), period, rows, "自评.csv", User("张主任", "admin"))
    con.close()
    at = open_app("zh", "evidence")
    at.selectbox(key="ev_period").set_value(period).run()
    assert not at.exception
    assert any(s.value == "自评与考评对照" for s in at.subheader)


def test_the_profile_draws_its_open_tab_only_and_keeps_it_across_a_language_switch(db):
    at = open_app("zh", "profile")

    def charts() -> set[str]:
        return {c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")}

    assert {"pf_points", "pf_areas"} <= charts() and "pf_trend" not in charts()
    at.session_state["pf_tab"] = LABELS["pf.tab_trend"]["zh"]
    at.run()
    assert "pf_trend" in charts() and "pf_points" not in charts()
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["pf_tab"] == LABELS["pf.tab_trend"]["en"]
    assert "pf_trend" in charts() and "pf_points" not in charts()
