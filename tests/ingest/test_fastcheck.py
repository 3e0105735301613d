"""The one-pass check must accept exactly what the row-by-row checks accept.

Seeded values files, each with a few mistakes of every kind the checks know (or none), are read
twice: as the product reads them (the one-pass route first, the row-by-row checks when it finds
anything) and with the one-pass route turned off. The problems, or the typed values and the
data fingerprint, must be the same.
"""

from __future__ import annotations

import random
from pathlib import Path

import polars as pl
import pytest

from scoring.app.imports import import_campaign
from scoring.core.errors import CampaignError
from scoring.engine.run import score
from scoring.ingest import validate
from scoring.ingest.validate import read_campaign
from scoring.store.db import connect
from scoring.store.fingerprint import fingerprint_parts
from tests.ingest.test_validation import YAML, folder, values_csv

Cell = tuple[str, str, str]
Change = tuple[dict[Cell, str | None], list[str]]  # cells set (None: row left out), rows added

# (unit, period, indicator) cells of the test campaign (tests.test_validation.YAML)
CELLS = [
    (u, p, i)
    for u, inds in (("u1", ("pb", "area", "veto")), ("u2", ("pb", "inc", "area", "veto")))
    for p in ("Q1", "Q2")
    for i in inds
]

# value text refused by the indicator named (None: by any), as not a number or out of bounds
BAD_VALUES = [
    ("x", None),
    ("1,200", None),
    ("85%", None),
    ("inf", None),
    ("nan", None),
    ("1e13", "inc"),  # inc has no bounds: only the 10^12 limit refuses
    ("1" + "0" * 12, "inc"),
    ("0.1234567891", "pb"),  # within pb's bounds: only too many decimals refuses
    ("-1", "pb"),
    ("21", "pb"),  # pb gives at most 20 points
    ("501", "area"),  # area's max_value is 500
    ("2", "veto"),
    ("0.5", "veto"),
    ("不涉及", "pb"),  # pb does not allow it (area does)
    ("NA", "veto"),
]


def _cell(rng: random.Random, indicator: str | None = None) -> Cell:
    return rng.choice([c for c in CELLS if indicator in (None, c[2])])


def _changes(rng: random.Random) -> list[Change]:
    """One change of every kind the checks know, on seeded cells."""
    changes: list[Change] = [({_cell(rng, ind): v}, []) for v, ind in BAD_VALUES]
    # numbers written in other ways, all accepted
    good = {_cell(rng, "pb"): v for v in ("+3", "3.", ".5", "0.000000001", "20")}
    changes.append(({**good, _cell(rng, "area"): "499.999999999", _cell(rng, "veto"): "1"}, []))
    changes.append(({_cell(rng, "area"): "不涉及"}, []))  # the item does not apply: accepted
    changes.append(({_cell(rng): None}, []))  # a missing value
    changes.append(({_cell(rng): ""}, []))  # an empty cell: missing too
    changes.append(({}, [",".join([*_cell(rng), "1"])]))  # the same cell twice
    for row in ("u9,Q1,pb,1", "u1,Q9,pb,1", "u1,Q1,zz,1", "u1,Q1,inc,1"):  # unit, period, indicator
        changes.append(({}, [row]))  # unknown, or (inc in an urban unit) not applicable
    return changes


def _values(changes: list[Change]) -> tuple[str, bool]:
    """A values.csv with these changes, and whether its values are all numbers (so that it can
    also be written as a numeric Parquet file)."""
    overrides: dict[Cell, str | None] = {}
    extra: list[str] = []
    for cells, rows in changes:
        overrides.update(cells)
        extra += rows
    numeric = all(
        v is None or v == "" or v.lstrip("+-").replace(".", "", 1).isdigit() for v in overrides.values()
    )
    return values_csv(overrides, "".join(r + "\n" for r in extra)), numeric


def _outcome(path: Path) -> tuple:
    """The problems found, or the typed values and their share of the data fingerprint."""
    try:
        data = read_campaign(path)
    except CampaignError as exc:
        return ("problems", sorted((p.file, p.row, p.column, p.code, str(p.params)) for p in exc.problems))
    import duckdb

    con = duckdb.connect()
    src = data.values.relation(con, "_values")
    rows = con.execute(
        f"SELECT unit_id, period, indicator_id, value, entered_by, note FROM {src} ORDER BY ALL"
    ).fetchall()
    con.register("_u", data.units)
    digest = fingerprint_parts(con, "_u", None, src).split("|")[-1]
    return ("values", rows, digest, sorted(data.missing.rows()))


def _both_routes(path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[tuple, tuple, bool]:
    taken = []
    real_text, real_parquet = validate.fast_text, validate.fast_parquet

    def spy(real):
        def wrapped(*args, **kwargs):
            got = real(*args, **kwargs)
            taken.append(got is not None)
            return got

        return wrapped

    with monkeypatch.context() as m:
        m.setattr(validate, "fast_text", spy(real_text))
        m.setattr(validate, "fast_parquet", spy(real_parquet))
        product = _outcome(path)
    with monkeypatch.context() as m:
        m.setattr(validate, "fast_text", lambda *a, **k: None)
        m.setattr(validate, "fast_parquet", lambda *a, **k: None)
        rows = _outcome(path)
    return product, rows, any(taken)


def test_one_pass_and_row_by_row_checks_agree(tmp_path, monkeypatch):
    rng = random.Random(20261123)
    changes = _changes(rng)
    files = [[c] for c in changes] + [rng.sample(changes, rng.randint(2, 3)) for _ in range(6)]
    fast_taken = refused = text_parquet_taken = 0
    for k, chosen in enumerate(files):
        text, numeric = _values(chosen)
        path = folder(tmp_path / f"csv{k}", values_csv=text)
        product, rows, taken = _both_routes(path, monkeypatch)
        assert product == rows, text
        fast_taken += taken
        refused += product[0] == "problems"
        if numeric:
            frame = pl.read_csv(text.encode(), infer_schema=False).with_columns(
                pl.col("value").cast(pl.Float64)
            )
            pq = folder(tmp_path / f"pq{k}")
            (pq / "values.csv").unlink()
            frame.write_parquet(pq / "values.parquet")
            from_parquet, rows, _ = _both_routes(pq, monkeypatch)
            assert from_parquet[0] == rows[0], text
            if from_parquet[0] == "values":
                assert from_parquet == rows, text
        # the same file as Parquet with text columns, every cell padded with spaces: checked
        # as the CSV is, on both routes (a CSV line with an unquoted "1,200" has one field too
        # many: no table to write)
        try:
            frame = pl.read_csv(text.encode(), infer_schema=False)
        except pl.exceptions.ComputeError:
            continue
        tq = folder(tmp_path / f"tq{k}")
        (tq / "values.csv").unlink()
        frame.select((" " + pl.all() + " ").name.keep()).write_parquet(tq / "values.parquet")
        from_text, rows, taken = _both_routes(tq, monkeypatch)
        assert from_text == rows, text
        assert _as_csv(from_text) == product, text
        text_parquet_taken += taken
    # both kinds of outcome occurred, and clean files went the one-pass way
    assert fast_taken >= 3 and refused >= len(BAD_VALUES) + 5
    assert text_parquet_taken == fast_taken


def _as_csv(outcome: tuple) -> tuple:
    """An outcome read from values.parquet, its problems named as if read from values.csv."""
    if outcome[0] != "problems":
        return outcome
    return ("problems", [("values.csv" if p[0] == "values.parquet" else p[0], *p[1:]) for p in outcome[1]])


def test_duplicates_are_found_beyond_64_indicators(tmp_path, monkeypatch):
    """The duplicate check keeps one bit per indicator in 64-bit words: indicator 66 shares a
    bit with indicator 2 but not a word, so both present is no duplicate, while 66 twice is."""
    n = 70
    indicators = "".join(
        f"  - {{id: k{j:02d}, name: 指标{j}, kind: score, points: 5}}\n" for j in range(1, n + 1)
    )
    yaml = YAML.split("indicators:\n")[0] + "indicators:\n" + indicators + "ranking: {}\n"
    yaml += "awards: {stars: {}, flag: 0, budget: 1000, rounding: 1}\n"
    rows = [
        f"{u},{p},k{j:02d},{(j % 5) + 1}" for u in ("u1", "u2") for p in ("Q1", "Q2") for j in range(1, n + 1)
    ]
    clean = "unit_id,period,indicator_id,value\n" + "\n".join(rows) + "\n"
    outcomes = {}
    for name, text in (
        ("clean", clean),
        ("k66 twice", clean + "u2,Q2,k66,3\n"),
        ("k02 twice", clean + "u1,Q1,k02,3\n"),
    ):
        path = folder(tmp_path / name.replace(" ", "_"), campaign_yaml=yaml, values_csv=text)
        product, rows_route, taken = _both_routes(path, monkeypatch)
        assert product == rows_route, name
        outcomes[name] = (product[0], taken)
    assert outcomes["clean"] == ("values", True)  # the one-pass route served it
    assert outcomes["k66 twice"][0] == outcomes["k02 twice"][0] == "problems"


def test_missing_values_are_counted_all_and_listed_first(tmp_path, monkeypatch):
    """Thousands of missing cells: the count is all of them, the list the first 2,000 by
    period, unit and indicator, the same as matching every applicable cell against the file,
    on either route and from CSV or Parquet."""
    rng = random.Random(7)
    units = [(f"u{k:04d}", "urban" if k % 3 else "rural") for k in range(900)]
    applies = {"urban": ("pb", "area", "veto"), "rural": ("pb", "inc", "area", "veto")}
    every = [(u, p, i) for u, cat in units for p in ("Q1", "Q2") for i in applies[cat]]
    dropped = set(rng.sample(every, 2600))
    text = "unit_id,period,indicator_id,value\n" + "".join(
        f"{u},{p},{i},{'' if k % 7 == 0 else '0'}\n" if (u, p, i) in dropped else f"{u},{p},{i},0\n"
        for k, (u, p, i) in enumerate(every)
        if (u, p, i) not in dropped or k % 7 == 0  # a dropped cell: no row, or an empty value
    )
    unit_rows = "unit_id,name,category,secretary_id,secretary_name\n" + "".join(
        f"{u},{u},{c},s{u},书记\n" for u, c in units
    )
    expected = sorted((u, p, i) for u, p, i in dropped)
    expected.sort(key=lambda c: (c[1], c[0], c[2]))
    csv = folder(tmp_path / "csv", units_csv=unit_rows, values_csv=text)
    pq = folder(tmp_path / "pq", units_csv=unit_rows)
    (pq / "values.csv").unlink()
    frame = pl.read_csv(text.encode(), infer_schema=False).with_columns(pl.col("value").cast(pl.Float64))
    frame.write_parquet(pq / "values.parquet")
    for path in (csv, pq):
        for fast in (True, False):
            with monkeypatch.context() as m:
                if not fast:
                    m.setattr(validate, "fast_text", lambda *a, **k: None)
                    m.setattr(validate, "fast_parquet", lambda *a, **k: None)
                data = read_campaign(path)
                assert data.missing_count == len(dropped), (path.name, fast)
                assert data.missing.rows() == expected[:2000], (path.name, fast)
    # stored, then scored: under missing: error neither period is scored (spec step 3) and the
    # engine lists what is missing by period, unit and indicator order
    by_order = sorted(dropped, key=lambda c: (c[1], c[0], ["pb", "inc", "area", "veto"].index(c[2])))
    con = connect(tmp_path / "m.duckdb")
    import_campaign(con, read_campaign(csv))
    run = score(con, "v1")
    assert [p["status"] for p in run.summary["periods"]] == ["incomplete", "incomplete"]
    assert run.summary["missing_values"] == len(dropped)
    assert [tuple(m.values()) for m in run.summary["missing"]] == by_order[:1000]
    zero = folder(tmp_path / "zero", units_csv=unit_rows, values_csv=text)
    (zero / "campaign.yaml").write_text(YAML.replace("missing: error", "missing: zero"), encoding="utf-8")
    import_campaign(con, read_campaign(zero))
    run = score(con, "v1")
    assert run.summary["missing_values"] == len(dropped)
    assert [tuple(m.values()) for m in run.summary["missing"]] == by_order[:1000]
    con.close()
