"""What every deadline-day session does, whether it speaks the protocol or is a browser: the
accounts, the pages each role opens, the pause a person takes on a page, and which step is a
sign-in, a save or a page view."""

from __future__ import annotations

import random

from scoring.accounts.access import PAGES as PAGE_ROLES
from scoring.bench.browser import TITLES
from scoring.core.i18n import t

PERIOD = "2023Q1"
SAVED = t("en.saved", written=0, cleared=0, changed=0).split("0")[0]  # the save's own words
THINK = (3.0, 10.0)  # seconds a person spends on a page before the next action
INDICATOR = "hotline"  # a value every unit has, 0–100


def accounts(n: int) -> list[tuple[str, str]]:
    """``n`` accounts: two thirds evaluators, then leaders, finance and one administrator."""
    roles = ["evaluator"] * (2 * n // 3) + ["leader"] * max(1, n // 5)
    roles += ["finance"] * max(1, n - len(roles) - 1)
    roles = [*roles, "admin"][:n]
    return [(f"负载{role}{k:02d}", role) for k, role in enumerate(roles)]


def pages_of(role: str) -> list[str]:
    """The pages a role opens from its menu (the campaigns page is the administrator's setup)."""
    return [p for p in TITLES if role in PAGE_ROLES.get(p, frozenset()) and p != "campaigns"]


def step_kind(role: str, step: int) -> str:
    """``sign_in`` every tenth step, ``save`` every fourth of an evaluator's, else ``page``."""
    if step % 10 == 0:
        return "sign_in"
    return "save" if role == "evaluator" and step % 4 == 0 else "page"


def next_value(rng: random.Random, last: int | None) -> int:
    """A value near the unit's own (no value far from its peers asks for a comment), never the
    one stored: every save changes its cell."""
    return next(v for v in (90 + rng.randrange(11) for _ in range(99)) if v != last)
