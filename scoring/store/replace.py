"""Replacing a campaign in one transaction: its rules, units, secretaries, last year's results,
survey answers and values, or nothing when the same rules and data come again. It does not
decide who may: the application hands it that decision (the locks, the audit rows) as a hook
that runs inside the transaction (``before_write``)."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime

import duckdb
import polars as pl

from scoring.core.frames import register, to_polars
from scoring.ingest.validate import CampaignData
from scoring.rules.model import Rules
from scoring.rules.tables import rule_tables
from scoring.store.campaign import remember_rules
from scoring.store.cells import delete_values, insert_values, numbered
from scoring.store.db import now, record_state, transaction
from scoring.store.fingerprint import data_hash, fingerprint_parts, sha
from scoring.store.schema import RULE_TABLES


@dataclass(frozen=True)
class Incoming:
    """What an import is about to replace, for the hook that decides and records it."""

    campaign_id: str
    rules: Rules
    values: str  # the incoming values, as a table on the connection
    at: datetime
    stored_rules_hash: str | None  # None: the campaign is new
    first: bool  # no values of the campaign are stored yet
    units: str  # the incoming units, as a table on the connection
    secretaries: str | None  # the incoming secretaries.csv, when there is one


BeforeWrite = Callable[[duckdb.DuckDBPyConnection, Incoming], int]


def store_campaign(
    con: duckdb.DuckDBPyConnection, data: CampaignData, source: str = "", *, before_write: BeforeWrite
) -> int:
    """Replace the campaign's rules, units, secretaries and values in one transaction.

    Importing the same rules and data again changes nothing. Otherwise ``before_write`` runs
    inside the transaction before anything is replaced: it may refuse (raise) and records what
    changes (the application's ``import_campaign`` gives the lock rules and the audit).
    Returns what it returns: the number of values entered, changed or deleted.
    """
    rules = data.rules
    cid = rules.id
    tables = rule_tables(rules)
    stamp = now()
    src = data.values.relation(con, "_import_values")
    register(con, "_import_units", data.units)
    secretaries = baseline = None
    if data.secretaries is not None:
        register(con, "_import_secretaries", data.secretaries)
        secretaries = "_import_secretaries"
    last_year = data.baseline
    if last_year is None:  # a folder without baseline.csv keeps the baseline stored (of its units)
        last_year = to_polars(
            con.sql(
                "SELECT b.unit_id, b.annual_score, b.annual_rank FROM baselines b "
                "SEMI JOIN _import_units u ON u.unit_id = b.unit_id WHERE b.campaign_id = $cid",
                params={"cid": cid},
            )
        )
    if last_year.height:
        register(con, "_import_baseline", last_year)
        baseline = "_import_baseline"
    try:
        with transaction(con):
            old = con.execute(
                "SELECT rules_hash, rules_json FROM campaigns WHERE campaign_id = ?", [cid]
            ).fetchall()
            # the sources are outside the hash: a change of them alone is stored all the same
            unchanged = old and old[0][0] == rules.rules_hash() and old[0][1] == rules.canonical_json()
            parts = fingerprint_parts(
                con, "_import_units", secretaries, src, data.values.digest, baseline=baseline
            )
            incoming = sha(parts)
            if unchanged and incoming == data_hash(con, cid) and _same_answers(con, cid, data.surveys):
                return 0
            first = not con.execute(
                "SELECT 1 FROM indicator_values WHERE campaign_id = ? LIMIT 1", [cid]
            ).fetchall()
            changed = before_write(
                con,
                Incoming(
                    cid, rules, src, stamp, old[0][0] if old else None, first, "_import_units", secretaries
                ),
            )
            delete_values(con, cid)
            for table in (*RULE_TABLES, "units", "secretaries"):
                con.execute(f"DELETE FROM {table} WHERE campaign_id = ?", [cid])
            con.execute("DELETE FROM campaigns WHERE campaign_id = ?", [cid])
            con.execute(
                "INSERT INTO campaigns (campaign_id, name, year, rules_json, rules_hash, imported_at, "
                "source, data_hash, data_digest, key_no) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, nextval('campaign_key_seq'))",
                [
                    cid,
                    rules.campaign.name,
                    rules.campaign.year,
                    rules.canonical_json(),
                    rules.rules_hash(),
                    stamp,
                    source,
                    incoming,
                    parts,
                ],
            )
            for table in RULE_TABLES:
                _insert(con, table, getattr(tables, table), cid)
            _insert(con, "units", numbered(data.units), cid)
            if data.secretaries is not None:
                _insert(con, "secretaries", data.secretaries, cid)
            con.execute("DELETE FROM baselines WHERE campaign_id = ?", [cid])
            if baseline is not None:
                _insert(con, "baselines", last_year, cid)
            con.execute("DELETE FROM survey_answers WHERE campaign_id = ?", [cid])
            if data.surveys is not None:
                _insert(con, "survey_answers", data.surveys, cid)
            insert_values(con, cid, src, stamp, data.values.height, data.values.annotated)
            record_state(con, cid)
        remember_rules(rules.canonical_json(), rules)
    finally:
        for name in ("_import_values", "_import_units", "_import_secretaries", "_import_baseline"):
            with suppress(duckdb.Error):
                con.unregister(name)
    return changed


_ANSWER_HASH = (
    "hash(unit_id, period, indicator_id, respondent_id, item, CAST(answer AS DECIMAL(38,9)), status)"
)


def _same_answers(con: duckdb.DuckDBPyConnection, cid: str, answers: pl.DataFrame | None) -> bool:
    """Whether the stored survey answers are these (as a multiset; None: no answers)."""
    stored = con.execute(
        f"SELECT count(*), coalesce(bit_xor({_ANSWER_HASH}), 0) FROM survey_answers WHERE campaign_id = ?",
        [cid],
    ).fetchall()[0]
    if answers is None:
        return int(stored[0]) == 0
    register(con, "_answers", answers)
    try:
        new = con.execute(f"SELECT count(*), coalesce(bit_xor({_ANSWER_HASH}), 0) FROM _answers").fetchall()[
            0
        ]
    finally:
        con.unregister("_answers")
    return tuple(stored) == tuple(new)


def _insert(con: duckdb.DuckDBPyConnection, table: str, frame: pl.DataFrame, cid: str) -> None:
    cols = [c for c in frame.columns if c != "campaign_id"]
    register(con, "_frame", frame)
    try:
        names = ", ".join(f'"{c}"' for c in cols)
        con.execute(f"INSERT INTO {table} (campaign_id, {names}) SELECT ?, {names} FROM _frame", [cid])
    finally:
        con.unregister("_frame")
