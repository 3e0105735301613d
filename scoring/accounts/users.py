"""Managing accounts: towns and areas checked against the campaigns' own lists, a password
reset, a change of role or scope, and importing accounts from a sheet; every step audited
(``user_add``, ``user_password``, ``user_change``), never the password itself."""

from __future__ import annotations

import duckdb
import polars as pl

from scoring.accounts.access import (
    add_user,
    check_scope,
    hash_password,
    record_user_state,
    role_problems,
    unit_problems,
)
from scoring.accounts.credentials import name_problems, password_problems
from scoring.core.errors import CampaignError, Problem
from scoring.store.db import record_event, transaction

IMPORT_COLUMNS = ("username", "role", "password")
IMPORT_ALIASES = {
    "用户名": "username",
    "角色": "role",
    "密码": "password",
    "负责街镇": "towns",
    "负责领域": "areas",
    "负责部门": "departments",
    "村社区": "units",
    "负责村社区": "units",
}
ROLE_WORDS = {
    "管理员": "admin",
    "评分员": "evaluator",
    "领导": "leader",
    "财务": "finance",
    "村/社区": "unit",
    "村社区": "unit",
}


def _known(con: duckdb.DuckDBPyConnection, username: str) -> None:
    if not con.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchall():
        raise CampaignError([Problem("user", None, "username", "unknown_user", {"user": username})])


def set_password(con: duckdb.DuckDBPyConnection, username: str, password: str, by: str = "local") -> None:
    """Reset a user's password (as ``scoring.accounts.credentials`` asks)."""
    _known(con, username)
    if problems := password_problems(password, username):
        raise CampaignError(problems)
    with transaction(con):
        con.execute(
            "UPDATE users SET password_hash = ? WHERE username = ?", [hash_password(password), username]
        )
        # every browser that kept a session of the old password must sign in again
        con.execute("DELETE FROM sessions WHERE username = ?", [username])
        record_event(con, "user_password", by, username)
        record_user_state(con, username, by)


def set_role(
    con: duckdb.DuckDBPyConnection,
    username: str,
    role: str,
    towns: list[str] | None = None,
    areas: list[str] | None = None,
    by: str = "local",
    departments: list[str] | None = None,
    units: list[str] | None = None,
) -> None:
    """Change a user's role and assigned towns, areas, departments and units (checked against
    the campaigns')."""
    _known(con, username)
    problems = role_problems(role, towns, areas, departments, units) + check_scope(
        con, towns or [], areas or [], departments
    )
    problems += unit_problems(con, units or [])
    if problems:
        raise CampaignError(problems)
    before = con.execute(
        "SELECT role, towns, areas, departments, units FROM users WHERE username = ?", [username]
    ).fetchall()[0]
    with transaction(con):
        con.execute(
            "UPDATE users SET role = ?, towns = ?, areas = ?, departments = ?, units = ? WHERE username = ?",
            [role, towns or [], areas or [], departments or [], units or [], username],
        )
        detail = (
            f"{username}: {before[0]} → {role}; towns {','.join(before[1] or [])} → {','.join(towns or [])}; "
            f"areas {','.join(before[2] or [])} → {','.join(areas or [])}"
        )
        if departments or before[3]:
            detail += f"; departments {','.join(before[3] or [])} → {','.join(departments or [])}"
        if units or before[4]:
            detail += f"; units {','.join(before[4] or [])} → {','.join(units or [])}"
        record_event(con, "user_change", by, detail)
        record_user_state(con, username, by)


def _split(cell: str | None) -> list[str]:
    return [x.strip() for x in (cell or "").replace("，", ",").replace("、", ",").split(",") if x.strip()]


def import_users(con: duckdb.DuckDBPyConnection, frame: pl.DataFrame, file: str, by: str = "local") -> int:
    """Add the accounts of a sheet (username, role, password; towns, areas, departments, units optional,
    separated by commas or 、; Chinese headers and role names accepted), all or none: every problem is named
    by its row. Returns the number of accounts added."""
    frame = frame.rename({c: IMPORT_ALIASES.get(str(c).strip(), str(c).strip()) for c in frame.columns})
    missing = [c for c in IMPORT_COLUMNS if c not in frame.columns]
    if missing:
        wanted = "username（用户名）, role（角色）, password（密码）"
        raise CampaignError([Problem(file, 1, c, "column_missing", {"columns": wanted}) for c in missing])
    rows = []
    problems: list[Problem] = []
    seen: set[str] = set()
    existing = [r[0] for r in con.execute("SELECT username FROM users").fetchall()]
    for k, r in enumerate(frame.iter_rows(named=True), start=2):
        name = str(r["username"] or "").strip()
        role = ROLE_WORDS.get(str(r["role"] or "").strip(), str(r["role"] or "").strip())
        password = str(r["password"] or "")
        towns, areas = _split(r.get("towns")), _split(r.get("areas"))
        departments, units = _split(r.get("departments")), _split(r.get("units"))
        found = role_problems(role, towns, areas, departments, units) + check_scope(
            con, towns, areas, departments
        )
        found += unit_problems(con, units)
        if name in seen or con.execute("SELECT 1 FROM users WHERE username = ?", [name]).fetchall():
            found.append(Problem(file, k, "username", "user_exists", {"user": name}))
        else:  # its look-alikes among the accounts and the sheet's earlier rows
            found += name_problems(name, [*existing, *seen], file, k)
        found += password_problems(password, name, file, k)
        problems += [Problem(file, k, p.column, p.code, p.params) for p in found]
        seen.add(name)
        rows.append((name, password, role, towns, areas, departments, units))
    if problems:
        raise CampaignError(problems)
    hashes = [hash_password(password) for _, password, *_ in rows]  # slow: before the transaction
    with transaction(con):  # every account of the sheet, or none (killed midway: none)
        for (name, password, role, towns, areas, departments, units), hashed in zip(
            rows, hashes, strict=True
        ):
            add_user(
                con,
                name,
                password,
                role,
                towns,
                areas,
                by=by,
                departments=departments,
                hashed=hashed,
                units=units,
            )
    return len(rows)


MAX_USERS = 5_000  # rows of a sheet of users


def read_users_sheet(data: bytes, name: str) -> pl.DataFrame:
    """A sheet of users (xlsx or csv) as text, bounded before it is parsed."""
    from scoring.ingest.bounds import staged

    with staged(data, name, "users", (".xlsx", ".csv"), MAX_USERS) as path:
        try:
            if path.suffix == ".xlsx":
                return pl.read_excel(path, infer_schema_length=0)
            return pl.read_csv(path, infer_schema=False, encoding="utf8-lossy")
        except Exception as exc:  # the readers raise many types for a damaged file
            detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            raise CampaignError([Problem(name, None, None, "file_unreadable", {"detail": detail})]) from None


def users_view(con: duckdb.DuckDBPyConnection, lang: str = "zh") -> pl.DataFrame:
    """The accounts as people read them, on the terminal and the dashboard alike: roles and
    states in words, scopes joined, the time created local (Beijing time) with the zone named."""
    from scoring.accounts.access import ROLES, list_users
    from scoring.core.i18n import t
    from scoring.core.localtime import DEFAULT_ZONE, label, local_columns

    state = {True: t("user.disabled", lang), False: t("user.enabled", lang)}
    frame = list_users(con).with_columns(
        pl.col("role").replace_strict({r: t(f"role.{r}", lang) for r in ROLES}, default=pl.col("role")),
        pl.col("towns").list.join("、"),
        pl.col("areas").list.join("、"),
        pl.col("departments").list.join("、"),
        pl.col("units").list.join("、"),
        pl.col("disabled").replace_strict(state, return_dtype=pl.String),
    )
    return local_columns(frame, DEFAULT_ZONE).rename(
        {"created_at": t("user.created_at", lang, zone=label(DEFAULT_ZONE, lang))}
    )
