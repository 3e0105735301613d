"""What a user name and a password must be.

A user name is kept as typed once it is its own NFKC form with no space at either end, at most
``MAX_NAME`` characters, and holds no invisible, control, private-use or direction-changing
character (a zero-width space or a right-to-left override makes ``赵领导`` look like another
account). A name whose skeleton (NFKC, case-folded, spaces and separators out) is another
account's is refused as a look-alike (``Admin`` beside ``admin``, ``赵 领导`` beside ``赵领导``).

A password has at least ``MIN_PASSWORD`` characters, at least ``MIN_KINDS`` different
characters, is not the user name itself, and is not one of the passwords tried first by anyone
guessing (``COMMON``, compared case-insensitively).
"""

from __future__ import annotations

import unicodedata

from scoring.core.errors import Problem

MAX_NAME = 40
MIN_PASSWORD = 8
MIN_KINDS = 4
# the passwords guessed first, in China and elsewhere (lower case)
COMMON = frozenset(
    [
        "12345678",
        "123456789",
        "1234567890",
        "0123456789",
        "87654321",
        "987654321",
        "11111111",
        "00000000",
        "88888888",
        "66666666",
        "12341234",
        "11223344",
        "123123123",
        "147258369",
        "1qaz2wsx",
        "zaq12wsx",
        "qwertyui",
        "qwertyuiop",
        "asdfghjk",
        "asdfghjkl",
        "password",
        "password1",
        "passw0rd",
        "p@ssw0rd",
        "admin123",
        "admin1234",
        "administrator",
        "abc12345",
        "abcd1234",
        "a1234567",
        "a12345678",
        "aa123456",
        "qq123456",
        "qwe12345",
        "woaini1314",
        "iloveyou",
        "5201314520",
        "13141314",
        "changeme",
        "welcome1",
        "letmein1",
        "starscore",
    ]
)
_HIDDEN = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def skeleton(name: str) -> str:
    """What a name looks like: NFKC, case-folded, without spaces, separators or hidden marks."""
    text = unicodedata.normalize("NFKC", name).casefold()
    return "".join(ch for ch in text if unicodedata.category(ch)[0] not in "ZC" and ch not in "._-·")


def name_problems(name: str, others: list[str], file: str = "user", row: int | None = None) -> list[Problem]:
    """Why ``name`` cannot be an account's name beside the ``others`` already there."""
    if not name.strip() or name != name.strip():
        return [Problem(file, row, "username", "id_spaces", {"id": name})]
    if len(name) > MAX_NAME:
        return [Problem(file, row, "username", "name_too_long", {"n": MAX_NAME})]
    hidden = [ch for ch in name if unicodedata.category(ch) in _HIDDEN]
    if hidden or unicodedata.normalize("NFKC", name) != name:
        codes = "、".join(f"U+{ord(ch):04X}" for ch in hidden) or "NFKC"
        return [Problem(file, row, "username", "name_hidden_chars", {"chars": codes})]
    same = [o for o in others if o != name and skeleton(o) == skeleton(name)]
    if same:
        return [Problem(file, row, "username", "name_lookalike", {"user": same[0]})]
    return []


def password_problems(password: str, name: str, file: str = "user", row: int | None = None) -> list[Problem]:
    """Why ``password`` is too easy to guess for the account ``name``."""
    if len(password) < MIN_PASSWORD or len(set(password)) < MIN_KINDS:
        return [Problem(file, row, "password", "weak_password", {"n": MIN_PASSWORD, "kinds": MIN_KINDS})]
    if password.casefold() in COMMON or (name and skeleton(name) == skeleton(password)):
        return [Problem(file, row, "password", "common_password", {})]
    return []
