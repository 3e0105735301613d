"""Outlier warnings on entry: the modified z-score against the category and the unit's history,
checked against a plain reading of the rule over the stored values."""

from __future__ import annotations

import math
import random
import statistics
from decimal import Decimal

import polars as pl

from scoring.store.campaign import open_campaign
from scoring.store.db import connect
from scoring.workflow import outliers

CID = "jiujiang-2023"


def reference(stored: pl.DataFrame, units: dict[str, str], new: pl.DataFrame) -> dict[tuple, float]:
    """(unit, period, indicator, basis) → z, for each new value with enough peers."""
    replaced = {(r["unit_id"], r["period"], r["indicator_id"]) for r in new.iter_rows(named=True)}
    rows = [
        r
        for r in stored.iter_rows(named=True)
        if (r["unit_id"], r["period"], r["indicator_id"]) not in replaced
    ]
    out = {}
    for r in new.iter_rows(named=True):
        x = float(r["value"])
        cat = [
            float(s["value"])
            for s in rows
            if units[s["unit_id"]] == units[r["unit_id"]]
            and s["period"] == r["period"]
            and s["indicator_id"] == r["indicator_id"]
        ]
        hist = [
            float(s["value"])
            for s in stored.iter_rows(named=True)
            if s["unit_id"] == r["unit_id"]
            and s["indicator_id"] == r["indicator_id"]
            and s["period"] != r["period"]
        ]
        for basis, ys, least in (
            ("category", cat, outliers.MIN_PEERS),
            ("history", hist, outliers.MIN_HISTORY),
        ):
            if len(ys) < least:
                continue
            med = statistics.median(ys)
            mad = max(statistics.median(abs(y - med) for y in ys), 0.05 * abs(med))
            meanad = sum(abs(y - med) for y in ys) / len(ys)
            if mad > 0:
                z: float | None = 0.6745 * (x - med) / mad
            elif meanad > 0:
                z = (x - med) / (1.253314 * meanad)
            else:
                z = None if x != med else 0.0
            out[(r["unit_id"], r["period"], r["indicator_id"], basis)] = z
    return out


def test_flags_match_the_modified_z_rule(demo_copy):
    con = connect(demo_copy)
    stored = con.sql(
        f"SELECT unit_id, period, indicator_id, value FROM indicator_values WHERE campaign_id = '{CID}'"
    ).pl()
    units = dict(con.execute("SELECT unit_id, category FROM units").fetchall())
    rng = random.Random(5)
    picks = stored.filter(pl.col("indicator_id").is_in(["service_area", "party_building"])).sample(40, seed=3)
    # some values as they are, some moved a little, some far off
    new = picks.with_columns(
        pl.Series(
            "value",
            [v * Decimal(rng.choice(["1", "1.05", "3", "0.2", "10"])) for v in picks["value"]],
            dtype=pl.Decimal(38, 9),
        )
    )
    want = {
        k: z for k, z in reference(stored, units, new).items() if z is None or abs(z) > outliers.THRESHOLD
    }
    got = outliers.flag(con, CID, new)
    assert 0 < len(want) < 80
    assert {
        (r["unit_id"], r["period"], r["indicator_id"], r["basis"]) for r in got.iter_rows(named=True)
    } == set(want)
    for r in got.iter_rows(named=True):
        z = want[(r["unit_id"], r["period"], r["indicator_id"], r["basis"])]
        assert (r["z"] is None) if z is None else abs(r["z"] - z) < 1e-9 * max(1.0, abs(z))
    con.close()


def test_a_usual_value_is_not_flagged_and_a_wild_one_is(demo_copy):
    con = connect(demo_copy)
    cell = con.sql(
        "SELECT unit_id, period, indicator_id, value FROM indicator_values "
        "WHERE unit_id = 'JJ010' AND period = '2023Q2' AND indicator_id = 'service_area'"
    ).pl()
    assert outliers.flag(con, CID, cell).height == 0  # its own value again
    wild = cell.with_columns(pl.col("value") * 40)
    flagged = outliers.flag(con, CID, wild)
    assert set(flagged["basis"]) == {"category", "history"}
    con.close()


def test_against_a_history_of_zeros_z_is_finite_or_empty_never_infinite(demo_copy):
    """A veto or a bonus against zeros: the mean absolute deviation gives the scale where the
    MAD is 0; where every value is the same there is none, and z is empty, not "Infinity"."""
    con = connect(demo_copy)
    zeros = con.sql(
        "SELECT unit_id FROM indicator_values WHERE campaign_id = $cid AND indicator_id = 'veto' "
        "GROUP BY unit_id HAVING max(value) = 0 ORDER BY unit_id LIMIT 1",
        params={"cid": CID},
    ).fetchall()[0][0]
    veto = pl.DataFrame(
        {"unit_id": [zeros], "period": ["2023Q2"], "indicator_id": ["veto"], "value": [Decimal(1)]},
        schema_overrides={"value": pl.Decimal(38, 9)},
    )
    flagged = outliers.flag(con, CID, veto)
    history = flagged.filter(pl.col("basis") == "history")
    assert history.height == 1 and history["z"][0] is None  # 1 against 0, 0, 0: flagged, no z
    honours = con.sql(
        "SELECT unit_id, period, indicator_id, value * 0 + 6 AS value FROM indicator_values "
        "WHERE campaign_id = $cid AND indicator_id = 'honours' AND period = '2023Q3' "
        "ORDER BY unit_id LIMIT 30",
        params={"cid": CID},
    ).pl()
    zs = outliers.flag(con, CID, honours)["z"].drop_nulls().to_list()
    assert all(math.isfinite(z) for z in zs)
    con.close()


def test_a_confirming_comment_goes_on_the_values_it_confirms_only(demo_copy):
    from scoring.accounts.access import User
    from scoring.app.entry import save_values

    con = connect(demo_copy)
    usual = con.sql(
        "SELECT value FROM indicator_values WHERE unit_id = 'JJ011' AND period = '2023Q2' "
        "AND indicator_id = 'service_area'"
    ).fetchall()[0][0]
    wild = con.sql(
        "SELECT value * 40 FROM indicator_values WHERE unit_id = 'JJ010' AND period = '2023Q2' "
        "AND indicator_id = 'service_area'"
    ).fetchall()[0][0]
    changes = pl.DataFrame(
        {
            "unit_id": ["JJ010", "JJ011"],
            "period": ["2023Q2", "2023Q2"],
            "indicator_id": ["service_area", "service_area"],
            "value": [str(wild), str(usual + 1)],
            "_row": [1, 2],
        }
    )
    save_values(
        open_campaign(con, CID), changes, User("王评", "evaluator"), confirm_note="新建服务中心已验收"
    )
    audit = dict(
        con.execute(
            "SELECT unit_id, reason FROM audit_log WHERE action = 'change' AND indicator_id = 'service_area'"
        ).fetchall()
    )
    notes = dict(
        con.execute(
            "SELECT unit_id, note FROM indicator_values WHERE period = '2023Q2' "
            "AND indicator_id = 'service_area' AND unit_id IN ('JJ010', 'JJ011')"
        ).fetchall()
    )
    con.close()
    assert audit == {"JJ010": "新建服务中心已验收", "JJ011": None}
    assert notes["JJ010"] == "新建服务中心已验收" and notes["JJ011"] != "新建服务中心已验收"
