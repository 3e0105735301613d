"""The data fingerprint: which units, secretaries, values and last year's results a run was
computed from.

Order-free and set-based: per table, the row count and the XOR and the sum of DuckDB's 64-bit
hash of each typed row. The data hash (part of every run id) is the SHA-256 of those parts. It
is kept with the campaign at import, moved along exactly by each save (XOR and sum undo), and
recomputed from the stored tables only when it is not known.
"""

from __future__ import annotations

import hashlib
from contextlib import suppress

import duckdb

# the columns fingerprinted per table, with the types they are stored as
_HASHED = (
    ("units", "unit_id, name, category, town, CAST(households AS BIGINT), secretary_id, secretary_name"),
    ("secretaries", "unit_id, period, secretary_id, secretary_name"),
    ("indicator_values", "unit_id, period, indicator_id, CAST(value AS DECIMAL(38,9))"),
)
# last year's results: a part of their own, written only when there are some, so that the data
# hash of a campaign without them is what it was before they existed
_BASELINE = ("baselines", "unit_id, CAST(annual_score AS DECIMAL(38,9)), CAST(annual_rank AS INTEGER)")


def fingerprint_parts(
    con: duckdb.DuckDBPyConnection,
    units: str,
    secretaries: str | None,
    values: str,
    values_digest: tuple[int, int, int] | None = None,
    params: dict[str, str] | None = None,
    baseline: str | None = None,
) -> str:
    """A fingerprint of units, secretaries and values (FROM items), order-free and set-based
    (the data hash is its SHA-256). Per table: the row count, and the XOR and the sum of
    DuckDB's 64-bit hash of each typed row (no text conversion), as ``table:count:xor:sum|…``.
    ``values_digest``: the values' (count, xor, sum) when the checks already computed it in
    their pass over the file. ``params``: the parameters the FROM items name."""
    parts = []
    for (table, cols), src in zip(_HASHED, (units, secretaries, values), strict=True):
        row: tuple[int, int, int] = (0, 0, 0)
        if table == "indicator_values" and values_digest is not None:
            row = values_digest
        elif src is not None:
            row = _digest(con, f"(SELECT hash({cols}) AS h FROM {src})", params)
        parts.append(f"{table}:{row[0]}:{row[1]}:{row[2]}")
    if baseline is not None:
        row = _digest(con, f"(SELECT hash({_BASELINE[1]}) AS h FROM {baseline})", params)
        if row[0]:
            parts.append(f"{_BASELINE[0]}:{row[0]}:{row[1]}:{row[2]}")
    return "|".join(parts)


def sha(parts: str) -> str:
    return hashlib.sha256(parts.encode()).hexdigest()


def _digest(
    con: duckdb.DuckDBPyConnection, hashes: str, params: dict[str, str] | None = None
) -> tuple[int, int, int]:
    """(count, xor, sum) of the ``h`` column of a FROM item (naming ``params``)."""
    row = con.execute(
        f"SELECT count(*), coalesce(bit_xor(h), 0), coalesce(sum(h::HUGEINT), 0) FROM {hashes}", params
    ).fetchall()[0]
    return int(row[0]), int(row[1]), int(row[2])


def data_hash(con: duckdb.DuckDBPyConnection, cid: str) -> str:
    """The fingerprint of the campaign's stored units, secretaries and values: kept with the
    campaign when it is imported and moved along with each save (``shift_data_hash``);
    recomputed from the stored tables (and kept) when it is not known."""
    row = con.execute("SELECT data_hash FROM campaigns WHERE campaign_id = ?", [cid]).fetchall()
    if row and row[0][0]:
        return str(row[0][0])
    parts = _stored_parts(con, cid)
    if row:
        with suppress(duckdb.Error):  # a read-only or busy connection just recomputes next time
            con.execute(
                "UPDATE campaigns SET data_hash = ?, data_digest = ? WHERE campaign_id = ?",
                [sha(parts), parts, cid],
            )
    return sha(parts)


def forget_data_hash(con: duckdb.DuckDBPyConnection, cid: str) -> None:
    """The campaign's data changed (inside the writer's transaction): recompute when asked."""
    con.execute("UPDATE campaigns SET data_hash = NULL, data_digest = NULL WHERE campaign_id = ?", [cid])


def shift_data_hash(con: duckdb.DuckDBPyConnection, cid: str, removed: str, added: str) -> None:
    """Values are about to be replaced (inside the writer's transaction): move the kept
    fingerprint by the rows ``removed`` and ``added`` (FROM items of unit_id, period,
    indicator_id, value; ``removed`` names the campaign as $cid). Count, XOR and sum each undo
    and redo exactly, so the result is the fingerprint of the stored tables afterwards, without
    reading them."""
    row = con.execute("SELECT data_digest FROM campaigns WHERE campaign_id = ?", [cid]).fetchall()
    if not row or not row[0][0]:
        forget_data_hash(con, cid)
        return
    parts = dict(p.split(":", 1) for p in str(row[0][0]).split("|"))
    count, xor, total = (int(x) for x in parts["indicator_values"].split(":"))
    cols = dict(_HASHED)["indicator_values"]
    out = _digest(con, f"(SELECT hash({cols}) AS h FROM {removed})", {"cid": cid})
    into = _digest(con, f"(SELECT hash({cols}) AS h FROM {added})")
    moved = f"{count - out[0] + into[0]}:{xor ^ out[1] ^ into[1]}:{total - out[2] + into[2]}"
    parts["indicator_values"] = moved
    joined = "|".join(
        f"{table}:{parts[table]}" for table in (*(t for t, _ in _HASHED), _BASELINE[0]) if table in parts
    )
    con.execute(
        "UPDATE campaigns SET data_hash = ?, data_digest = ? WHERE campaign_id = ?",
        [sha(joined), joined, cid],
    )


def stored_hash(con: duckdb.DuckDBPyConnection, cid: str) -> str:
    """The fingerprint of the campaign's stored tables, read again row by row."""
    return sha(_stored_parts(con, cid))


def _stored_parts(con: duckdb.DuckDBPyConnection, cid: str) -> str:
    return fingerprint_parts(
        con,
        "(SELECT * FROM units WHERE campaign_id = $cid)",
        "(SELECT * FROM secretaries WHERE campaign_id = $cid)",
        "(SELECT * FROM indicator_values WHERE campaign_id = $cid)",
        params={"cid": cid},
        baseline="(SELECT * FROM baselines WHERE campaign_id = $cid)",
    )
