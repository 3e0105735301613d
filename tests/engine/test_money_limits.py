"""Amounts at the limits campaign.yaml allows (each below 10^13 yuan, to the fen, a
secretary share of 9 decimals, twelve periods) stay exact: no 128-bit overflow anywhere
between the rules and payouts.csv."""

from __future__ import annotations

import json
from fractions import Fraction
from math import floor

from tests.engine.test_spec_examples import campaign
from tests.helpers import read_csv, run_cli

BIG = "9999999999999.99"  # the largest amount campaign.yaml accepts


def test_awards_at_the_money_limit_are_exact(tmp_path, capsys):
    periods = [f"P{k}" for k in range(1, 13)]
    units = [(f"u{k}", "c", f"s{k}") for k in range(1, 6)]
    values = [(u, p, "s", str(90 + k)) for k, (u, _, _) in enumerate(units) for p in periods]
    out = campaign(
        tmp_path,
        capsys,
        units=units,
        periods=", ".join(periods),
        indicators="  - {id: s, name: S, kind: score, points: 100}",
        values=values,
        extra=f"stars:\n  - {{stars: 5, min_score: 90}}\nflags: {{top_n: 5}}\n"
        f"awards:\n  stars: {{5: {BIG}}}\n  flag: {BIG}\n"
        f"  secretary_share: 0.123456789\n  budget: {BIG}\n  rounding: 0.01\n",
    )
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    pay = read_csv(out / "payouts.csv")
    big = Fraction(BIG)
    community = big + big * len(periods)  # five stars and a flag in every period
    secretary = community * Fraction("0.123456789")
    total = 5 * (community + secretary)
    assert summary["scaled"] is True
    assert Fraction(summary["scale_factor_fraction"]) == big / total
    for row in pay:
        gross = community if row["payee_type"] == "community" else secretary
        assert abs(Fraction(row["gross"]) - gross) < Fraction(1, 100)  # written to the fen
        assert Fraction(row["final"]) == Fraction(floor(gross * big / total * 100), 100)
    assert sum(Fraction(r["final"]) for r in pay) == Fraction(str(summary["total_final"]))
    assert Fraction(str(summary["unallocated"])) == big - Fraction(str(summary["total_final"]))
    # the independent re-derivation agrees, at the same limits
    rc, text, err = run_cli(
        capsys, "verify", "--campaign", "ex", "--db", tmp_path / "db.duckdb", "--lang", "en"
    )
    assert rc == 0, text + err
