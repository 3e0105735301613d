"""The audit trail made tamper-evident: its rows are sealed in a hash chain.

Every write of the audit log or the workflow log ends with ``seal``, inside the same
transaction: the rows written since the last seal (by sequence number) get one seal, holding
their count, a digest of them and a chain hash, SHA-256 of the previous seal's chain hash and
this digest. The digest is order-free and set-based (per row the MD5 of its every column, as
JSON; their count, sums and XORs), so a national import's million audit rows seal in one pass.
Changing, adding or deleting a sealed row changes its seal's digest; changing or deleting a
seal breaks the chain; a row written around ``seal`` is left unsealed. ``check_chain``
(``starscore verify``) finds each of these. Two writers that seal at once both name the same
previous seal, which the primary key refuses: one of them rolls back.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_seals (
  upto_seq BIGINT NOT NULL, prev VARCHAR PRIMARY KEY, n_rows BIGINT NOT NULL,
  digest VARCHAR NOT NULL, chain VARCHAR NOT NULL, sealed_at TIMESTAMP);
"""

# every column of both logs, named (a column added later does not change a sealed row's digest)
_ROWS = """
SELECT seq, 'a' || to_json(struct_pack(seq, campaign_id, unit_id, period, indicator_id, old_value,
       new_value, action, who, logged_at, reason, source))::VARCHAR AS body
FROM audit_log
UNION ALL
SELECT seq, 'w' || to_json(struct_pack(seq, campaign_id, period, from_status, to_status, who,
       logged_at, reason, run_id))::VARCHAR AS body
FROM workflow_log"""

_DIGEST = f"""
SELECT count(*), coalesce(sum(md5_number_upper(body)::HUGEINT), 0),
       coalesce(sum(md5_number_lower(body)::HUGEINT), 0),
       coalesce(bit_xor(md5_number_upper(body)), 0), coalesce(bit_xor(md5_number_lower(body)), 0),
       max(seq)
FROM ({_ROWS}) r WHERE seq > $lo AND seq <= $hi"""


def _digest(con: duckdb.DuckDBPyConnection, lo: int, hi: int) -> tuple[int, str]:
    row = con.execute(_DIGEST, {"lo": lo, "hi": hi}).fetchall()[0]
    return int(row[0]), hashlib.sha256(":".join(str(x) for x in row[:5]).encode()).hexdigest()


def _chain(prev: str, digest: str) -> str:
    return hashlib.sha256(f"{prev}:{digest}".encode()).hexdigest()


def _last(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    rows = con.execute("SELECT upto_seq, chain FROM audit_seals ORDER BY upto_seq DESC LIMIT 1").fetchall()
    return (int(rows[0][0]), str(rows[0][1])) if rows else (0, "")


def seal(con: duckdb.DuckDBPyConnection) -> None:
    """Seal the log rows written since the last seal (call inside the writing transaction)."""
    lo, prev = _last(con)
    hi = con.execute(f"SELECT max(seq) FROM ({_ROWS}) r WHERE seq > ?", [lo]).fetchall()[0][0]
    if hi is None:
        return
    n, digest = _digest(con, lo, int(hi))
    con.execute(
        "INSERT INTO audit_seals VALUES (?, ?, ?, ?, ?, ?)",
        [int(hi), prev, n, digest, _chain(prev, digest), datetime.now(UTC).replace(tzinfo=None)],
    )


@dataclass(frozen=True)
class ChainCheck:
    seals: int
    broken: list[tuple[str, dict[str, Any]]]  # (catalogue code, its parameters); empty: it holds
    head: str  # the last chain hash: written down elsewhere, it anchors the whole trail

    @property
    def ok(self) -> bool:
        return not self.broken


def check_chain(con: duckdb.DuckDBPyConnection) -> ChainCheck:
    """Recompute every seal's digest and chain hash, and look for unsealed rows."""
    seals = con.execute(
        "SELECT upto_seq, prev, n_rows, digest, chain FROM audit_seals ORDER BY upto_seq"
    ).fetchall()
    broken: list[tuple[str, dict[str, Any]]] = []
    lo, prev = 0, ""
    for upto, seal_prev, n_rows, digest, chain in seals:
        n, recomputed = _digest(con, lo, int(upto))
        if seal_prev != prev or chain != _chain(prev, digest):
            broken.append(("verify.chain_broken", {"seal": upto}))
        if (n, recomputed) != (n_rows, digest):
            broken.append(("verify.chain_rows", {"seal": upto, "first": lo + 1, "sealed": n_rows, "now": n}))
        lo, prev = int(upto), str(chain)
    tail = con.execute(f"SELECT count(*) FROM ({_ROWS}) r WHERE seq > ?", [lo]).fetchall()[0][0]
    if tail:
        broken.append(("verify.chain_unsealed", {"n": tail, "seal": lo}))
    return ChainCheck(len(seals), broken, prev)
