"""The audit trail made tamper-evident: every row carries a hash chained to the previous one.

Every write of the audit log or the workflow log ends with ``seal``, inside the same
transaction: each row written since the last sealed one (by sequence number, both logs in one
order) gets a row in ``audit_hashes`` holding its sequence number, the previous row's hash and
its own, SHA-256 of the previous hash and the row's every column (as JSON). Changing a row
changes its hash; deleting a row leaves its hash without a row; changing or deleting a hash
breaks the link to the next row; a row written around ``seal`` has no hash. ``check_chain``
(``starscore verify``) finds each of these and names the row. The last hash (the head) anchors
everything before it: written down elsewhere, it shows that no earlier row was rewritten.

The chain's last row and hash are also kept in ``audit_head``, one row every seal updates: two
writers that seal at once both update it, and DuckDB refuses the second (a write conflict), so
one of them rolls back rather than chaining from the same previous hash. Rows and hashes
deleted from the end of the trail leave the head pointing past them.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import duckdb
import polars as pl

from scoring.core.frames import register

SCHEMA = """
CREATE TABLE IF NOT EXISTS audit_hashes (
  seq BIGINT PRIMARY KEY, prev VARCHAR NOT NULL, hash VARCHAR NOT NULL, sealed_at TIMESTAMP);
CREATE TABLE IF NOT EXISTS audit_head (id INTEGER PRIMARY KEY, seq BIGINT NOT NULL, hash VARCHAR NOT NULL);
"""

# every column of both logs, named (a column added later does not change a sealed row's hash)
_ROWS = """
SELECT seq, 'a' || to_json(struct_pack(seq, campaign_id, unit_id, period, indicator_id, old_value,
       new_value, action, who, logged_at, reason, source))::VARCHAR AS body
FROM audit_log
UNION ALL
SELECT seq, 'w' || to_json(struct_pack(seq, campaign_id, period, from_status, to_status, who,
       logged_at, reason, run_id))::VARCHAR AS body
FROM workflow_log
UNION ALL
SELECT seq, 't' || to_json(struct_pack(seq, campaign_id, period, town, from_status, to_status, who,
       logged_at, message))::VARCHAR AS body
FROM town_log"""

GENESIS = ""  # the "previous hash" of the first row
_BATCH = 100_000  # rows read per fetch


def row_hash(prev: str, body: str) -> str:
    return hashlib.sha256(f"{prev}:{body}".encode()).hexdigest()


def _head(con: duckdb.DuckDBPyConnection) -> tuple[int, str]:
    rows = con.execute("SELECT seq, hash FROM audit_head WHERE id = 1").fetchall()
    return (int(rows[0][0]), str(rows[0][1])) if rows else (0, GENESIS)


def head(con: duckdb.DuckDBPyConnection) -> str:
    """The chain's last hash as kept (``check_chain`` recomputes it; this only reads it)."""
    return _head(con)[1]


def _batches(cur: duckdb.DuckDBPyConnection) -> Iterator[list[tuple[Any, ...]]]:
    """The pending result of ``cur``, a batch at a time."""
    while batch := cur.fetchmany(_BATCH):
        yield batch


def seal(con: duckdb.DuckDBPyConnection) -> None:
    """Chain the log rows written since the last sealed one (call inside the writing
    transaction, on its connection: another cursor would not see the rows). The rows are read
    a batch at a time and their hashes written in one insert."""
    last, head = _head(con)
    con.execute(f"SELECT seq, body FROM ({_ROWS}) r WHERE seq > ? ORDER BY seq", [last])
    seqs: list[int] = []
    hashes: list[str] = []
    prev = head
    for batch in _batches(con):
        for seq, body in batch:
            prev = row_hash(prev, body)
            seqs.append(int(seq))
            hashes.append(prev)
    if not seqs:
        return
    frame = pl.DataFrame(
        {"seq": seqs, "hash": hashes}, schema={"seq": pl.Int64, "hash": pl.String}
    ).with_columns(pl.col("hash").shift(1, fill_value=head).alias("prev"))
    register(con, "_sealing", frame)
    try:
        con.execute(
            "INSERT INTO audit_hashes SELECT seq, prev, hash, ? FROM _sealing",
            [datetime.now(UTC).replace(tzinfo=None)],
        )
    finally:
        con.unregister("_sealing")
    con.execute(
        "INSERT INTO audit_head VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, "
        "hash = excluded.hash",
        [seqs[-1], hashes[-1]],
    )


@dataclass(frozen=True)
class ChainCheck:
    rows: int  # log rows whose hash holds
    broken: list[tuple[str, dict[str, Any]]]  # (catalogue code, its parameters); empty: it holds
    head: str  # the last row's hash: written down elsewhere, it anchors the whole trail

    @property
    def ok(self) -> bool:
        return not self.broken


MAX_BROKEN = 20  # findings listed; the rest are counted


def check_chain(con: duckdb.DuckDBPyConnection) -> ChainCheck:
    """Recompute every row's hash from its columns and the previous hash, in sequence order."""
    cur = con.cursor()
    cur.execute(f"""
        SELECT coalesce(r.seq, h.seq) AS seq, r.body, h.prev, h.hash
        FROM ({_ROWS}) r FULL JOIN audit_hashes h ON h.seq = r.seq ORDER BY 1""")
    broken: list[tuple[str, dict[str, Any]]] = []
    held, unsealed, first_unsealed, prev = 0, 0, None, GENESIS
    for batch in _batches(cur):
        for seq, body, stored_prev, stored in batch:
            if stored is None:  # a row with no hash: written around seal
                unsealed += 1
                first_unsealed = int(seq) if first_unsealed is None else first_unsealed
                continue
            if body is None:
                broken.append(("verify.chain_deleted", {"seq": int(seq)}))
            elif stored_prev != prev:
                broken.append(("verify.chain_broken", {"seq": int(seq)}))
            elif row_hash(stored_prev, body) != stored:
                broken.append(("verify.chain_changed", {"seq": int(seq)}))
            else:
                held += 1
            prev = str(stored)
    head_seq, head_hash = _head(cur)
    if head_hash != prev:  # the last rows went, with their hashes
        broken.append(("verify.chain_tail", {"seq": head_seq}))
    if unsealed:
        broken.append(("verify.chain_unsealed", {"n": unsealed, "seq": first_unsealed}))
    if len(broken) > MAX_BROKEN:
        broken = [*broken[:MAX_BROKEN], ("verify.chain_more", {"n": len(broken) - MAX_BROKEN})]
    return ChainCheck(held, broken, prev)
