"""Step 1's rounding primitives, pinned: half away from zero (四舍五入), exactly."""

from __future__ import annotations

import duckdb
import pytest

from scoring.engine.points import install_macros


@pytest.mark.parametrize(
    ("value", "cents"),
    [
        ("0.005", 1),
        ("-0.005", -1),
        ("1.115", 112),
        ("-1.115", -112),
        ("2.325", 233),
        ("0.004999999", 0),
        ("17.125", 1713),
        ("99.995", 10000),
        ("-3.5", -350),
        ("0", 0),
    ],
)
def test_decimal_cents_round_half_away_from_zero(value, cents):
    con = duckdb.connect()
    install_macros(con)
    got = con.execute(
        "SELECT dec_cents(CAST(? AS DECIMAL(38,9))), cents(nano(CAST(? AS DECIMAL(38,9))))", [value, value]
    ).fetchall()[0]
    assert got == (cents, cents)


@pytest.mark.parametrize(
    ("v", "floor", "target", "points", "cents"),
    [
        ("3.1", "0", "40", "30", 233),
        ("3", "10", "2", "15", 1313),
        ("12", "10", "2", "15", 0),
        ("1", "10", "2", "15", 1500),
        ("-5", "0", "40", "30", 0),
        ("45", "0", "40", "30", 3000),
    ],
)
def test_linear_cents(v, floor, target, points, cents):
    con = duckdb.connect()
    install_macros(con)
    got = con.execute(
        "SELECT linear_cents(nano(?::DECIMAL(38,9)), nano(?::DECIMAL(38,9)), "
        "nano(?::DECIMAL(38,9)), nano(?::DECIMAL(38,9)))",
        [v, floor, target, points],
    ).fetchall()[0][0]
    assert got == cents
