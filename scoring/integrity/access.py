"""Users, roles and what each role may see and do; passwords hashed with argon2.

Roles: admin (everything), evaluator (data entry limited to assigned towns/streets and
indicator areas; submitting periods), leader (read-only boards), finance (payouts and
exports). Every write function of the engine calls ``require`` itself, so a hidden button
is never the only guard. The command line acts as the machine's operator (``LOCAL_ADMIN``);
a database with no users yet is in open mode: the dashboard acts as that operator too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from scoring.core.errors import CampaignError, Problem
from scoring.core.frames import to_polars
from scoring.store.db import now

ROLES = ("admin", "evaluator", "leader", "finance")
ALL = frozenset(ROLES)

PAGES: dict[str, frozenset[str]] = {
    "leaderboard": ALL,
    "profile": ALL,
    "rules": ALL,
    "robustness": ALL,
    "entry": frozenset({"admin", "evaluator"}),
    "workflow": frozenset({"admin", "evaluator"}),
    "audit": frozenset({"admin", "evaluator", "finance"}),
    "payouts": frozenset({"admin", "finance"}),
    "campaigns": frozenset({"admin"}),
    "users": frozenset({"admin"}),
}
ACTIONS: dict[str, frozenset[str]] = {
    "enter_values": frozenset({"admin", "evaluator"}),
    "import_campaign": frozenset({"admin"}),
    "score": frozenset({"admin", "evaluator"}),
    "submit": frozenset({"admin", "evaluator"}),
    "approve": frozenset({"admin"}),
    "publish": frozenset({"admin"}),
    "finalize": frozenset({"admin"}),
    "reopen": frozenset({"admin"}),
    "export_payouts": frozenset({"admin", "finance"}),
    "manage_users": frozenset({"admin"}),
    "view_audit": frozenset({"admin", "evaluator", "finance"}),
}

_hasher = PasswordHasher()


@dataclass(frozen=True)
class User:
    username: str
    role: str
    towns: tuple[str, ...] = field(default_factory=tuple)  # empty: every town
    areas: tuple[str, ...] = field(default_factory=tuple)  # empty: every indicator area

    def can_see(self, page: str) -> bool:
        return self.role in PAGES.get(page, frozenset())

    def may(self, action: str) -> bool:
        return self.role in ACTIONS.get(action, frozenset())

    def may_edit(self, town: str | None, area: str | None) -> bool:
        if not self.may("enter_values"):
            return False
        town_ok = not self.towns or (town or "") in self.towns
        area_ok = not self.areas or (area or "") in self.areas
        return town_ok and area_ok


LOCAL_ADMIN = User("local", "admin")


def require(user: User, action: str) -> None:
    """Refuse an action the user's role may not take (checked on the server side)."""
    if not user.may(action):
        raise CampaignError(
            [
                Problem(
                    "permission",
                    None,
                    None,
                    "forbidden",
                    {"user": user.username, "role": user.role, "action": action},
                )
            ]
        )


def add_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    role: str,
    towns: list[str] | None = None,
    areas: list[str] | None = None,
) -> None:
    problems = []
    if role not in ROLES:
        problems.append(
            Problem("user", None, "role", "bad_role", {"role": role, "expected": ", ".join(ROLES)})
        )
    if not username.strip() or username != username.strip():
        problems.append(Problem("user", None, "username", "id_spaces", {"id": username}))
    if len(password) < 8:
        problems.append(Problem("user", None, "password", "weak_password", {"n": 8}))
    if con.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchall():
        problems.append(Problem("user", None, "username", "user_exists", {"user": username}))
    if problems:
        raise CampaignError(problems)
    con.execute(
        "INSERT INTO users VALUES (?, ?, ?, ?, ?, false, ?)",
        [username, _hasher.hash(password), role, towns or [], areas or [], now()],
    )


def set_disabled(con: duckdb.DuckDBPyConnection, username: str, disabled: bool = True) -> None:
    if not con.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchall():
        raise CampaignError([Problem("user", None, "username", "unknown_user", {"user": username})])
    con.execute("UPDATE users SET disabled = ? WHERE username = ?", [disabled, username])


def list_users(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return to_polars(
        con.cursor().sql(
            "SELECT username, role, towns, areas, disabled, created_at FROM users ORDER BY username"
        )
    )


def has_users(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(con.execute("SELECT count(*) FROM users WHERE NOT disabled").fetchall()[0][0])


def authenticate(con: duckdb.DuckDBPyConnection, username: str, password: str) -> User | None:
    """The user, when the name exists, is enabled and the password matches; else None."""
    rows = con.execute(
        "SELECT password_hash, role, towns, areas, disabled FROM users WHERE username = ?", [username]
    ).fetchall()
    if not rows or rows[0][4]:
        return None
    stored, role, towns, areas, _ = rows[0]
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    return User(username, role, tuple(towns or ()), tuple(areas or ()))
