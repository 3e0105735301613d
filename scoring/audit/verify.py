"""Do the stored published results still match a recomputation from the stored rules and data,
and does the audit trail's hash chain hold?

Each comparison is of multisets on every stored column (``EXCEPT ALL`` both ways): a row
duplicated, dropped or changed in any column is a difference. Every published or final period
is checked against the run it pinned; once every period is, the year too, against the run the
year's 公示 is pinned to (before it, the run pinned last): annual results, payouts (payee names and the
exact fractions included) and the run's summary, whose totals must equal the recomputed ones and
the sum of the stored payouts.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from scoring.accounts.access import USER_STATE
from scoring.core.frames import register
from scoring.core.i18n import t
from scoring.engine.recheck import (
    ANNUAL_FRESH,
    ANNUAL_STORED,
    PAYOUTS_FRESH,
    PAYOUTS_STORED,
    PERIOD_FRESH,
    PERIOD_STORED,
    both_ways,
    draft_differences,
    scored_current,
    summary_differences,
)
from scoring.engine.run import compute
from scoring.rules.tables import rule_tables
from scoring.store.campaign import load_rules_from_db
from scoring.store.evidence import bad_evidence
from scoring.store.fingerprint import stored_hash
from scoring.store.schema import RULE_TABLES
from scoring.store.seal import ChainCheck, check_chain
from scoring.workflow.states import statuses, year_status


@dataclass(frozen=True)
class Check:
    # a period, "annual" / "payouts" / "summary", "state" (stored states vs the log) or "draft"
    # (the current run, published or not)
    scope: str
    run_id: str
    differences: int

    @property
    def ok(self) -> bool:
        return self.differences == 0

    def scope_text(self, lang: str = "zh") -> str:
        """The scope as read: a period as it is, the others in words."""
        key = f"verify.scope.{self.scope}"
        word = t(key, lang)
        return self.scope if word == key else word


def logged_states(con: duckdb.DuckDBPyConnection, cid: str) -> dict[str | None, tuple[str, str | None]]:
    """Each period's (and, under None, the year's) state and pinned run as the hash-chained
    workflow log says: its last row. The tables of current states are pointers a database's
    owner can edit; the log is sealed (``starscore verify`` checks the chain)."""
    rows = con.execute(
        """SELECT period, arg_max(to_status, seq), arg_max(run_id, seq) FROM workflow_log
           WHERE campaign_id = ? GROUP BY period""",
        [cid],
    ).fetchall()
    return {period: (status, run) for period, status, run in rows}


def verify(con: duckdb.DuckDBPyConnection, cid: str) -> list[Check]:
    """Recompute (nothing is written) and compare with every run the log says was published:
    each published or final period's, and the year's once every period is. The stored states
    that disagree with the log (a final period set back to open, a pin pointed at another run)
    are a difference of their own ("state")."""
    logged = logged_states(con, cid)
    status = statuses(con, cid)
    year = year_status(con, cid)
    stored = {r["period"]: (r["status"], r["run_id"]) for r in status.iter_rows(named=True)}
    stored[None] = (year["status"], year["run_id"])
    tampered = sum(
        stored.get(period, ("open", None)) != (state, run) for period, (state, run) in logged.items()
    ) + sum(state != "open" and period not in logged for period, (state, _) in stored.items())
    pinned = [
        (p, run)
        for p in status["period"].to_list()
        if (state_run := logged.get(p)) and state_run[0] in ("published", "final") and (run := state_run[1])
    ]
    checks = [Check("state", "", tampered)] if tampered else []
    checks += [Check(scope, "", n) for scope, n in _unlogged(con, cid).items() if n]
    if files := bad_evidence(con, cid):  # a unit's proof missing or changed around the product
        checks.append(Check("evidence", "", files))
    draft = scored_current(con, cid)  # the run of the rules and data as they are, if scored
    if not pinned and draft is None:
        return checks
    _, totals, _ = compute(con, cid, load_rules_from_db(con, cid))
    if not pinned:  # nothing published: the draft alone, its stored rows against the recomputation
        return [*checks, Check("draft", draft, draft_differences(con, draft, totals))] if draft else checks
    for period, run in pinned:
        params = {"p": period, "run": run}
        checks.append(Check(period, run, both_ways(con, PERIOD_FRESH, PERIOD_STORED, params)))
    year_run = logged.get(None, ("open", None))
    if year_run[0] in ("published", "final") or len(pinned) == status.height:
        # the run the year's 公示 is pinned to; before it, the run pinned last (a correction
        # re-pins its period to the run that scored it, which holds the other periods' values too)
        run = year_run[1] if year_run[0] in ("published", "final") and year_run[1] else _pinned_last(con, cid)
        params = {"run": run}
        checks.append(Check("annual", run, both_ways(con, ANNUAL_FRESH, ANNUAL_STORED, params)))
        checks.append(Check("payouts", run, both_ways(con, PAYOUTS_FRESH, PAYOUTS_STORED, params)))
        checks.append(Check("summary", run, summary_differences(con, run, totals)))
        final = sum(logged.get(p, ("open", None))[0] == "final" for p in status["period"].to_list())
        checks += _fingerprints(con, cid, run, settled=final == status.height)
    if draft is not None and draft not in {c.run_id for c in checks}:  # a draft beside the 公示
        checks.append(Check("draft", draft, draft_differences(con, draft, totals)))
    return checks


def _fingerprints(con: duckdb.DuckDBPyConnection, cid: str, run: str, settled: bool) -> list[Check]:
    """The year's run against the stored rules and, once every period is final (nothing can
    change then but through an objection to the year, which re-pins the year), the stored units,
    secretaries and values, each recomputed from the tables: a value changed around the product
    shows here even when it moves no result."""
    row = con.execute("SELECT rules_hash, data_hash FROM runs WHERE run_id = ?", [run]).fetchall()
    if not row:
        return [Check("summary", run, 1)]
    rules_hash, pinned_data = row[0]
    found = [Check("rules", run, int(load_rules_from_db(con, cid).rules_hash() != rules_hash))]
    if settled:
        found.append(Check("data", run, int(stored_hash(con, cid) != pinned_data)))
    return [c for c in found if not c.ok]


def _unlogged(con: duckdb.DuckDBPyConnection, cid: str) -> dict[str, int]:
    """Rows that only the hash-chained audit trail can vouch for and that disagree with it:
    accounts no ``user_add`` row added (one inserted around the product), objections recorded
    in the trail and gone from the register (deleted), or in the register with no row."""
    users = con.execute(
        """SELECT count(*) FROM users u WHERE NOT EXISTS (
             SELECT 1 FROM audit_log a
             WHERE a.action = 'user_add' AND starts_with(a.source, u.username || ':'))"""
    ).fetchall()[0][0]
    objections = con.execute(
        r"""WITH logged AS (
             SELECT DISTINCT TRY_CAST(regexp_extract(source, '^#(\d+)', 1) AS BIGINT) AS no
             FROM audit_log WHERE campaign_id = $cid AND action = 'objection'),
           kept AS (SELECT objection_no AS no FROM objections WHERE campaign_id = $cid)
           SELECT (SELECT count(*) FROM logged WHERE no NOT IN (SELECT no FROM kept))
                + (SELECT count(*) FROM kept WHERE no NOT IN (SELECT no FROM logged))""",
        {"cid": cid},
    ).fetchall()[0][0]
    # an account changed around the product: its columns no longer those its last sealed
    # state says (or a sealed account gone)
    users += con.execute(
        f"""WITH sealed AS (
             SELECT source AS username, arg_max(reason, seq) AS digest FROM audit_log
             WHERE campaign_id IS NULL AND action = 'user_state' GROUP BY source)
           SELECT count(*) FROM sealed s LEFT JOIN (SELECT username, {USER_STATE} AS digest FROM users) u
             USING (username)
           WHERE u.digest IS DISTINCT FROM s.digest"""
    ).fetchall()[0][0]
    return {"users": int(users), "objections": int(objections), "stored": _unsealed_data(con, cid)}


def _unsealed_data(con: duckdb.DuckDBPyConnection, cid: str) -> int:
    """Whether the campaign's rules and data, recomputed from the tables, are not what the
    trail's last ``data_state`` row says a step of the product left them (0 or 1; 0 when no
    step has sealed them yet): a value, unit, secretary, last year's result or rule written
    around the product, while its period is still open too. The rule tables the engine reads
    are compared with those the stored rules give."""
    row = con.execute(
        "SELECT source FROM audit_log WHERE campaign_id = ? AND action = 'data_state' "
        "ORDER BY seq DESC LIMIT 1",
        [cid],
    ).fetchall()
    if not row:
        return 0
    rules = load_rules_from_db(con, cid)
    if f"{rules.rules_hash()}/{stored_hash(con, cid)}" != row[0][0]:
        return 1
    tables = rule_tables(rules)
    for name in RULE_TABLES:
        frame = getattr(tables, name)
        cols = ", ".join(f'"{c}"' for c in frame.columns if c != "campaign_id")
        register(con, "_rules_now", frame)
        try:
            stored = f"SELECT {cols} FROM {name} WHERE campaign_id = $cid"
            if both_ways(con, f"SELECT {cols} FROM _rules_now", stored, {"cid": cid}):
                return 1
        finally:
            con.unregister("_rules_now")
    return 0


def _pinned_last(con: duckdb.DuckDBPyConnection, cid: str) -> str:
    """The run the log pinned most recently (a period's publication, finalisation or re-pin)."""
    rows = con.execute(
        "SELECT run_id FROM workflow_log WHERE campaign_id = ? AND period IS NOT NULL "
        "AND run_id IS NOT NULL ORDER BY seq DESC LIMIT 1",
        [cid],
    ).fetchall()
    return str(rows[0][0])


def verify_chain(con: duckdb.DuckDBPyConnection) -> ChainCheck:
    """The audit trail's hash chain (see scoring.store.seal)."""
    return check_chain(con)
