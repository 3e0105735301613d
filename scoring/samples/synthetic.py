"""Seeded synthetic campaigns of any size, for the benchmark (``scoring.bench``) and the tests
that need a large campaign: 30 indicators of every kind, 4 periods, 3 categories, units of
graded quality, values as CSV or Parquet, optionally with cells left without a value.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

N_INDICATORS = 30
PERIODS = ["Q1", "Q2", "Q3", "Q4"]
CATEGORIES = ["urban", "agri", "village"]
SEED = 7

# (kind, extra yaml) cycling over the 30 indicators
KINDS = [
    ("score", "points: 10"),
    ("linear", "floor: 0, target: 100, points: 8"),
    ("tiers", "tiers: [{min: 30, points: 6}, {min: 20, points: 3}]"),
    ("linear", "floor: 10, target: 2, points: 5"),
    ("score", "points: 4"),
    ("tiers", "tiers: [{max: 2, points: 5}, {max: 5, points: 2}]"),
    ("linear", "floor: 60, target: 100, points: 6"),
    ("score", "points: 3"),
    ("linear", "floor: 70, target: 95, points: 7"),
    ("score", "points: 5"),
]


# with ``field_kinds``: two of the linear indicators compare units with their field instead
# (the same values), to measure what relative and rank_points cost
FIELD_KINDS = {
    1: ("relative", "method: ratio, better: higher, points: 8"),
    3: ("rank_points", "better: lower, points_by_rank: [5, 4, 3, 2, 1]"),
}


def rules_yaml(units: int, missing: str = "error", field_kinds: bool = False, district: bool = False) -> str:
    """The rules; ``district``: the rules published schemes use, a penalty counted per
    occurrence (each), an item that may not apply (不涉及) and a progress award."""
    inds = []
    for k in range(N_INDICATORS - 3):
        kind, extra = KINDS[k % len(KINDS)]
        if field_kinds and k in FIELD_KINDS:
            kind, extra = FIELD_KINDS[k]
        if district and k == 0:
            extra += ", not_applicable: allowed"
        inds.append(f"  - {{id: i{k:02d}, name: 指标{k:02d}, kind: {kind}, {extra}}}")
    inds += [
        "  - {id: bonus, name: 荣誉加分, kind: bonus, points: 5}",
        "  - {id: penalty, name: 扣分, kind: penalty, points: 10" + (", each: 2}" if district else "}"),
        "  - {id: veto, name: 一票否决, kind: veto}",
    ]
    budget = units * 60_000
    return (
        "\n".join(
            [
                "format: starscore/1",
                f"campaign: {{id: bench-{units}, name: 基准{units}, year: 2025, "
                f"periods: [{', '.join(PERIODS)}]}}",
                "annual_score: mean",
                f"missing: {missing}",
                "categories:",
                *[f"  - {{id: {c}, name: {c}}}" for c in CATEGORIES],
                "indicators:",
                *inds,
                "ranking: {tie_break: [i00, i01]}",
                "stars:",
                "  - {stars: 5, min_score: 120, max_share: 0.1}",
                "  - {stars: 4, min_score: 105, max_share: 0.3}",
                "  - {stars: 3, min_score: 90}",
                "flags: {top_n: 3, min_score: 100}",
                "awards:",
                "  stars: {5: 150000, 4: 100000, 3: 60000}",
                "  flag: 20000",
                "  community_cap: 150000",
                "  secretary_share: 0.25",
                "  secretary_cap: 37500",
                f"  budget: {budget}",
                "  rounding: 100",
                *(["  progress: {by: rank, top_n: 3, amount: 10000}"] if district else []),
            ]
        )
        + "\n"
    )


def _rand(expr: pl.Expr, salt: int, modulo: int) -> pl.Expr:
    """A seeded pseudo-random integer in [0, modulo) from a row key."""
    return (expr.hash(seed=SEED + salt) % modulo).cast(pl.Int64)


def generate(
    units: int,
    folder: Path,
    values_format: str | None = None,
    missing_pct: int = 0,
    field_kinds: bool = False,
    district: bool = False,
) -> Path:
    """A campaign folder: units.csv, values (``values_format`` "csv" or "parquet"; by default
    .csv for the district, .parquet above). ``missing_pct``: that percentage of the cells, drawn
    at random, has no value row, and the rules score a missing value 0 (``missing: zero``).
    ``field_kinds``: one relative and one rank_points indicator in place of two linear ones.
    ``district``: the rules of ``rules_yaml(district=True)``; 3 % of the first indicator's cells
    are 不涉及 (so the values are text), and last year's results are in baseline.csv."""
    folder.mkdir(parents=True, exist_ok=True)
    missing = "zero" if missing_pct else "error"
    (folder / "campaign.yaml").write_text(rules_yaml(units, missing, field_kinds, district), encoding="utf-8")
    ids = pl.DataFrame({"n": pl.int_range(0, units, eager=True)}).with_columns(
        pl.format("U{}", pl.col("n").cast(pl.String).str.zfill(7)).alias("unit_id")
    )
    unit_rows = ids.select(
        "unit_id",
        pl.col("unit_id").alias("name"),
        pl.col("n").map_elements(lambda n: CATEGORIES[n % 3], return_dtype=pl.String).alias("category"),
        pl.format("S{}", pl.col("n")).alias("secretary_id"),
        pl.format("书记{}", pl.col("n")).alias("secretary_name"),
        pl.format("T{}", pl.col("n") // 50).alias("town"),
    )
    unit_rows.write_csv(folder / "units.csv")
    indicators = [f"i{k:02d}" for k in range(N_INDICATORS - 3)] + ["bonus", "penalty", "veto"]
    grid = (
        ids.select("n", "unit_id")
        .join(pl.DataFrame({"p": range(4), "period": PERIODS}), how="cross")
        .join(pl.DataFrame({"k": range(N_INDICATORS), "indicator_id": indicators}), how="cross")
    )
    key = pl.col("n") * 1000 + pl.col("p") * 100 + pl.col("k")
    quality = _rand(pl.col("n"), 1, 60)  # a unit's level, 0..59
    raw = _rand(key, 2, 41) + quality  # 0..100
    value = (
        pl.when(pl.col("indicator_id") == "veto")
        .then((_rand(key, 3, 4000) == 0).cast(pl.Int64).cast(pl.Float64))
        .when(pl.col("indicator_id") == "bonus")
        .then((_rand(key, 4, 11) / 2).cast(pl.Float64))
        .when(pl.col("indicator_id") == "penalty")
        .then((_rand(key, 5, 5)).cast(pl.Float64))
        .when(pl.col("k") % 10 == 0)
        .then((raw / 10).round(1))  # score 0..10
        .when(pl.col("k") % 10 == 4)
        .then((raw / 25).round(1))  # score 0..4
        .when(pl.col("k") % 10 == 7)
        .then((raw * 3 / 100).round(1))  # score 0..3
        .when(pl.col("k") % 10 == 9)
        .then((raw / 20).round(1))  # score 0..5
        .otherwise((raw + _rand(key, 6, 10) / 10).round(1))
    )
    if district:  # 3 % of the first indicator's cells do not apply: the values are text
        na = (pl.col("indicator_id") == "i00") & (_rand(key, 9, 100) < 3)
        value = pl.when(na).then(pl.lit("不涉及")).otherwise(value.cast(pl.String))
        ids.select(  # last year's results
            "unit_id",
            (_rand(pl.col("n"), 10, 10000) / 100).alias("annual_score"),
            (_rand(pl.col("n"), 11, max(units // 3, 1)) + 1).alias("annual_rank"),
        ).write_csv(folder / "baseline.csv")
    values = grid.filter(_rand(key, 8, 100) >= missing_pct).select(
        "unit_id", "period", "indicator_id", value.alias("value")
    )
    if values_format == "csv" or (values_format is None and units <= 200):
        values.write_csv(folder / "values.csv")
    else:
        values.write_parquet(folder / "values.parquet", row_group_size=1_000_000)
    return folder
