"""The accounts as the pages use them: signing in and out, sessions, roles and their rights, and
the administration of users (``scoring.accounts``). The dashboard imports these from here, never from the
layers below."""

from __future__ import annotations

from scoring.accounts import access, sessions
from scoring.accounts.access import (
    ROLES,
    User,
    add_user,
    enabled_users,
    has_users,
    known_departments,
    list_users,
    require,
    set_disabled,
)
from scoring.accounts.sessions import close_session, open_session
from scoring.accounts.signin import LOCKOUT, address_locked, authenticate, locked_until
from scoring.accounts.users import import_users, read_users_sheet, set_password, set_role, users_view

__all__ = [
    "LOCKOUT",
    "ROLES",
    "User",
    "access",
    "add_user",
    "address_locked",
    "authenticate",
    "close_session",
    "enabled_users",
    "has_users",
    "import_users",
    "known_departments",
    "list_users",
    "locked_until",
    "open_session",
    "read_users_sheet",
    "require",
    "sessions",
    "set_disabled",
    "set_password",
    "set_role",
    "users_view",
]
