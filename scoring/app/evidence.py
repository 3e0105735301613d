"""A unit's proof (佐证材料), given once and kept: added for an indicator of a period, listed,
removed with a reason, and archived per unit as the period's 台账.

Every add and remove is an audit row (``evidence_add``, ``evidence_remove``, with the file's
SHA-256). A locked period (approved, published, final) takes no new file unless a
lock exception opens the unit, and none of its files is removed. The file itself is checked by
``scoring.ingest.evidence_file`` (its kind by content, its size) and kept by
``scoring.store.evidence`` (once, by its SHA-256, inside the database).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import polars as pl

from scoring.accounts.access import User, require
from scoring.app.names import unit_towns
from scoring.core.errors import MAX_REASON, CampaignError, Problem, bounded, refused
from scoring.core.frames import to_polars
from scoring.ingest.evidence_file import KINDS, MAX_FILE, MAX_UNIT_PERIOD, file_name, kind_of
from scoring.outputs.reports import safe_frame
from scoring.store.campaign import Campaign
from scoring.store.db import now, transaction
from scoring.store.evidence import blob, put_blob
from scoring.store.trail import record_step
from scoring.workflow.locks import exceptions
from scoring.workflow.states import LOCKED, statuses

__all__ = [
    "KINDS",
    "MAX_FILE",
    "add_evidence",
    "evidence_file",
    "export_evidence",
    "list_evidence",
    "remove_evidence",
    "unit_zip",
]
COLUMNS = (
    "evidence_no, unit_id, period, indicator_id, name, kind, size, sha256, note, added_by, added_at, "
    "removed_by, removed_at, removed_reason"
)


def _may(
    user: User, con: duckdb.DuckDBPyConnection, cid: str, unit_id: str, action: str = "add_evidence"
) -> None:
    """The user may take the action, and the unit is in their scope (a unit account's own
    units; an evaluator's towns, when they have towns)."""
    require(user, action)
    rows = con.execute(
        "SELECT town FROM units WHERE campaign_id = ? AND unit_id = ?", [cid, unit_id]
    ).fetchall()
    if not rows:
        raise refused("evidence", "unknown_unit", unit=unit_id)
    if not user.sees_unit(unit_id, rows[0][0]):
        raise CampaignError(
            [
                Problem(
                    "evidence",
                    None,
                    "unit_id",
                    "evidence_forbidden",
                    {"user": user.username, "unit": unit_id},
                )
            ]
        )


def _locked(con: duckdb.DuckDBPyConnection, cid: str, period: str) -> str | None:
    """The period's state when it is locked, else None."""
    state = statuses(con, cid).filter(pl.col("period") == period)["status"]
    return str(state[0]) if state.len() and state[0] in LOCKED else None


def add_evidence(
    campaign: Campaign,
    unit_id: str,
    period: str,
    indicator_id: str,
    name: str,
    data: bytes,
    user: User,
    note: str | None = None,
) -> int:
    """Keep a file as the unit's proof for an indicator of a period; returns its number."""
    return add_evidence_files(campaign, unit_id, period, indicator_id, [(name, data)], user, note)[0]


def add_evidence_files(
    campaign: Campaign,
    unit_id: str,
    period: str,
    indicator_id: str,
    files: list[tuple[str, bytes]],
    user: User,
    note: str | None = None,
) -> list[int]:
    """Keep several files as the unit's proof, all or none: every file is checked (its kind, its
    size, the unit's room, the period's lock) before any is kept, then all in one transaction.
    Returns their numbers."""
    con, cid, rules = campaign.con, campaign.id, campaign.rules
    _may(user, con, cid, unit_id)
    if period not in rules.periods:
        raise refused("evidence", "unknown_period", period=period, expected="、".join(rules.periods))
    if rules.indicator(indicator_id) is None:
        raise refused("evidence", "unknown_indicator", indicator=indicator_id)
    bounded("evidence", "note", note, MAX_REASON)
    checked = [(file_name(name), data) for name, data in files]
    kinds = [kind_of(data, shown) for shown, data in checked]
    if (state := _locked(con, cid, period)) is not None:
        opened = exceptions(con, cid).filter(
            (pl.col("period") == period) & (pl.col("unit_id").is_null() | (pl.col("unit_id") == unit_id))
        )
        if not opened.height:
            raise refused(checked[0][0], "evidence_locked", period=period, status=state)
    held = con.execute(
        "SELECT coalesce(sum(size), 0) FROM evidence WHERE campaign_id = ? AND unit_id = ? AND period = ? "
        "AND removed_at IS NULL",
        [cid, unit_id, period],
    ).fetchall()[0][0]
    if held + sum(len(data) for _, data in checked) > MAX_UNIT_PERIOD:
        mb = MAX_UNIT_PERIOD // 1024 // 1024
        raise refused(checked[0][0], "evidence_unit_full", mb=mb, unit=unit_id, period=period)
    at = now()
    numbers = []
    with transaction(con):
        for (shown, data), kind in zip(checked, kinds, strict=True):
            digest = put_blob(con, data)
            no = int(con.execute("SELECT nextval('evidence_seq')").fetchall()[0][0])
            con.execute(
                "INSERT INTO evidence VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL)",
                [
                    no,
                    cid,
                    unit_id,
                    period,
                    indicator_id,
                    digest,
                    shown,
                    kind,
                    len(data),
                    note,
                    user.username,
                    at,
                ],
            )
            record_step(
                con, cid, "evidence_add", user.username, at, unit=unit_id, period=period,
                indicator=indicator_id, reason=note, detail=f"#{no} {digest} {shown}",
            )  # fmt: skip
            numbers.append(no)
    return numbers


def remove_evidence(con: duckdb.DuckDBPyConnection, cid: str, no: int, reason: str, user: User) -> None:
    """Take a file off the unit's proof, with a reason; the file and its rows stay in the audit."""
    rows = con.execute(
        "SELECT unit_id, period, indicator_id, sha256, name, removed_at FROM evidence "
        "WHERE campaign_id = ? AND evidence_no = ?",
        [cid, no],
    ).fetchall()
    if not rows:
        raise refused("evidence", "evidence_unknown", no=no)
    unit_id, period, indicator_id, digest, name, removed = rows[0]
    _may(user, con, cid, unit_id)
    if not (reason or "").strip():
        raise refused("evidence", "evidence_reason", no=no)
    bounded("evidence", "reason", reason, MAX_REASON)
    if removed is not None:
        raise refused("evidence", "evidence_removed", no=no)
    if (state := _locked(con, cid, period)) is not None:
        raise refused(name, "evidence_locked_remove", period=period, status=state)
    at = now()
    with transaction(con):
        con.execute(
            "UPDATE evidence SET removed_by = ?, removed_at = ?, removed_reason = ? "
            "WHERE campaign_id = ? AND evidence_no = ?",
            [user.username, at, reason.strip(), cid, no],
        )
        record_step(
            con, cid, "evidence_remove", user.username, at, unit=unit_id, period=period,
            indicator=indicator_id, reason=reason.strip(), detail=f"#{no} {digest} {name}",
        )  # fmt: skip


def evidence_file(con: duckdb.DuckDBPyConnection, cid: str, no: int, user: User) -> tuple[str, str, bytes]:
    """A kept file (name, kind, bytes) for whoever may see the unit's proof: administrators and
    leaders, evaluators of the unit's town and the unit's own account; never anyone else
    (finance, another unit, the public page)."""
    rows = con.execute(
        "SELECT unit_id, name, kind, sha256 FROM evidence WHERE campaign_id = ? AND evidence_no = ?",
        [cid, no],
    ).fetchall()
    if not rows:
        raise refused("evidence", "evidence_unknown", no=no)
    unit_id, name, kind, digest = rows[0]
    _may(user, con, cid, unit_id, "read_evidence")
    data = blob(con, digest)
    if data is None:
        raise refused("evidence", "evidence_missing", no=no)
    return name, kind, data


def list_evidence(
    con: duckdb.DuckDBPyConnection,
    cid: str,
    unit_id: str | None = None,
    period: str | None = None,
    user: User | None = None,
) -> pl.DataFrame:
    """The campaign's evidence rows, oldest first (a unit's and a period's, when given; only
    those of the units in ``user``'s scope, when given)."""
    rows = to_polars(
        con.cursor().sql(
            f"SELECT {COLUMNS} FROM evidence WHERE campaign_id = $cid "
            "AND ($unit IS NULL OR unit_id = $unit) AND ($period IS NULL OR period = $period) "
            "ORDER BY evidence_no",
            params={"cid": cid, "unit": unit_id, "period": period},
        )
    )
    if user is None:
        return rows
    require(user, "read_evidence")  # finance reads no proof
    if not rows.height:
        return rows
    towns = unit_towns(con, cid)
    return rows.filter(pl.Series([user.sees_unit(u, towns.get(u)) for u in rows["unit_id"].to_list()]))


def _archive(con: duckdb.DuckDBPyConnection, files: pl.DataFrame) -> tuple[list[tuple[str, bytes]], bytes]:
    """A unit's kept files of a period as archived (``<no>-<name>``, byte for byte) and its
    ``index.csv`` (indicator, file, sha256, who, when, note)."""
    kept, index = [], []
    for r in files.iter_rows(named=True):
        data = blob(con, r["sha256"])
        if data is None:
            raise refused("evidence", "evidence_missing", no=r["evidence_no"])
        target = f"{r['evidence_no']}-{r['name']}"
        kept.append((target, data))
        index.append(
            {
                "indicator_id": r["indicator_id"],
                "file": target,
                "sha256": r["sha256"],
                "added_by": r["added_by"],
                "added_at": str(r["added_at"]),
                "note": r["note"] or "",
            }
        )
    text = safe_frame(pl.DataFrame(index)).write_csv()  # a name that looks like a formula stays text
    return kept, ("\ufeff" + text).encode("utf-8")


def export_evidence(
    con: duckdb.DuckDBPyConnection, cid: str, period: str, out: Path, user: User | None = None
) -> int:
    """The period's 台账: per unit a folder with its files (``<no>-<name>``, as given, byte for
    byte) and ``index.csv`` (indicator, file, sha256, who, when, note). Files removed are left
    out; given a user who may not read every unit's proof, only their units'. Returns how many
    files were written."""
    rows = list_evidence(con, cid, period=period, user=user).filter(pl.col("removed_at").is_null())
    written = 0
    for unit_id, files in rows.group_by("unit_id", maintain_order=True):
        folder = out / file_name(str(unit_id[0]))
        folder.mkdir(parents=True, exist_ok=True)
        kept, index = _archive(con, files)
        for target, data in kept:
            (folder / target).write_bytes(data)
        (folder / "index.csv").write_bytes(index)
        written += len(kept)
    return written


def unit_zip(con: duckdb.DuckDBPyConnection, cid: str, unit_id: str, period: str, user: User) -> bytes:
    """One unit's 台账 of a period as a zip (its files and ``index.csv``, as ``export_evidence``
    writes them), for whoever may read the unit's proof."""
    import io
    import zipfile

    _may(user, con, cid, unit_id, "read_evidence")
    files = list_evidence(con, cid, unit_id, period).filter(pl.col("removed_at").is_null())
    kept, index = _archive(con, files)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for target, data in kept:
            archive.writestr(target, data)
        archive.writestr("index.csv", index)
    return buffer.getvalue()
