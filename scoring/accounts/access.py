"""Users, roles and what each role may see and do; passwords hashed with argon2.

Roles: admin (everything), evaluator (data entry limited to assigned towns/streets and
indicator areas; submitting their towns), leader (reads the boards; approves or returns towns'
submissions and approves periods; records objections), finance (payouts and exports), unit (a
village's or community's own account: it self-assesses (自评) and gives proof (佐证材料) for its
own units only, and replies to an assessed value that differs). Publishing,
finalising, reopening, overriding a town, lock exceptions and deadlines are the admin's.
Every write function of the engine calls ``require`` itself, so a hidden button
is never the only guard. The command line acts as the machine's operator (``LOCAL_ADMIN``);
a database with no users yet is in open mode: the dashboard acts as that operator too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import duckdb
import polars as pl
from argon2 import PasswordHasher

from scoring.accounts.credentials import name_problems, password_problems
from scoring.core.errors import CampaignError, Problem
from scoring.core.frames import to_polars
from scoring.store.db import now, record_event, transaction

ROLES = ("admin", "evaluator", "leader", "finance", "unit")
ALL = frozenset(ROLES)
# the district's staff: a unit account reads no board of other units before the 公示
STAFF = frozenset({"admin", "evaluator", "leader", "finance"})

PAGES: dict[str, frozenset[str]] = {
    "leaderboard": STAFF,
    "profile": STAFF,
    "rules": ALL,
    "robustness": STAFF,
    "self": frozenset({"unit", "admin"}),  # the admin helps a unit that cannot
    "todo": frozenset({"evaluator"}),
    "entry": frozenset({"admin", "evaluator"}),
    "sources": frozenset({"admin", "evaluator", "leader"}),
    "evidence": frozenset({"admin", "evaluator", "leader"}),
    "workflow": frozenset({"admin", "evaluator", "leader"}),
    "objections": frozenset({"admin", "leader"}),
    "audit": frozenset({"admin", "evaluator", "finance"}),
    "payouts": frozenset({"admin", "finance"}),
    "campaigns": frozenset({"admin"}),
    "users": frozenset({"admin"}),
}
ACTIONS: dict[str, frozenset[str]] = {
    "enter_values": frozenset({"admin", "evaluator"}),
    "import_campaign": frozenset({"admin"}),
    "remove_campaign": frozenset({"admin"}),
    "score": frozenset({"admin", "evaluator"}),
    "submit": frozenset({"admin", "evaluator"}),
    "approve": frozenset({"admin", "leader"}),
    "return_town": frozenset({"admin", "leader"}),
    "override": frozenset({"admin"}),
    "publish": frozenset({"admin"}),
    "finalize": frozenset({"admin"}),
    "reopen": frozenset({"admin"}),
    "grant_exception": frozenset({"admin"}),
    "set_deadline": frozenset({"admin"}),
    "publish_year": frozenset({"admin"}),
    "finalize_year": frozenset({"admin"}),
    "record_objection": frozenset({"admin", "leader"}),
    "handle_objection": frozenset({"admin"}),
    "export_payouts": frozenset({"admin", "finance"}),
    "manage_users": frozenset({"admin"}),
    "view_audit": frozenset({"admin", "evaluator", "finance"}),
    # a unit's own 自评, proof and reply; whoever enters values may also give them on its behalf
    "self_assess": frozenset({"admin", "evaluator", "unit"}),
    "add_evidence": frozenset({"admin", "evaluator", "unit"}),
    # reading proof: a leader too (the scope still applies: an evaluator's towns, a unit's own)
    "read_evidence": frozenset({"admin", "evaluator", "leader", "unit"}),
    "reply": frozenset({"admin", "unit"}),
}

# argon2id at the profile OWASP names for a server that must stay answering (19 MiB, 2 passes,
# one lane): about 25 ms a check on a 2-core machine, where the library's default (64 MiB, 3
# passes, 4 lanes) took 115 ms and thirty sign-ins at once took seconds. A hash keeps its own
# parameters: passwords set before are checked as they were hashed.
_hasher = PasswordHasher(time_cost=2, memory_cost=19456, parallelism=1)


@dataclass(frozen=True)
class User:
    username: str
    role: str
    towns: tuple[str, ...] = field(default_factory=tuple)  # empty: every town
    areas: tuple[str, ...] = field(default_factory=tuple)  # empty: every indicator area
    # empty: no department; else only these departments' sources and the indicators they supply
    departments: tuple[str, ...] = field(default_factory=tuple)
    # which password the session was opened with (a digest of its hash): a session opened before
    # the password changed ends (``current`` gives the account's digest now); not compared
    credential: str = field(default="", compare=False)
    units: tuple[str, ...] = field(default_factory=tuple)  # a unit account's units (role unit only)

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

    def sees_unit(self, unit_id: str, town: str | None) -> bool:
        """Whether the unit is in this account's scope: a unit account's own units, an
        evaluator's towns (every unit when none are assigned), every unit for the other roles."""
        if self.role == "unit":
            return unit_id in self.units
        if self.role == "evaluator" and self.towns:
            return (town or "") in self.towns
        return True


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


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def role_problems(
    role: str,
    towns: list[str] | None = None,
    areas: list[str] | None = None,
    departments: list[str] | None = None,
    units: list[str] | None = None,
) -> list[Problem]:
    """A role must be known; towns, indicator areas and departments narrow what an evaluator
    enters, so only an evaluator has them (a leader with a town would look limited and is not);
    a unit account has its units, at least one, and nothing else."""
    if role not in ROLES:
        return [Problem("user", None, "role", "bad_role", {"role": role, "expected": ", ".join(ROLES)})]
    if role != "evaluator" and (towns or areas or departments):
        return [Problem("user", None, "role", "scope_not_for_role", {"role": role})]
    if role == "unit" and not units:
        return [Problem("user", None, "units", "unit_account_units", {})]
    if role != "unit" and units:
        return [Problem("user", None, "units", "units_not_for_role", {"role": role})]
    return []


def unit_problems(con: duckdb.DuckDBPyConnection, units: list[str]) -> list[Problem]:
    """A unit account's units must be units of a stored campaign (by id)."""
    if not units:
        return []
    cur = con.cursor()
    known = {r[0] for r in cur.execute("SELECT DISTINCT unit_id FROM units").fetchall()}
    return [
        Problem("user", None, "units", "unknown_scope_unit", {"value": u}) for u in units if u not in known
    ]


def known_departments(con: duckdb.DuckDBPyConnection) -> set[str]:
    """The departments that own a source in any stored campaign."""
    import json

    found: set[str] = set()
    for (text,) in con.execute("SELECT rules_json FROM campaigns").fetchall():
        found |= {s["department"] for s in json.loads(text).get("sources", [])}
    return found


def check_scope(
    con: duckdb.DuckDBPyConnection, towns: list[str], areas: list[str], departments: list[str] | None = None
) -> list[Problem]:
    """Towns, indicator areas and departments must be ones the stored campaigns have (a
    misspelt 白莎镇 is refused, naming the towns there are); with no campaign stored yet, nothing
    to check against. A department must own a source."""
    known_towns = {
        r[0] for r in con.execute("SELECT DISTINCT town FROM units WHERE town IS NOT NULL").fetchall()
    }
    known_areas = {
        r[0] for r in con.execute("SELECT DISTINCT area FROM indicators WHERE area IS NOT NULL").fetchall()
    }
    problems = []
    has_campaign = bool(con.execute("SELECT 1 FROM campaigns LIMIT 1").fetchall())
    for given, known, column, code in (
        (towns, known_towns, "towns", "unknown_scope_town"),
        (areas, known_areas, "areas", "unknown_scope_area"),
        (departments or [], known_departments(con), "departments", "unknown_scope_department"),
    ):
        for item in given:
            if (known or (column == "departments" and has_campaign)) and item not in known:
                problems.append(
                    Problem("user", None, column, code, {"value": item, "expected": "、".join(sorted(known))})
                )
    return problems


def add_user(
    con: duckdb.DuckDBPyConnection,
    username: str,
    password: str,
    role: str,
    towns: list[str] | None = None,
    areas: list[str] | None = None,
    by: str = "local",
    departments: list[str] | None = None,
    hashed: str | None = None,
    units: list[str] | None = None,
) -> None:
    """Add an account (``hashed``: its password already hashed by ``hash_password``, as a sheet
    of users is, before the one transaction that adds them all)."""
    problems = role_problems(role, towns, areas, departments, units) + check_scope(
        con, towns or [], areas or [], departments
    )
    problems += unit_problems(con, units or [])
    others = [r[0] for r in con.execute("SELECT username FROM users").fetchall()]
    problems += name_problems(username, others) + password_problems(password, username)
    if con.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchall():
        problems.append(Problem("user", None, "username", "user_exists", {"user": username}))
    if problems:
        raise CampaignError(problems)
    hashed = hashed or hash_password(password)  # slow on purpose: outside the transaction
    with transaction(con):
        con.execute(
            "INSERT INTO users (username, password_hash, role, towns, areas, disabled, created_at, "
            "departments, units) VALUES (?, ?, ?, ?, ?, false, ?, ?, ?)",
            [username, hashed, role, towns or [], areas or [], now(), departments or [], units or []],
        )
        detail = f"{username}: {role}; towns {','.join(towns or [])}; areas {','.join(areas or [])}"
        if departments:
            detail += f"; departments {','.join(departments)}"
        if units:
            detail += f"; units {','.join(units)}"
        record_event(con, "user_add", by, detail)
        record_user_state(con, username, by)


def set_disabled(
    con: duckdb.DuckDBPyConnection, username: str, disabled: bool = True, by: str = "local"
) -> None:
    if not con.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchall():
        raise CampaignError([Problem("user", None, "username", "unknown_user", {"user": username})])
    with transaction(con):
        con.execute("UPDATE users SET disabled = ? WHERE username = ?", [disabled, username])
        record_event(con, "user_disable" if disabled else "user_enable", by, username)
        record_user_state(con, username, by)


# an account as the trail seals it: every column that decides who may sign in and do what (a
# unit account's units counted in only where it has some, so that the seals of accounts made
# before unit accounts existed still match)
USER_STATE = (
    "CASE WHEN coalesce(len(units), 0) = 0 THEN "
    "sha256(to_json(struct_pack(username, password_hash, role, towns, areas, departments, disabled))"
    "::VARCHAR) ELSE "
    "sha256(to_json(struct_pack(username, password_hash, role, towns, areas, departments, disabled, units))"
    "::VARCHAR) END"
)


def record_user_state(con: duckdb.DuckDBPyConnection, username: str, by: str) -> None:
    """Seal the account as a step of the product left it (inside its transaction): a
    ``user_state`` row naming the account, its digest as the reason. ``verify`` compares every
    account with its last such row, so that a role, scope, password hash or disabled flag
    changed around the product is found."""
    digest = con.execute(f"SELECT {USER_STATE} FROM users WHERE username = ?", [username]).fetchall()[0][0]
    record_event(con, "user_state", by, username, reason=str(digest))


def list_users(con: duckdb.DuckDBPyConnection) -> pl.DataFrame:
    return to_polars(
        con.cursor().sql(
            "SELECT username, role, towns, areas, coalesce(departments, []) AS departments, "
            "coalesce(units, []) AS units, disabled, created_at FROM users ORDER BY username"
        )
    )


def has_users(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the database ever had a user. Open mode (no sign-in) is only for one that never
    had any: disabling every user locks the dashboard, it never opens it."""
    return bool(con.execute("SELECT count(*) FROM users").fetchall()[0][0])


def enabled_users(con: duckdb.DuckDBPyConnection) -> int:
    return int(con.execute("SELECT count(*) FROM users WHERE NOT disabled").fetchall()[0][0])


def current(con: duckdb.DuckDBPyConnection, username: str) -> User | None:
    """The user as the database has them now (role, towns, areas), or None once disabled or
    removed: a signed-in session is checked against it on every page view and save."""
    rows = con.execute(
        "SELECT role, towns, areas, departments, password_hash, units FROM users "
        "WHERE username = ? AND NOT disabled",
        [username],
    ).fetchall()
    if not rows:
        return None
    role, towns, areas, departments, stored, units = rows[0]
    return _user(username, role, towns, areas, departments, stored, units)


def _user(
    username: str,
    role: str,
    towns: list[str] | None,
    areas: list[str] | None,
    departments: list[str] | None,
    stored: str | None,
    units: list[str] | None,
) -> User:
    """An account's row as the user it signs in (its scopes as tuples, its password's digest)."""
    return User(
        username,
        role,
        tuple(towns or ()),
        tuple(areas or ()),
        tuple(departments or ()),
        _digest(stored),
        tuple(units or ()),
    )


def _digest(password_hash: str | None) -> str:
    """A digest of a stored password hash: tells that the password changed, reveals nothing."""
    import hashlib

    return hashlib.sha256((password_hash or "").encode("utf-8")).hexdigest()[:16]
