"""Step 9 of the spec: community and secretary awards, caps, budget scaling, rounding.

Exact integer arithmetic in DuckDB (HUGEINT). Money is in fen (1/100 yuan). Every award
before the final rounding is a fraction ``num / D`` fen with one common denominator
``D = 10^9 x (number of periods)``: the secretary share has at most 9 decimals and a
tenure is a number of periods, so every share is an exact multiple of ``1 / D`` fen.

- community award  = min(stars amount + flag x flags (+ progress award), community_cap)
                                                                              -> num = fen x D
- secretary gross  = share x sum over the units of (community award x periods held) / N
                   = share_nano x sum over (unit, period held) of community fen  -> num
- secretary award  = min(gross, secretary_cap)
- with a budget and a total above it, final = floor(num x budget / total / rounding) x rounding
  (in Python's integers: num x budget can pass 128 bits), otherwise
  final = floor(num / D / rounding) x rounding.
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction

import duckdb
import polars as pl

from scoring.core.frames import query, register
from scoring.rules.model import SHARE_SCALE, Rules


def fen(x: object) -> int:
    """Yuan (Decimal, at most 2 decimals) as whole fen."""
    from decimal import Decimal

    return int(Decimal(str(x)).scaleb(2))


@dataclass(frozen=True)
class Totals:
    denominator: int
    total_num: int  # sum of capped awards, in fen x denominator
    budget_fen: int | None
    scaled: bool
    total_final_fen: int
    community_final_fen: int
    secretary_final_fen: int

    @property
    def scale_factor(self) -> Fraction:
        if not self.scaled or self.budget_fen is None:
            return Fraction(1)
        return Fraction(self.budget_fen * self.denominator, self.total_num)


TENURE_SQL = """
WITH listed AS (SELECT DISTINCT unit_id FROM secretaries WHERE campaign_id = $cid)
SELECT u.unit_id, p.period, p.period_no,
       CASE WHEN l.unit_id IS NULL THEN u.secretary_id ELSE s.secretary_id END AS secretary_id,
       CASE WHEN l.unit_id IS NULL THEN u.secretary_name ELSE s.secretary_name END
         AS secretary_name
FROM units u JOIN periods p ON p.campaign_id = u.campaign_id
LEFT JOIN listed l ON l.unit_id = u.unit_id
LEFT JOIN secretaries s ON s.campaign_id = u.campaign_id AND s.unit_id = u.unit_id
     AND s.period = p.period
WHERE u.campaign_id = $cid"""


def tenure(con: duckdb.DuckDBPyConnection, cid: str) -> None:
    """Who held the post in each (unit, period): secretaries.csv where the unit has rows."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE s_tenure AS {TENURE_SQL}", {"cid": cid})


def tenure_frame(
    con: duckdb.DuckDBPyConnection, cid: str, unit_id: str | None = None, secretary_id: str | None = None
) -> pl.DataFrame:
    """Who held the secretary's post in each (unit, period): for all units, one unit's, or the
    posts one secretary held (the filters run in the database: a nation has 2.8 M of these)."""
    given = {k: v for k, v in (("unit_id", unit_id), ("secretary_id", secretary_id)) if v is not None}
    where = "".join(f" AND {k} = ${k}" for k in given)
    return query(
        con, f"SELECT * FROM ({TENURE_SQL}) t WHERE true{where} ORDER BY unit_id, period_no", cid=cid, **given
    )


def progress(con: duckdb.DuckDBPyConnection, rules: Rules, cid: str) -> None:
    """Step 9, 进步奖, into ``s_progress``: each unit's gain over last year's result (the
    campaign's baselines) and whether it won. Inside each category, over the units not vetoed
    for the year that have a baseline and a gain > 0, gains are ranked higher first,
    competition style; a place ≤ ``top_n`` wins. A gain by score is in nano-units."""
    rule = rules.awards.progress
    if rule is None:
        con.execute(
            "CREATE OR REPLACE TEMP TABLE s_progress AS SELECT unit_id, "
            "NULL::HUGEINT AS gain, NULL::BIGINT AS gain_place, false AS won FROM s_stars"
        )
        return
    gain = (
        "b.annual_rank - s.annual_rank"
        if rule.by == "rank"
        else "s.annual_c::HUGEINT * 10000000 - nano(b.annual_score)"
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE s_progress AS
        WITH g AS (
          SELECT s.unit_id, s.category,
                 CASE WHEN NOT s.vetoed THEN ({gain})::HUGEINT END AS gain
          FROM s_stars s LEFT JOIN baselines b ON b.campaign_id = $cid AND b.unit_id = s.unit_id),
        placed AS (
          SELECT unit_id, gain, CASE WHEN gain > 0 THEN rank() OVER (
                   PARTITION BY category, gain > 0 ORDER BY gain DESC) END AS gain_place
          FROM g)
        SELECT unit_id, gain, gain_place, coalesce(gain_place <= $top_n, false) AS won FROM placed""",
        {"cid": cid, "top_n": rule.top_n},
    )


def awards(con: duckdb.DuckDBPyConnection, rules: Rules, cid: str) -> Totals:
    """Step 9: every award as an exact fraction, then budget scaling and flooring."""
    aw = rules.awards
    n_periods = len(rules.periods)
    denom = 10**SHARE_SCALE * n_periods
    share_nano = int(aw.secretary_share.scaleb(SHARE_SCALE))
    star_fen = " ".join(f"WHEN {lvl} THEN {fen(amt)}" for lvl, amt in aw.stars.items())
    star_expr = f"CASE stars {star_fen} ELSE 0 END" if star_fen else "0"
    community_cap = "gross_fen" if aw.community_cap is None else str(fen(aw.community_cap))
    tenure(con, cid)
    progress(con, rules, cid)
    bonus = "0" if aw.progress is None else f"CASE WHEN won THEN {fen(aw.progress.amount)} ELSE 0 END"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s_community AS
        SELECT unit_id, stars, flags, vetoed, star_fen, gross_fen,
               least(gross_fen, {community_cap})::HUGEINT AS capped_fen
        FROM (SELECT unit_id, stars, flags, vetoed,
                     CASE WHEN vetoed THEN 0 ELSE {star_expr} END::HUGEINT AS star_fen,
                     CASE WHEN vetoed THEN 0
                          ELSE {star_expr} + {fen(aw.flag)} * flags + {bonus}
                     END::HUGEINT AS gross_fen
              FROM s_stars JOIN s_progress USING (unit_id))""")
    sec_cap = "gross_num" if aw.secretary_cap is None else f"{fen(aw.secretary_cap) * denom}"
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE s_secretary AS
        SELECT *, least(gross_num, {sec_cap}::HUGEINT) AS capped_num FROM (
          SELECT t.secretary_id, min(t.secretary_name) AS secretary_name,
                 ({share_nano}::HUGEINT * sum(c.capped_fen))::HUGEINT AS gross_num,
                 count(*) FILTER (WHERE c.capped_fen > 0)::INTEGER AS paid_periods
          FROM s_tenure t JOIN s_community c USING (unit_id)
          WHERE t.secretary_id IS NOT NULL GROUP BY t.secretary_id)""")
    total_num = int(
        con.execute(f"""
        SELECT coalesce((SELECT sum(capped_fen) FROM s_community), 0)::HUGEINT * {denom}
             + coalesce((SELECT sum(capped_num) FROM s_secretary), 0)::HUGEINT""").fetchall()[0][0]
    )
    budget_fen = None if aw.budget is None else fen(aw.budget)
    rounding_fen = fen(aw.rounding)
    scaled = budget_fen is not None and total_num > budget_fen * denom
    # scaled, num x budget can pass 128 bits inside the amounts allowed: done in Python below
    final = "NULL" if scaled else f"num // ({denom}::HUGEINT * {rounding_fen}) * {rounding_fen}"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE s_payouts AS
        SELECT payee_type, payee_id, payee_name, gross_num, num AS capped_num,
               ({final})::HUGEINT AS final_fen, {denom}::HUGEINT AS denominator
        FROM (
          SELECT 'community' AS payee_type, c.unit_id AS payee_id, u.name AS payee_name,
                 c.gross_fen * {denom} AS gross_num, c.capped_fen * {denom} AS num,
                 1 AS type_no, u.rowid AS ord
          FROM s_community c JOIN units u ON u.campaign_id = $cid AND u.unit_id = c.unit_id
          WHERE c.capped_fen > 0
          UNION ALL
          SELECT 'secretary', secretary_id, secretary_name, gross_num, capped_num, 2, 0
          FROM s_secretary WHERE capped_num > 0)
        ORDER BY type_no, ord, payee_id""",
        {"cid": cid},
    )
    if scaled and budget_fen is not None:
        _scale(con, budget_fen, total_num * rounding_fen, rounding_fen)
    row = con.execute("""
        SELECT coalesce(sum(final_fen), 0),
               coalesce(sum(final_fen) FILTER (WHERE payee_type = 'community'), 0),
               coalesce(sum(final_fen) FILTER (WHERE payee_type = 'secretary'), 0)
        FROM s_payouts""").fetchall()[0]
    return Totals(denom, total_num, budget_fen, scaled, int(row[0]), int(row[1]), int(row[2]))


def _scale(con: duckdb.DuckDBPyConnection, budget_fen: int, step: int, rounding_fen: int) -> None:
    """final = floor(num x budget / (total x rounding)) x rounding, in Python's exact integers:
    a capped award near 10^25 (10^13 yuan x D) times a budget near 10^15 fen passes DuckDB's
    128-bit HUGEINT. Each final is at most the budget, so it is stored as a HUGEINT again."""
    rows = con.execute("SELECT payee_type, payee_id, capped_num FROM s_payouts").fetchall()
    finals = pl.DataFrame(
        {
            "payee_type": [r[0] for r in rows],
            "payee_id": [r[1] for r in rows],
            "final": [str(int(r[2]) * budget_fen // step * rounding_fen) for r in rows],
        },
        schema={"payee_type": pl.String, "payee_id": pl.String, "final": pl.String},
    )
    register(con, "s_finals", finals)
    try:
        con.execute("""
            UPDATE s_payouts SET final_fen = f.final::HUGEINT FROM s_finals f
            WHERE s_payouts.payee_type = f.payee_type AND s_payouts.payee_id = f.payee_id""")
    finally:
        con.unregister("s_finals")
