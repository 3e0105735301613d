"""Units' proof files as stored: each file's bytes once, under its SHA-256 (``evidence_blobs``),
inside the database, so that a backup carries them and a restore brings them back; and the
check ``verify`` runs on them (every kept file hashed again)."""

from __future__ import annotations

import hashlib

import duckdb


def put_blob(con: duckdb.DuckDBPyConnection, data: bytes) -> str:
    """Keep a file's bytes (once, whoever gives it again) and return its SHA-256, inside the
    caller's transaction."""
    digest = hashlib.sha256(data).hexdigest()
    con.execute(
        "INSERT INTO evidence_blobs VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [digest, data, len(data)]
    )
    return digest


def blob(con: duckdb.DuckDBPyConnection, digest: str) -> bytes | None:
    rows = con.execute("SELECT data FROM evidence_blobs WHERE sha256 = ?", [digest]).fetchall()
    return bytes(rows[0][0]) if rows else None


def bad_evidence(con: duckdb.DuckDBPyConnection, cid: str) -> int:
    """How many of the campaign's evidence rows have no file, or a file whose bytes no longer
    hash to the SHA-256 the row was given (a file changed around the product)."""
    rows = con.execute(
        """SELECT e.sha256, b.data FROM evidence e LEFT JOIN evidence_blobs b USING (sha256)
           WHERE e.campaign_id = ?""",
        [cid],
    ).fetchall()
    return sum(data is None or hashlib.sha256(bytes(data)).hexdigest() != digest for digest, data in rows)
