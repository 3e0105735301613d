"""不涉及: the value of an item that does not apply to a unit in a period (spec step 2).

Such a cell is a value, not a missing one, so it is stored among the values like any other,
as one reserved number far outside every value the checks accept (they refuse 10^12 or more):
imports, saves, the audit trail, the data hash and backups carry it unchanged. It is written
and shown as 不涉及, and never enters a sum: the engine gives it no points and rescales the
unit's base items instead.
"""

from __future__ import annotations

from decimal import Decimal

NA_VALUE = Decimal("-1000000000000000000000000000")  # -10^27, as stored (DECIMAL(38,9))
NA_SQL = f"CAST('{NA_VALUE}' AS DECIMAL(38,9))"
NA_TEXT = "不涉及"
# what a cell may hold to say so (compared trimmed and upper-cased): 不涉及, NA, n/a
NA_WORDS = ("不涉及", "NA", "N/A")
NA_WORDS_SQL = "(" + ", ".join(f"'{w}'" for w in NA_WORDS) + ")"


def is_na(value: object) -> bool:
    """Whether a stored value is the 不涉及 value."""
    return value is not None and not isinstance(value, str) and Decimal(str(value)) == NA_VALUE


def value_text(value: object) -> str:
    """A stored value written for a person or a file: 不涉及, or the number written plainly."""
    from scoring.core.money import plain

    if value is None:
        return ""
    return NA_TEXT if is_na(value) else plain(Decimal(str(value)))
