"""Master data on import: what changes in the rules, the units and the secretaries, recorded
before it is written and refused where a lock forbids it.

Money follows master data as much as values: a unit's secretary is who is paid, its category
where it ranks, an award amount what it earns. So every change of them is an audit row with its
before and after (``rules_change``, ``unit_add``, ``unit_change``, ``unit_remove``,
``secretary_change``; ``sources_change`` for the departments' sources, which a lock never
holds: they say how files are read, not how values are scored), and once a period is locked
(approved, published, final) the rules and the units cannot change at all, nor the secretaries
of a locked period: a correction goes through a reopen, with its reason, like a value's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import duckdb

from scoring.core.errors import CampaignError, Problem
from scoring.rules.model import Rules
from scoring.store.seal import seal

UNIT_FIELDS = ("name", "category", "town", "households", "secretary_id", "secretary_name")


@dataclass(frozen=True)
class Change:
    action: str  # unit_add, unit_change, unit_remove, secretary_change, rules_change, sources_change
    unit_id: str | None
    period: str | None
    detail: str  # field: before → after; …


def _flat(value: Any, path: str = "") -> dict[str, Any]:
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            out |= _flat(v, f"{path}.{k}" if path else str(k))
        return out
    if isinstance(value, list):
        out = {}
        for k, v in enumerate(value):
            out |= _flat(v, f"{path}[{k}]")
        return out
    return {path: value}


def rules_changes(old_json: str | None, new: Rules) -> list[Change]:
    """Each rule that differs between the stored rules and the incoming ones, with both values
    (an award amount raised ninefold is one line naming it)."""
    if old_json is None:
        return []
    before, after = _flat(json.loads(old_json)), _flat(json.loads(new.canonical_json()))
    changes = []
    for action, of_sources in (("rules_change", False), ("sources_change", True)):
        lines = [
            f"{key}: {before.get(key, '∅')} → {after.get(key, '∅')}"
            for key in sorted(set(before) | set(after))
            if before.get(key) != after.get(key) and key.startswith("sources") == of_sources
        ]
        if lines:
            changes.append(Change(action, None, None, "; ".join(lines)))
    return changes


def unit_changes(con: duckdb.DuckDBPyConnection, cid: str, units: str) -> list[Change]:
    """Units added, removed or changed (field by field) between the store and table ``units``."""
    cols = ", ".join(UNIT_FIELDS)
    rows = con.execute(
        f"""
        SELECT coalesce(o.unit_id, n.unit_id), o.unit_id IS NULL, n.unit_id IS NULL,
               {", ".join(f"CAST(o.{c} AS VARCHAR), CAST(n.{c} AS VARCHAR)" for c in UNIT_FIELDS)}
        FROM (SELECT unit_id, {cols} FROM units WHERE campaign_id = ?) o
        FULL JOIN (SELECT unit_id, {cols} FROM {units}) n ON o.unit_id = n.unit_id
        WHERE o.unit_id IS NULL OR n.unit_id IS NULL
           OR {" OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in UNIT_FIELDS)}
        ORDER BY 1""",
        [cid],
    ).fetchall()
    changes = []
    for row in rows:
        uid, added, removed, pairs = row[0], row[1], row[2], row[3:]
        fields = [
            f"{name}: {pairs[2 * k] or '∅'} → {pairs[2 * k + 1] or '∅'}"
            for k, name in enumerate(UNIT_FIELDS)
            if pairs[2 * k] != pairs[2 * k + 1]
        ]
        action = "unit_add" if added else ("unit_remove" if removed else "unit_change")
        changes.append(Change(action, uid, None, "; ".join(fields)))
    return changes


def secretary_changes(con: duckdb.DuckDBPyConnection, cid: str, secretaries: str | None) -> list[Change]:
    """Per (unit, period), the secretary who held the post before and after (secretaries.csv)."""
    incoming = (
        f"SELECT unit_id, period, secretary_id, secretary_name FROM {secretaries}"
        if secretaries
        else "SELECT NULL::VARCHAR AS unit_id, NULL::VARCHAR AS period, NULL::VARCHAR AS secretary_id, "
        "NULL::VARCHAR AS secretary_name WHERE false"
    )
    rows = con.execute(
        f"""
        SELECT coalesce(o.unit_id, n.unit_id), coalesce(o.period, n.period),
               o.secretary_id, o.secretary_name, n.secretary_id, n.secretary_name
        FROM (SELECT unit_id, period, secretary_id, secretary_name FROM secretaries
              WHERE campaign_id = ?) o
        FULL JOIN ({incoming}) n ON o.unit_id = n.unit_id AND o.period = n.period
        WHERE o.secretary_id IS DISTINCT FROM n.secretary_id
           OR o.secretary_name IS DISTINCT FROM n.secretary_name
        ORDER BY 1, 2""",
        [cid],
    ).fetchall()
    return [
        Change("secretary_change", u, p, f"{a or '∅'} {b or ''} → {c or '∅'} {d or ''}".strip())
        for u, p, a, b, c, d in rows
    ]


# the file each kind of change comes from, and the problem that refuses it under a lock
_REFUSED = {
    "rules": ("campaign.yaml", "rules_locked"),
    "unit": ("units.csv", "master_locked"),
    "secretary": ("secretaries.csv", "master_locked"),
}


def check_and_record(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    changes: list[Change],
    locked: list[str],
    who: str,
    at: datetime,
    reason: str | None,
) -> None:
    """Refuse master-data changes a lock forbids; record the others (inside the import's
    transaction, before anything is replaced)."""
    problems = []
    for c in changes:
        if not locked:
            break
        if c.action == "secretary_change" and c.period not in locked:
            continue  # a secretary of a period still open may change
        if c.action == "sources_change":
            continue  # how departments' files are read moves no value: recorded, never locked
        problems.append(
            Problem(
                "campaign.yaml"
                if c.action == "rules_change"
                else "units.csv"
                if c.action.startswith("unit")
                else "secretaries.csv",
                None,
                None,
                "rules_locked" if c.action == "rules_change" else "master_locked",
                {"periods": ", ".join(locked), "unit": c.unit_id or "", "detail": c.detail},
            )
        )
    if problems:
        raise CampaignError(problems)
    if not changes:
        return
    con.executemany(
        "INSERT INTO audit_log (seq, campaign_id, unit_id, period, action, who, logged_at, reason, source) "
        "VALUES (nextval('audit_seq'), ?, ?, ?, ?, ?, ?, ?, ?)",
        [[cid, c.unit_id, c.period, c.action, who, at, reason or "import", c.detail[:4000]] for c in changes],
    )
    seal(con)
