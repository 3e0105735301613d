"""Do the stored published results still match a recomputation from the stored rules and data?"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scoring.engine.run import compute
from scoring.integrity.workflow import statuses


@dataclass(frozen=True)
class Check:
    scope: str  # a period, or "annual" / "payouts" once every period is final
    run_id: str
    differences: int

    @property
    def ok(self) -> bool:
        return self.differences == 0


def verify(con: duckdb.DuckDBPyConnection, cid: str) -> list[Check]:
    """Recompute (nothing is written) and compare with every pinned published run."""
    status = statuses(con, cid)
    pinned = [
        r for r in status.iter_rows(named=True) if r["status"] in ("published", "final") and r["run_id"]
    ]
    if not pinned:
        return []
    compute(con, cid)
    checks = []
    for r in pinned:
        n = con.execute(
            """
            SELECT count(*) FROM (
              (SELECT unit_id, CAST(score_c AS DECIMAL(38,0)) * 0.01 AS score, rank, flag, vetoed
               FROM s_period_ranked WHERE period = $p
               EXCEPT SELECT unit_id, score, rank, flag, vetoed FROM period_results
               WHERE run_id = $run AND period = $p)
              UNION ALL
              (SELECT unit_id, score, rank, flag, vetoed FROM period_results
               WHERE run_id = $run AND period = $p
               EXCEPT SELECT unit_id, CAST(score_c AS DECIMAL(38,0)) * 0.01, rank, flag, vetoed
               FROM s_period_ranked WHERE period = $p))""",
            {"p": r["period"], "run": r["run_id"]},
        ).fetchall()[0][0]
        checks.append(Check(r["period"], r["run_id"], int(n)))
    if status.height and all(s == "final" for s in status["status"].to_list()):
        run = pinned[-1]["run_id"]
        n = con.execute(
            """
            SELECT count(*) FROM (
              (SELECT unit_id, CAST(annual_c AS DECIMAL(38,0)) * 0.01, annual_rank, stars, flags,
                      vetoed FROM s_stars
               EXCEPT SELECT unit_id, annual_score, annual_rank, stars, flags, vetoed
               FROM annual_results WHERE run_id = $run)
              UNION ALL
              (SELECT unit_id, annual_score, annual_rank, stars, flags, vetoed
               FROM annual_results WHERE run_id = $run
               EXCEPT SELECT unit_id, CAST(annual_c AS DECIMAL(38,0)) * 0.01, annual_rank, stars,
                      flags, vetoed FROM s_stars))""",
            {"run": run},
        ).fetchall()[0][0]
        checks.append(Check("annual", run, int(n)))
        n = con.execute(
            """
            SELECT count(*) FROM (
              (SELECT payee_type, payee_id, capped_num, final_fen FROM s_payouts
               EXCEPT SELECT payee_type, payee_id, capped_num, final_fen FROM payouts
               WHERE run_id = $run)
              UNION ALL
              (SELECT payee_type, payee_id, capped_num, final_fen FROM payouts WHERE run_id = $run
               EXCEPT SELECT payee_type, payee_id, capped_num, final_fen FROM s_payouts))""",
            {"run": run},
        ).fetchall()[0][0]
        checks.append(Check("payouts", run, int(n)))
    return checks
