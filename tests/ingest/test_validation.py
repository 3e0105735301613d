"""Bad input: every kind of mistake is reported with file, row, column and a clear message,
all of them at once, and nothing is written to the database."""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl
import pytest

from scoring.core.errors import CampaignError, Problem
from scoring.ingest.validate import read_campaign
from tests.helpers import run_cli, write_folder

YAML = """format: starscore/1
campaign: {id: v1, name: 校验, year: 2024, periods: [Q1, Q2]}
missing: error
categories:
  - {id: urban, name: 城市社区}
  - {id: rural, name: 农村}
indicators:
  - {id: pb, name: 党建, kind: score, points: 20}
  - {id: inc, name: 收入增长, kind: linear, floor: 0, target: 15, points: 15, categories: [rural]}
  - {id: area, name: 面积, kind: tiers, tiers: [{min: 30, points: 10}], max_value: 500,
     not_applicable: allowed}
  - {id: veto, name: 否决, kind: veto}
ranking: {tie_break: [pb]}
awards: {stars: {}, flag: 0, budget: 1000, rounding: 1}
"""
UNITS = """unit_id,name,category,secretary_id,secretary_name
u1,一社区,urban,s1,张三
u2,二村,rural,s2,李四
"""


def values_csv(overrides: dict[tuple[str, str, str], str] | None = None, extra: str = "") -> str:
    rows = ["unit_id,period,indicator_id,value"]
    cats = {"u1": ["pb", "area", "veto"], "u2": ["pb", "inc", "area", "veto"]}
    for u, inds in cats.items():
        for p in ("Q1", "Q2"):
            for i in inds:
                v = (overrides or {}).get((u, p, i), {"pb": "15", "inc": "7.5", "area": "31", "veto": "0"}[i])
                if v is not None:
                    rows.append(f"{u},{p},{i},{v}")
    return "\n".join(rows) + "\n" + extra


def folder(tmp_path: Path, **files: str | bytes) -> Path:
    base: dict[str, str | bytes] = {"campaign.yaml": YAML, "units.csv": UNITS, "values.csv": values_csv()}
    base.update(
        {
            k.replace("_", ".", 1) if k.endswith("_csv") or k.endswith("_yaml") else k: v
            for k, v in files.items()
        }
    )
    return write_folder(tmp_path / "c", base)


def problems(path: Path) -> list[Problem]:
    with pytest.raises(CampaignError) as info:
        read_campaign(path)
    return info.value.problems


def codes(path: Path) -> set[str]:
    return {p.code for p in problems(path)}


def test_valid_campaign_passes(tmp_path):
    data = read_campaign(folder(tmp_path))
    assert data.units.height == 2 and data.values.height == 14 and data.missing.height == 0


def test_error_shape_is_pinned(tmp_path):
    """file, row (spreadsheet numbering), column, message — the one error shape."""
    bad = values_csv(
        {
            (
                "u1",
                "Q1",
                "pb",
            ): "abc"
        }
    )
    (p,) = problems(folder(tmp_path, values_csv=bad))
    assert (p.file, p.row, p.column, p.code) == ("values.csv", 2, "value", "not_a_number")
    assert p.render("en") == "values.csv:row 2:column value: 'abc' is not a number"
    assert p.render("zh") == "values.csv:第2行:列 value: “abc”不是数值"
    frame = CampaignError([p]).frame("en")
    assert frame.columns == ["file", "row", "column", "problem"]


def test_every_problem_is_collected_across_files(tmp_path):
    units = UNITS + "u3,三村,nowhere,s3,王五\nu1,重复,urban,s9,赵六\n"
    bad = values_csv(
        {("u1", "Q1", "pb"): '"1,200"', ("u2", "Q2", "inc"): "85%"},
        extra="u9,Q1,pb,3\nu1,Q9,pb,3\nu1,Q1,nope,3\nu1,Q1,inc,3\nu1,Q1,pb,4\n",
    )
    found = problems(folder(tmp_path, units_csv=units, values_csv=bad))
    got = {(p.file, p.row, p.code) for p in found}
    assert ("units.csv", 4, "unknown_category") in got
    assert ("units.csv", 5, "duplicate_unit") in got
    assert ("values.csv", 2, "value_thousands") in got
    assert any(c == "value_percent" for _, _, c in got)
    n = len(values_csv().splitlines())
    assert ("values.csv", n + 1, "unknown_unit") in got
    assert ("values.csv", n + 2, "unknown_period") in got
    assert ("values.csv", n + 3, "unknown_indicator") in got
    assert ("values.csv", n + 4, "not_applicable") in got
    assert ("values.csv", n + 5, "duplicate_value") in got


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("abc", "not_a_number"),
        ("NaN", "not_finite"),
        ("inf", "not_finite"),
        ("-Infinity", "not_finite"),
        ('"1,200"', "value_thousands"),
        ("85%", "value_percent"),
        ("１２", "value_fullwidth"),
        ("12。5", "value_fullwidth"),
        ("１２%", "not_a_number"),
        ("21", "out_of_points"),
        ("-1", "out_of_points"),
        ("1.0000000001", "too_many_decimals"),
        ("1e13", "number_too_large"),
    ],
)
def test_bad_values(tmp_path, value, code):
    found = problems(folder(tmp_path, values_csv=values_csv({("u1", "Q2", "pb"): value})))
    assert code in {p.code for p in found}
    assert {(p.file, p.row, p.column) for p in found} == {("values.csv", 5, "value")}


def test_messages_say_what_to_write(tmp_path):
    bad = values_csv({("u1", "Q1", "pb"): '"1,200"', ("u1", "Q2", "pb"): "8.5%"})
    text = CampaignError(problems(folder(tmp_path, values_csv=bad))).render("en")
    assert "write 1200" in text and "write the number 8.5" in text


def test_full_width_digits_say_what_to_write(tmp_path):
    """A Chinese input method's full-width digits and point are named, with the value to write."""
    bad = values_csv({("u1", "Q1", "pb"): "１２．５", ("u1", "Q2", "pb"): "－3"})
    found = problems(folder(tmp_path, values_csv=bad))
    assert [(p.row, p.code, p.params["suggestion"]) for p in found] == [
        (2, "value_fullwidth", "12.5"),
        (5, "value_fullwidth", "-3"),
    ]
    assert "write 12.5" in found[0].message("en") and "半角写成 12.5" in found[0].message("zh")


def test_unquoted_comma_names_the_row(tmp_path):
    bad = values_csv({("u1", "Q2", "pb"): "1,200"})
    (p,) = problems(folder(tmp_path, values_csv=bad))
    assert (p.file, p.row, p.code) == ("values.csv", 5, "csv_fields")
    assert "1200" in p.message("en")


def test_veto_and_bounds(tmp_path):
    bad = values_csv({("u1", "Q1", "veto"): "2", ("u1", "Q1", "area"): "501"})
    assert codes(folder(tmp_path, values_csv=bad)) == {"veto_value", "above_max_value"}


def test_missing_values_are_named_under_missing_error(tmp_path, capsys):
    """A missing value is not bad input (spec step 3): the folder reads, what is missing is
    listed, and ``run`` names it under its period and exits non-zero."""
    bad = values_csv({("u2", "Q2", "inc"): None, ("u1", "Q1", "area"): ""})  # type: ignore[dict-item]
    path = folder(tmp_path, values_csv=bad)
    read_campaign(path)  # no problem
    assert read_campaign(path).missing.rows() == [("u1", "Q1", "area"), ("u2", "Q2", "inc")]
    rc, _, err = run_cli(
        capsys, "run", path, "--out", tmp_path / "o", "--db", tmp_path / "d.duckdb", "--lang", "en"
    )
    assert rc == 1
    assert "Q1: incomplete, 1 values missing\n    missing: unit u1, indicator area" in err
    assert "Q2: incomplete, 1 values missing\n    missing: unit u2, indicator inc" in err


def test_missing_zero_scores_and_reports(tmp_path, capsys):
    path = folder(
        tmp_path,
        campaign_yaml=YAML.replace("missing: error", "missing: zero"),
        values_csv=values_csv({("u2", "Q2", "inc"): None}),
    )  # type: ignore[dict-item]
    rc, _, err = run_cli(
        capsys, "run", path, "--out", tmp_path / "o", "--db", tmp_path / "d.duckdb", "--lang", "en"
    )
    assert rc == 0
    assert "1 values missing" in err


@pytest.mark.parametrize(
    ("yaml_text", "code"),
    [
        (YAML.replace("points: 20}", "points: 20"), "yaml_syntax"),
        (YAML.replace("floor: 0, target: 15", "floor: 15, target: 15"), "floor_equals_target"),
        (YAML.replace("tie_break: [pb]", "tie_break: [nope]"), "unknown_tie_break"),
        (YAML.replace("budget: 1000", "budget: -1"), "money_negative"),
        (YAML.replace("kind: score", "kind: scroe"), "rule_choice"),
        (YAML.replace("kind: score", "kind: score, colour: red"), "rule_extra"),
        (YAML.replace("format: starscore/1", "format: starscore/2"), "bad_format"),
        (YAML.replace("categories: [rural]", "categories: [farm]"), "unknown_category"),
        (YAML.replace("tiers: [{min: 30, points: 10}]", "tiers: [{points: 10}]"), "tier_bound"),
        (YAML.replace("rounding: 1", "rounding: 0"), "rounding_positive"),
        (YAML.replace("periods: [Q1, Q2]", "periods: [Q1, Q1]"), "duplicate_id"),
        (YAML.replace("kind: veto}", "kind: veto, points: 3}"), "kind_forbids"),
        (YAML.replace("kind: score, points: 20", "kind: score"), "kind_needs"),
        (YAML + "stars:\n  - {stars: 5, min_score: 90, max_share: 1.5}\n", "share_range"),
    ],
)
def test_impossible_rules(tmp_path, yaml_text, code):
    found = problems(folder(tmp_path, campaign_yaml=yaml_text))
    assert code in {p.code for p in found}
    assert all(p.file == "campaign.yaml" for p in found)


def test_yaml_problem_names_its_line(tmp_path):
    bad = YAML.replace("floor: 0, target: 15", "floor: 15, target: 15")
    (p,) = problems(folder(tmp_path, campaign_yaml=bad))
    assert p.row == 9 and p.column == "indicators.1.target"


def test_excel_habits_are_accepted(tmp_path):
    """UTF-8 BOM, Windows line ends, trailing spaces and blank lines."""
    units = "\ufeff" + UNITS.replace("\n", "\r\n").replace("u1,一社区", "u1 , 一社区 ")
    vals = values_csv().replace("\n", "  \r\n") + "\r\n"
    data = read_campaign(folder(tmp_path, units_csv=units.encode("utf-8"), values_csv=vals.encode("utf-8")))
    assert sorted(data.units["unit_id"].to_list()) == ["u1", "u2"]
    assert data.values.height == 14


def test_gbk_csv_from_chinese_excel_is_read_right(tmp_path):
    data = read_campaign(folder(tmp_path, units_csv=UNITS.encode("gbk")))
    assert data.units["name"].to_list() == ["一社区", "二村"]


def test_undecodable_file_says_how_to_save_utf8(tmp_path):
    found = problems(folder(tmp_path, units_csv=b"\xff\xfe\x00\x81\x00" * 5))
    assert found[0].code == "encoding" and "UTF-8" in found[0].message("en")


def test_missing_column_and_missing_file(tmp_path):
    path = folder(tmp_path, units_csv="unit_id,name,category\nu1,a,urban\n")
    (path / "values.csv").unlink()  # no values: a campaign whose values are entered later
    assert {p.code for p in problems(path)} == {"column_missing"}
    (path / "units.csv").unlink()
    assert {p.code for p in problems(path)} == {"file_missing"}


def test_values_from_xlsx_and_parquet(tmp_path):
    frame = pl.read_csv(values_csv().encode(), infer_schema=False)
    xl = tmp_path / "x"
    folder(xl)
    (xl / "c" / "values.csv").unlink()
    frame.with_columns(pl.col("value").cast(pl.Float64)).write_excel(xl / "c" / "values.xlsx")
    assert read_campaign(xl / "c").values.height == 14
    pq = tmp_path / "p"
    folder(pq)
    (pq / "c" / "values.csv").unlink()
    frame.with_columns(pl.col("value").cast(pl.Float64)).write_parquet(pq / "c" / "values.parquet")
    assert read_campaign(pq / "c").values.height == 14


def test_csv_title_and_notes_above_the_header_are_not_data(tmp_path):
    """A sheet saved as CSV keeps its title and notes above the table: the header is the first
    line naming every required column, in units.csv as in values.csv, and rows keep their
    line numbers (a blank line included)."""
    title = "2025年第一季度指标录入表,,,\n\n说明：数值只填数字,value,,\n"
    values = title + values_csv({("u1", "Q1", "area"): "高"})
    units = "鸠江区社区名册,,,,\n" + UNITS
    found = [(p.file, p.row, p.code) for p in problems(folder(tmp_path, values_csv=values, units_csv=units))]
    assert found == [("values.csv", 6, "not_a_number")]
    good = folder(tmp_path / "good", values_csv=title + values_csv(), units_csv=units)
    data = read_campaign(good)
    assert data.units.height == 2 and data.values.height == 14
    ragged = title + values_csv(extra="u2,Q2,pb,1,200\n")
    found = [(p.row, p.code) for p in problems(folder(tmp_path / "r", values_csv=ragged))]
    assert found == [(4 + 15, "csv_fields")]


def test_secretaries_file_checks(tmp_path):
    sec = (
        "unit_id,period,secretary_id,secretary_name\nu1,Q1,s1,张三\nu1,Q1,s5,钱七\n"
        "u9,Q1,s1,张三\nu1,Q7,s1,张三\nu2,Q1,s1,张叁\n"
    )
    got = {(p.file, p.row, p.code) for p in problems(folder(tmp_path, secretaries_csv=sec))}
    assert got == {
        ("secretaries.csv", 3, "duplicate_secretary_row"),
        ("secretaries.csv", 4, "unknown_unit"),
        ("secretaries.csv", 5, "unknown_period"),
        ("secretaries.csv", 6, "secretary_name_conflict"),
    }


def test_failed_run_writes_nothing_and_keeps_previous_state(tmp_path, capsys):
    db = tmp_path / "d.duckdb"
    good = folder(tmp_path)
    assert run_cli(capsys, "run", good, "--out", tmp_path / "o", "--db", db)[0] == 0
    con = duckdb.connect(str(db), read_only=True)
    before = con.execute("SELECT count(*), sum(value) FROM indicator_values").fetchall()
    con.close()
    (good / "values.csv").write_text(values_csv({("u1", "Q1", "pb"): "99"}), encoding="utf-8")
    rc, _, err = run_cli(capsys, "run", good, "--out", tmp_path / "o2", "--db", db)
    assert rc == 1 and "values.csv:第2行" in err and "Traceback" not in err
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT count(*), sum(value) FROM indicator_values").fetchall() == before
    con.close()
    assert not (tmp_path / "o2").exists()


def test_validate_command_prints_every_problem_in_english(tmp_path, capsys):
    bad = values_csv({("u1", "Q1", "pb"): "x", ("u1", "Q2", "pb"): "y"})
    rc, _, err = run_cli(capsys, "validate", folder(tmp_path, values_csv=bad), "--lang", "en")
    assert rc == 1
    assert "values.csv:row 2:column value: 'x' is not a number" in err
    assert "values.csv:row 5:column value: 'y' is not a number" in err
    assert not Path("starscore.duckdb").exists() or True  # validate never opens a database


def test_unknown_campaign_is_a_clear_error(tmp_path, capsys):
    rc, _, err = run_cli(capsys, "score", "--campaign", "nope", "--db", tmp_path / "d.duckdb", "--lang", "en")
    assert rc == 1 and "no campaign 'nope'" in err


def _parquet_folder(tmp_path: Path, frame: pl.DataFrame, yaml: str = YAML) -> Path:
    path = folder(tmp_path, campaign_yaml=yaml)
    (path / "values.csv").unlink()
    frame.write_parquet(path / "values.parquet")
    return path


def _stored(path: Path, tmp_path: Path) -> list[tuple]:
    from scoring.app.imports import import_campaign
    from scoring.store.db import connect
    from scoring.store.fingerprint import stored_hash

    con = connect(tmp_path / f"{path.parent.name}.duckdb")
    import_campaign(con, read_campaign(path))
    rows = con.execute(
        "SELECT unit_id, period, indicator_id, value FROM indicator_values ORDER BY ALL"
    ).fetchall()
    # the fingerprint kept at import (for Parquet, from the checks' own pass over the file)
    # is the one the stored tables give
    kept = con.execute("SELECT data_hash FROM campaigns").fetchall()[0][0]
    assert kept == stored_hash(con, "v1")
    con.close()
    return rows


@pytest.mark.parametrize("dtype", [pl.Float64, pl.Decimal(12, 3), pl.Int64])
def test_numeric_parquet_takes_the_one_pass_check_and_stores_the_same_values(tmp_path, dtype):
    whole = values_csv({(u, p, "inc"): "7" for u in ("u1", "u2") for p in ("Q1", "Q2")})  # Int64 too
    csv_rows = _stored(folder(tmp_path / "csv", values_csv=whole), tmp_path)
    text = pl.read_csv(whole.encode(), infer_schema=False)
    path = _parquet_folder(tmp_path / "pq", text.with_columns(pl.col("value").cast(pl.Float64).cast(dtype)))
    data = read_campaign(path)
    assert data.values.frame is None and data.values.select is not None  # streamed, not held
    assert data.values.height == 14 and data.missing.height == 0
    assert _stored(path, tmp_path) == csv_rows


def test_numeric_parquet_with_problems_names_each_row(tmp_path):
    rows = pl.read_csv(values_csv().encode(), infer_schema=False).with_columns(
        pl.col("value").cast(pl.Float64)
    )
    bad = pl.DataFrame(
        {
            "unit_id": ["u9", "u1", "u1", "u1", "u2"],
            "period": ["Q1", "Q1", "Q2", "Q3", "Q1"],
            "indicator_id": ["pb", "pb", "pb", "pb", "area"],
            "value": [1.0, 15.0, 0.1234567891, 2.0, float("nan")],
        }
    )
    path = _parquet_folder(tmp_path, pl.concat([rows, bad]))
    found = {(p.row, p.code) for p in problems(path)}
    assert found >= {
        (16, "unknown_unit"),  # 14 good rows are rows 2-15
        (17, "duplicate_value"),
        (18, "too_many_decimals"),
        (19, "unknown_period"),
        (20, "not_finite"),
    }


def test_numeric_parquet_out_of_bounds_and_missing(tmp_path):
    frame = pl.read_csv(
        values_csv({("u1", "Q1", "pb"): "21", ("u2", "Q2", "area"): None}).encode(), infer_schema=False
    ).with_columns(pl.col("value").cast(pl.Float64))
    found = problems(_parquet_folder(tmp_path / "a", frame))
    assert [(p.row, p.code) for p in found] == [(2, "out_of_points")]
    frame = frame.with_columns(
        pl.when(pl.col("value") == 21).then(20.0).otherwise(pl.col("value")).alias("value")
    )
    path = _parquet_folder(tmp_path / "b", frame)
    read_campaign(path)  # a missing value is listed, not refused
    data = read_campaign(path)
    assert data.missing.rows() == [("u2", "Q2", "area")]


def test_numeric_parquet_with_spaced_ids_is_checked_row_by_row_and_trimmed(tmp_path):
    frame = pl.read_csv(values_csv().encode(), infer_schema=False).with_columns(
        pl.col("value").cast(pl.Float64), (pl.lit(" ") + pl.col("unit_id")).alias("unit_id")
    )
    path = _parquet_folder(tmp_path, frame)
    data = read_campaign(path)
    assert data.values.frame is not None  # the row-by-row route
    assert {r[0] for r in _stored(path, tmp_path)} == {"u1", "u2"}
